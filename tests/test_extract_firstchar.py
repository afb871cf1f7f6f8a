"""firstchar.quick: a regex tried only where its first character can stand finds exactly
what the regex finds (it is an optimisation only)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from monitor.extract.firstchar import first_class, quick

DATA = Path(__file__).parent / "data"
SETS = [DATA / "extract", DATA / "extract-dev2", DATA / "extract-dev3", DATA / "articles", DATA / "wave"]


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"\ba|b", "[\\x61\\x62]"),
    (r"(?<=-)foo|\d+x", "[\\d\\x66]"),
    (r"(?:tele)?phone", "[\\x70\\x74]"),
    (r"[a-c]z", "[\\x61-\\x63]"),
])
def test_the_first_class_holds_every_first_character(pattern: str, expected: str) -> None:
    assert first_class(pattern) == expected


@pytest.mark.parametrize("pattern", [r"a?", r"\bx*", r"[^a]b", r".b", r"(a)?\1b", r"(?i)abc", r"a|"])
def test_no_class_when_it_cannot_be_read_exactly(pattern: str) -> None:
    assert first_class(pattern) is None
    assert quick(pattern).pattern == pattern


@pytest.mark.parametrize(("pattern", "text"), [
    (r"\ba|b", "xa b ab ba"),  # the \b binds the first alternative only
    (r"\ba|\bb", "xa b ab ba xb"),  # a \b shared by every alternative
    (r"(?<=-)[a-z]+ call|\bcall", "a putin-trump call; call"),
    (r"\b(?:x|y)\b|;", "x; y;z xy"),
])
def test_quick_finds_the_same_matches_on_edge_cases(pattern: str, text: str) -> None:
    plain, fast = re.compile(pattern), quick(pattern)
    assert fast.pattern != pattern
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]


def _scanned_patterns() -> list[tuple[re.Pattern[str], re.Pattern[str]]]:
    """(regex as written, regex as scanned) of every pattern of the extractor made by
    `quick`: module constants and the regexes of gates and screened patterns."""
    import importlib
    import pkgutil

    import monitor.extract as package
    from monitor.extract.firstchar import written

    found: list[re.Pattern[str]] = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"monitor.extract.{info.name}")
        for value in vars(module).values():
            values = value if isinstance(value, list) else [value]
            for x in values:
                x = x[1] if isinstance(x, tuple) and len(x) == 2 else x
                rx = x if isinstance(x, re.Pattern) else getattr(x, "rx", None)
                if isinstance(rx, re.Pattern) and written(rx) != rx.pattern and rx not in found:
                    found.append(rx)
    return [(re.compile(written(rx)), rx) for rx in found]


def test_quick_patterns_find_what_the_patterns_find_on_every_data_set_sentence() -> None:
    """On every sentence of the data sets: the same matches (spans and groups), the same
    first match, for every pattern the extractor scans; most of them do get a lookahead."""
    from monitor.extract.sentences import split_sentences

    pairs = _scanned_patterns()
    assert len(pairs) >= 40
    checked = 0
    for s in _data_set_sentences(split_sentences):
        f = s.folded
        for plain, fast in pairs:
            want = _matches(plain.finditer(f))
            assert _matches(fast.finditer(f)) == want, plain.pattern[:50]
            first = fast.search(f)
            assert (first and first.span()) == (want[0][0] if want else None)
            checked += 1
    assert checked > 10_000


def _data_set_sentences(split_sentences):
    """Every sentence of the data sets' articles."""
    for folder in SETS:
        for path in sorted(folder.glob("*.txt")):
            yield from split_sentences(path.read_text(encoding="utf-8"))


def _matches(found) -> list[tuple]:
    return [(m.span(), m.lastgroup, m.groups()) for m in found]


@pytest.mark.parametrize(("pattern", "text"), [
    (r"\b(?:(?<=-)[a-z.]+ call|a telephone|\d+-point plan|swap \d+ prisoners)\b",
     "a putin-trump call, a  telephone, a telephone; 20-point plan, \u0662-point plan, swap 5 prisoners"),
    (r"\b(?:in|during) (?:a |the )?(?:\w+ )?(?:phone )?call\b", "in the phone call, during a call, in call, in the p"),
    (r"\b(?:s'entreti\w+|se sont entretenus)", "il s'entretient; ils se sont entretenus, se  sont entretenus"),
])
def test_an_indexed_pattern_at_its_start_runs_finds_what_the_pattern_finds(pattern: str, text: str) -> None:
    from monitor.extract.firstchar import start_runs
    from monitor.extract.screen import Indexed
    from monitor.extract.sentences import Sentence

    rx = re.compile(pattern)
    runs = start_runs(rx)
    assert runs
    at = Indexed(rx, starts=runs, late=True)
    s = Sentence.of(text)
    assert [m.span() for m in at.finditer(s)] == [m.span() for m in rx.finditer(text)]
    for a in range(0, len(text), 7):
        want = rx.search(text, a)
        assert (lambda m: m and m.span())(at.search(s, a)) == (want and want.span())


def test_no_start_runs_without_a_leading_word_boundary() -> None:
    from monitor.extract.firstchar import start_runs

    assert start_runs(re.compile(r"a\b|\bb")) is None
    assert start_runs(re.compile(r"(?i)\bab")) is None


def test_late_indexed_patterns_find_what_their_patterns_find_on_every_data_set_sentence() -> None:
    """The negotiation patterns searched at their start runs (firstchar.start_runs): the
    same matches as the regex, over whole sentences and over clause spans."""
    import importlib
    import pkgutil

    import monitor.extract as package
    from monitor.extract.screen import Indexed
    from monitor.extract.sentences import split_sentences

    found: list[Indexed] = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"monitor.extract.{info.name}")
        for value in vars(module).values():
            for x in value if isinstance(value, list) else [value]:
                if isinstance(x, Indexed) and x.late and x.bit and x not in found:
                    found.append(x)
    assert len(found) >= 10
    checked = 0
    for s in _data_set_sentences(split_sentences):
        f = s.folded
        for at in found:
            assert _matches(at.finditer(s)) == _matches(at.rx.finditer(f)), at.pattern[:50]
            a, b = len(f) // 3, len(f) - 2
            first = at.rx.search(f, a, b) if b > a else None
            assert (lambda m: m and m.span())(at.search(s, a, b) if b > a else None) == (first and first.span())
            checked += 1
    assert checked > 10_000
