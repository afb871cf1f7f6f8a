"""Benchmark corpus: varied, realistic news pages (80-150 KB) and the feeds linking to them.

Article bodies come from the texts in tests/data/extract and tests/data/wave. Each
page gets its own body: the lead of one text, then paragraphs drawn from the other
texts of the same language, reordered, with their figures changed, so that two
pages are not near-duplicates of each other (a small share of syndicated copies
is kept on purpose: the dedup paths are part of the work). Around the body, each
outlet has its own template (class names, layout, order of blocks) and every page
its own navigation, ads, related links, most-read list, comments and footer, in
the page's language, grown until the page reaches its target size.

    build_corpus(out_dir, articles=1000, per_feed=20, seed=7) -> Corpus
"""

from __future__ import annotations

import html
import json
import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXT_DIRS = (ROOT / "tests" / "data" / "extract", ROOT / "tests" / "data" / "wave")
_NUMBER = re.compile(r"\b\d{1,4}\b")
_E = html.escape

OUTLETS = [  # name, lang, body class, layout variant
    ("Le Quotidien du Soir", "fr", "article__content", 0), ("Ouest Matin", "fr", "story-body", 1),
    ("La Dépêche Continentale", "fr", "entry-content", 2), ("Radio Monde Info", "fr", "texte-article", 3),
    ("L'Observateur de l'Est", "fr", "post-body", 4), ("Daily Ledger", "en", "article-body", 0),
    ("The Evening Courier", "en", "story__text", 1), ("Global Wire Review", "en", "entry-content", 2),
    ("Northern Times", "en", "rich-text", 3), ("World Desk Online", "en", "c-article__body", 4),
]
WORDS = {
    "fr": ("gouvernement ministre réforme budget élection région ville habitants projet rapport année semaine "
           "économie entreprise emploi école santé hôpital culture festival sport match équipe saison marché "
           "prix énergie climat transport train route police justice tribunal enquête décision vote débat "
           "européen national local public nouveau grand premier dernier important selon après avant pendant "
           "depuis contre avec pour dans sur sous entre vraiment toujours jamais encore déjà aussi très").split(),
    "en": ("government minister reform budget election region city residents project report year week economy "
           "company jobs school health hospital culture festival sport match team season market price energy "
           "climate transport train road police justice court inquiry decision vote debate european national "
           "local public new big first last important according after before during since against with for "
           "in on under between really always never still already also very").split(),
}
SECTIONS = {
    "fr": ["International", "Europe", "France", "Politique", "Économie", "Société", "Sport", "Culture",
           "Sciences", "Tech", "Planète", "Idées", "Vidéos", "Podcasts", "Newsletters", "Services"],
    "en": ["World", "Europe", "UK", "US", "Politics", "Business", "Markets", "Tech", "Science", "Health",
           "Sport", "Culture", "Opinion", "Video", "Podcasts", "Newsletters"],
}
UI = {
    "fr": {"read": "À lire aussi", "most": "Les plus lus", "comments": "Commentaires", "reply": "Répondre",
           "share": "Partager", "subscribe": "Abonnez-vous", "ad": "Publicité", "by": "Par", "tags": "Sujets",
           "news": "Recevez notre newsletter quotidienne", "cookie": "Nous utilisons des cookies."},
    "en": {"read": "Read more", "most": "Most read", "comments": "Comments", "reply": "Reply",
           "share": "Share", "subscribe": "Subscribe", "ad": "Advertisement", "by": "By", "tags": "Topics",
           "news": "Get our daily newsletter", "cookie": "We use cookies."},
}


@dataclass
class Text:
    lang: str
    title: str
    paragraphs: list[str]


@dataclass
class PageSpec:
    feed: int
    index: int
    outlet: str
    lang: str
    title: str
    summary: str
    published: datetime
    path: str  # URL path of the page, also its file name under the corpus folder
    size: int = 0


@dataclass
class Corpus:
    folder: Path
    pages: list[PageSpec] = field(default_factory=list)
    feeds: dict[int, tuple[str, str]] = field(default_factory=dict)  # feed -> (outlet, lang)
    copies: int = 0

    def page_files(self) -> list[Path]:
        return [self.folder / p.path.lstrip("/") for p in self.pages]


