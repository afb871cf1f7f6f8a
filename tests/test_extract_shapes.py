"""Short hand-written sentences for each count shape and each negative case."""

from datetime import datetime, timezone

import pytest

from monitor.events import NegotiationEvent, StrikeEvent
from monitor.extract import extract_events


def strikes(text, **kw):
    return [e for e in extract_events(text, **kw) if isinstance(e, StrikeEvent)]


def negotiations(text, **kw):
    return [e for e in extract_events(text, **kw) if isinstance(e, NegotiationEvent)]


def one_strike(text, **kw):
    events = strikes(text, **kw)
    assert len(events) == 1, events
    return events[0]


@pytest.mark.parametrize(
    "text,att,tgt,dl,dd,ml,md,lost",
    [
        ("Selon l'armée de l'air ukrainienne, la défense a détruit 41 des 47 drones lancés par la Russie.",
         "RU", "UA", 47, 41, None, None, None),
        ("Ukraine's air force said air defences shot down 12 of the 20 missiles and 55 of the 98 drones Russia launched.",
         "RU", "UA", 98, 55, 20, 12, None),
        ("L'armée de l'air ukrainienne indique que sept des dix drones russes ont été abattus.",
         "RU", "UA", 10, 7, None, None, None),
        ("Ukraine's air force said all 29 attack drones launched by Russia were destroyed.",
         "RU", "UA", 29, 29, None, None, None),
        ("Ukrainian air defenses downed 38 drones and two of five missiles that Russia fired overnight.",
         "RU", "UA", None, 38, 5, 2, None),
        ("La Russie a lancé quelque 70 drones et cinq missiles balistiques sur l'Ukraine.",
         "RU", "UA", 70, None, 5, None, None),
        ("La Russie a tiré trois missiles S-300 sur Kharkiv dans la nuit.",
         "RU", "UA", None, None, 3, None, None),
        ("Selon l'armée de l'air ukrainienne, 61 drones russes ont été perdus (guerre électronique).",
         "RU", "UA", None, None, None, None, 61),
        ("Ukraine's air force said 50 Russian drones were shot down and 31 were locally lost.",
         "RU", "UA", None, 50, None, None, 31),
        ("Au total, 64 drones russes ont été repérés dans l'espace aérien ukrainien ; 27 interceptés.",
         "RU", "UA", 64, 27, None, None, None),
        ("Le ministère russe de la Défense a annoncé que 77 drones ukrainiens ont été abattus, "
         "dont 30 au-dessus de la région de Briansk et 25 au-dessus de Kalouga.",
         "UA", "RU", None, 77, None, None, None),
        ("Russia's defence ministry said it shot down 38 Ukrainian drones over the Belgorod region.",
         "UA", "RU", None, 38, None, None, None),
        ("Russia launched 12 Shahed drones and two Iskander-M missiles at Ukraine, the air force said.",
         "RU", "UA", 12, None, 2, None, None),
        # parts of a total stated before: "N of the drones", a bare figure in the next sentence
        ("Russia fired six cruise missiles and 90 drones at Ukraine overnight, the air force said. "
         "Air defences destroyed one of the missiles and 71 of the drones.",
         "RU", "UA", 90, 71, 6, 1, None),
        ("Russia launched 212 drones and 14 missiles at Ukraine, the air force said. "
         "Air defences shot down or suppressed 190 of the drones and 11 of the missiles.",
         "RU", "UA", 212, 190, 14, 11, None),
        ("La Russie a lancé 93 drones contre l'Ukraine au cours de la nuit, selon l'armée de l'air. "
         "71 ont été abattus et 18 autres ont été perdus en raison du brouillage.",
         "RU", "UA", 93, 71, None, None, 18),
        ("Russia launched 120 drones at Ukraine, the air force said. "
         "It said 95 had been shot down and 20 had been lost locally.",
         "RU", "UA", 120, 95, None, None, 20),
        ("La Russie a tiré quelque 60 drones contre l'Ukraine, selon l'armée de l'air. "
         "Parmi ces drones, 44 ont été neutralisés.",
         "RU", "UA", 60, 44, None, None, None),
        ("Au total, 52 drones russes ont été repérés, selon l'armée de l'air ukrainienne. "
         "Trente d'entre eux ont été interceptés, tandis que quinze autres ont été perdus localement.",
         "RU", "UA", 52, 30, None, None, 15),
        ("Russia fired 31 missiles and 140 drones at Ukraine overnight, the air force said. Air defences "
         "shot down 26 of the missiles - 20 Kh-101 cruise missiles launched from Tu-95 bombers and six Kalibr "
         "fired from the Black Sea - and 101 of the drones. Another 30 drones were \"locationally lost\".",
         "RU", "UA", 140, 101, 31, 26, 30),
        ("Russia launched 96 drones and seven missiles, including three Kinzhal aeroballistic missiles and "
         "four Iskander-M ballistic missiles, against Ukraine overnight, the air force said.",
         "RU", "UA", 96, None, 7, None, None),
        ("Moscou visée par une vingtaine de drones dans la nuit, les aéroports fermés plusieurs heures.",
         "UA", "RU", 20, None, None, None, None),
        ("Dans la nuit, la Russie a lancé 130 drones et trois missiles balistiques Iskander-M contre l'Ukraine, "
         "selon l'armée de l'air. Cent cinq drones ont été abattus ; aucun missile n'a été intercepté.",
         "RU", "UA", 130, 105, 3, 0, None),
        ("Russia launched 88 drones and two ballistic missiles against Ukraine overnight, the Air Force said. "
         "Air defense downed 64 drones. Neither of the missiles was intercepted.",
         "RU", "UA", 88, 64, 2, 0, None),
        ("La Russie a lancé 120 drones et un missile Iskander-M sur l'Ukraine, selon l'armée de l'air. "
         "Cent drones ont été abattus. Le missile n'a pas été intercepté.",
         "RU", "UA", 120, 100, 1, 0, None),
        ("Kiev, 28 septembre (AFP) - La Russie a lancé dans la nuit 610 drones et 42 missiles contre l'Ukraine, "
         "une des plus vastes attaques aériennes depuis le début de l'invasion en février 2022.",
         "RU", "UA", 610, None, 42, None, None),
        ("Moscou affirme avoir abattu 96 drones pendant la nuit.", "UA", "RU", None, 96, None, None, None),
        ("Huit des douze drones lancés par la Russie au cours de la nuit ont été abattus, selon l'armée "
         "de l'air ukrainienne.",
         "RU", "UA", 12, 8, None, None, None),
    ],
)
def test_count_shapes(text, att, tgt, dl, dd, ml, md, lost):
    ev = one_strike(text)
    assert (ev.attacker, ev.target) == (att, tgt)
    assert (ev.drones.launched, ev.drones.destroyed) == (dl, dd)
    assert (ev.missiles.launched, ev.missiles.destroyed) == (ml, md)
    assert ev.drones_lost == lost
    assert ev.evidence


