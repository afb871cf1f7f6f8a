"""General strike rules: short hand-written French and English reports, one rule per test."""

from __future__ import annotations

from monitor.events import StrikeEvent
from monitor.extract import extract_events
from monitor.extract.casualties import find_casualties
from monitor.extract.places import find_places
from monitor.extract.textnorm import fold


def strikes(text: str) -> list[StrikeEvent]:
    return [e for e in extract_events(text) if e.kind == "strike"]


def one(text: str) -> StrikeEvent:
    found = strikes(text)
    assert len(found) == 1, found
    return found[0]


def figures(ev: StrikeEvent) -> tuple:
    return (ev.drones.launched, ev.drones.destroyed, ev.missiles.launched, ev.missiles.destroyed)


# --- counts -------------------------------------------------------------------------------

def test_x_of_y_along_with_x_of_y() -> None:
    ev = one("Air defences shot down 140 of the 160 drones Moscow sent against Ukraine overnight, "
             "along with five of seven cruise missiles, the air force said.")
    assert figures(ev) == (160, 140, 7, 5)
    ev = one("La défense antiaérienne a abattu 50 des 60 drones lancés par la Russie, ainsi que "
             "trois des quatre missiles, selon l'armée de l'air ukrainienne.")
    assert figures(ev) == (60, 50, 4, 3)


def test_lone_missile_is_the_attack_weapon() -> None:
    ev = one("A Russian Iskander-M missile struck the centre of Sumy on Monday morning, killing two people.")
    assert (ev.attacker, ev.target, ev.missiles.launched, ev.places) == ("RU", "UA", 1, ["Sumy"])
    ev = one("Dans l'après-midi, un missile balistique russe a frappé un entrepôt à Kharkiv.")
    assert ev.missiles.launched == 1 and ev.places == ["Kharkiv"]
    ev = one("Russian forces struck a fuel depot in the city of Poltava with a Kh-59 missile, officials said.")
    assert ev.missiles.launched == 1


def test_lone_drone_does_not_override_the_wave_figures() -> None:
    ev = one("Russia said it shot down 30 Ukrainian drones over the Kursk region. "
             "A drone hit a car near the town of Shebekino, the governor said.")
    assert (ev.drones.launched, ev.drones.destroyed) == (None, 30)


def test_plural_weapons_without_figure_keep_a_lone_one_null() -> None:
    ev = one("Des missiles russes ont visé Odessa dans la nuit. Selon le maire, un missile a touché le port.")
    assert ev.missiles.launched is None


def test_one_inside_a_list_of_counts_is_summed() -> None:
    ev = one("Ukraine's air force said it downed three Kalibr missiles, one Kinzhal and 20 drones "
             "launched by Russia overnight.")
    assert (ev.missiles.destroyed, ev.drones.destroyed) == (4, 20)


def test_attack_involved_used_employed_as_launch_verbs() -> None:
    assert one("The Russian attack on Ukraine involved 210 drones and six missiles, the air force said.").drones.launched == 210
    assert one("Russia used 45 Shahed drones in the overnight attack on Ukraine, the air force said.").drones.launched == 45
    assert one("Moscou a mobilisé 90 drones et quatre missiles contre l'Ukraine cette nuit.").missiles.launched == 4
    assert one("L'attaque russe contre l'Ukraine comprenait 75 drones Shahed, selon l'armée de l'air.").drones.launched == 75


def test_missiles_not_intercepted_means_zero_destroyed() -> None:
    ev = one("La Russie a lancé 40 drones et deux missiles balistiques sur l'Ukraine. 30 drones ont été "
             "abattus. Les deux missiles n'ont pas été interceptés.")
    assert figures(ev) == (40, 30, 2, 0)
    ev = one("Russia launched 50 drones at Ukraine; 42 were shot down. Eight drones were not intercepted.")
    assert (ev.drones.launched, ev.drones.destroyed) == (50, 42)


def test_made_in_and_supplied_modifiers() -> None:
    ev = one("Russia's defence ministry said it shot down four U.S.-supplied ATACMS missiles and two "
             "British Storm Shadow cruise missiles fired by Ukraine at the Belgorod region.")
    assert (ev.attacker, ev.missiles.destroyed, ev.missiles.launched) == ("UA", 6, None)


def test_french_round_number_before_weapon() -> None:
    ev = one("La Russie a lancé une trentaine de drones Shahed sur la région de Soumy, selon Kiev.")
    assert ev.drones.launched == 30


def test_mixed_munitions_total_is_not_a_drone_count() -> None:
    ev = one("Russia's defence ministry said it destroyed 25 Ukrainian drones over the Bryansk region. "
             "The governor said the area had been hit by more than 80 drones and mortar shells in a day.")
    assert (ev.drones.launched, ev.drones.destroyed) == (None, 25)