def load_texts() -> dict[str, list[Text]]:
    out: dict[str, list[Text]] = {"fr": [], "en": []}
    for folder in TEXT_DIRS:
        for path in sorted(folder.glob("*.txt")):
            name = path.name
            lang = "fr" if name.startswith("fr-") or "_fr_" in name else "en"
            lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
            if len(lines) >= 2:
                out[lang].append(Text(lang, lines[0], lines[1:]))
    return out


def _renumber(text: str, factor: float) -> str:
    def repl(m: re.Match) -> str:
        n = int(m.group())
        if 1900 <= n <= 2100 or n < 3:  # years and small words-like figures stay
            return m.group()
        return str(max(3, round(n * factor)))

    return _NUMBER.sub(repl, text)


def _body(rng: random.Random, texts: list[Text], lead: Text) -> tuple[str, list[str]]:
    factor = rng.uniform(0.6, 1.6)
    others = [p for t in rng.sample(texts, min(len(texts), 9)) if t is not lead for p in t.paragraphs]
    picked = rng.sample(others, min(len(others), rng.randint(7, 14)))
    rest = lead.paragraphs[1:] + picked
    rng.shuffle(rest)
    paragraphs = [_renumber(p, factor) for p in [lead.paragraphs[0], *rest]]
    return _renumber(lead.title, factor), paragraphs


def _words(rng: random.Random, lang: str, n: int) -> str:
    w = rng.choices(WORDS[lang], k=n)
    return (" ".join(w)).capitalize()


def _sentences(rng: random.Random, lang: str, n: int) -> str:
    return " ".join(_words(rng, lang, rng.randint(6, 16)) + rng.choice(".!?.") for _ in range(n))


def _nav(rng: random.Random, lang: str, variant: int) -> str:
    items = []
    for i, section in enumerate(SECTIONS[lang]):
        subs = "".join(f'<li class="nav-sub__item"><a href="/{i}/{j}/" data-track="nav-{i}-{j}">'
                       f"{_E(_words(rng, lang, rng.randint(1, 3)))}</a></li>" for j in range(rng.randint(6, 14)))
        items.append(f'<li class="nav__item nav__item--{variant}"><a class="nav__link" href="/{i}/">{_E(section)}'
                     f'</a><ul class="nav-sub">{subs}</ul></li>')
    return f'<nav class="main-nav v{variant}" role="navigation"><ul class="nav">{"".join(items)}</ul></nav>'


def _ad(rng: random.Random, lang: str, slot: str) -> str:
    cfg = json.dumps({"slot": slot, "sizes": [[300, 250], [728, 90]], "targeting": {"pos": rng.randint(1, 9)}})
    return (f'<div class="ad ad--{slot}" id="ad-{slot}-{rng.randint(1, 10**6)}" aria-hidden="true">'
            f'<span class="ad__label">{UI[lang]["ad"]}</span><script>window.adq=window.adq||[];adq.push({cfg});'
            f'</script><a href="https://ads.example.net/c?{rng.randint(1, 10**9)}" rel="sponsored">'
            f'{_E(_words(rng, lang, 8))}</a></div>')


def _teasers(rng: random.Random, lang: str, titles: list[str], n: int, cls: str) -> str:
    out = []
    for title in rng.sample(titles, min(n, len(titles))):
        out.append(f'<li class="{cls}__item"><a href="/a/{rng.randint(10**5, 10**6)}.html">'
                   f'<img src="/img/{rng.randint(1, 10**6)}.jpg" alt="" loading="lazy" width="160" height="90">'
                   f'<span class="{cls}__title">{_E(title)}</span></a><p class="{cls}__teaser">'
                   f"{_E(_sentences(rng, lang, 1))}</p></li>")
    return "".join(out)


