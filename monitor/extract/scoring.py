"""Score the extractor against a labelled set (labels.yaml in the seeds format).

Labels: a YAML list of {file, lang, notes, events}; `file` is relative to the labels
file's folder; optional `title` and `published` are passed to the extractor.

Definitions
- Matching: within one file, gold and predicted events are paired only when they have
  the same kind and the same key (strike: attacker and target; negotiation: the set of
  parties). Among candidate pairs, the pairs with the highest field agreement are
  taken first (greedy), each event used at most once.
- `optional: true` gold events are neither required nor counted as false positives:
  a prediction paired with one is simply ignored.
- Event precision = matched predicted / (predicted - predicted paired with optional gold).
  Event recall = matched required gold / required gold. Per kind and overall.
- Fields are scored on matched pairs with required gold only, and only for keys present
  in the gold event (a key omitted is not scored; null IS scored: null == null is right).
  Scalar fields (counts, attacker/target, form, status, date): accuracy = equal / scored.
  List fields (places, topics, parties, people): compared as sets; precision and
  recall are micro-averaged over items, and `exact` is the fraction of equal sets.
- Count accuracy = over the count fields (drones.launched, drones.destroyed,
  missiles.launched, missiles.destroyed, drones_lost, killed, injured) of matched
  strike events present in gold, the fraction where predicted == gold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml

from monitor.extract import extract_events

COUNT_FIELDS = (
    "drones.launched", "drones.destroyed", "missiles.launched", "missiles.destroyed",
    "drones_lost", "killed", "injured",
)
SCALAR_FIELDS = {
    "strike": COUNT_FIELDS + ("attacker", "target", "date"),
    "negotiation": ("form", "status", "date"),
}
LIST_FIELDS = {"strike": ("places",), "negotiation": ("parties", "topics", "places", "people")}
_SKIP_KEYS = {"kind", "optional", "evidence", "confidence"}


@dataclass
class FieldStat:
    scored: int = 0
    correct: int = 0
    tp: int = 0  # list fields: items in both
    n_pred: int = 0
    n_gold: int = 0

    @property
    def accuracy(self) -> float:
        return self.correct / self.scored if self.scored else 1.0

    @property
    def precision(self) -> float:
        return self.tp / self.n_pred if self.n_pred else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.n_gold if self.n_gold else 1.0


@dataclass
class KindStat:
    required: int = 0
    predicted: int = 0  # excluding predictions paired with optional gold
    matched: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.required if self.required else 1.0


@dataclass
class Report:
    kinds: dict[str, KindStat] = field(default_factory=dict)
    fields: dict[str, FieldStat] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    files: int = 0

    def total(self) -> KindStat:
        t = KindStat()
        for k in self.kinds.values():
            t.required += k.required
            t.predicted += k.predicted
            t.matched += k.matched
        return t

    @property
    def count_accuracy(self) -> float:
        scored = sum(self.fields[f].scored for f in COUNT_FIELDS if f in self.fields)
        correct = sum(self.fields[f].correct for f in COUNT_FIELDS if f in self.fields)
        return correct / scored if scored else 1.0


def _get(d: dict, path: str, missing=KeyError):
    cur = d
    for part in path.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return missing
        cur = cur[part]
    return cur


def _key(ev: dict):
    if ev["kind"] == "strike":
        return ("strike", ev.get("attacker"), ev.get("target"))
    return ("negotiation", tuple(sorted(ev.get("parties") or [])))


def _agreement(gold: dict, pred: dict) -> int:
    kind = gold["kind"]
    score = 0
    for f in SCALAR_FIELDS[kind]:
        g = _get(gold, f)
        if g is not KeyError and g == _get(pred, f, None):
            score += 1
    for f in LIST_FIELDS[kind]:
        g = _get(gold, f)
        if g is not KeyError and set(g or []) == set(_get(pred, f, None) or []):
            score += 1
    return score


def _pair(golds: list[dict], preds: list[dict]) -> list[tuple[int, int]]:
    cands = []
    for gi, g in enumerate(golds):
        for pi, p in enumerate(preds):
            if _key(g) == _key(p):
                cands.append((-_agreement(g, p), gi, pi))
    cands.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, gi, pi in cands:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return pairs


def _describe(ev: dict) -> str:
    if ev["kind"] == "strike":
        return (f"strike {ev.get('attacker')}->{ev.get('target')} drones={ev.get('drones')} "
                f"missiles={ev.get('missiles')} lost={ev.get('drones_lost')} places={ev.get('places')}")
    return (f"negotiation {ev.get('parties')} form={ev.get('form')} status={ev.get('status')} "
            f"topics={ev.get('topics')}")


def score_file(report: Report, name: str, golds: list[dict], preds: list[dict]) -> None:
    for kind in ("strike", "negotiation"):
        report.kinds.setdefault(kind, KindStat())
    pairs = _pair(golds, preds)
    paired_g = {g: p for g, p in pairs}
    paired_p = {p: g for g, p in pairs}
    for gi, g in enumerate(golds):
        ks = report.kinds[g["kind"]]
        if not g.get("optional"):
            ks.required += 1
            if gi not in paired_g:
                report.misses.append(f"FN {name}: {_describe(g)}")
    for pi, p in enumerate(preds):
        gi = paired_p.get(pi)
        if gi is not None and golds[gi].get("optional"):
            continue
        ks = report.kinds[p["kind"]]
        ks.predicted += 1
        if gi is None:
            report.misses.append(f"FP {name}: {_describe(p)}")
            continue
        ks.matched += 1
        _score_fields(report, name, golds[gi], p)


def _score_fields(report: Report, name: str, g: dict, p: dict) -> None:
    kind = g["kind"]
    for f in SCALAR_FIELDS[kind]:
        gv = _get(g, f)
        if gv is KeyError:
            continue
        st = report.fields.setdefault(f, FieldStat())
        st.scored += 1
        pv = _get(p, f, None)
        if pv == gv:
            st.correct += 1
        else:
            report.misses.append(f"FIELD {name}: {kind} {f} gold={gv!r} predicted={pv!r}")
    for f in LIST_FIELDS[kind]:
        gv = _get(g, f)
        if gv is KeyError:
            continue
        st = report.fields.setdefault(f"{kind}.{f}", FieldStat())
        gs, ps = set(gv or []), set(_get(p, f, None) or [])
        st.scored += 1
        st.correct += gs == ps
        st.tp += len(gs & ps)
        st.n_gold += len(gs)
        st.n_pred += len(ps)
        if gs != ps:
            report.misses.append(f"FIELD {name}: {kind} {f} gold={sorted(gs)} predicted={sorted(ps)}")


def _published(value) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def score(labels_path: str | Path) -> Report:
    """Run the extractor over every labelled file and compare with the gold events."""
    path = Path(labels_path)
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    report = Report()
    for entry in entries:
        text = (path.parent / entry["file"]).read_text(encoding="utf-8")
        events = extract_events(text, lang=entry.get("lang"), title=entry.get("title"),
                                published=_published(entry.get("published")))
        preds = [e.model_dump(mode="json") for e in events]
        score_file(report, entry["file"], entry.get("events") or [], preds)
        report.files += 1
    return report


def format_report(report: Report) -> str:
    lines = [f"files: {report.files}", "", f"{'events':<22}{'precision':>10}{'recall':>8}{'gold':>6}{'pred':>6}{'match':>7}"]
    for name, ks in [*report.kinds.items(), ("all", report.total())]:
        lines.append(f"{name:<22}{ks.precision:>10.3f}{ks.recall:>8.3f}{ks.required:>6}{ks.predicted:>6}{ks.matched:>7}")
    lines += ["", f"{'field (matched events)':<28}{'accuracy':>9}{'precision':>10}{'recall':>8}{'scored':>7}"]
    for name in sorted(report.fields):
        st = report.fields[name]
        is_list = name.split(".")[-1] in ("places", "topics", "parties", "people") and "." in name and not name.startswith(("drones", "missiles"))
        prec = f"{st.precision:>10.3f}" if is_list else f"{'':>10}"
        rec = f"{st.recall:>8.3f}" if is_list else f"{'':>8}"
        lines.append(f"{name:<28}{st.accuracy:>9.3f}{prec}{rec}{st.scored:>7}")
    lines += ["", f"count accuracy: {report.count_accuracy:.3f}", "", f"misses ({len(report.misses)}):"]
    lines += [f"  {m}" for m in report.misses]
    return "\n".join(lines)
