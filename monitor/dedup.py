"""Exact duplicate detection: canonical URLs, feed GUIDs and cleaned-text hashes.

Feed GUIDs are unique per source in the store (a unique constraint), so the same
entry is never processed twice; canonical URLs and text hashes catch the same
article under another link or from another feed.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that identify a campaign or a click, never the article.
_TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_", "xtor", "ga_", "hsa_", "vero_", "oly_", "_hs")
_TRACKING = {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid",
             "mc_eid", "ref", "ref_src", "ref_url", "cmpid", "cmp", "ocid", "smid", "sr_share",
             "share", "src", "source", "rss", "feed", "partner", "amp", "s_cid", "ns_campaign",
             "ns_mchannel", "ns_source", "ns_linkname", "ns_fee", "spm", "_ga", "__twitter_impression"}
_WS = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_LATIN_MARKS = re.compile("[\u0300-\u036f]+")  # the combining accents of Latin and Cyrillic letters


def canonical_url(url: str | None) -> str | None:
    """Lower-case scheme and host, drop default port, fragment and tracking parameters."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return url
    scheme = parts.scheme.lower()
    host = parts.hostname.lower().rstrip(".")
    port = parts.port if parts.port and not ((scheme, parts.port) in (("http", 80), ("https", 443))) else None
    netloc = f"{host}:{port}" if port else host
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not (k.lower() in _TRACKING or k.lower().startswith(_TRACKING_PREFIXES))]
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))


@lru_cache(maxsize=8)
def fold(text: str) -> str:
    """The text case-folded, in NFKD, without its combining marks ("Kyïv" -> "kyiv").

    Cached: the text hash and the MinHash shingles of an article fold the same text.
    The marks of Latin and Cyrillic letters go in one regex pass; a character-by-character
    pass runs only when another combining mark is left (Hebrew points, say)."""
    text = _LATIN_MARKS.sub("", unicodedata.normalize("NFKD", text.casefold()))
    if not text.isascii():
        odd = {c for c in set(text) if c > "\u036f" and unicodedata.combining(c)}
        if odd:
            text = "".join(c for c in text if c not in odd)
    return text


def normalise_text(text: str) -> str:
    """Case, accent, punctuation and whitespace-insensitive form of a text."""
    return _WS.sub(" ", _PUNCT.sub(" ", fold(text))).strip()


def content_hash(text: str) -> str:
    """Hash of the cleaned text, insensitive to case, accents, punctuation and spacing."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def item_guid(entry_id: str | None, link: str | None, title: str, published: str | None) -> str:
    """Stable identity of a feed entry: its GUID, else its canonical link, else a hash."""
    if entry_id and entry_id.strip():
        return entry_id.strip()[:500]
    if link:
        return canonical_url(link) or link
    return "sha256:" + hashlib.sha256(f"{title}\n{published}".encode()).hexdigest()
