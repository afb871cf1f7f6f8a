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
