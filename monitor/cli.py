"""The `monitor` command line (typer). Heavy imports happen inside commands.

Exit codes: 0 success, 1 user error (bad config or input; one line per problem on
stderr, naming file, line and key), 2 usage error. Tracebacks only with --verbose.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

# rich_markup_mode=None: click's plain help; rich's formatting alone would double the time `--help` takes
app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, rich_markup_mode=None,
                  help="Self-hosted war-news monitor: strike and negotiation alerts from news feeds.")
db_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="Database schema (alembic migrations).")
app.add_typer(db_app, name="db")

ConfigDir = Annotated[Path, typer.Option("--config", "-c", help="Configuration folder.")]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="Debug logging and tracebacks.")]
AsJson = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]
DEFAULT_CONFIG = Path("config")


class UserError(Exception):
    """An error in what the user gave us: printed as one line, exit 1."""


def _boot(config_dir: Path, verbose: bool):
    from monitor.runtime import load_all, setup_logging

    config, rules = load_all(config_dir)
    from monitor.alert import Notifier

    setup_logging(verbose, Notifier(config.settings).secrets)
    return config, rules


@app.command()
def run(config: ConfigDir = DEFAULT_CONFIG, verbose: Verbose = False,
        watch_rules: Annotated[bool, typer.Option(help="Reload rules when their files change.")] = True,
        scheduler_only: Annotated[bool, typer.Option(
            "--scheduler-only", help="PostgreSQL: only defer due work to `monitor worker` processes.")] = False,
        tick: Annotated[float, typer.Option(help="With --scheduler-only: seconds between dispatches of due polls.",
                                            min=0.5)] = 1.0,
        stalled_after: Annotated[float, typer.Option(
            help="With --scheduler-only: seconds without a worker heartbeat before its jobs are retried.",
            min=1.0)] = 30.0) -> None:
    """The daemon: poll every source on its interval, process, alert. SIGTERM/SIGINT stop it cleanly."""
    cfg, rules = _boot(config, verbose)
    if scheduler_only:
        from monitor.scheduler import run_scheduler
        from monitor.workers import ScheduleOptions

        _need_postgres(cfg, "monitor run --scheduler-only")
        run_scheduler(cfg, rules, ScheduleOptions(tick=tick, stalled_after=stalled_after), verbose=verbose)
        return
    from monitor.daemon import run_daemon

    run_daemon(cfg, rules, watch_rules=watch_rules)


def _need_postgres(cfg, what: str) -> None:
    from monitor.workers import is_postgres

    if not is_postgres(cfg.database_url):
        raise UserError(f"{cfg.dir / 'monitor.yaml'}: database.url: {what} needs PostgreSQL (workers share their "
                        f"jobs through it); set database.url or MONITOR_DATABASE_URL to postgresql+psycopg://..., "
                        f"or use `monitor run`, which does everything in one process on SQLite")


@app.command()
def worker(config: ConfigDir = DEFAULT_CONFIG, verbose: Verbose = False,
           watch_rules: Annotated[bool, typer.Option(help="Reload rules when their files change.")] = True,
           concurrency: Annotated[int, typer.Option(help="Polls in flight in this process.", min=1, max=200)] = 8,
           process_concurrency: Annotated[int, typer.Option(
               help="Processing jobs (fetch, clean, extract, match) in flight in this process; about "
                    "workers.clean_processes.", min=1, max=64)] = 2,
           queue: Annotated[Optional[list[str]], typer.Option(
               help="Take only jobs of this queue (poll, process, deliver); repeat for several.")] = None,
           heartbeat: Annotated[float, typer.Option(help="Seconds between heartbeats (keep well under the "
                                                    "scheduler's --stalled-after).", min=0.2)] = 5.0,
           fetch_every: Annotated[float, typer.Option(help="Seconds between looks for jobs scheduled to run now.",
                                                      min=0.05)] = 0.5) -> None:
    """PostgreSQL: take poll, process and deliver jobs deferred by `monitor run --scheduler-only`."""
    from monitor.workers import WORK_QUEUES, WorkerOptions, run_worker

    unknown = sorted(set(queue or ()) - set(WORK_QUEUES))
    if unknown:
        raise typer.BadParameter(f"unknown queue(s) {', '.join(unknown)} (known: {', '.join(WORK_QUEUES)})",
                                 param_hint="--queue")
    cfg, rules = _boot(config, verbose)
    _need_postgres(cfg, "monitor worker")
    opts = WorkerOptions(concurrency=concurrency, process_concurrency=process_concurrency,
                         queues=tuple(queue or WORK_QUEUES), heartbeat=heartbeat, fetch_every=fetch_every)
    run_worker(cfg, rules, opts, watch_rules=watch_rules, verbose=verbose)


@app.command()
def once(config: ConfigDir = DEFAULT_CONFIG, verbose: Verbose = False) -> None:
    """One full cycle over every source (poll, fetch, clean, dedup, extract, match, deliver)."""
    import asyncio

    cfg, rules = _boot(config, verbose)
    from monitor.pipeline import run_cycle
    from monitor.runtime import build_runtime, close_runtime

    rt = build_runtime(cfg, rules)
    try:
        report = asyncio.run(run_cycle(rt))
    finally:
        close_runtime(rt)
    typer.echo(report.summary(), err=True)
    for failure in report.article_failures[:20]:
        typer.echo(f"article {failure}", err=True)
    if len(report.article_failures) > 20:
        typer.echo(f"... and {len(report.article_failures) - 20} more failed articles (see the log)", err=True)
    for name, error in sorted(report.source_errors.items()):
        typer.echo(f"source {name}: {error}", err=True)


@app.command()
def check(config: ConfigDir = DEFAULT_CONFIG, verbose: Verbose = False,
          explain: Annotated[bool, typer.Option("--explain", help="List every rule key and its meaning.")] = False) -> None:
    """Validate all configuration and rules; print what is loaded."""
    if explain:
        from monitor.rulespec import explain as explain_text

        typer.echo(explain_text())
        return
    from monitor.alert import Notifier
    from monitor.durations import format_duration

    cfg, rules = _boot(config, verbose)
    notifier = Notifier(cfg.settings)
    typer.echo(f"config: {config}")
    typer.echo(f"database: {_masked_db(cfg.database_url)}")
    typer.echo(f"sources: {len(cfg.sources)}")
    for s in cfg.sources:
        typer.echo(f"  {s.name:<24} {s.kind:<5} {s.lang or '--':<3} every {format_duration(cfg.interval(s))}"
                   f"{'' if s.fetch_article else '  (feed text only)'}  {s.url}")
    typer.echo(f"channels: {len(notifier.channels())}")
    for name in notifier.channels():
        typer.echo(f"  {name:<24} {', '.join(notifier.describe(name))}")
    typer.echo(f"rules: {len(rules.rules)}")
    for r in rules.rules:
        typer.echo(f"  {r.name:<32} -> {', '.join(r.notify)}")
    typer.echo("configuration OK")


def _masked_db(url: str) -> str:
    from monitor.secrets import mask_url

    return url if url.startswith("sqlite") else mask_url(url)


@app.command()
def extract(path_or_url: Annotated[str, typer.Argument(help="An .html page, a .txt text, '-' for stdin, or a URL.")],
            as_json: AsJson = False, verbose: Verbose = False) -> None:
    """Clean one page or text and print the article and its events."""
    import json

    from monitor.inspection import extract_one

    result = extract_one(path_or_url)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    typer.echo(f"{result['title']}\n[{result['lang']}] {result['published'] or ''} {result['url'] or ''}".rstrip())
    typer.echo(f"{len(result['text'])} characters of text, {len(result['events'])} event(s)")
    from monitor.events import event_from_dict
    from monitor.render import headline

    for ev in result["events"]:
        typer.echo(f"- {headline(event_from_dict(ev), '')}")
        for line in ev.get("evidence", [])[:1]:
            typer.echo(f"    \u201c{line}\u201d")


@app.command()
def backtest(config: ConfigDir = DEFAULT_CONFIG, verbose: Verbose = False,
             since: Annotated[str, typer.Option(help="How far back, e.g. 7d, 24h.")] = "7d",
             rule: Annotated[Optional[str], typer.Option(help="Only this rule.")] = None) -> None:
    """Which stored events would have matched which rules. Sends nothing."""
    from monitor.inspection import run_backtest

    cfg, rules = _boot(config, verbose)
    typer.echo(run_backtest(cfg, rules, since, rule))


@app.command()
def events(config: ConfigDir = DEFAULT_CONFIG, as_json: AsJson = False, verbose: Verbose = False,
           since: Annotated[str, typer.Option(help="How far back.")] = "7d",
           limit: Annotated[int, typer.Option(help="At most this many rows.")] = 100) -> None:
    """Stored events."""
    from monitor import tables

    cfg, _ = _boot(config, verbose)
    tables.events(cfg, as_json, since, limit)


@app.command()
def alerts(config: ConfigDir = DEFAULT_CONFIG, as_json: AsJson = False, verbose: Verbose = False,
           failed: Annotated[bool, typer.Option("--failed", help="Only dead and retrying alerts.")] = False,
           limit: Annotated[int, typer.Option(help="At most this many rows.")] = 100) -> None:
    """Alert deliveries (the outbox)."""
    from monitor import tables

    cfg, _ = _boot(config, verbose)
    tables.alerts(cfg, as_json, failed, limit)


@app.command()
def sources(config: ConfigDir = DEFAULT_CONFIG, as_json: AsJson = False, verbose: Verbose = False) -> None:
    """Source health: status, last success, last error, next poll, items per day."""
    from monitor import tables

    cfg, _ = _boot(config, verbose)
    tables.sources(cfg, as_json)


@app.command()
def notify(channel: Annotated[str, typer.Argument(help="A channel name from monitor.yaml, or console.")],
           config: ConfigDir = DEFAULT_CONFIG, verbose: Verbose = False) -> None:
    """Send a test alert to one channel and report per-target success (secrets masked)."""
    from monitor.alert import Message, Notifier
    from monitor.render import renderer_for, test_content

    cfg, _ = _boot(config, verbose)
    notifier = Notifier(cfg.settings)
    if channel not in notifier.channels():
        raise UserError(f"{cfg.dir / 'monitor.yaml'}: channels: unknown channel {channel!r} "
                        f"(configured: {', '.join(notifier.channels())})")
    r = renderer_for(cfg.dir / "templates").render(test_content())
    result = notifier.send(channel, r.title, Message(r.title, r.text, r.chat, r.markdown, r.html, ident="monitor-test"))
    for t in result.targets:
        typer.echo(f"{'ok    ' if t.ok else 'FAILED'} {t.target}{'' if t.ok else ': ' + (t.error or '')}")
    good = sum(t.ok for t in result.targets)
    summary = f"{channel}: {good} of {len(result.targets)} target(s) accepted the test alert"
    if not result.ok:
        raise UserError(summary)
    typer.echo(summary)


@app.command(name="eval")
def eval_cmd(labels: Annotated[Path, typer.Argument(help="A labels.yaml in the seeds' format.")]) -> None:
    """Score the extractor against labelled articles (precision, recall, count accuracy)."""
    from monitor.extract.scoring import format_report, score

    if not labels.exists():
        raise UserError(f"{labels}: file not found")
    typer.echo(format_report(score(labels)))


@db_app.command("upgrade")
def db_upgrade(config: ConfigDir = DEFAULT_CONFIG, verbose: Verbose = False,
               revision: Annotated[str, typer.Option(help="Target revision.")] = "head") -> None:
    """Apply alembic migrations up to REVISION (default: head); on PostgreSQL, also the task queue's schema."""
    from monitor.store import db

    cfg, _ = _boot(config, verbose)
    engine = db.make_engine(cfg.database_url)
    try:
        installed = db.upgrade(engine, revision, task_queue=True)
        typer.echo(f"database at revision {db.current_revision(engine)}")
        if installed is not None:
            typer.echo("task queue schema (procrastinate): " + ("installed" if installed else "already installed"))
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    """Console entry point: maps user errors to exit 1 with one line each."""
    args = sys.argv[1:] if argv is None else argv
    verbose = "--verbose" in args or "-v" in args
    try:
        app(args=args, standalone_mode=False)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        print("aborted", file=sys.stderr)
        return 1
    except Exception as exc:
        yamlsource = sys.modules.get("monitor.yamlsource")  # not imported for --help: only what raised it did
        if yamlsource is not None and isinstance(exc, yamlsource.ConfigInvalid):
            for err in exc.errors:
                print(f"error: {err}", file=sys.stderr)
            return 1
        if hasattr(exc, "show") and isinstance(getattr(exc, "exit_code", None), int):
            exc.show()  # click's usage errors (exit 2) and other click exceptions (exit 1)
            return exc.exit_code
        if verbose:
            raise
        print(f"error: {exc.__class__.__name__}: {exc} (run with --verbose for details)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
