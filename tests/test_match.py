"""The `match:` vocabulary, key by key, through real rule files."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from monitor.events import NegotiationEvent, StrikeEvent
from monitor.match import match_all, matches
from monitor.models import MatchInput
from monitor.rules import load_rules


def rule(tmp_path: Path, match: str):
    """Load a one-rule file whose match block is `match` (YAML flow mapping)."""
    (tmp_path / "r.yaml").write_text(f"version: 1\nrules:\n  - name: r\n    match: {match}\n    notify: [console]\n")
    return load_rules(tmp_path, set()).by_name["r"]


def strike(**kw) -> MatchInput:
    text = kw.pop("text", "")
    ev = StrikeEvent(**{"attacker": "RU", "target": "UA", **kw})
    return MatchInput(ev, "title", text, "en", frozenset({"a"}), frozenset({"en"}))


def talks(**kw) -> MatchInput:
    return MatchInput(NegotiationEvent(**kw), "title", "", "en", frozenset({"a"}), frozenset({"en"}))


def article(title: str = "", text: str = "", lang: str | None = "en", sources=("a",)) -> MatchInput:
    return MatchInput(None, title, text, lang, frozenset(sources), frozenset({lang} if lang else ()))


def test_kind(tmp_path):
    r = rule(tmp_path, "{kind: strike}")
    assert matches(r, strike())
    assert not matches(r, talks(parties=["RU", "US"]))
    assert not matches(r, article("strike"))


def test_attacker_and_target_are_any_of(tmp_path):
    r = rule(tmp_path, "{attacker: [RU, BY], target: ua}")
    assert matches(r, strike(attacker="RU", target="UA"))
    assert matches(r, strike(attacker="BY", target="UA"))
    assert not matches(r, strike(attacker="UA", target="RU"))
    assert not matches(r, strike(attacker=None, target="UA"))


def test_parties_must_all_be_present(tmp_path):
    r = rule(tmp_path, "{parties: [US, RU]}")
    assert matches(r, talks(parties=["RU", "US"]))
    assert matches(r, talks(parties=["RU", "UA", "US"]))
    assert not matches(r, talks(parties=["RU", "UA"]))
    assert not matches(r, talks(parties=["US"]))


def test_forms_status_topics(tmp_path):
    r = rule(tmp_path, "{forms: [call, meeting], status: failed, topics: [ceasefire, black_sea]}")
    assert matches(r, talks(form="call", status="failed", topics=["black_sea"]))
    assert not matches(r, talks(form="summit", status="failed", topics=["black_sea"]))
    assert not matches(r, talks(form="call", status="held", topics=["black_sea"]))
    assert not matches(r, talks(form="call", status="failed", topics=["sanctions"]))
    assert not matches(r, talks(form="call", status=None, topics=["ceasefire"]))


@pytest.mark.parametrize("spelling", ["Kyiv", "Kiev", "Київ", "Kiew"])
def test_places_accept_any_known_spelling(tmp_path, spelling):
    r = rule(tmp_path, f"{{places: [{spelling}]}}")
    assert r.match.spec.places == ["Kyiv"]
    assert matches(r, strike(places=["Kyiv"]))
    assert matches(r, talks(places=["Kyiv"]))
    assert not matches(r, strike(places=["Kharkiv"]))
    assert not matches(r, article("Kyiv", "Kyiv"))  # places are event facts, not words


def test_subplaces_only_when_asked(tmp_path):
    oblast = rule(tmp_path, "{places: [Kyiv Oblast]}")
    assert not matches(oblast, strike(places=["Kyiv"]))
    assert matches(oblast, strike(places=["Kyiv Oblast"]))
    within = rule(tmp_path, "{places: [Kyiv Oblast], include_subplaces: true}")
    assert matches(within, strike(places=["Kyiv"]))
    assert matches(within, strike(places=["Kyiv Oblast"]))
    assert not matches(within, strike(places=["Kharkiv"]))
    city = rule(tmp_path, "{places: [Kyiv], include_subplaces: true}")
    assert not matches(city, strike(places=["Kyiv Oblast"]))  # a city does not contain its oblast


@pytest.mark.parametrize("cond, yes, no", [
    ("{gte: 100}", [100, 539], [99, 0]),
    ("{gt: 100}", [101], [100]),
    ("{lte: 10}", [0, 10], [11]),
    ("{lt: 10}", [9], [10]),
    ("{eq: 7}", [7], [6, 8]),
    ("{gte: 10, lt: 20}", [10, 19], [9, 20]),
])
def test_numeric_operators(tmp_path, cond, yes, no):
    r = rule(tmp_path, f"{{drones_launched: {cond}}}")
    for n in yes:
        assert matches(r, strike(drones={"launched": n})), n
    for n in no:
        assert not matches(r, strike(drones={"launched": n})), n
    assert not matches(r, strike(drones={"launched": None}))  # null never matches


@pytest.mark.parametrize("key, event", [
    ("drones_destroyed", dict(drones={"destroyed": 5})),
    ("missiles_launched", dict(missiles={"launched": 5})),
    ("missiles_destroyed", dict(missiles={"destroyed": 5})),
    ("drones_lost", dict(drones_lost=5)),
    ("killed", dict(killed=5)),
    ("injured", dict(injured=5)),
])
def test_each_numeric_field_reads_its_own_value(tmp_path, key, event):
    r = rule(tmp_path, f"{{{key}: {{eq: 5}}}}")
    assert matches(r, strike(**event))
    assert not matches(r, strike())
    assert not matches(r, talks(parties=["RU"]))


def test_weapons_launched_sums_known_counts(tmp_path):
    r = rule(tmp_path, "{weapons_launched: {gte: 100}}")
    assert matches(r, strike(drones={"launched": 90}, missiles={"launched": 10}))
    assert not matches(r, strike(drones={"launched": 90}, missiles={"launched": 9}))
    assert matches(r, strike(drones={"launched": 100}))
    assert matches(r, strike(missiles={"launched": 100}))
    assert not matches(rule(tmp_path, "{weapons_launched: {lte: 5}}"), strike())


def test_keywords_phrases_and_word_boundaries(tmp_path):
    r = rule(tmp_path, """{keywords: ["nord-coréen", '"North Korean"', cessez-le-feu]}""")
    assert matches(r, article("", "Des soldats NORD CORÉENS? non: des missiles nord-coréen"))
    assert matches(r, article("North-Korean shells", ""))
    assert matches(r, article("", "appel à un Cessez le feu immédiat"))
    assert matches(r, article("", "un cessez\u2011le\u2011feu"))  # non-breaking hyphen
    assert not matches(r, article("", "north koreans"))  # whole words only
    assert not matches(r, article("", "korean north"))
    assert not matches(r, article("", "cessez de tirer, le feu"))


def test_exclude_keywords(tmp_path):
    r = rule(tmp_path, "{keywords: [strike], exclude_keywords: [grève, 'labour strike']}")
    assert matches(r, article("Drone strike on Odesa"))
    assert not matches(r, article("Labour strike", ""))
    assert not matches(r, article("strike", "la greve continue"))


def test_regex_is_case_insensitive_over_title_and_text(tmp_path):
    r = rule(tmp_path, r"""{regex: ['\bShahed-?\d+']}""")
    assert matches(r, article("", "launched SHAHED-136 drones"))
    assert matches(r, article("shahed238", ""))
    assert not matches(r, article("Shahed", "no number"))


def test_languages_sources_min_sources(tmp_path):
    r = rule(tmp_path, "{languages: [FR], sources: [lemonde, afp], min_sources: 2}")
    assert matches(r, article("x", lang="fr", sources=("lemonde", "bbc")))
    assert not matches(r, article("x", lang="en", sources=("lemonde", "bbc")))
    assert not matches(r, article("x", lang="fr", sources=("lemonde",)))
    assert not matches(r, article("x", lang="fr", sources=("bbc", "cnn")))
    assert r.min_sources == 2
    multi = MatchInput(None, "x", "", "en", frozenset({"afp", "bbc"}), frozenset({"en", "fr"}))
    assert matches(r, multi)  # any report's language counts


def test_not_and_any(tmp_path):
    r = rule(tmp_path, "{kind: strike, not: {target: [RU]}, any: [{places: [Kyiv]}, {killed: {gte: 1}}]}")
    assert matches(r, strike(places=["Kyiv"]))
    assert matches(r, strike(killed=3))
    assert not matches(r, strike(places=["Kharkiv"]))
    assert not matches(r, strike(target="RU", killed=3))


def test_event_keys_never_match_an_article_without_event(tmp_path):
    for m in ["{kind: strike}", "{target: [UA]}", "{parties: [US]}", "{topics: [ceasefire]}",
              "{places: [Kyiv]}", "{killed: {gte: 0}}", "{forms: [call]}", "{status: [held]}"]:
        assert not matches(rule(tmp_path, m), article("Kyiv strike ceasefire call held", "UA US"))
    assert matches(rule(tmp_path, "{not: {kind: strike}}"), article("x"))


def test_match_all_returns_matching_rules_in_order(tmp_path):
    (tmp_path / "b.yaml").write_text(textwrap.dedent("""\
        version: 1
        rules:
          - {name: b1, match: {keywords: [drone]}, notify: console}
          - {name: b2, match: {regex: ["."]}, notify: console}
    """))
    (tmp_path / "a.yml").write_text(textwrap.dedent("""\
        version: 1
        rules:
          - {name: a1, match: {target: [UA], drones_launched: {gte: 10}}, notify: console}
          - {name: a2, match: {kind: negotiation}, notify: console}
    """))
    rs = load_rules(tmp_path, set())
    assert [r.name for r in rs.rules] == ["a1", "a2", "b1", "b2"]
    item = strike(drones={"launched": 20}, text="a drone")
    assert [r.name for r in match_all(rs, item)] == ["a1", "b1", "b2"]
    assert [r.name for r in match_all(rs, article("nothing"))] == ["b2"]
    for it in [item, article("nothing"), talks(parties=["US"])]:
        assert match_all(rs, it) == [r for r in rs.rules if matches(r, it)]