def test_regional_split_places_and_total():
    ev = one_strike("Le ministère russe de la Défense a annoncé que 77 drones ukrainiens ont été abattus, "
                    "dont 30 au-dessus de la région de Briansk et 25 au-dessus de Kalouga.")
    assert ev.places == ["Bryansk Oblast", "Kaluga Oblast"]


def test_ages_are_not_counts_and_casualties_are():
    ev = one_strike("La Russie a lancé 40 drones sur Kharkiv selon l'armée de l'air ukrainienne. "
                    "Un homme de 48 ans a été blessé et deux personnes ont été tuées.")
    assert ev.drones.launched == 40
    assert ev.injured == 1 and ev.killed == 2
    ev = one_strike("Russia launched 40 drones at Kharkiv, Ukraine's air force said. "
                    "A 48-year-old man was injured.")
    assert ev.injured == 1 and ev.drones.launched == 40


def test_running_totals_and_percentages_are_not_counts():
    assert strikes("Since the start of the full-scale war, Russia has launched more than 30,000 drones at Ukraine.") == []
    ev = one_strike("La Russie a lancé 50 drones sur l'Ukraine, soit 20 % de plus que la veille, "
                    "selon l'armée de l'air ukrainienne.")
    assert ev.drones.launched == 50


def test_repeated_report_yields_one_event():
    fr = "Le ministère russe de la Défense a annoncé avoir abattu 48 drones ukrainiens, dont 26 dans la région de Rostov."
    en = "Russia's defence ministry said it destroyed 48 Ukrainian drones, including 26 over the Rostov region."
    ev = one_strike(fr + "\n\n" + en)
    assert ev.drones.destroyed == 48 and ev.places == ["Rostov Oblast"]


