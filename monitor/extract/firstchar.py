"""A regex's possible first characters, checked before the regex is tried at a position.

`re.search` / `finditer` over a sentence try a pattern at every position; a pattern of
word alternatives ("\\b(?:pourparlers|talks|...)") walks its whole alternation at each
word boundary, the end of every word included. Every match of a pattern that cannot
match the empty string starts with one of a known set of characters (its FIRST set,
read from the parsed pattern), so `quick` prefixes the pattern with a lookahead on that
set: the same matches at the same positions (a position the lookahead rejects is one
where the pattern fails anyway), most failing positions rejected by one class test.

Patterns whose FIRST set cannot be read exactly (a backreference, `.`, a negated class,
case-insensitive flags, a possibly empty match) are returned unchanged.
"""

from __future__ import annotations

import re
from re import _constants as C  # noqa: PLC2701 (the parser's opcodes)
from re import _compiler, _parser  # noqa: PLC2701 (the engine's own prefix analysis)

# an exactly readable FIRST set: literal code points, ranges, categories (\d, \w, \s, ...)
_First = set[tuple]
_CATEGORY = {C.CATEGORY_DIGIT: r"\d", C.CATEGORY_NOT_DIGIT: r"\D", C.CATEGORY_WORD: r"\w",
             C.CATEGORY_NOT_WORD: r"\W", C.CATEGORY_SPACE: r"\s", C.CATEGORY_NOT_SPACE: r"\S"}
_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT)
_WRITTEN: dict[str, str] = {}  # pattern made by quick -> the pattern as written


class _Unknown(Exception):
    """The FIRST set of some part of the pattern cannot be read exactly."""


def _seq(items) -> tuple[_First, bool]:
    """(FIRST set, nullable) of a sequence of parsed items."""
    out: _First = set()
    for op, av in items:
        first, nullable = _item(op, av)
        out |= first
        if not nullable:
            return out, False
    return out, True


def _item(op, av) -> tuple[_First, bool]:
    if op is C.LITERAL:
        return {("lit", av)}, False
    if op is C.IN:
        out: _First = set()
        for kind, x in av:
            if kind is C.LITERAL:
                out.add(("lit", x))
            elif kind is C.RANGE:
                out.add(("range", *x))
            elif kind is C.CATEGORY and x in _CATEGORY:
                out.add(("cat", x))
            else:  # NEGATE and the like
                raise _Unknown
        return out, False
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return set(), True  # zero-width
    if op is C.BRANCH:
        out, nullable = set(), False
        for alt in av[1]:
            first, n = _seq(alt)
            out |= first
            nullable = nullable or n
        return out, nullable
    if op is C.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        if add_flags & (re.IGNORECASE | re.VERBOSE):
            raise _Unknown
        return _seq(sub)
    if op is C.ATOMIC_GROUP:
        return _seq(av)
    if op in _REPEATS:
        lo, _hi, sub = av
        first, nullable = _seq(sub)
        return first, nullable or lo == 0
    raise _Unknown  # ANY, NOT_LITERAL, GROUPREF, ...


