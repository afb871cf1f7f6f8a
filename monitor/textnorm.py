"""Text normalisation for keyword rules: case-, accent- and separator-insensitive.

Both the article text and every keyword go through `normalise()`, so matching is
a plain substring test on word boundaries:

- case folded ("Kyiv" = "KYIV"), accents removed ("coréen" = "coreen", "й" = "и"),
  ligatures spelled out ("cœur" = "coeur");
- every run of characters that are not letters or digits (spaces, hyphens, apostrophes,
  punctuation, line breaks) becomes one space, so "cessez-le-feu" = "cessez le feu"
  and "l'Ukraine" contains the word "ukraine".

A keyword phrase matches when its words appear consecutively, as whole words.

`normalise` works character by character: each character has an image (`image()`: "é" ->
"e", "’" -> a separator, "ß" -> "ss", a combining accent -> nothing) and the text's form
is its characters' images with separator runs collapsed (NFKD only reorders combining
marks, which all vanish or become separators). `ascii_words` uses that to give the same
words for most fr/en articles with a few C-level passes (one translation table for ASCII
and Latin-1, str.replace for common typographic characters), where `normalise` itself
costs ~10 ns per character per step; texts holding another character get None from it,
and their words from `any_words`, one regex substitution of every non-ASCII run.
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
# letters NFKD does not decompose but people type without their special shape
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ı": "i"})


def normalise(text: str) -> str:
    """Casefold, strip accents, collapse every non-alphanumeric run to one space."""
    text = text.casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
        text = _COMBINING.sub("", text)
    return _NON_WORD.sub(" ", text).strip()


def parse_keyword(raw: str) -> str:
    """The normalised phrase of one keyword; surrounding double quotes are optional.

    Raises ValueError when nothing searchable is left (e.g. "--" or '""').
    """
    text = raw.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"“”«»":
        text = text[1:-1]
    elif len(text) >= 2 and text[0] in "“«" and text[-1] in "”»":
        text = text[1:-1]
    phrase = normalise(text)
    if not phrase:
        raise ValueError(f"keyword {raw!r} has no letters or digits")
    return phrase


def phrase_bytes(phrase: str) -> bytes:
    """A normalised phrase as the UTF-8 bytes NormText compares."""
    return phrase.encode("utf-8", "surrogatepass")


# ASCII letters lowered, every other ASCII byte a space; bytes >= 0x80 (UTF-8 sequences) kept
FOLD = bytes(b if b >= 0x80 else ord(chr(b).lower()) if chr(b).isalnum() else 0x20 for b in range(256))


def image(char: str) -> str:
    """What `normalise` makes of one character among others: "" (it vanishes), " " (a
    separator), or letters and digits, possibly with spaces ("¼" -> "1 4")."""
    form = normalise(f"a{char}a")  # "a" is its own image and keeps the strip away
    return form[1:-1]


def _plain(form: str) -> bool:
    """Lower-case ASCII letters, digits and spaces only: translating it again changes nothing."""
    return all(c == " " or c.isascii() and c.isalnum() and not c.isupper() for c in form)


# Latin-1 (one byte a character once encoded): table of one-byte images, and the longer
# images (ß, æ, ¼...) put back by bytes.replace; µ, ð, þ have no ASCII image: texts holding
# them get None. No image here is empty, so a form as long as its text is aligned with it.
_LATIN1 = bytearray(FOLD[:0x80] + bytes(range(0x80, 0x100)))
_LATIN1_LONG: list[tuple[bytes, bytes]] = []
for _b in range(0x80, 0x100):
    _form = image(chr(_b))
    if _plain(_form) and len(_form) == 1:
        _LATIN1[_b] = ord(_form)
    elif _plain(_form) and _form:
        _LATIN1_LONG.append((bytes([_b]), _form.encode("ascii")))
LATIN1 = bytes(_LATIN1)

# characters beyond Latin-1 common in French and English news, replaced by their image
# before the text is encoded as Latin-1: quotes, dashes, spaces, bullets, œ, €
_WIDE = "\u2019\u2018\u201c\u201d\u201e\u2039\u203a\u2013\u2014\u2010\u2011\u2026\u2022\u202f\u2009\u200a\u200b\u0153\u0152\u20ac"
WIDE = tuple((c, image(c)) for c in _WIDE if _plain(image(c)) and image(c))


def ascii_words(raw: str) -> bytes | None:
    """`normalise(raw)` as ASCII bytes, except that separator runs may be longer than one
    space and there may be some at either end; None when `raw` holds a character this fast
    path does not know (Cyrillic, µ...): ask `normalise` then. Every character gives one
    byte or more: when the result is as long as `raw`, its byte i is the image of raw[i]."""
    if raw.isascii():
        return raw.encode("ascii").translate(FOLD)
    try:
        data = raw.encode("latin-1")
    except UnicodeEncodeError:
        for char, form in WIDE:
            if char in raw:
                raw = raw.replace(char, form)
        try:
            data = raw.encode("latin-1")
        except UnicodeEncodeError:
            return None
    data = data.translate(LATIN1)
    if not data.isascii():
        for byte, form in _LATIN1_LONG:
            if byte in data:
                data = data.replace(byte, form)
        if not data.isascii():
            return None
    return data


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_NON_WORD_CHAR = re.compile(r"\W")
_RUNS: dict[str, tuple[str, bool] | None] = {}  # run of non-ASCII characters -> its image, and
_RUNS_KEPT = 100_000  # whether each non-word character of it is a separator; None: no usable image


_UNSEEN = object()


class _NoForm(Exception):
    pass


def _run(run: str) -> tuple[str, bool] | None:
    form = image(run)
    # ASCII in an image must stay as it is once FOLD lowers ASCII letters ("ℌ" -> "H")
    if not all(c == " " or not c.isascii() or c.isalnum() and not c.isupper() for c in form):
        return None
    return form, all(image(c) == " " for c in run if _NON_WORD_CHAR.match(c))


def any_words(raw: str) -> tuple[bytes, bool] | None:
    """What ascii_words gives, for any text, as UTF-8 bytes: every run of non-ASCII
    characters replaced by its image (Cyrillic stays Cyrillic: "Київ" -> "киів"), one regex
    substitution; and whether every non-word character became a separator (not so for
    "™" -> "tm", or a combining accent after a space). None in the rare case where an
    image holds an upper-case ASCII letter."""
    separated = True

    def run_image(match: re.Match) -> str:
        nonlocal separated
        run = match.group()
        known = _RUNS.get(run, _UNSEEN)
        if known is _UNSEEN:  # (another thread may clear _RUNS meanwhile: read it once)
            if len(_RUNS) > _RUNS_KEPT:
                _RUNS.clear()
            known = _RUNS[run] = _run(run)
        if known is None:
            raise _NoForm
        separated = separated and known[1]
        return known[0]

    try:
        text = _NON_ASCII.sub(run_image, raw)
    except _NoForm:
        return None
    return text.encode("utf-8", "surrogatepass").translate(FOLD), separated