def test_two_directions_are_two_events():
    text = ("Kiev a annoncé avoir intercepté 130 drones lancés par la Russie, tandis que Moscou "
            "a déclaré avoir abattu 126 drones ukrainiens dans la région de Voronej.")
    evs = {(e.attacker, e.target): e for e in strikes(text)}
    assert evs[("RU", "UA")].drones.destroyed == 130
    assert evs[("UA", "RU")].drones.destroyed == 126


def test_night_date_resolved_with_published():
    pub = datetime(2024, 11, 13, 15, 0, tzinfo=timezone.utc)
    ev = one_strike("La Russie a lancé 90 drones sur l'Ukraine dans la nuit de mardi à mercredi.", published=pub)
    assert ev.date == "2024-11-13"
    ev = one_strike("La Russie a lancé 90 drones sur l'Ukraine dans la nuit de mardi à mercredi.")
    assert ev.date is None


def test_title_region_and_city_of_the_text_are_one_wave():
    ev = one_strike("Deux blessés dans la région de Poltava après une attaque russe de drones\n\n"
                    "Article rédigé par franceinfo avec AFP\nFrance Télévisions\n\n"
                    "Une entreprise industrielle de Poltava, dans le centre du pays, a pris feu et deux personnes "
                    "ont été blessées après une attaque russe dans la nuit, a annoncé l'administration régionale.\n\n"
                    "« Au total, 48 drones ont été repérés », selon l'armée de l'air ukrainienne.")
    assert set(ev.places) == {"Poltava", "Poltava Oblast"} and ev.drones.launched == 48


def test_a_later_wave_of_other_weapons_is_a_second_event():
    evs = strikes("Deux missiles balistiques Iskander-M ont frappé Mykolaïv vers 19H30, tuant deux employés.\n\n"
                  "Quelques heures plus tard, la Russie a lancé 64 drones d'attaque en direction de la région "
                  "de Kiev, a précisé l'armée de l'air. Parmi eux, 50 ont été abattus.")
    assert [(e.missiles.launched, e.drones.launched, e.drones.destroyed) for e in evs] == [
        (2, None, None), (None, 64, 50)], evs


def test_a_rank_among_attacks_is_not_a_running_total():
    ev = one_strike("Russia pounded Kyiv with cruise missiles and drones overnight, killing four people and "
                    "wounding 11, officials said, in the second large-scale air attack on the city this month.")
    assert (ev.killed, ev.injured) == (4, 11)


def test_live_blog_told_twice_and_revised_is_one_wave():
    blog = ("DIRECT. Guerre en Ukraine\n\n"
            "Ce qu'il faut retenir :\n"
            "- La Russie a lancé dans la nuit 74 drones et deux missiles Iskander-M sur l'Ukraine, selon l'armée "
            "de l'air ukrainienne. Un premier bilan fait état de 50 drones abattus.\n\n"
            "11h30 : L'armée de l'air actualise son bilan. Selon la version actualisée, 56 drones ont été abattus.\n\n"
            "10h10 : La Bundesliga reprend ce week-end.\n\n"
            "08h05 : L'armée de l'air ukrainienne publie un premier bilan. La Russie a lancé pendant la nuit 74 "
            "drones et deux missiles Iskander-M. La défense antiaérienne a abattu 50 drones.")
    ev = one_strike(blog)
    assert (ev.drones.launched, ev.drones.destroyed, ev.missiles.launched) == (74, 56, 2)


