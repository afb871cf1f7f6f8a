"""The store on SQLite and (when configured) PostgreSQL: migrations, insert-if-new, outbox identity."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

from sqlalchemy import inspect as sa_inspect

from monitor.events import Counts, StrikeEvent
from monitor.models import Article, FeedItem, PollResult
from monitor.store import AlertDraft, Store
from monitor.store import db

NOW = datetime(2025, 7, 4, 8, 0, tzinfo=timezone.utc)


def _item(guid: str, published: datetime | None = NOW) -> FeedItem:
    return FeedItem(source="wire", guid=guid, url=f"https://example.org/{guid}", link=f"https://example.org/{guid}",
                    title=f"Title {guid}", summary="summary", published=published, lang="en")


def _poll(store: Store, items: list[FeedItem], backfill_before=None) -> list[int]:
    return store.record_poll(PollResult(source="wire", status=200, etag='"v1"', last_modified="Fri, 04 Jul 2025"),
                             now=NOW, next_poll_at=NOW + timedelta(minutes=10), new_items=items,
                             backfill_before=backfill_before)


def test_migrations_create_every_table_from_empty(db_url):
    store = Store(db_url)
    try:
        names = set(sa_inspect(store.engine).get_table_names())
        assert {"source", "item", "article", "event", "alert", "alembic_version"} <= names
        assert db.current_revision(store.engine) is not None
        db.upgrade(store.engine)  # idempotent
    finally:
        store.close()


def test_items_are_inserted_once_and_validators_kept(db_url):
    store = Store(db_url)
    try:
        store.sync_sources([("wire", "https://example.org/feed")])
        first = _poll(store, [_item("a"), _item("b")])
        again = _poll(store, [_item("a"), _item("b"), _item("c")])
        assert len(first) == 2 and len(again) == 1
        src = store.source("wire")
        assert (src.etag, src.last_modified, src.items_seen, src.polls) == ('"v1"', "Fri, 04 Jul 2025", 3, 2)
        assert src.next_poll_at == NOW + timedelta(minutes=10)
        assert [p.item.guid for p in store.pending_items()] == ["a", "b", "c"]
    finally:
        store.close()


def test_backfill_items_are_stored_as_seen_but_not_processed(db_url):
    store = Store(db_url)
    try:
        store.sync_sources([("wire", "https://example.org/feed")])
        ids = _poll(store, [_item("old", NOW - timedelta(days=3)), _item("new", NOW - timedelta(hours=1))],
                    backfill_before=NOW - timedelta(hours=24))
        assert len(ids) == 1
        assert [p.item.guid for p in store.pending_items()] == ["new"]
        assert store.known_guids("wire", ["old", "new", "other"]) == {"old", "new"}
    finally:
        store.close()


def test_two_processes_racing_store_each_item_once(db_url):
    """Two stores (two connections pools, as two processes would have) insert the same items."""
    a, b = Store(db_url), Store(db_url, migrate=False)
    try:
        a.sync_sources([("wire", "https://example.org/feed")])
        items = [_item(f"g{i}") for i in range(200)]
        results: list[list[int]] = []
        barrier = threading.Barrier(2)

        def run(store):
            barrier.wait()
            results.append(_poll(store, items))

        threads = [threading.Thread(target=run, args=(s,)) for s in (a, b)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert a.counts()["items"] == 200
        assert len(set(results[0]) | set(results[1])) == 200
    finally:
        a.close()
        b.close()


def _article(text: str, url: str | None) -> Article:
    return Article(url=url, title="Night attack", text=text, lang="en", published=NOW, source="wire",
                   content_hash=f"h-{text}")


def test_article_events_and_alerts_in_one_unit_and_alert_identity_unique(db_url):
    store = Store(db_url)
    try:
        store.sync_sources([("wire", "https://example.org/feed")])
        (item_id,) = _poll(store, [_item("a")])
        ev = StrikeEvent(attacker="RU", target="UA", drones=Counts(launched=539, destroyed=268), places=["Kyiv"])

        def drafts(tx, article_id, events_with_ids, near_of):
            assert near_of is None and events_with_ids[0][1] == ev
            return [AlertDraft("kyiv-hit", f"event:{events_with_ids[0][0]}", "desk", "kyiv-hit: t", "body")] * 2

        saved = store.save_article(item_id, _article("text", "https://example.org/a"), [ev], None, drafts)
        art_id, event_ids, queued = saved.article_id, saved.event_ids, saved.queued
        assert queued == 1 and len(event_ids) == 1
        assert store.pending_items() == []
        (row, article), = store.events()
        assert store.event_of(row) == ev and article.id == art_id
        assert store.queue_alerts([AlertDraft("kyiv-hit", f"event:{event_ids[0]}", "desk", "x", "y")]) == 0
        assert store.queue_alerts([AlertDraft("kyiv-hit", f"event:{event_ids[0]}", "desk", "x", "y", revision=1)]) == 1
        # A duplicate article is stored, linked to its original, and queues nothing.
        dup = store.find_duplicate("https://example.org/other", "h-text")
        assert dup == art_id
        saved = store.save_article(None, _article("text", "https://example.org/other"), [], dup, drafts)
        assert saved.queued == 0 and saved.event_ids == []
    finally:
        store.close()


def test_outbox_due_sent_failed_dead(db_url):
    store = Store(db_url)
    try:
        store.queue_alerts([AlertDraft("r", f"article:{i}", "desk", f"r: {i}", "b") for i in range(3)])
        due = store.due_alerts(datetime.now(timezone.utc) + timedelta(seconds=1))
        assert [a.title for a in due] == ["r: 0", "r: 1", "r: 2"]
        store.alert_sent(due[0].id, datetime.now(timezone.utc))
        store.alert_failed(due[1].id, "smtp down", datetime.now(timezone.utc) + timedelta(hours=1))
        store.alert_failed(due[2].id, "gone", None)
        states = {a.title: (a.state, a.attempts, a.last_error) for a in store.alerts()}
        assert states == {"r: 0": ("sent", 1, None), "r: 1": ("pending", 1, "smtp down"), "r: 2": ("dead", 1, "gone")}
        assert store.due_alerts(datetime.now(timezone.utc) + timedelta(seconds=1)) == []
    finally:
        store.close()


def test_near_duplicate_is_linked_to_its_original_through_stored_bands(db_url):
    from monitor.neardup import signature

    body = ("Russia launched 300 drones and 12 missiles at Ukraine overnight, the air force said on Sunday, "
            "adding that air defence units shot down 260 drones and nine missiles. The attack mainly targeted "
            "the Kyiv region and the city of Zhytomyr, where energy facilities were hit, officials said. ")
    copy = "Reporting by the Kyiv bureau. " + body + "Our standards: the Trust Principles."
    other = ("Ukrainian and Russian delegations met in Istanbul on Monday for a third round of talks on a "
             "prisoner exchange, the Turkish foreign ministry said, adding that the meeting lasted two hours. ")
    store = Store(db_url)
    try:
        def nothing(tx, article_id, events, near_of):
            return []

        first = store.save_article(None, _article(body, "https://a.example/1"), [], None, nothing, signature(body))
        again = store.save_article(None, _article(copy, "https://b.example/2"), [], None, nothing, signature(copy))
        unrelated = store.save_article(None, _article(other, "https://c.example/3"), [], None, nothing,
                                       signature(other))
        assert first.near_duplicate_of is None
        assert again.near_duplicate_of == first.article_id
        assert unrelated.near_duplicate_of is None
        assert [a.id for a in store.articles()] == [first.article_id, unrelated.article_id]
    finally:
        store.close()


def test_near_duplicate_lookup_compares_the_articles_sharing_most_bands_and_prefers_the_earliest(db_url):
    import numpy as np

    from monitor.neardup import NUM_PERM, Signature
    from monitor.store.articletx import NEAR_CANDIDATES, ArticleTx

    rng = np.random.default_rng(3)
    query = rng.integers(0, 2**32, NUM_PERM, dtype=np.uint64)

    def like(keep: slice) -> Signature:  # the query's values at `keep`, new ones elsewhere
        values = rng.integers(0, 2**32, NUM_PERM, dtype=np.uint64)
        values[keep] = query[keep]
        return Signature(values)

    def keep_all_but(changed: slice) -> Signature:
        values = query.copy()
        values[changed] = rng.integers(0, 2**32, changed.stop - changed.start, dtype=np.uint64)
        return Signature(values)

    store = Store(db_url)
    try:
        def nothing(tx, article_id, events, near_of):
            return []

        def save(n: int, sig: Signature):
            return store.save_article(None, _article(f"text {n}", f"https://a.example/{n}"), [], None, nothing, sig)

        # more articles than the lookup compares, each sharing only band 0 with the query
        decoys = [save(n, like(slice(0, 6))) for n in range(NEAR_CANDIDATES + 5)]
        # two originals equally similar to the query (100 of 128 values), sharing 15 and 16 bands with it
        first_fewer_bands = save(100, keep_all_but(slice(0, 28)))
        second_more_bands = save(101, keep_all_but(slice(100, 128)))
        assert all(r.near_duplicate_of is None for r in decoys + [first_fewer_bands, second_more_bands])
        with store.session() as s:
            assert ArticleTx(store, s).near_duplicate(Signature(query)) == first_fewer_bands.article_id
            assert ArticleTx(store, s).near_duplicate(like(slice(0, 6))) is None
    finally:
        store.close()
