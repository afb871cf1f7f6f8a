from monitor.dedup import canonical_url, content_hash, item_guid


def test_canonical_url_drops_tracking_and_fragment():
    assert canonical_url("HTTPS://Www.Example.org:443/a/b?utm_source=rss&id=3&fbclid=x#top") == \
        "https://www.example.org/a/b?id=3"
    assert canonical_url("http://example.org/a?b=2&a=1") == "http://example.org/a?a=1&b=2"
    assert canonical_url("http://example.org:8080/x") == "http://example.org:8080/x"
    assert canonical_url(None) is None


def test_content_hash_ignores_case_accents_spacing_and_punctuation():
    a = "Kiev : 539 drones abattus.  La défense aérienne a tenu."
    b = "kiev 539 drones abattus la defense aerienne a tenu"
    assert content_hash(a) == content_hash(b)
    assert content_hash(a) != content_hash(a.replace("539", "538"))


def test_item_guid_prefers_feed_id_then_link():
    assert item_guid("urn:1", "http://x/a", "t", None) == "urn:1"
    assert item_guid(None, "http://x/a?utm_medium=rss", "t", None) == "http://x/a"
    assert item_guid(None, None, "t", "Mon").startswith("sha256:")


# -- folding, MinHash and language: the fast paths give what the plain definitions give --------------

import unicodedata
from pathlib import Path

import pytest
import yaml

from monitor.clean import detect_language
from monitor.dedup import fold
from monitor.neardup import shingles, signature

DATA = Path(__file__).parent / "data"


def _fold_reference(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))


@pytest.mark.parametrize("text", [
    "Frappe sur Kyïv : l'armée de l'Air a abattu 41 des 47 drones, selon Kharkiv.",
    "Удар по Києву: ППО збила 41 з 47 дронів; ёлка, йод",
    "ŞAHED over Zaporizhzhia, Œuvre, straße, ﬁnal",
    "vector a\u20d7 and a grave \u1dc0 mark, Hebrew \u05d1\u05bc\u05b8",  # marks outside U+0300-036F
    "", "plain ascii only",
])
def test_fold_is_casefold_nfkd_without_any_combining_mark(text):
    assert fold(text) == _fold_reference(text)


def test_fold_on_every_test_text():
    for path in sorted(DATA.glob("extract*/*.txt")):
        text = path.read_text(encoding="utf-8")
        assert fold(text) == _fold_reference(text), path.name


def test_signature_is_datasketch_minhash_of_the_shingles():
    from datasketch import MinHash

    texts = [p.read_text(encoding="utf-8") for p in sorted(DATA.glob("extract/*.txt"))[:25]]
    assert texts
    for text in texts:
        reference = MinHash(num_perm=128)
        reference.update_batch(list(shingles(text)))
        assert (signature(text).values == reference.hashvalues).all()


def test_language_of_every_labelled_text():
    labels = yaml.safe_load((DATA / "extract" / "labels.yaml").read_text(encoding="utf-8"))
    checked = 0
    for entry in labels:
        text = (DATA / "extract" / entry["file"]).read_text(encoding="utf-8")
        assert detect_language(text) == entry["lang"], entry["file"]
        checked += 1
    assert checked >= 80
