"""Totals of one benchmark size (bench/pipeline.py) and their printed table."""

from __future__ import annotations

from dataclasses import dataclass, field

STAGES = [("poll", "poll (wall)"),
          ("fetch", "fetch (wall, summed over concurrent fetches)"),
          ("clean", "clean (pool CPU: trafilatura, language, text hash)"),
          ("extract", "extract events (pool CPU)"), ("minhash", "MinHash signature (pool CPU)"),
          ("store", "store/correlate/match/queue alerts (writer thread, wall)"),
          ("deliver", "deliver (wall)")]


@dataclass
class Totals:
    prefilled: int = 0
    fill_s: float = 0.0
    articles: int = 0  # stored by the pipeline (originals + duplicates)
    duplicates: int = 0
    failed: int = 0
    events: int = 0
    queued: int = 0
    sent: int = 0
    wall: float = 0.0
    main_cpu: float = 0.0
    pool_cpu: float = 0.0
    server_cpu: float = 0.0
    stages: dict[str, float] = field(default_factory=lambda: {k: 0.0 for k, _ in STAGES})
    pages: int = 0  # cleaned by trafilatura alone
    t_wall: float = 0.0
    t_cpu: float = 0.0
    peak_pss: int = 0
    peak_rss: int = 0
    hwm: dict[str, int] = field(default_factory=dict)
    db_before: int = 0
    db_after: int = 0

    def add_pipeline(self, report, wall: float, main_cpu: float, pool_cpu: float, server_cpu: float) -> None:
        self.articles += report.articles + report.duplicates
        self.duplicates += report.duplicates
        self.failed += report.article_errors
        self.events += report.events
        self.queued += report.alerts_queued
        self.sent += report.delivery.sent
        self.wall += wall
        self.main_cpu += main_cpu
        self.pool_cpu += pool_cpu
        self.server_cpu += server_cpu
        for k in self.stages:
            self.stages[k] += report.timings.get(k, 0.0)

    def add_yardstick(self, pages: int, wall: float, cpu: float) -> None:
        self.pages += pages
        self.t_wall += wall
        self.t_cpu += cpu

    def rate(self) -> float:
        return self.articles / self.wall if self.wall else 0.0

    def t_rate(self) -> float:
        return self.pages / self.t_wall if self.t_wall else 0.0

    def ratio(self) -> float:
        return self.rate() / self.t_rate() if self.t_rate() else 0.0


def print_size(t: Totals) -> None:
    n = max(1, t.articles)
    head = f"{t.prefilled} articles already stored" + (f" (pre-filled in {t.fill_s:.0f} s)" if t.prefilled else "")
    print(f"\n== {head} ==")
    print(f"pipeline           {t.articles:>5} articles in {t.wall:6.1f} s = {t.rate():6.1f} articles/s  "
          f"({t.duplicates} duplicates, {t.failed} failed, {t.events} events, {t.queued} alerts queued, "
          f"{t.sent} delivered)")
    print(f"trafilatura alone  {t.pages:>5} pages    in {t.t_wall:6.1f} s = {t.t_rate():6.1f} pages/s")
    print(f"throughput ratio {t.ratio():.2f}")
    print(f"  {'stage':<68} {'seconds':>8} {'ms/article':>10}")
    for key, label in STAGES:
        print(f"  {label:<68} {t.stages[key]:>8.2f} {t.stages[key] / n * 1000:>10.1f}")
    per = 1000 / n
    pipeline_cpu = t.main_cpu + t.pool_cpu
    t_per = t.t_cpu / max(1, t.pages) * 1000
    print(f"  CPU per article: main process {t.main_cpu * per:.1f} ms + pool {t.pool_cpu * per:.1f} ms = "
          f"{pipeline_cpu * per:.1f} ms; trafilatura alone {t_per:.1f} ms per page; CPU ratio "
          f"{t_per / max(1e-9, pipeline_cpu * per):.2f}  (the feed server used {t.server_cpu * per:.1f} ms)")
    rss = ", ".join(f"{k} {v / 1024:.0f}" for k, v in t.hwm.items())
    print(f"  peak memory: {t.peak_pss / 1024:.0f} MB PSS in all (main + pool + fork server, shared pages "
          f"counted once); {t.peak_rss / 1024:.0f} MB summed RSS; peak RSS per process MB: {rss}")
    print(f"  database: {(t.db_after - t.db_before) / n / 1024:.1f} KB per stored article, "
          f"{t.db_after / 1e6:.0f} MB in all")
