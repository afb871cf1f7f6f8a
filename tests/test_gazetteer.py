import pytest

from monitor.gazetteer import COUNTRIES, all_places, canonical_place, place_country, place_parent


@pytest.mark.parametrize(
    "name,expected",
    [
        ("Kiev", "Kyiv"), ("Kyiv", "Kyiv"), ("Kiew", "Kyiv"), ("Київ", "Kyiv"), ("Киев", "Kyiv"),
        ("Briansk", "Bryansk Oblast"), ("région de Briansk", "Bryansk Oblast"),
        ("Bryansk region", "Bryansk Oblast"), ("Брянск", "Bryansk Oblast"),
        ("Koursk", "Kursk Oblast"), ("oblast de Kharkiv", "Kharkiv Oblast"),
        ("Kharkov", "Kharkiv"), ("Odessa", "Odesa"), ("Zaporijia", "Zaporizhzhia"),
        ("Dnipropetrovsk", "Dnipropetrovsk Oblast"), ("Dnipro", "Dnipro"),
        ("Tcherkassy", "Cherkasy"), ("Moscou", "Moscow"), ("région de Moscou", "Moscow Oblast"),
        ("Moguilev", "Mogilev Region"), ("Sébastopol", "Sevastopol"), ("Orel", "Oryol Oblast"),
        ("Riyad", "Riyadh"), ("Arabie saoudite", "Saudi Arabia"), ("Genève", "Geneva"),
        ("KIEV", "Kyiv"), ("Atlantis", None), ("", None),
    ],
)
def test_canonical_place_spellings(name, expected):
    assert canonical_place(name) == expected


def test_parents_and_countries():
    assert place_parent("Kyiv") == "Kyiv Oblast"
    assert place_parent("Brovary") == "Kyiv Oblast"
    assert place_country("Kyiv") == "UA"
    assert place_country("Bryansk Oblast") == "RU"
    assert place_country("Mogilev Region") == "BY"
    assert place_parent("Ukraine") is None


def test_all_places_are_canonical_and_countries_cover_codes():
    places = all_places()
    assert {"Kyiv", "Bryansk Oblast", "Crimea", "Sevastopol", "Riyadh", "Anchorage"} <= set(places)
    assert all(canonical_place(p) == p for p in places)
    assert {"UA", "RU", "US", "BY", "TR", "SA", "FR", "DE", "GB", "CN", "KP", "IR"} <= set(COUNTRIES)
    # every code is two capital letters (YAML reads an unquoted NO, Norway's code, as false)
    assert all(isinstance(c, str) and len(c) == 2 and c.isupper() for c in COUNTRIES), sorted(map(repr, COUNTRIES))
    assert all(place_country(p) in COUNTRIES for p in places)
