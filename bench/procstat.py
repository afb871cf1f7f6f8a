"""Process CPU and memory from /proc, for the benchmarks (Linux).

RSS counts every resident page, shared or not, so the RSS of processes forked
from one parent adds up to more than the memory they use together; PSS splits
each shared page between the processes that map it, so the PSS of a group of
processes adds up to the memory the group really uses.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def status_kb(pid: int, field: str) -> int:
    """A field of /proc/<pid>/status in kB (VmRSS, VmHWM); 0 when the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def forkserver_pid() -> int | None:
    from multiprocessing import forkserver

    return getattr(forkserver._forkserver, "_forkserver_pid", None)


def pool_pids(pool) -> list[int]:
    return list(getattr(pool, "_processes", None) or {})


class MemorySampler(threading.Thread):
    """Highest simultaneous PSS and RSS totals of a group of processes, sampled every second.

    `pids` is called at each sample, so processes that start later are counted.
    `cpu` is this thread's own CPU time, to take out of the measured process's.
    """

    def __init__(self, pids):
        super().__init__(daemon=True)
        self.pids = pids
        self.peak_pss = self.peak_rss = 0
        self.cpu = 0.0
        self.done = threading.Event()

    def sample(self) -> None:
        t = time.thread_time()
        pids = [p for p in self.pids() if p]
        self.peak_pss = max(self.peak_pss, sum(pss_kb(p) for p in pids))
        self.peak_rss = max(self.peak_rss, sum(status_kb(p, "VmRSS") for p in pids))
        self.cpu += time.thread_time() - t

    def run(self) -> None:
        while not self.done.wait(1.0):
            self.sample()

    def stop(self) -> None:
        self.done.set()
        self.sample()