def _char(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def first_class(pattern: str) -> str | None:
    """A character class holding every first character of a match of `pattern`, or None
    when that set cannot be read exactly or the pattern may match the empty string."""
    try:
        return _first_class(_parser.parse(pattern, 0))
    except re.error:
        return None


def _first_class(parsed: _parser.SubPattern) -> str | None:
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    try:
        first, nullable = _seq(parsed.data)
    except _Unknown:
        return None
    if nullable or not first:
        return None
    parts = []
    for entry in sorted(first, key=repr):
        if entry[0] == "lit":
            parts.append(_char(entry[1]))
        elif entry[0] == "range":
            parts.append(_char(entry[1]) + "-" + _char(entry[2]))
        else:
            parts.append(_CATEGORY[entry[1]])
    return "[" + "".join(parts) + "]"


def quick(rx: re.Pattern[str] | str) -> re.Pattern[str]:
    """The same regex, tried only where its first character can stand (see module doc).
    A pattern starting with \\b keeps it in front: that test is cheaper still."""
    p = rx if isinstance(rx, str) else rx.pattern
    if p in _WRITTEN or (not isinstance(rx, str) and rx.flags & ~re.UNICODE):
        return re.compile(rx) if isinstance(rx, str) else rx  # already quick, or flags
    parsed = _parser.parse(p, 0)  # read once for the three tests below
    cls = _first_class(parsed)
    if cls is None or _prefixed(parsed):
        return re.compile(rx) if isinstance(rx, str) else rx
    head = r"\b" if p.startswith(r"\b") and _leading_boundary(parsed) else ""
    fast = re.compile(f"{head}(?={cls})(?:{p[len(head):]})")
    _WRITTEN[fast.pattern] = p
    return fast


def written(rx: re.Pattern[str]) -> str:
    """The pattern of `rx` as written, before `quick` (what literal keys are read from)."""
    return _WRITTEN.get(rx.pattern, rx.pattern)


def _prefixed(parsed: _parser.SubPattern) -> bool:
    """Whether the regex engine already skips to a literal prefix or first character set
    of the pattern ("[.!?]...", "abc|abd"): a lookahead would only slow it down."""
    flags = parsed.state.flags
    return bool(_compiler._get_literal_prefix(parsed, flags)[0] or _compiler._get_charset_prefix(parsed, flags))


def _leading_boundary(parsed: _parser.SubPattern) -> bool:
    """Whether a pattern written with a leading \\b opens with a \\b that every alternative
    needs: the parser then reads it as the first item of the top-level sequence (a \\b
    shared by all alternatives is factored out the same way), not inside a top-level BRANCH."""
    data = parsed.data
    return bool(data) and data[0] == (C.AT, C.AT_BOUNDARY)


# -- word starts where a match may begin ---------------------------------------------------
_AFTER, _DIGIT = "\x01", "\x02"  # markers: "the character before is ...", "a digit"
_MAX_PREFIXES = 20_000


def _prefixes(items: list, k: int) -> set[str]:
    """Literal strings one of which every match of `items` starts with (up to k characters;
    shorter where the next item is no small set of characters). Lookaheads and negative
    assertions are skipped (a weaker screen, never a wrong one)."""
    if k == 0 or not items:
        return {""}
    op, av = items[0]
    rest = items[1:]
    if op is C.LITERAL:
        return {chr(av) + s for s in _prefixes(rest, k - 1)}
    if op is C.IN:
        if av == [(C.CATEGORY, C.CATEGORY_DIGIT)]:
            return {_DIGIT}
        chars: list[str] = []
        for kind, x in av:
            if kind is C.LITERAL:
                chars.append(chr(x))
            elif kind is C.RANGE and x[1] - x[0] < 30:
                chars += [chr(c) for c in range(x[0], x[1] + 1)]
            else:
                return {""}
        if len(chars) > 30:
            return {""}
        tails = _prefixes(rest, k - 1)
        return {c + s for c in chars for s in tails}
    if op is C.AT or op is C.ASSERT_NOT:
        return _prefixes(rest, k)
    if op is C.ASSERT:
        direction, sub = av
        if direction < 0 and len(sub.data) == 1 and sub.data[0][0] is C.LITERAL:
            return {_AFTER + chr(sub.data[0][1])}
        return _prefixes(rest, k)
    if op is C.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        if add_flags & (re.IGNORECASE | re.VERBOSE):
            raise _Unknown
        return _prefixes(list(sub.data) + rest, k)
    if op is C.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            out |= _prefixes(list(alt.data) + rest, k)
        return out
    if op in _REPEATS:
        lo, _hi, sub = av
        out = _prefixes(list(sub.data), k)  # cut after one repetition: still a prefix
        if lo == 0:
            out |= _prefixes(rest, k)
        return out
    return {""}


_IS_WORD = re.compile(r"\w")
# \d: every decimal digit, as str.isdecimal and the regex engine read it
_DECIMALS = [chr(c) for c in range(0x110000) if chr(c).isdecimal()]


def start_runs(rx: re.Pattern[str], k: int = 8) -> list[tuple[str, str, int]] | None:
    """Where in the text a match of `rx` (written with a leading \\b) may start, as
    (kind, run, offset) triples of word-chunk screens (screen.py): for each literal prefix
    of up to k characters a match may start with, its most selective word run at its offset
    (patternkeys.run_of: "a tele" gives the start of a word "tele" two characters in); a
    digit for \\d; or the character after the one a leading lookbehind names. None when
    the prefixes cannot be read exactly."""
    from monitor.extract.patternkeys import run_of

    if rx.flags & ~re.UNICODE:
        return None
    parsed = _parser.parse(written(rx), 0)
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE) or not parsed.data \
            or parsed.data[0] != (C.AT, C.AT_BOUNDARY):
        return None  # only a leading \b makes every match start a word run
    try:
        found = _prefixes(list(parsed.data), k)
    except _Unknown:
        return None
    if len(found) > _MAX_PREFIXES:
        return None
    out: set[tuple[str, str, int]] = set()
    for x in found:
        cut = min((i for i in (x.find(_AFTER, 1), x.find(_DIGIT, 1)) if i > 0), default=len(x))
        x = x[:cut]  # a marker after some literal: that literal is the prefix
        if x == _DIGIT:
            out.update(("prefix", d, 0) for d in _DECIMALS)
        elif x[:1] == _AFTER and len(x) == 2 and not _IS_WORD.match(x[1]):
            out.add(("run", x[1], -1))  # a non-word character right before: the \b makes the match start a word
        elif x and _AFTER not in x and _DIGIT not in x and _IS_WORD.match(x[0]):
            best = run_of(x, True)  # its most selective word run, at its offset in the prefix
            if best[0] == "run" and len(best[1]) < 3:  # "in the p": rather the first word than any "p"
                m = re.match(r"\w+", x)
                best = ("word" if m.end() < len(x) else "prefix", m.group(), 0)
            out.add(best)
        else:
            return None
    return sorted(out)
