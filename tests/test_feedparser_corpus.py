"""feedparser's own hostile test feeds (shared/testdata/feedparser/tests), served over HTTP
with the Content-Type their header comment asks for, as the sources of ONE cycle.

The cycle finishes (no crash, no stall); every feed feedparser itself calls broken (bozo)
is flagged in `monitor sources`; well-formed ones store the text their `Expect:` line
implies for entries[0]; no <script> reaches stored item or article text.
"""

from __future__ import annotations

import ast
import json
import re
import time
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest

from conftest import SHARED, write_config
from monitor.cli import main
from monitor.store import Store

CORPUS = SHARED / "testdata" / "feedparser" / "tests"
FIELDS = {"title": "title", "summary": "summary", "description": "summary", "content": "summary"}


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*.xml") if p.is_file())


def header_of(data: bytes) -> str | None:
    m = re.search(rb"^Header:\s*Content-type:\s*(.+?)\s*$", data[:2000], re.M | re.I)
    return m.group(1).decode("latin-1") if m else None


def expect_of(data: bytes) -> str:
    m = re.search(rb"^Expect:\s*(.+?)\s*$", data[:20000], re.M)
    return m.group(1).decode("utf-8", "replace") if m else ""


def _literal(node: ast.AST) -> str | None:
    """A string literal, or literals joined with +, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal(node.left), _literal(node.right)
        return left + right if left is not None and right is not None else None
    return None


def expected_entry_text(expect: str) -> tuple[str, str] | None:
    """("title" | "summary", expected value) when Expect checks `not bozo and entries[0][...] == '...'`."""
    if not expect.startswith("not bozo and entries[0]"):
        return None
    try:
        tree = ast.parse(expect, mode="eval").body
    except SyntaxError:
        return None
    compare = tree.values[1] if isinstance(tree, ast.BoolOp) and len(tree.values) == 2 else None
    if not isinstance(compare, ast.Compare) or not isinstance(compare.ops[0], ast.Eq):
        return None
    field = re.match(r"entries\[0\]\['(\w+)'\]", ast.unparse(compare.left))
    value = _literal(compare.comparators[0])
    if not field or field.group(1) not in FIELDS or value is None:
        return None
    return FIELDS[field.group(1)], value


class _Text(HTMLParser):
    """Reference HTML-to-text (independent of monitor.poll): text nodes only, no comments,
    no script or style content, entities decoded, whitespace collapsed."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")
        self.parts.append(" ")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style") and self.skip > 0
        self.parts.append(" ")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def reference_text(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return " ".join("".join(parser.parts).split())


@pytest.fixture(scope="module")
def corpus_cycle(tmp_path_factory):
    from monitor.feedserver import FeedServer

    assert CORPUS.is_dir(), f"test data not found at {CORPUS}"
    tmp = tmp_path_factory.mktemp("corpus")
    files = corpus_files()
    with FeedServer() as server:
        sources, info = [], {}
        for i, path in enumerate(files):
            data = path.read_bytes()
            ctype = header_of(data) or "application/xml"
            name = f"{i:03d}-{path.parent.name}-{path.stem}"[:80]
            url = server.publish(f"/{path.relative_to(CORPUS).as_posix()}", data, ctype)
            sources.append({"name": name, "url": url, "fetch_article": False, "lang": "en"})
            oracle = feedparser.parse(data, response_headers={"content-type": ctype})
            info[name] = {"path": path, "bozo": bool(oracle.get("bozo")), "entries": len(oracle.entries),
                          "expect": expected_entry_text(expect_of(data))}
        cfg = write_config(tmp / "config", sources=sources,
                           extra={"http": {"per_host_delay": "0s", "per_host": 16, "total_timeout": "20s"}})
        t0 = time.monotonic()
        code = main(["once", "--config", str(cfg)])
        took = time.monotonic() - t0
    return cfg, info, code, took


def test_cycle_finishes_without_crash_or_stall(corpus_cycle):
    cfg, info, code, took = corpus_cycle
    assert code == 0
    assert len(info) == len(corpus_files()) > 100
    assert took < 120, took


def test_broken_feeds_are_flagged_in_monitor_sources(corpus_cycle, capsys):
    cfg, info, _code, _took = corpus_cycle
    capsys.readouterr()
    assert main(["sources", "--config", str(cfg), "--json"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    unflagged, falsely_flagged = [], []
    for name, meta in info.items():
        row = rows[name]
        assert row["status"] != "never polled", name
        flagged = row["status"] in ("warning", "error", "failing") and row["last_error"]
        if meta["bozo"] and not flagged:
            unflagged.append(name)
        if not meta["bozo"] and row["status"] != "ok":
            falsely_flagged.append((name, row["status"], row["last_error"]))
    assert not unflagged, unflagged
    assert not falsely_flagged, falsely_flagged


def test_well_formed_entries_store_the_expected_text(corpus_cycle):
    cfg, info, _code, _took = corpus_cycle
    from monitor.config import load_config

    store = Store(load_config(cfg).database_url)
    try:
        from sqlalchemy import select

        from monitor.store.tables import ItemRow, SourceRow

        with store.session() as s:
            stored = {name: (title, summary) for name, title, summary in s.execute(
                select(SourceRow.name, ItemRow.title, ItemRow.summary)
                .join(ItemRow, ItemRow.source_id == SourceRow.id).order_by(ItemRow.id))}
    finally:
        store.close()
    checked = 0
    for name, meta in info.items():
        if not meta["expect"]:
            continue
        field, value = meta["expect"]
        assert name in stored, f"{meta['path'].name}: no item stored"
        title, summary = stored[name]
        got = title if field == "title" else summary
        assert got == reference_text(value), (meta["path"].name, got, value)
        checked += 1
    assert checked >= 15


def test_no_markup_or_script_reaches_stored_text(corpus_cycle):
    cfg, _info, _code, _took = corpus_cycle
    from sqlalchemy import select

    from monitor.config import load_config
    from monitor.store.tables import ArticleRow, ItemRow

    store = Store(load_config(cfg).database_url)
    try:
        with store.session() as s:
            texts = [t for row in s.execute(select(ItemRow.title, ItemRow.summary)).all() for t in row]
            texts += [t for row in s.execute(select(ArticleRow.title, ArticleRow.text)).all() for t in row]
    finally:
        store.close()
    assert texts
    for text in texts:
        assert not re.search(r"<\s*/?\s*(script|style|iframe|object|embed|img|div|a)\b", text or "", re.I), text
        assert "javascript:" not in (text or "").lower()