def test_repelled_attack_is_a_part_of_the_downed_total() -> None:
    ev = one("La Russie a affirmé avoir abattu 60 drones ukrainiens, dont 12 qui se dirigeaient vers "
             "Moscou. « Nous avons repoussé l'attaque de 12 drones qui volaient vers Moscou », a écrit le maire.")
    assert (ev.drones.launched, ev.drones.destroyed) == (None, 60)


def test_bare_participle_after_a_list_does_not_make_a_launch() -> None:
    ev = one("Le ministère russe a annoncé avoir abattu cinq missiles ATACMS, ainsi que 14 drones, "
             "tirés par l'Ukraine contre la Crimée.")
    assert (ev.missiles.destroyed, ev.drones.destroyed, ev.drones.launched) == (5, 14, None)


def test_a_new_speaker_stops_a_far_verb() -> None:
    found = strikes("Live: Drones hit Odesa, Russia claims 40 Ukrainian drones\n"
                    "Russia's defence ministry said 40 Ukrainian drones were intercepted over the Kursk region.")
    ua = [e for e in found if e.attacker == "UA"]
    assert len(ua) == 1 and (ua[0].drones.launched, ua[0].drones.destroyed) == (None, 40)


# --- direction ----------------------------------------------------------------------------

def test_reporting_side_is_not_the_attacker() -> None:
    ev = one("Ukraine says Russia fired two ballistic missiles at Dnipro overnight.")
    assert (ev.attacker, ev.target, ev.missiles.launched, ev.places) == ("RU", "UA", 2, ["Dnipro"])


# --- places -------------------------------------------------------------------------------

def test_region_in_an_official_title_is_not_a_place_hit() -> None:
    ev = one("Trois personnes ont été tuées à Zaporijjia par des drones russes, selon le gouverneur "
             "de la région de Zaporijjia.")
    assert ev.places == ["Zaporizhzhia"]
    ev = one("Russian drones struck Mykolaiv overnight, Mykolaiv Oblast Governor Vitaliy Kim said.")
    assert ev.places == ["Mykolaiv"]


def test_launch_sites_in_a_list_are_not_places_hit() -> None:
    ev = one("La Russie a lancé 80 drones contre l'Ukraine, tirés depuis les régions de Briansk et de "
             "Koursk. Deux drones ont touché Tchernihiv.")
    assert ev.places == ["Chernihiv"]
    places = find_places(fold("drones launched from the Kursk and Oryol regions at Sumy"))
    assert [p.source for p in places] == [True, True, False]


def test_direction_word_is_a_distance_only_with_of() -> None:
    places = find_places(fold("a north korean missile hit kharkiv; 30 km north of sumy"))
    assert [(p.name, p.source) for p in places] == [("Kharkiv", False), ("Sumy", True)]


def test_city_cue_for_a_russian_regional_capital() -> None:
    names = [p.name for p in find_places(fold("un drone s'est écrasé à Koursk et dans la région de Belgorod"))]
    assert names == ["Kursk", "Belgorod Oblast"]
    names = [p.name for p in find_places(fold("drones were downed over Bryansk and in the city of Ryazan"))]
    assert names == ["Bryansk Oblast", "Ryazan"]


def test_capital_used_as_a_side_is_not_a_place() -> None:
    ev = one("Ukrainian drones hit an oil depot in the Bryansk region overnight. Kyiv says the strikes "
             "answer Moscow's relentless attacks on Ukrainian cities.")
    assert ev.places == ["Bryansk Oblast"]
    places = find_places(fold("Odessa a été visée par des drones; Kiev dénonce une terreur nocturne"))
    assert [(p.name, p.actor) for p in places] == [("Odesa", False), ("Kyiv", True)]


def test_a_visit_is_not_a_place_hit() -> None:
    ev = one("Russian drones struck the Kharkiv region overnight, the governor said.\n"
             "The attack came during a visit to Kyiv by the French foreign minister.")
    assert ev.places == ["Kharkiv Oblast"]


def test_trend_sentence_adds_no_place() -> None:
    ev = one("Des drones russes ont frappé Kherson dans la nuit, faisant deux blessés.\n"
             "Depuis des mois, la Russie multiplie les attaques contre la région d'Odessa.")
    assert ev.places == ["Kherson"]


def test_english_but_does_not_hide_a_report() -> None:
    ev = one("Russia launched 30 drones at Ukraine overnight, the air force said.\n"
             "Debris fell on a house in Poltava, but nobody was hurt, the mayor said.")
    assert ev.places == ["Poltava"]


# --- linking count-less mentions ----------------------------------------------------------

