"""The store: the only part of the monitor that talks to the database."""

from monitor.store.repo import AlertDraft, NewItem, Store

__all__ = ["AlertDraft", "NewItem", "Store"]
