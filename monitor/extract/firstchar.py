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