def _comment(rng: random.Random, lang: str, n: int) -> str:
    author = f"{_words(rng, lang, 1)}_{rng.randint(1, 999)}"
    replies = "".join(_comment(rng, lang, n * 10 + k) for k in range(rng.choice((0, 0, 0, 1, 2)) if n < 100 else 0))
    return (f'<div class="comment" id="c{n}"><div class="comment__meta"><span class="comment__author">{_E(author)}'
            f'</span> <time>{rng.randint(1, 23)} h</time></div><p class="comment__text">'
            f"{_E(_sentences(rng, lang, rng.randint(1, 4)))}</p><div class=\"comment__actions\"><a href=\"#r{n}\">"
            f'{UI[lang]["reply"]}</a> <button class="like">{rng.randint(0, 300)}</button></div>{replies}</div>')


def _footer(rng: random.Random, lang: str, outlet: str) -> str:
    cols = "".join(f'<div class="footer__col"><h4>{_E(s)}</h4><ul>' + "".join(
        f'<li><a href="/f/{i}/{j}">{_E(_words(rng, lang, 2))}</a></li>' for j in range(8)) + "</ul></div>"
        for i, s in enumerate(rng.sample(SECTIONS[lang], 6)))
    return (f'<footer class="site-footer">{cols}<p class="legal">© {_E(outlet)} '
            f"{_E(_sentences(rng, lang, 3))}</p></footer>")


def page_html(rng: random.Random, spec: PageSpec, paragraphs: list[str], titles: list[str], target: int,
              variant: int, body_class: str) -> str:
    lang, ui = spec.lang, UI[spec.lang]
    when = spec.published.isoformat()
    parts = []
    for i, p in enumerate(paragraphs):
        parts.append(f"<p>{_E(p)}</p>")
        if i in (2, 6):
            parts.append(_ad(rng, lang, f"inread{i}"))
        if i == 4:
            parts.append(f'<div class="inline-related"><strong>{ui["read"]}</strong> <a href="/a/'
                         f'{rng.randint(1, 10**6)}.html">{_E(rng.choice(titles))}</a></div>')
    body = "\n".join(parts)
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": spec.title,
                     "datePublished": when, "inLanguage": lang, "publisher": {"@type": "Organization",
                                                                              "name": spec.outlet}},
                    ensure_ascii=False)
    css = "".join(f".c{rng.randint(1, 10**6)}{{margin:{rng.randint(0, 40)}px;color:#{rng.randint(0, 0xffffff):06x}}}"
                  for _ in range(rng.randint(60, 160)))
    article = (f'<article class="article v{variant}" itemscope itemtype="https://schema.org/NewsArticle">'
               f'<header class="article__header"><p class="kicker">{_E(rng.choice(SECTIONS[lang]))}</p>'
               f'<h1 itemprop="headline">{_E(spec.title)}</h1><p class="byline">{ui["by"]} '
               f'{_E(_words(rng, lang, 2))} <time datetime="{when}">{when[:16].replace("T", " ")}</time></p>'
               f'<div class="share"><a href="#">{ui["share"]}</a> <a href="#">X</a> <a href="#">Facebook</a></div>'
               f'</header><figure><img src="/img/{rng.randint(1, 10**6)}.jpg" alt="" width="1200" height="675">'
               f"<figcaption>{_E(_words(rng, lang, 10))}</figcaption></figure>"
               f'<div class="{body_class}" itemprop="articleBody">{body}</div>'
               f'<div class="tags">{ui["tags"]}: ' + " ".join(
                   f'<a href="/t/{i}">{_E(w)}</a>' for i, w in enumerate(rng.sample(WORDS[lang], 6))) +
               "</div></article>")
    most = f'<aside class="most-read"><h2>{ui["most"]}</h2><ol>{_teasers(rng, lang, titles, 10, "most")}</ol></aside>'
    related = (f'<section class="related"><h2>{ui["read"]}</h2><ul>{_teasers(rng, lang, titles, 6, "rel")}</ul>'
               f"</section>")
    newsletter = (f'<div class="newsletter"><p>{ui["news"]}</p><form action="/nl"><input type="email" name="e">'
                  f'<button>{ui["subscribe"]}</button></form></div>')
    blocks = [article, _ad(rng, lang, "mpu"), related, newsletter] if variant % 2 else \
        [article, related, _ad(rng, lang, "mpu"), newsletter]
    head = (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{_E(spec.title)} | '
            f'{_E(spec.outlet)}</title><meta name="viewport" content="width=device-width">'
            f'<meta property="og:title" content="{_E(spec.title)}"><meta property="og:site_name" '
            f'content="{_E(spec.outlet)}"><meta property="article:published_time" content="{when}">'
            f'<script type="application/ld+json">{ld}</script><style>{css}</style>'
            f'<script>var dataLayer=[{{"page":"article","id":{rng.randint(1, 10**9)}}}];</script></head>')
    top = (f'<body class="page-article"><div class="cookie">{ui["cookie"]} <button>OK</button></div>'
           f'<header class="site-header"><a class="logo" href="/">{_E(spec.outlet)}</a>'
           f'{_nav(rng, lang, variant)}</header>{_ad(rng, lang, "top")}<main class="layout v{variant}">')
    fixed = head + top + "".join(blocks) + most + _footer(rng, lang, spec.outlet)
    comments, n = [], 0
    size = len(fixed.encode()) + 200
    while size < target:
        c = _comment(rng, lang, n)
        comments.append(c)
        size += len(c.encode())
        n += 1
    section = (f'<section class="comments" id="comments"><h2>{ui["comments"]} ({n})</h2>{"".join(comments)}'
               f"</section>")
    main_blocks = blocks[:1] + ([section] if variant in (0, 3) else []) + blocks[1:] + \
        ([] if variant in (0, 3) else [section])
    return head + top + "".join(main_blocks) + "</main>" + most + _footer(rng, lang, spec.outlet) + "</body></html>"


