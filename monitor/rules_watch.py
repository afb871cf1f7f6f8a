"""Live reload of `rules/*.yaml`: a valid edit applies, a broken one is reported and ignored.

    watcher = RulesWatcher(rules_dir, channels, on_change=apply, on_error=log.error)
    watcher.start()          # loads now; raises ConfigInvalid if the rules are broken
    ... watcher.current ...  # always the last good RuleSet
    watcher.stop()

A background thread waits for file-system changes (watchfiles). After a change it reads
every rule file; if their content differs from the last content seen, it loads them:
valid -> `current` is replaced and `on_change(ruleset)` is called; broken -> `current`
is kept and `on_error(message)` is called with the `file:line: key: message` text, once
per distinct broken content (saving the same broken file again says nothing new).
Callbacks run in the watcher thread; an exception they raise is logged, not fatal.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from pathlib import Path
from typing import Callable

import watchfiles

from monitor.rules import RuleSet, load_rules, rule_files
from monitor.yamlsource import ConfigInvalid

log = logging.getLogger(__name__)
SETTLE_SECONDS = 0.15  # an editor may write a file in several steps


class RulesWatcher:
    def __init__(self, rules_dir: Path, channels: set[str], on_change: Callable[[RuleSet], None] | None = None,
                 on_error: Callable[[str], None] | None = None, *, force_polling: bool | None = None):
        self.rules_dir = Path(rules_dir)
        self.channels = set(channels)
        self.on_change = on_change
        self.on_error = on_error
        self.force_polling = force_polling
        self._current: RuleSet | None = None
        self._digest: str | None = None  # content of the last files loaded or reported
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.RLock()

    @property
    def current(self) -> RuleSet:
        if self._current is None:
            raise RuntimeError("RulesWatcher not started")
        return self._current

    def start(self) -> RulesWatcher:
        """Load the rules (raising ConfigInvalid if broken) and start watching."""
        if self._thread is not None:
            raise RuntimeError("RulesWatcher already started")
        self._digest = self._content_digest()
        self._current = load_rules(self.rules_dir, self.channels)
        self._thread = threading.Thread(target=self._run, name="rules-watch", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop watching and join the thread."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def __enter__(self) -> RulesWatcher:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def check(self) -> None:
        """Reload if the rule files' content changed since the last load (also called by the thread)."""
        with self._lock:
            self._check()

    def _check(self) -> None:
        digest = self._content_digest()
        if digest == self._digest:
            return
        try:
            ruleset = load_rules(self.rules_dir, self.channels)
        except ConfigInvalid as exc:
            time.sleep(SETTLE_SECONDS)
            if self._content_digest() != digest:
                return self._check()  # still being written: judge the final content
            self._digest = digest
            log.warning("rules not reloaded, keeping the last good ones:\n%s", exc)
            self._call(self.on_error, str(exc))
            return
        self._digest = digest
        self._current = ruleset
        log.info("rules reloaded: %d rule(s) from %d file(s)", len(ruleset.rules), len(ruleset.files))
        self._call(self.on_change, ruleset)

    def _run(self) -> None:
        try:
            for _changes in watchfiles.watch(self.rules_dir, watch_filter=self._is_rule_file, debounce=400,
                                             step=50, stop_event=self._stop, rust_timeout=500,
                                             yield_on_timeout=True, recursive=False,
                                             force_polling=self.force_polling):
                if self._stop.is_set():
                    break
                self.check()  # on timeouts too: catches changes the OS did not report
        except Exception:  # noqa: BLE001 - the daemon keeps its last good rules
            log.exception("rules watcher stopped")

    @staticmethod
    def _is_rule_file(_change: watchfiles.Change, path: str) -> bool:
        return path.endswith((".yaml", ".yml")) and not Path(path).name.startswith(".")

    def _content_digest(self) -> str:
        h = hashlib.sha256()
        try:
            for path in rule_files(self.rules_dir):
                h.update(path.name.encode() + b"\0")
                try:
                    h.update(path.read_bytes())
                except OSError as exc:
                    h.update(f"unreadable: {exc}".encode())
                h.update(b"\0")
        except OSError as exc:
            h.update(f"folder unreadable: {exc}".encode())
        return h.hexdigest()

    @staticmethod
    def _call(callback, arg) -> None:
        if callback is None:
            return
        try:
            callback(arg)
        except Exception:  # noqa: BLE001
            log.exception("rules watcher callback failed")
