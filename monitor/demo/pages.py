"""Realistic news pages around an article text: navigation, ads, related links,
comments and a footer, the clutter trafilatura must remove."""

from __future__ import annotations

import html
import random

_NAV = ["Accueil", "International", "Europe", "Ukraine", "Politique", "Économie", "Sport", "Culture",
        "Sciences", "Podcasts", "Vidéos", "Newsletters", "Abonnez-vous", "Se connecter"]
_RELATED = ["Les marchés européens ouvrent en hausse après l'annonce de la BCE",
            "Tour de France : le classement de l'étape du jour",
            "Météo : un week-end ensoleillé sur la moitié nord du pays",
            "Réforme des retraites : ce qui change au 1er janvier",
            "Cinéma : les sorties de la semaine",
            "Les dix plages préférées des lecteurs cet été"]
_COMMENTS = [("Jean-Marc_75", "Toujours la même chose, quand est-ce que cela va s'arrêter ?"),
             ("Sophie L.", "Merci pour cet article clair et bien sourcé."),
             ("anonyme1984", "On ne nous dit pas tout, comme d'habitude..."),
             ("Kostas", "Pensées pour les civils, encore une nuit terrible.")]


def news_page(title: str, text: str, *, outlet: str, lang: str = "fr", published: str | None = None,
              seed: int = 0) -> str:
    """A full HTML page (50-150 KB of markup when `padding`) with the article in <article>."""
    rng = random.Random(seed)
    e = html.escape
    paras = "\n".join(f"<p>{e(p.strip())}</p>" for p in text.split("\n") if p.strip())
    nav = "".join(f'<li><a href="/rubrique/{i}">{e(n)}</a></li>' for i, n in enumerate(_NAV))
    related = "".join(f'<li><a href="/article/{rng.randint(1000, 9999)}">{e(r)}</a></li>'
                      for r in rng.sample(_RELATED, 4))
    comments = "".join(f'<div class="comment"><span class="author">{e(a)}</span><p>{e(c)}</p>'
                       f'<a href="#" class="reply">Répondre</a></div>' for a, c in rng.sample(_COMMENTS, 3))
    date_meta = f'<meta property="article:published_time" content="{e(published)}">' if published else ""
    ads = '<div class="ad" id="ad-{n}"><script>window.ads=window.ads||[];ads.push({n});</script>' \
          '<a href="https://ads.example.net/click?id={n}">Publicité : votre nouvelle cuisine à -40 % !</a></div>'
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{e(title)} | {e(outlet)}</title>
<meta property="og:title" content="{e(title)}">{date_meta}
<meta property="og:site_name" content="{e(outlet)}">
<script>var analytics = {{"page": "article", "section": "international"}};</script>
<style>body{{font-family:serif}} .ad{{border:1px solid #ccc}}</style></head>
<body>
<div class="cookie-banner">Nous utilisons des cookies pour améliorer votre expérience. <button>Accepter</button></div>
<header><div class="logo">{e(outlet)}</div><nav><ul>{nav}</ul></nav></header>
{ads.format(n=1)}
<main>
<article>
<h1>{e(title)}</h1>
<div class="byline">Par la rédaction, avec AFP — <time datetime="{e(published or '')}">{e(published or '')}</time></div>
{paras}
</article>
{ads.format(n=2)}
<aside class="related"><h2>À lire aussi</h2><ul>{related}</ul></aside>
<section class="comments"><h2>Commentaires (3)</h2>{comments}</section>
</main>
<footer><p>© {e(outlet)} — Tous droits réservés. Mentions légales · Politique de confidentialité ·
Gestion des cookies · Contact · Plan du site</p></footer>
</body></html>"""