def test_tolls_of_one_locality_count_once_and_the_overall_toll_wins():
    ev = one_strike("Guerre en Ukraine : trois morts dans la région de Soumy après une attaque russe de drones\n\n"
                    "Kiev, 3 mars (AFP) - La Russie a lancé dans la nuit 90 drones contre l'Ukraine, tuant au moins "
                    "trois personnes et en blessant 12 autres, selon les autorités.\n\n"
                    "A Chostka, dans la région de Soumy, deux personnes ont été tuées. A Lviv, quatre personnes ont "
                    "été blessées.")
    assert (ev.killed, ev.injured) == (3, 12)
    assert "Kyiv" not in ev.places  # the dateline names where the report was filed


def test_a_city_and_its_region_named_together():
    ev = one_strike("Deux personnes ont été tuées lors d'une attaque russe de drones qui a visé dans la nuit "
                    "la ville de Kherson et sa région, selon le gouverneur.")
    assert set(ev.places) == {"Kherson", "Kherson Oblast"}


def test_agency_month_abbreviations_do_not_end_a_sentence():
    ev = one_strike("KYIV, Sept. 8 (Reuters) - Russia launched 810 drones and 13 missiles at Ukraine overnight on "
                    "Sept. 7, 2025, the air force said. Air defences shot down 747 drones and four missiles.")
    assert (ev.date, ev.drones.launched, ev.drones.destroyed, ev.missiles.destroyed) == ("2025-09-07", 810, 747, 4)
    from monitor.extract.sentences import split_sentences

    assert len(split_sentences("The attack began at 2 a.m. Moscow time, officials said. It lasted hours.")) == 2


def test_ground_advance_is_not_a_strike():
    assert strikes("Les forces russes ont repris deux villages dans la région de Koursk.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Les contrôleurs aériens sont en grève ; les négociations salariales avec la direction ont échoué.",
        "Dockworkers staged a walkout after wage talks with the port authority broke down.",
        "The drone maker hopes to strike a deal with investors in Kyiv next month.",
        "Mbappé a déclenché une frappe puissante qui a trompé le gardien dès la 12e minute.",
        "Un conseiller a estimé que cela pourrait avantager Kiev lors de futures négociations avec la Russie.",
        "Analysts said the incursion could help Ukraine in future negotiations with Russia.",
        "Le secrétaire d'Etat a dit vouloir que l'Ukraine puisse négocier une paix en position de force.",
        "French lawmakers adopted a resolution urging stronger support for Ukraine against Russia.",
        "The Yelabuga plant in Tatarstan can now turn out about 2,500 Shahed-type drones a month, "
        "Ukrainian intelligence says.",
        "Britain and Germany have signed co-production agreements with Ukrainian drone makers.",
        "Strikes on Primorsk, Novorossiysk and Tuapse have periodically interrupted oil loadings.",
        "Les ambassadeurs de l'UE ont validé un nouveau train de sanctions contre Moscou, qui vise des pétroliers.",
        "La France et l'Ukraine ont signé un accord de coproduction d'obus avec des entreprises de défense.",
    ],
)
def test_negatives_yield_no_event(text):
    assert extract_events(text) == []


def test_negotiation_call_failed():
    ev, = negotiations("Un appel téléphonique entre Donald Trump et Vladimir Poutine s'est révélé infructueux.")
    assert ev.parties == ["RU", "US"] and ev.form == "call" and ev.status == "failed"
    assert ev.people == ["Donald Trump", "Vladimir Putin"]


def test_negotiation_planned_meeting_with_topic():
    ev, = negotiations("Une rencontre entre Russes et Américains est prévue pour discuter d'un cessez-le-feu.")
    assert ev.parties == ["RU", "US"] and ev.form == "meeting" and ev.status == "planned"
    assert ev.topics == ["ceasefire"]


