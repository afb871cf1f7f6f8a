"""Build the objects a command needs from a config folder, once."""

from __future__ import annotations

import gc
import logging
import os
import sys
from pathlib import Path
from typing import TextIO

from monitor.config import Config, load_config
from monitor.secrets import install_redactor


def load_all(config_dir: Path):
    """Config plus rules, validated together; raises ConfigInvalid listing every error."""
    from monitor.rules import load_rules
    from monitor.yamlsource import ConfigInvalid

    if not Path(config_dir).is_dir():
        return load_config(config_dir), None  # raises: folder not found
    from monitor.config import _load_settings

    errors = []
    config = None
    try:
        config = load_config(config_dir)
    except ConfigInvalid as exc:
        errors += exc.errors
    channels = config.settings.channel_names() if config else None
    if channels is None:
        try:  # sources.yaml may be the broken one: still check rules against the real channels
            channels = _load_settings(Path(config_dir) / "monitor.yaml").channel_names()
        except ConfigInvalid:
            channels = None
    rules = None
    try:
        rules = load_rules(Path(config_dir) / "rules", channels if channels is not None else _any_channel())
    except ConfigInvalid as exc:
        errors += [e for e in exc.errors if channels is not None or "unknown channel" not in e.message]
    if errors:
        raise ConfigInvalid(errors)
    return config, rules


class _any_channel(frozenset):
    """While monitor.yaml is broken, do not also report every channel as unknown."""

    def __contains__(self, item) -> bool:
        return True


def setup_logging(verbose: bool, secrets: set[str] = frozenset()) -> None:
    level = logging.DEBUG if verbose else getattr(logging, os.environ.get("MONITOR_LOG_LEVEL", "INFO").upper(), logging.INFO)
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)  # "skipped: already running" is normal
    for noisy in ("apprise", "trafilatura", "htmldate", "courlan", "apscheduler.executors", "alembic", "aiosmtpd",
                  "mail.log"):
        logging.getLogger(noisy).setLevel(logging.WARNING if not verbose else logging.INFO)
    if secrets:
        install_redactor(set(secrets))


def build_runtime(config: Config, rules, *, console: TextIO | None = None, processes: int | None = None,
                  migrate: bool = True):
    from monitor.alert import Notifier
    from monitor.pipeline import Runtime
    from monitor.store import Store

    from monitor.render import use_templates

    use_templates(config.dir)  # config/templates/ overrides the built-in alert templates
    store = Store(config.database_url, migrate=migrate)
    notifier = Notifier(config.settings, console=console)
    n = config.settings.workers.clean_processes if processes is None else processes
    rt = Runtime(config=config, store=store, notifier=notifier, ruleset=rules, executor=make_pool(n))
    freeze_startup_heap()
    return rt


def freeze_startup_heap() -> None:
    """Keep the garbage collector off what startup loaded (modules, config, rules, store).

    That lives as long as the process, yet every full collection a cycle triggers
    scanned all of it again: about a fifth of a cycle where 2,000 feeds answer 304
    (bench/poll.py). Frozen once per process (the first runtime: later ones, in
    tests, would pin their own garbage), after a collection so that no garbage is frozen.
    """
    if gc.get_freeze_count() == 0:
        gc.collect()
        gc.freeze()


def make_pool(n: int):
    """The clean pool: `n` processes for trafilatura, extraction and MinHash (None when n is 0).

    Processes come from a fork server that has imported and warmed `monitor.cpu`
    (monitor/cpu_shared.py) and nothing of the database, HTTP or alert code: each
    starts at once, shares the language model and tables with the others, and is
    not a fork of a process that runs threads. All are started now, so the pool
    is ready while the first poll runs.
    """
    if n <= 0:
        return None
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from monitor import cpu

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["monitor.cpu_shared"])
    pool = ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=cpu.warm)
    for _ in range(n):
        pool.submit(cpu.ping)
    return pool


def close_runtime(rt) -> None:
    if rt.executor is not None:
        rt.executor.shutdown(wait=True, cancel_futures=True)
    rt.store.close()
