"""General language fixes of the extractor: short hand-written French and English sentences."""

from __future__ import annotations

import re

from monitor.extract import extract_events
from monitor.extract.sentences import strip_dateline
from monitor.extract.textnorm import guard, literal_keys


def _strikes(text: str):
    return [e for e in extract_events(text) if e.kind == "strike"]


def test_dateline_is_not_a_place_hit() -> None:
    assert strip_dateline("ODESSA, 3 juin (AFP) - La Russie a lancé") == "La Russie a lancé"
    assert strip_dateline("LVIV (Reuters) - Russia fired") == "Russia fired"
    assert strip_dateline("La Russie - un pays") == "La Russie - un pays"
    ev = _strikes("KYIV, June 2 (Reuters) - Russia launched 50 drones at Ukraine overnight, "
                  "the air force said. A drone hit a warehouse in Lviv.")
    assert len(ev) == 1 and ev[0].places == ["Lviv"]


def test_monthly_record_is_a_period_total_not_an_attack() -> None:
    text = ("La Russie a lancé 5 000 drones contre l'Ukraine au cours du mois de mai, un record "
            "depuis le début de l'invasion.")
    assert _strikes(text) == []
    assert _strikes("Russia fired a record 4,000 drones at Ukraine in June, the air force said.") == []


def test_launched_after_x_of_y_belongs_to_the_total() -> None:
    ev = _strikes("L'armée de l'air ukrainienne a abattu 8 des 10 missiles et 30 des 45 drones "
                  "lancés par la Russie dans la nuit.")
    assert len(ev) == 1
    assert (ev[0].drones.launched, ev[0].drones.destroyed) == (45, 30)
    assert (ev[0].missiles.launched, ev[0].missiles.destroyed) == (10, 8)


def test_night_drones_and_morning_missiles_are_two_waves() -> None:
    text = ("La ville de Poltava a été frappée lundi matin par trois missiles balistiques russes. "
            "Dans la nuit, la Russie avait aussi lancé douze drones contre la région de Poltava.")
    ev = _strikes(text)
    assert len(ev) == 2
    assert {e.missiles.launched for e in ev} == {3, None}
    assert {e.drones.launched for e in ev} == {12, None}


def test_casualties_of_one_wave_are_summed_over_places() -> None:
    text = ("Russia launched 40 drones at Ukraine overnight, the air force said. "
            "In Kharkiv, two people were injured. In Odesa, three people were injured.")
    ev = _strikes(text)
    assert len(ev) == 1 and ev[0].injured == 5


def test_headline_repeat_does_not_double_casualties() -> None:
    text = ("Frappe sur Soumy : deux morts\n"
            "La Russie a frappé Soumy avec deux missiles dimanche. Deux personnes ont été tuées.")
    ev = _strikes(text)
    assert len(ev) == 1 and ev[0].killed == 2


def test_russian_ministry_reporting_its_own_strike() -> None:
    text = ("Russia's Defence Ministry said its forces struck a fuel depot in Zaporizhzhia "
            "with an Iskander missile.")
    ev = _strikes(text)
    assert [(e.attacker, e.target) for e in ev] == [("RU", "UA")]


def test_attack_on_the_russian_capital_is_not_by_russia() -> None:
    text = ("Russian air defences shot down 20 drones heading for Moscow, in the largest drone "
            "attack on the Russian capital this spring.")
    ev = _strikes(text)
    assert [(e.attacker, e.target) for e in ev] == [("UA", "RU")]


def test_named_drone_types_coordinated() -> None:
    ev = _strikes("Russia attacked Ukraine overnight with 80 Shahed and Gerbera drones.")
    assert ev and ev[0].drones.launched == 80


def test_period_superlative_still_a_comparison() -> None:
    text = ("Russia launched 700 drones at Ukraine overnight, the largest attack since the "
            "start of the war, the air force said.")
    ev = _strikes(text)
    assert ev and ev[0].drones.launched == 700


def test_literal_keys_screen_is_exact() -> None:
    rx = re.compile(r"\b(?:shot down|intercept\w*|abattus?)\b|drones? ennemis")
    keys = literal_keys(rx.pattern)
    assert keys is not None and "intercept" in keys and "abattu" in keys
    g = guard(rx)
    for text in ("trois drones abattus", "one was intercepted", "no match here", "drone ennemi"):
        assert bool(g.search(text)) == bool(rx.search(text))
    assert literal_keys(r"(?:a|b)?c") is None


def test_small_towns_resolve_to_their_region() -> None:
    from monitor import gazetteer

    for name, region in (("Chebekino", "Belgorod Oblast"), ("Lioudinovo", "Kaluga Oblast"),
                         ("Mazyr", "Gomel Region"), ("Раменское", "Moscow Oblast")):
        canon = gazetteer.canonical_place(name)
        assert canon and gazetteer.place_parent(canon) == region


def test_indexed_patterns_find_what_a_plain_search_finds() -> None:
    """Screens and indexed patterns (screen.py) are an optimisation only: on every sentence of
    the test set, the same first match, the same matches, the same yes/no as the regex."""
    from pathlib import Path

    from monitor.extract import direction, lexicon, mentions, numbers
    from monitor.extract.sentences import split_sentences

    patterns = [lexicon.WEAPON, lexicon.ROLE_LEFT, lexicon.EW, mentions.STRIKE_CUE, mentions.DAMAGE,
                mentions.NOT_WAR, direction.TARGET["UA"], direction.ATTACKER["RU"],
                numbers._WORDS_AT, numbers._DIGITS]
    folder = Path(__file__).parent / "data" / "extract"
    checked = 0
    for path in sorted(folder.glob("*.txt"))[:40]:
        for s in split_sentences(path.read_text(encoding="utf-8")):
            f = s.folded
            for p in patterns:
                want = p.rx.search(f)
                got = p.search(s)
                assert (got and got.span()) == (want and want.span()), (p.pattern[:40], f)
                assert p.test(s) == bool(want)
                assert [m.span() for m in p.finditer(s)] == [m.span() for m in p.rx.finditer(f)]
                checked += 1
    assert checked > 1000