def test_negotiation_talks_venue():
    ev, = negotiations("Ukrainian and American delegations held talks in Saudi Arabia on Tuesday about a ceasefire.")
    assert ev.parties == ["UA", "US"] and ev.places == ["Saudi Arabia"] and ev.form == "talks"


@pytest.mark.parametrize("text", [
    # a strike foreseen or feared in an opinion piece
    "Chaque baril vendu par la flotte fantôme, ce sont des drones qui s'abattront demain sur Kiev ou Odessa.",
    "Analysts warned that Russia could strike Odesa's port again within days.",
    # a drone show and naval training fire
    "More than 500 drones formed a giant trident in the night sky over Lviv to mark Independence Day.",
    "La flotte de la Baltique a effectué des tirs d'entraînement de missiles Kalibr contre des cibles navales "
    "simulées au large de Kaliningrad.",
])
def test_no_strike_from_a_feared_attack_a_show_or_training(text):
    assert strikes(text) == []


def test_figures_since_a_weekday_are_a_running_total():
    text = ("Russia launched 45 drones at Kharkiv overnight, the air force said; 38 were shot down.\n\n"
            "Since Friday, Russia has fired more than 300 drones and 20 missiles at Ukrainian cities, "
            "President Volodymyr Zelensky said.")
    ev = one_strike(text)
    assert (ev.drones.launched, ev.drones.destroyed, ev.missiles.launched) == (45, 38, None)


def test_a_wave_told_whole_in_the_title_and_in_parts_in_the_text_is_one_wave():
    title = "Russie : vingt-six drones ukrainiens abattus au-dessus de Koursk et Lipetsk"
    text = ("Les défenses antiaériennes russes ont détruit dix-neuf drones ukrainiens au-dessus de la région "
            "de Koursk et sept au-dessus de celle de Lipetsk dans la nuit de mardi à mercredi, a annoncé le "
            "ministère russe de la Défense.")
    ev = one_strike(text, title=title)
    assert (ev.attacker, ev.target, ev.drones.destroyed) == ("UA", "RU", 26)
    assert {"Kursk Oblast", "Lipetsk Oblast"} <= set(ev.places)


def test_a_toll_of_an_attack_dated_months_ago_is_not_this_waves():
    text = ("Une personne a été tuée et quatre autres blessées dans une attaque de drones russes contre Soumy "
            "dans la nuit de samedi à dimanche.\n\nEn avril 2025, deux missiles balistiques russes s'étaient "
            "abattus sur le centre-ville, faisant plus de trente morts.")
    ev = one_strike(text)
    assert (ev.killed, ev.injured, ev.places) == (1, 4, ["Sumy"])


def test_moscow_that_says_is_the_government_not_a_place_hit():
    ev = one_strike("Moscou dit avoir abattu 17 drones ukrainiens au-dessus de la région de Rostov.")
    assert (ev.attacker, ev.target, ev.drones.destroyed, ev.places) == ("UA", "RU", 17, ["Rostov Oblast"])


def test_the_time_a_figure_was_announced_is_not_the_time_of_another_wave():
    text = ("Une personne a été tuée et trois autres blessées à Sébastopol lors d'une attaque de drones ukrainiens "
            "dans la nuit de lundi à mardi, a annoncé le gouverneur.\n\n"
            "Le ministère russe de la Défense a affirmé mardi matin avoir abattu 38 drones ukrainiens.")
    ev = one_strike(text)
    assert (ev.drones.destroyed, ev.killed, ev.injured) == (38, 1, 3)


