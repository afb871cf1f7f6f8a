"""The walking skeleton end to end: local feeds -> `monitor once` -> real SMTP and HTTP servers."""

from __future__ import annotations

from email.utils import format_datetime
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from conftest import write_config
from monitor.cli import main
from monitor.demo.pages import news_page
from monitor.feedserver import atom, rss

ARTICLES = Path(__file__).parent / "data" / "articles"


def _text(name: str) -> tuple[str, str]:
    title, _, body = (ARTICLES / name).read_text(encoding="utf-8").partition("\n")
    return title, body


def publish_site(server, *, now: datetime) -> dict[str, str]:
    """An RSS feed (French outlet) and an Atom feed (English outlet) linking to article pages."""
    fr_items, en_entries = [], []
    for i, name in enumerate(["fr-pourparlers.txt", "fr-greve.txt"]):
        title, body = _text(name)
        link = server.publish(f"/fr/{name}.html", news_page(title, body, outlet="Le Quotidien", seed=i))
        fr_items.append({"title": title, "link": link + "?utm_source=rss&utm_medium=feed", "guid": f"fr-{i}",
                         "description": body[:120], "pubDate": format_datetime(now - timedelta(hours=i + 1))})
    for i, name in enumerate(["en-kyiv-night.txt", "en-north-korean.txt"]):
        title, body = _text(name)
        link = server.publish(f"/en/{name}.html", news_page(title, body, outlet="Wire Daily", lang="en", seed=i))
        en_entries.append({"title": title, "link": link, "id": f"urn:wire:{i}", "summary": body[:120],
                           "updated": (now - timedelta(hours=i + 1)).strftime("%Y-%m-%dT%H:%M:%SZ")})
    return {
        "fr": server.publish("/fr/rss.xml", rss("Le Quotidien", server.url("/fr/"), fr_items),
                             "application/rss+xml; charset=utf-8"),
        "en": server.publish("/en/atom.xml", atom("Wire Daily", server.url("/en/"), en_entries),
                             "application/atom+xml"),
    }


RULES = [
    {"name": "kyiv-hit", "match": {"kind": "strike", "places": ["Kiev"]}, "notify": ["desk-email", "hook"]},
    {"name": "ceasefire-talks", "match": {"kind": "negotiation", "parties": ["US", "RU"], "topics": ["ceasefire"]},
     "notify": ["desk-email"]},
    {"name": "north-korean-weapons", "match": {"keywords": ["nord-coréen", "North Korean"]}, "notify": ["hook"]},
]


@pytest.fixture
def site(feed_server, smtp_server, http_sink, tmp_path):
    feeds = publish_site(feed_server, now=datetime.now(timezone.utc))
    cfg = write_config(
        tmp_path / "config",
        sources=[{"name": "quotidien", "url": feeds["fr"], "kind": "rss", "lang": "fr", "allow_private": True},
                 {"name": "wire", "url": feeds["en"], "kind": "atom", "lang": "en", "allow_private": True}],
        channels={"desk-email": smtp_server.url(), "hook": http_sink.url()},
        rules=RULES)
    return feeds, cfg


def test_two_cycles_alert_once_and_use_validators(site, feed_server, smtp_server, http_sink, capsys):
    feeds, cfg = site
    assert main(["once", "--config", str(cfg)]) == 0
    subjects = sorted(smtp_server.subjects())
    assert len(subjects) == 2, subjects
    assert subjects[0].startswith("ceasefire-talks: ")
    assert subjects[1].startswith("kyiv-hit: ")
    kyiv = next(b for s, b in zip(smtp_server.subjects(), smtp_server.bodies()) if s.startswith("kyiv-hit"))
    assert "412" in kyiv and "Kyiv" in kyiv
    assert feed_server.url("/en/en-kyiv-night.txt.html") in kyiv
    hooks = sorted(r["json"]["title"] for r in http_sink.requests)
    assert len(hooks) == 2 and hooks[0].startswith("kyiv-hit: ") and hooks[1].startswith("north-korean-weapons: ")
    assert all(r["headers"].get("X-Token") == "hook-t0ken-secret" for r in http_sink.requests)

    # Second cycle: the feeds answer 304 to the stored validators; nothing new is sent.
    assert main(["once", "--config", str(cfg)]) == 0
    for path in ("/fr/rss.xml", "/en/atom.xml"):
        first, second = feed_server.hits_for(path)
        assert "If-None-Match" not in first.headers
        assert second.headers.get("If-None-Match") and second.status == 304
    assert len(smtp_server.messages) == 2
    assert len(http_sink.requests) == 2
    # The labour strike and wage talks produced no alert anywhere.
    assert not any("Grève" in s for s in smtp_server.subjects() + hooks)


def test_article_republished_under_new_url_alerts_once(site, feed_server, smtp_server, tmp_path):
    feeds, cfg = site
    assert main(["once", "--config", str(cfg)]) == 0
    assert len(smtp_server.messages) == 2
    # The same Kyiv article appears again under a new URL and GUID.
    title, body = _text("en-kyiv-night.txt")
    link = feed_server.publish("/en/2024/kyiv-republished.html", news_page(title, body, outlet="Wire Daily", seed=7))
    now = datetime.now(timezone.utc)
    feed_server.publish("/en/atom.xml", atom("Wire Daily", feed_server.url("/en/"), [
        {"title": title, "link": link, "id": "urn:wire:republished", "summary": body[:100],
         "updated": now.strftime("%Y-%m-%dT%H:%M:%SZ")}]), "application/atom+xml")
    assert main(["once", "--config", str(cfg)]) == 0
    assert len(smtp_server.messages) == 2


def test_failing_source_does_not_stop_the_cycle(site, feed_server, smtp_server, tmp_path, capsys):
    feeds, cfg = site
    import yaml

    data = yaml.safe_load((cfg / "sources.yaml").read_text())
    data["sources"] += [{"name": "broken", "url": feed_server.url("/missing.xml"), "allow_private": True},
                        {"name": "unreachable", "url": "http://127.0.0.1:9/feed.xml"}]
    (cfg / "sources.yaml").write_text(yaml.safe_dump(data))
    assert main(["once", "--config", str(cfg)]) == 0
    assert len(smtp_server.messages) == 2
    err = capsys.readouterr().err
    assert "source broken: HTTP 404" in err
    assert "source unreachable: cannot fetch" in err
    assert main(["sources", "--config", str(cfg), "--json"]) == 0
    import json

    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["broken"]["status"] == "error" and rows["broken"]["last_error"] == "HTTP 404"
    assert rows["quotidien"]["status"] == "ok" and rows["quotidien"]["items"] == 2


def test_private_article_links_are_refused_without_allow_private(site, feed_server, smtp_server, tmp_path, capsys):
    feeds, cfg = site
    text = (cfg / "sources.yaml").read_text().replace("allow_private: true", "allow_private: false")
    (cfg / "sources.yaml").write_text(text)
    assert main(["once", "--config", str(cfg)]) == 0
    assert smtp_server.messages == []
    assert "non-public address 127.0.0.1" in capsys.readouterr().err
