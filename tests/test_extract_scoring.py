"""The scorer must notice wrong counts, missing events and false events."""

from pathlib import Path

import yaml

from monitor.extract import extract_events
from monitor.extract.scoring import format_report, score

TEXT = ("La Russie a lancé 539 drones et 11 missiles sur l'Ukraine dans la nuit, selon "
        "l'armée de l'air ukrainienne. La défense aérienne a abattu 268 drones et deux missiles.")
GOOD = {"kind": "strike", "attacker": "RU", "target": "UA",
        "drones": {"launched": 539, "destroyed": 268}, "missiles": {"launched": 11, "destroyed": 2}}


def _labels(tmp_path: Path, events: list[dict]) -> Path:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    path = tmp_path / "labels.yaml"
    path.write_text(yaml.safe_dump([{"file": "a.txt", "lang": "fr", "notes": "", "events": events}]))
    return path


def test_correct_labels_score_perfect(tmp_path):
    report = score(_labels(tmp_path, [GOOD]))
    assert report.total().matched == 1 and report.count_accuracy == 1.0 and not report.misses


def test_scorer_detects_a_wrong_count(tmp_path):
    wrong = {**GOOD, "drones": {"launched": 540, "destroyed": 268}}
    report = score(_labels(tmp_path, [wrong]))
    assert report.count_accuracy < 1.0
    assert report.fields["drones.launched"].correct == 0
    assert any("drones.launched" in m for m in report.misses)
    assert "drones.launched" in format_report(report)


def test_scorer_detects_missing_and_false_events(tmp_path):
    other = {"kind": "strike", "attacker": "UA", "target": "RU"}
    report = score(_labels(tmp_path, [other]))
    assert report.kinds["strike"].recall == 0.0
    assert report.kinds["strike"].precision == 0.0
    assert any(m.startswith("FN") for m in report.misses)
    assert any(m.startswith("FP") for m in report.misses)


def test_optional_gold_is_neither_required_nor_false_positive(tmp_path):
    report = score(_labels(tmp_path, [{**GOOD, "optional": True}]))
    assert report.total().required == 0 and report.total().predicted == 0


def test_null_is_scored(tmp_path):
    report = score(_labels(tmp_path, [{**GOOD, "drones_lost": 5}]))
    assert report.fields["drones_lost"].correct == 0
    assert len(extract_events(TEXT)) == 1
