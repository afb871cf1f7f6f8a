"""The labelled sets through the scorer: the development set stays perfect, the blind sets
(extract-dev2 to -dev6, written without reading the extractor) keep at least their measured level.

The held-out set (extract-holdout) is never used by tests: it is only measured, by
`bench/eval_extract.py`, so that nobody tunes against it.
"""

from pathlib import Path

import pytest

from monitor.extract.scoring import score

DATA = Path(__file__).parent / "data"


def test_development_set_is_perfect():
    report = score(DATA / "extract" / "labels.yaml")
    total = report.total()
    assert total.matched == total.required == total.predicted, report.misses
    assert report.count_accuracy == 1.0, report.misses


# Floors a little below each blind set's measured level, so a regression fails and a wobble of one
# event does not: (folder, event precision, event recall, count accuracy, strike precision, strike recall).
# - dev2 (40 short wires): 2026-11-21 event P 0.83 R 0.85, strike P 0.93 R 1.00, counts 0.984;
#   2026-12-07 P 0.90 R 0.87.
# - dev3 (live blogs, digests, analyses, long wires): 2026-11-21 P 0.78 R 0.91, counts 0.958;
#   2026-12-07 P 0.97 R 0.94.
# - dev4 (36 articles written 2026-12-07, negotiations with implicit sides, hard negatives): first
#   P 0.67 R 0.83, counts 0.943; after the work it led to P 0.95 R 0.95, strike P 1.00 R 1.00, counts 0.962.
# - dev5 (30 articles written 2026-12-07: sea drones, airspace incursions, refinery strikes told by both
#   sides, prisoner swaps, spokespeople's comments, hard negatives): first P 0.78 R 0.78, counts 0.923;
#   after the fixes it led to P 0.85 R 0.81.
# - dev6 (30 articles written 2026-12-07, second session: weapon-type and region tallies, bulleted lists,
#   live-blog bullets, revised tolls, swaps told as people brought home, mediators, scenarios): first
#   P 0.77 R 0.77, counts 0.869; after the fixes it led to P 1.00 R 0.90, strike P 1.00 R 1.00, counts 0.990.
#   dev5 after this session's fixes: P 0.86 R 0.89.
# - dev7 (30 articles written 2026-12-07 after the dev6 fixes: roundups, tolls per city, figures in words,
#   ministry vs governor figures, floors, modals, hard negatives): first P 0.82 R 0.82, counts 0.888; after
#   the fixes it led to P 0.92 R 0.82, counts 0.969.
BLIND_FLOORS = [
    ("extract-dev2", 0.80, 0.80, 0.97, 0.90, 0.96),
    ("extract-dev3", 0.90, 0.88, 0.94, None, None),
    ("extract-dev4", 0.90, 0.90, 0.94, 0.93, 0.93),
    ("extract-dev5", 0.80, 0.85, 0.90, None, None),
    ("extract-dev6", 0.93, 0.85, 0.96, 0.92, 0.92),
    ("extract-dev7", 0.87, 0.78, 0.94, None, None),
]


@pytest.mark.parametrize("folder,precision,recall,counts,strike_p,strike_r", BLIND_FLOORS,
                         ids=[f[0] for f in BLIND_FLOORS])
def test_blind_set_keeps_its_level(folder, precision, recall, counts, strike_p, strike_r):
    report = score(DATA / folder / "labels.yaml")
    total = report.total()
    assert total.precision >= precision and total.recall >= recall, report.misses
    assert report.count_accuracy >= counts, report.misses
    if strike_p is not None:
        strike = report.kinds["strike"]
        assert strike.precision >= strike_p and strike.recall >= strike_r, report.misses