def test_headline_present_tense_names_the_attacker():
    ev = one_strike("Russia attacks Ukraine with 146 drones and 12 missiles overnight; 121 drones and 8 missiles downed")
    assert (ev.attacker, ev.target) == ("RU", "UA")
    assert (ev.drones.launched, ev.drones.destroyed, ev.missiles.launched, ev.missiles.destroyed) == (146, 121, 12, 8)
    ev = one_strike("Ukraine strikes Russian oil refinery with 30 drones")
    assert (ev.attacker, ev.target, ev.drones.launched) == ("UA", "RU", 30)
    # the English word after a verb is its object, not a postposed adjective ("frappes russes")
    ev = one_strike("Ukraine says Russian strikes killed three people in Kharkiv.")
    assert (ev.attacker, ev.target, ev.killed) == ("RU", "UA", 3)


AIR_FORCE_LIST = """Russia attacks Ukraine overnight

Russian forces attacked Ukraine overnight with attack drones and missiles, the Ukrainian Air Force said.

Source: Air Force on Telegram

Details: From 18:00, the enemy attacked with 158 air attack assets:

- Shahed-type attack drones and decoys: 146, launched from the directions of Kursk and Oryol;
- Kh-101 air-launched cruise missiles: 8, launched from Tu-95MS bombers;
- Iskander-M ballistic missiles: 4, launched from Kursk Oblast.

Preliminary results: air defence shot down or suppressed 121 drones, 7 Kh-101 cruise missiles and 1 Iskander-M missile. A further 17 decoy drones were lost locationally.

Hits by 3 missiles and 8 attack drones were recorded at 6 locations."""


def test_an_air_force_list_by_weapon_type_is_one_wave_and_its_items_add_up():
    ev = one_strike(AIR_FORCE_LIST)
    assert (ev.attacker, ev.target) == ("RU", "UA")  # "the enemy" carries the wave past the source line
    assert (ev.drones.launched, ev.drones.destroyed, ev.drones_lost) == (146, 121, 17)
    assert (ev.missiles.launched, ev.missiles.destroyed) == (12, 8)  # 8 Kh-101 + 4 Iskander-M; 7 + 1
    # the hits are part of the wave, not a second one of 3 missiles and 8 drones
    assert "Hits by 3 missiles" not in " ".join(ev.evidence) or ev.missiles.launched == 12


def test_killing_a_woman_of_a_given_age_is_one_killed():
    ev = one_strike("Russia attacked Zhytomyr overnight: a drone hit a private house, killing a 67-year-old woman.")
    assert ev.killed == 1


def test_bullets_of_a_live_blog_entry_take_the_time_of_its_introduction():
    text = """17h40 : Un missile balistique Iskander-M a frappé cet après-midi un site industriel de Zaporijjia, faisant trois morts.

09h15 : On fait le point sur l'attaque de la nuit.
• La Russie a lancé une quarantaine de drones contre la ville de Zaporijjia, dont 31 ont été abattus.
• Deux personnes ont été blessées, précise le gouverneur."""
    events = sorted(strikes(text), key=lambda e: e.killed or 0)
    assert len(events) == 2, events
    night, afternoon = events
    assert (night.drones.launched, night.drones.destroyed, night.injured, night.missiles.launched) == (40, 31, 2, None)
    assert (afternoon.missiles.launched, afternoon.killed, afternoon.drones.launched) == (1, 3, None)


def test_a_ministry_list_of_regions_each_with_its_figure_adds_up():
    ev = one_strike('"Over the past night, air defense assets intercepted and destroyed Ukrainian fixed-wing unmanned '
                    'aerial vehicles: over the territory of the Kursk Region \u2014 9, the Belgorod Region \u2014 9, '
                    'the Bryansk Region \u2014 6, and the Voronezh Region \u2014 3," the Russian Defence Ministry said.')
    assert (ev.attacker, ev.target, ev.drones.destroyed) == ("UA", "RU", 27)  # two equal parts both count
    assert {"Kursk Oblast", "Belgorod Oblast", "Bryansk Oblast", "Voronezh Oblast"} <= set(ev.places)