def test_casualties_two_paragraphs_later_join_the_wave() -> None:
    text = ("Russia launched 70 drones at Ukraine overnight, 55 of which were shot down.\n"
            "Power cuts hit several districts of the city of Lutsk.\n"
            "In Rivne, two people were injured when debris fell on a school, the governor said.")
    ev = one(text)
    assert (ev.drones.launched, ev.drones.destroyed, ev.injured) == (70, 55, 2)
    assert "Rivne" in ev.places


def test_orphan_mention_of_weapons_of_a_known_wave_opens_no_event() -> None:
    found = strikes("Belarus said it shot down three Ukrainian drones over the Gomel region.\n"
                    "The drones had strayed from a Ukrainian attack on Russia's Kursk region, it said.")
    assert [(e.attacker, e.target) for e in found] == [("UA", "BY")]


# --- casualties ---------------------------------------------------------------------------

def test_casualty_shapes() -> None:
    cases = {
        "two port workers were injured in the strike": (None, 2),
        "trois marins ont été blessés dans le port": (None, 3),
        "deux employés d'une compagnie d'électricité ont été tués": (2, None),
        "one firefighter was injured while putting out the fire": (None, 1),
        "a 52-year-old security guard was killed": (1, None),
        "a drone hit a car, killing the driver": (1, None),
        "un drone a percuté une voiture, tuant le conducteur": (1, None),
        "three passengers, including a 10-year-old boy, were taken to hospital": (None, 3),
        "debris fell on a house but no one was hurt": (None, None),
        "the strike killed four people and injured 11": (4, 11),
        "faisant un mort et cinq blessés": (1, 5),
    }
    for text, want in cases.items():
        assert find_casualties(fold(text)) == want, text


def test_comparison_with_this_year_keeps_the_casualties() -> None:
    ev = one("Russia struck Kyiv with missiles and drones, killing five people and injuring 22, in one "
             "of the largest attacks on the capital this year.")
    assert (ev.killed, ev.injured) == (5, 22)


def test_figures_told_after_a_figure_less_headline_join_it() -> None:
    text = ("Frappes russes sur Lviv : un mort\n"
            "Des frappes russes ont visé Lviv dans la nuit, tuant une personne, selon le maire.\n"
            "La ville avait déjà été visée au printemps.\n"
            "C'est l'une des plus grandes attaques depuis le début de la guerre : la Russie a lancé "
            "cette nuit 120 drones et 8 missiles contre l'Ukraine, selon l'armée de l'air.")
    ev = one(text)
    assert (ev.drones.launched, ev.missiles.launched, ev.killed, ev.places) == (120, 8, 1, ["Lviv"])


def test_region_that_only_locates_a_town_is_not_a_place_hit() -> None:
    ev = one("A Russian missile hit a school in Izium, a town in the Kharkiv region, killing one person.")
    assert ev.places == ["Izium"]
    places = find_places(fold("Tchouhouïv, une ville de la région de Kharkiv, et la région de Soumy"))
    assert [(p.name, p.locator) for p in places] == [("Chuhuiv", False), ("Kharkiv Oblast", True),
                                                     ("Sumy Oblast", False)]


def test_the_region_refers_to_the_place_named_last() -> None:
    ev = one("Le maire de Poltava a fait état de trois blessés après une frappe russe sur la ville de "
             "Poltava. Selon l'armée de l'air, 20 drones ont été lancés contre la région, dont 15 abattus.")
    assert set(ev.places) == {"Poltava", "Poltava Oblast"}
    assert (ev.drones.launched, ev.drones.destroyed, ev.injured) == (20, 15, 3)


def test_city_named_in_a_mayor_title_still_locates_the_strike() -> None:
    ev = one("Kharkiv Mayor Ihor Terekhov said three people were injured when a Russian drone hit "
             "an apartment block.")
    assert (ev.places, ev.injured) == (["Kharkiv"], 3)


def test_air_defences_of_a_city_keep_the_city() -> None:
    ev = one("Moscow's air defences shot down 12 Ukrainian drones overnight, the mayor said.")
    assert (ev.attacker, ev.places, ev.drones.destroyed) == ("UA", ["Moscow"], 12)


def test_trend_words_do_not_hide_a_told_strike() -> None:
    ev = one("Russia has repeatedly targeted Odesa; on Tuesday a missile hit a grain terminal in "
             "Odesa, killing two workers.")
    assert (ev.places, ev.killed, ev.missiles.launched) == (["Odesa"], 2, 1)


def test_a_lone_missile_of_a_past_attack_opens_no_wave() -> None:
    assert strikes("Il y a un an, un missile russe frappait l'hôpital pour enfants de Kiev.") == []
    assert strikes("A year ago, a Russian missile hit a children's hospital in Kyiv, killing two.") == []
