"""One alert per event across outlets and languages; one update when figures rise (issue 4)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

from conftest import write_config
from monitor.cli import main
from monitor.demo.pages import news_page
from monitor.feedserver import rss

WAVE = Path(__file__).parent / "data" / "wave"
T0 = datetime.now(timezone.utc) - timedelta(days=3)
OUTLETS = {  # outlet -> language; each has its own feed
    "agence-fr": "fr", "quotidien-a": "fr", "quotidien-b": "fr", "hebdo": "fr",
    "wire-en": "en", "daily-en": "en", "weekly-en": "en",
}


class Site:
    def __init__(self, server):
        self.server = server
        self.items: dict[str, list[dict]] = {name: [] for name in OUTLETS}

    def post(self, outlet: str, filename: str, path: str, published: datetime) -> None:
        title, _, body = (WAVE / filename).read_text(encoding="utf-8").partition("\n")
        link = self.server.publish(path, news_page(title, body, outlet=outlet, lang=OUTLETS[outlet],
                                                   seed=len(path)))
        self.items[outlet].insert(0, {"title": title, "link": link, "guid": link, "description": body[:100],
                                      "pubDate": format_datetime(published)})
        self.server.publish(f"/{outlet}/rss.xml", rss(outlet, self.server.url(f"/{outlet}/"), self.items[outlet],
                                                      lang=OUTLETS[outlet]), "application/rss+xml")

    def sources(self) -> list[dict]:
        return [{"name": name, "url": self.server.url(f"/{name}/rss.xml"), "lang": lang, "allow_private": True,
                 "backfill": "7d"} for name, lang in OUTLETS.items()]


def test_same_night_in_eight_versions_alerts_once_then_update_then_new_night(feed_server, smtp_server, tmp_path,
                                                                             capsys):
    site = Site(feed_server)
    m = timedelta(minutes=1)
    site.post("agence-fr", "fr-afp.txt", "/agence-fr/2025/attaque-nuit.html", T0)
    site.post("quotidien-a", "fr-syndicated-1.txt", "/quotidien-a/monde/drones.html", T0 + 20 * m)
    site.post("quotidien-b", "fr-syndicated-2.txt", "/quotidien-b/international/nuit.html", T0 + 35 * m)
    site.post("hebdo", "fr-rewritten.txt", "/hebdo/ukraine/frappes.html", T0 + 90 * m)
    site.post("agence-fr", "fr-afp.txt", "/agence-fr/2025/attaque-nuit-maj.html", T0 + 100 * m)  # new URL
    site.post("wire-en", "en-reuters.txt", "/wire-en/world/russia-drones.html", T0 + 15 * m)
    site.post("daily-en", "en-syndicated.txt", "/daily-en/news/ukraine-attack.html", T0 + 50 * m)
    site.post("weekly-en", "en-rewritten.txt", "/weekly-en/ukraine/downs-260.html", T0 + 120 * m)
    cfg = write_config(tmp_path / "config", sources=site.sources(), channels={"desk": smtp_server.url()},
                       rules=[{"name": "massive-strike-on-ukraine",
                               "match": {"kind": "strike", "target": ["UA"], "drones_launched": {"gte": 100}},
                               "notify": ["desk"]}])

    assert main(["once", "--config", str(cfg)]) == 0
    assert len(smtp_server.messages) == 1
    first = smtp_server.subjects()[0]
    assert first.startswith("massive-strike-on-ukraine: ") and "UPDATE" not in first and "300" in first

    # Cycle 2: a later report revises the figures upward: one update alert saying what changed.
    site.post("wire-en", "en-revised.txt", "/wire-en/world/russia-drones-revised.html", T0 + 5 * 60 * m)
    assert main(["once", "--config", str(cfg)]) == 0
    assert len(smtp_server.messages) == 2
    update, body = smtp_server.subjects()[1], smtp_server.bodies()[1]
    assert update.startswith("massive-strike-on-ukraine: UPDATE") and "539" in update
    assert "drones launched: 300 -> 539" in body

    # Cycle 3: another night with similar numbers is a different event: a new alert.
    site.post("hebdo", "fr-other-night.txt", "/hebdo/ukraine/nouvelle-nuit.html", T0 + 48 * 60 * m)
    assert main(["once", "--config", str(cfg)]) == 0
    assert len(smtp_server.messages) == 3
    third = smtp_server.subjects()[2]
    assert "UPDATE" not in third and "310" in third

    capsys.readouterr()
    assert main(["events", "--config", str(cfg), "--json"]) == 0
    clusters = [c for c in json.loads(capsys.readouterr().out) if c["kind"] == "strike"]
    assert len(clusters) == 2
    big = max(clusters, key=lambda c: c["reports"])
    assert big["reports"] >= 7 and big["languages"] == ["en", "fr"] and len(big["sources"]) == 7
    assert big["event"]["drones"] == {"launched": 539, "destroyed": 480}


def test_shared_wire_paragraph_does_not_merge_different_events(feed_server, smtp_server, tmp_path, capsys):
    background = ("Russia launched its full-scale invasion of Ukraine in February 2022. Since then it has "
                  "carried out near-nightly air attacks on Ukrainian cities, while Ukraine has increasingly "
                  "targeted Russian oil refineries and military airfields with long-range drones. ")
    odesa = ("Russian drones hit port in Odesa, two killed\nRussia launched 45 drones at the Odesa region "
             "overnight, Ukraine's air force said, adding that 38 were shot down. Two people were killed in "
             "Odesa when a drone struck a port warehouse. " + background * 2)
    belgorod = ("Russia says it downed 27 Ukrainian drones over Belgorod\nRussia's defence ministry said air "
                "defence systems destroyed 27 Ukrainian drones over the Belgorod region overnight. The regional "
                "governor said a woman was injured. " + background * 2)
    now = datetime.now(timezone.utc)
    items = []
    for i, text in enumerate((odesa, belgorod)):
        title, _, body = text.partition("\n")
        link = feed_server.publish(f"/wire/{i}.html", news_page(title, body, outlet="Wire", lang="en", seed=i))
        items.append({"title": title, "link": link, "guid": link, "pubDate": format_datetime(now - i * timedelta(minutes=5))})
    feed = feed_server.publish("/wire/rss.xml", rss("Wire", feed_server.url("/wire/"), items, lang="en"),
                               "application/rss+xml")
    cfg = write_config(tmp_path / "config", sources=[{"name": "wire", "url": feed, "allow_private": True}],
                       channels={"desk": smtp_server.url()},
                       rules=[{"name": "any-strike", "match": {"kind": "strike"}, "notify": ["desk"]}])
    assert main(["once", "--config", str(cfg)]) == 0
    assert len(smtp_server.messages) == 2
    capsys.readouterr()
    assert main(["events", "--config", str(cfg), "--json"]) == 0
    clusters = json.loads(capsys.readouterr().out)
    assert sorted(c["key"] for c in clusters) == ["strike:RU>UA", "strike:UA>RU"]


def test_min_sources_holds_the_alert_until_enough_outlets_report(feed_server, smtp_server, tmp_path):
    site = Site(feed_server)
    site.post("wire-en", "en-reuters.txt", "/wire-en/world/russia-drones.html", T0)
    cfg = write_config(tmp_path / "config", sources=site.sources(), channels={"desk": smtp_server.url()},
                       rules=[{"name": "corroborated-strike",
                               "match": {"kind": "strike", "target": ["UA"], "min_sources": 2},
                               "notify": ["desk"]}])
    assert main(["once", "--config", str(cfg)]) == 0
    assert smtp_server.messages == []
    site.post("agence-fr", "fr-afp.txt", "/agence-fr/2025/attaque-nuit.html", T0 + timedelta(minutes=30))
    assert main(["once", "--config", str(cfg)]) == 0
    assert len(smtp_server.messages) == 1
    body = smtp_server.bodies()[0]
    assert "/wire-en/world/russia-drones.html" in body and "/agence-fr/2025/attaque-nuit.html" in body
    site.post("daily-en", "en-syndicated.txt", "/daily-en/news/ukraine-attack.html", T0 + timedelta(minutes=40))
    assert main(["once", "--config", str(cfg)]) == 0
    assert len(smtp_server.messages) == 1