@pytest.mark.parametrize("text,killed,injured", [
    ("Ukrainian drones attacked Belgorod overnight. A man who was injured in the incident later died in hospital, "
     "and two women, aged 64 and 71, were treated for shrapnel wounds, the governor said.", 1, 2),
    ("Des drones russes ont frappé Kharkiv dans la nuit. Une femme blessée dans l'attaque a succombé à ses blessures.",
     1, None),
])
def test_an_injured_person_who_later_died_is_killed_not_injured(text, killed, injured):
    ev = one_strike(text)
    assert (ev.killed, ev.injured) == (killed, injured)


def test_datelines_with_an_agency_note_or_slashes_are_not_places_hit():
    text = ("Belgorod : deux morts dans une attaque ukrainienne\n\n"
            "MOSCOU, 1er décembre (RIA Novosti, traduction) - Deux civils ont été tués mardi lors d'une attaque "
            "des forces armées ukrainiennes contre la ville de Belgorod, a annoncé le gouverneur.\n\n"
            "La défense antiaérienne a détruit 23 drones au-dessus de la région de Belgorod entre 8 heures et "
            "14 heures, heure de Moscou.")
    ev = one_strike(text)
    assert "Moscow" not in ev.places and "Belgorod" in ev.places
    ev = one_strike("MOSCOW, December 5. /TASS/. Russian air defenses destroyed 14 Ukrainian drones over the "
                    "Kursk Region overnight, the Defense Ministry said.")
    assert "Moscow" not in ev.places and ev.drones.destroyed == 14


def test_a_full_date_of_an_earlier_year_in_the_pluperfect_is_an_attack_recalled():
    text = ("Deux civils ont été tués mardi lors d'une attaque de drones ukrainiens contre Belgorod.\n\n"
            "Le 30 décembre 2023, une attaque contre le centre de Belgorod avait fait 25 morts, la plus "
            "meurtrière contre une ville russe.")
    assert one_strike(text).killed == 2
    # an old report's own date, told in the simple past, stays the date of its attack
    ev = one_strike("Three Iskander-M missiles struck Chernihiv on the morning of April 17, 2024, killing three people.")
    assert (ev.killed, str(ev.date)) == (3, "2024-04-17")


@pytest.mark.parametrize("text,destroyed", [
    ('Russia\'s Defense Ministry said air defenses had shot down "two dozen" Ukrainian drones over the Kursk region.', 24),
    ("La défense russe a abattu deux douzaines de drones ukrainiens au-dessus de la région de Koursk.", 24),
])
def test_so_many_dozen_is_a_figure(text, destroyed):
    assert one_strike(text).drones.destroyed == destroyed


def test_a_tally_takes_the_role_of_its_introduction_and_an_items_own_part_is_no_other_part():
    text = """Le ministère russe de la Défense a affirmé samedi que ses défenses antiaériennes avaient abattu des missiles tirés par l'Ukraine sur la région de Briansk.

Selon le communiqué du ministère, ont été « interceptés et détruits » au cours de la nuit :
- missiles tactiques ATACMS de fabrication américaine : 4 ;
- missiles de croisière Storm Shadow de fabrication britannique : 2 ;
- drones à voilure fixe : 38, dont 21 au-dessus de la Crimée."""
    ev = one_strike(text)
    assert (ev.attacker, ev.target) == ("UA", "RU")
    assert (ev.missiles.destroyed, ev.drones.destroyed, ev.missiles.launched) == (6, 38, None)


def test_a_revised_toll_and_missiles_that_could_not_be_intercepted():
    text = """Le bilan de la frappe de missiles balistiques russes qui a touché lundi le centre de Soumy s'est alourdi à neuf morts.

Deux missiles Iskander-M ont frappé une rue commerçante, selon le gouverneur par intérim de la région de Soumy. Le nombre de blessés est passé de 41 à 48, dont cinq enfants, a-t-il précisé.

Trois corps ont été retirés des décombres dans la nuit.

L'armée de l'air ukrainienne a indiqué qu'elle n'avait pas été en mesure d'intercepter les deux missiles, tirés depuis la région russe de Koursk."""
    ev = one_strike(text)  # "les deux missiles": the ones told, not a second attack
    assert (ev.missiles.launched, ev.missiles.destroyed, ev.killed, ev.injured) == (2, 0, 9, 48)
    assert ev.places == ["Sumy"]  # the acting governor's region is his title
    ev = one_strike("Russia fired three missiles at Kharkiv overnight; the air force was unable to intercept the missiles.")
    assert (ev.missiles.launched, ev.missiles.destroyed) == (3, 0)


