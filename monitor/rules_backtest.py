"""Back-testing: which stored items would have matched which rules. Pure: sends nothing.

    report = backtest(ruleset, ((event_id, match_input) for ...), rule_name="kyiv-hit")
    print(format_backtest(report))

Alerts are counted as the outbox sends them: one per (rule, event id), however many
times the same event id is fed in (repeated reports of one event alert once).
Throttle, quiet hours and digests change *when* alerts go out, not how many events
match, so they are not applied here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Hashable, Iterable

from monitor.match import RuleIndex
from monitor.models import MatchInput
from monitor.rules import RuleSet
from monitor.rulespec import suggest


@dataclass
class RuleHits:
    rule: str
    ids: list[Hashable] = field(default_factory=list)  # distinct matching ids, first-seen order
    matches: int = 0  # matching items, counting repeats of one id

    @property
    def alerts(self) -> int:
        return len(self.ids)


@dataclass
class BacktestReport:
    items: int = 0  # items evaluated
    matched_items: int = 0  # items matching at least one rule
    by_rule: dict[str, RuleHits] = field(default_factory=dict)  # every rule considered, rule-set order

    @property
    def alerts(self) -> int:
        """Alerts that would have been sent: one per (rule, event id)."""
        return sum(h.alerts for h in self.by_rule.values())

    def rules_for(self, item_id: Hashable) -> list[str]:
        return [name for name, h in self.by_rule.items() if item_id in h.ids]


def backtest(ruleset: RuleSet, items: Iterable[tuple[Hashable, MatchInput]],
             rule_name: str | None = None) -> BacktestReport:
    """Evaluate `items` (id, MatchInput) against every rule, or only `rule_name`.

    Raises KeyError (with a did-you-mean message) for an unknown rule name.
    """
    if rule_name is not None:
        if rule_name not in ruleset.by_name:
            raise KeyError(f"unknown rule {rule_name!r}{suggest(rule_name, ruleset.by_name)}")
        index = RuleIndex([ruleset.by_name[rule_name]])
    else:
        index = ruleset.index
    report = BacktestReport(by_rule={r.name: RuleHits(r.name) for r in index.rules})
    seen: dict[str, set] = {name: set() for name in report.by_rule}
    for item_id, item in items:
        report.items += 1
        hits = index.match(item)
        if hits:
            report.matched_items += 1
        for rule in hits:
            h = report.by_rule[rule.name]
            h.matches += 1
            if item_id not in seen[rule.name]:
                seen[rule.name].add(item_id)
                h.ids.append(item_id)
    return report


def format_backtest(report: BacktestReport, max_ids: int = 5) -> str:
    """A plain-text table for `monitor backtest`."""
    width = max((len(n) for n in report.by_rule), default=4)
    lines = [f"{'rule':<{width}}  {'alerts':>6}  {'matches':>7}  events"]
    for name, h in report.by_rule.items():
        ids = ", ".join(str(i) for i in h.ids[:max_ids])
        if len(h.ids) > max_ids:
            ids += f", ... (+{len(h.ids) - max_ids})"
        lines.append(f"{name:<{width}}  {h.alerts:>6}  {h.matches:>7}  {ids or '-'}")
    lines.append(f"{report.items} items, {report.matched_items} matched, "
                 f"{report.alerts} alert(s) would have been sent")
    return "\n".join(lines)