def build_corpus(folder: Path, articles: int = 1000, per_feed: int = 20, seed: int = 7,
                 copies: float = 0.02) -> Corpus:
    """Write the pages and feeds under `folder` (pages as a/<feed>/<i>.html, feeds as feed/<f>.xml)."""
    from monitor.feedserver import rss

    rng = random.Random(seed)
    texts = load_texts()
    titles = {lang: [t.title for t in ts] for lang, ts in texts.items()}
    corpus = Corpus(folder)
    now = datetime.now(timezone.utc)
    n_feeds = max(1, -(-articles // per_feed))
    made: dict[str, list[tuple[PageSpec, list[str]]]] = {"fr": [], "en": []}
    for f in range(n_feeds):
        outlet, lang, body_class, variant = OUTLETS[f % len(OUTLETS)]
        outlet = outlet if f < len(OUTLETS) else f"{outlet} {f // len(OUTLETS) + 1}"
        corpus.feeds[f] = (outlet, lang)
        items = []
        for i in range(min(per_feed, articles - f * per_feed)):
            same = made[lang]
            if same and rng.random() < copies:  # a syndicated copy under another outlet's boilerplate
                original = rng.choice(same)
                title, paragraphs = original[0].title, original[1]
                corpus.copies += 1
            else:
                title, paragraphs = _body(rng, texts[lang], rng.choice(texts[lang]))
            spec = PageSpec(f, i, outlet, lang, title, paragraphs[0][:300],
                            now - timedelta(minutes=rng.randint(5, 12 * 60)), f"/a/{f}/{i}.html")
            page = page_html(rng, spec, paragraphs, titles[lang], rng.randint(80_000, 150_000), variant, body_class)
            data = page.encode("utf-8")
            spec.size = len(data)
            path = folder / spec.path.lstrip("/")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            same.append((spec, paragraphs))
            corpus.pages.append(spec)
            items.append({"title": spec.title, "link": f"{{base}}{spec.path}", "guid": f"bench:{f}:{i}",
                          "description": spec.summary, "pubDate": format_datetime(spec.published)})
        feed = rss(outlet, f"https://bench{f}.example.org/", items, lang=lang)
        (folder / "feed").mkdir(exist_ok=True)
        (folder / "feed" / f"{f}.xml").write_text(feed, encoding="utf-8")
    return corpus