def test_a_population_is_no_toll_even_before_a_word_ending_like_a_casualty_verb():
    # "située" ends like "tuée": a casualty word must be a whole word
    ev = one_strike("La Russie a visé dans la nuit la ville de Ternopil, faisant un mort. Ternopil, ville d'environ "
                    "220 000 habitants située à quelque 150 kilomètres de la frontière, avait déjà été frappée.")
    assert ev.killed == 1


def test_the_total_before_a_colon_is_not_one_of_the_regional_parts_after_it():
    ev = one_strike("The Russian Defense Ministry reported that air defense systems had intercepted and destroyed 34 "
                    "fixed-wing unmanned aerial vehicles overnight: 21 over the territory of the Krasnodar Region and "
                    "13 over the Republic of Crimea.")
    assert ev.drones.destroyed == 34


def test_a_toll_told_place_by_place_in_one_sentence_adds_up():
    text = ("Russia pounded southern Ukraine with drones and missiles overnight, killing and wounding civilians in "
            "three cities along the lower Dnipro River, officials said. In Zaporizhzhia two people were killed and "
            "seven wounded, in Kherson one man died and five were hurt, and in Nikopol a woman was killed and three "
            "residents were injured, regional officials said.")
    ev = one_strike(text)
    assert (ev.killed, ev.injured) == (4, 15)  # equal figures of two places are two places, not one restated
    assert set(ev.places) == {"Zaporizhzhia", "Kherson", "Nikopol"}  # "in Nikopol a woman": not French "a"; a river


def test_more_than_twenty_missiles_is_a_floor_of_the_twenty_two_in_the_title():
    text = ("Zelensky: Russia launched four hundred and twenty drones and twenty-two missiles overnight\n\n"
            "Ukrainska Pravda\n\n6 December 2026, 09:05\n\n"
            "President Volodymyr Zelensky said that Russia had attacked Ukraine overnight with hundreds of drones and "
            "more than twenty missiles.\n\n"
            "Our air defence shot down three hundred and eighty-seven drones and fourteen missiles, he said.")
    ev = one_strike(text)
    assert (ev.drones.launched, ev.missiles.launched, ev.missiles.destroyed) == (420, 22, 14)


def test_a_place_that_was_hit_is_no_attacker():
    ev = one_strike("Russia attacked Ukraine overnight with 50 drones. Energy facilities in Kyiv region were hit.")
    assert (ev.attacker, ev.target) == ("RU", "UA") and "Kyiv Oblast" in ev.places


def test_drones_that_crashed_into_a_train_are_the_ones_launched():
    ev = one_strike("Les occupants ont visé un train à Konotop. Deux drones d'attaque ont percuté la locomotive, "
                    "trois personnes ont été tuées.")
    assert (ev.drones.launched, ev.killed) == (2, 3)


def test_a_governors_figure_over_the_region_is_a_part_of_the_ministrys_total():
    text = ("Les systèmes de défense antiaérienne ont intercepté et détruit 57 drones ukrainiens au-dessus de cinq "
            "régions russes, a annoncé le ministère russe de la Défense : 19 au-dessus de la région de Lipetsk, "
            "16 au-dessus de la région de Voronej.\n\n"
            "Le gouverneur de la région de Lipetsk a fait état d'« environ 30 drones » abattus au-dessus de la région "
            "pendant la nuit. Deux employés ont été légèrement blessés.")
    ev = one_strike(text)
    assert (ev.drones.destroyed, ev.injured) == (57, 2)
