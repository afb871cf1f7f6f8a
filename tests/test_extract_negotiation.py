"""Negotiation events: one short French or English report per language rule.

Each case gives the text and the expected events (only the keys given are checked;
`topics` and `places` as sets). An empty list means no negotiation event.
"""

from __future__ import annotations

import pytest

from monitor.extract import extract_events


def negotiations(text: str) -> list[dict]:
    return [e.model_dump() for e in extract_events(text) if e.kind == "negotiation"]


def check(text: str, expected: list[dict]) -> None:
    got = negotiations(text)
    assert len(got) == len(expected), got
    for want in expected:
        key = sorted(want["parties"])
        ev = next((e for e in got if e["parties"] == key), None)
        assert ev is not None, (key, got)
        for k, v in want.items():
            if k in ("topics", "places"):
                assert set(ev[k]) == set(v), (k, ev)
            else:
                assert ev[k] == v, (k, ev)


HOSTS = [
    # a host or mediator is not a party
    ("Les délégations russe et ukrainienne se sont retrouvées lundi à Istanbul, sous l'égide de la Turquie, "
     "pour un deuxième cycle de pourparlers.",
     [{"parties": ["RU", "UA"], "form": "talks", "status": "held", "places": ["Istanbul"]}]),
    ("Saudi Arabia will host talks between U.S. and Russian officials in Riyadh on Tuesday.",
     [{"parties": ["RU", "US"], "form": "talks", "status": "planned", "places": ["Riyadh"]}]),
    ("Turkish Foreign Minister Hakan Fidan opened the talks between the Russian and Ukrainian delegations "
     "at a palace in Istanbul on Friday.",
     [{"parties": ["RU", "UA"], "status": "held", "places": ["Istanbul"]}]),
    ("Des négociateurs américains et russes se sont réunis mardi à Abou Dhabi, aux Émirats arabes unis, "
     "pays qui a joué un rôle de médiateur dans plusieurs échanges.",
     [{"parties": ["RU", "US"], "status": "held", "places": ["Abu Dhabi"]}]),
    ("Ukrainian and Russian negotiators held talks in Doha mediated by Qatar on the return of children.",
     [{"parties": ["RU", "UA"], "form": "talks", "places": ["Doha"]}]),
    # ... unless it negotiates itself
    ("Le président turc Recep Tayyip Erdogan a reçu mercredi Volodymyr Zelensky à Ankara pour évoquer "
     "un possible cessez-le-feu.",
     [{"parties": ["TR", "UA"], "form": "meeting", "status": "held", "topics": ["ceasefire"],
       "places": ["Ankara"]}]),
    ("Saudi Crown Prince Mohammed bin Salman met Zelensky in Jeddah on Monday.",
     [{"parties": ["SA", "UA"], "form": "meeting", "status": "held", "places": ["Jeddah"]}]),
    # the sentence about the host adds nothing
    ("Russian and U.S. delegations met in Riyadh on Tuesday. Saudi Arabia, which hosted the meeting, "
     "has also mediated prisoner exchanges between Moscow and Kyiv.",
     [{"parties": ["RU", "US"], "topics": [], "places": ["Riyadh"]}]),
]

SEPARATE = [
    ("The United States held separate talks with Ukraine and Russia in Saudi Arabia this week.",
     [{"parties": ["UA", "US"], "form": "talks"}, {"parties": ["RU", "US"], "form": "talks"}]),
    ("Washington a conclu des accords séparés avec Kiev et Moscou sur la navigation en mer Noire.",
     [{"parties": ["UA", "US"], "form": "agreement", "status": "agreed", "topics": ["black_sea"]},
      {"parties": ["RU", "US"], "form": "agreement", "status": "agreed", "topics": ["black_sea"]}]),
    ("Ukrainian and Russian negotiators met separately with U.S. officials in Riyadh.",
     [{"parties": ["UA", "US"]}, {"parties": ["RU", "US"]}]),
    # a trilateral is one event
    ("Des représentants russes, ukrainiens et américains doivent tenir des discussions trilatérales "
     "la semaine prochaine à Genève.",
     [{"parties": ["RU", "UA", "US"], "form": "talks", "status": "planned", "places": ["Geneva"]}]),
]

BACKGROUND = [
    ("Moscow says the 2022 Istanbul agreements should serve as the basis for any settlement.", []),
    ("Since the collapse of the Black Sea grain deal in 2023, Ukraine has shipped its grain through "
     "its own corridor.", []),
    ("Depuis l'accord de Minsk de 2015, les deux camps s'accusent mutuellement de violations.", []),
    ("Depuis l'échec des pourparlers d'Istanbul au printemps 2022, Kiev et Moscou ne se parlent plus "
     "qu'à travers des intermédiaires.", []),
    ("Vladimir Medinsky had already led the Russian delegation at the talks of March 2022.", []),
    ("Zelensky and Putin have not met since the Paris summit of December 2019.", []),
    # the news of the day is still an event, even next to a past reference
    ("Russian and Ukrainian delegations met in Istanbul on Friday for their first direct talks since "
     "the spring of 2022.",
     [{"parties": ["RU", "UA"], "status": "held", "places": ["Istanbul"]}]),
]

STATUS = [
    ("Emmanuel Macron doit recevoir Volodymyr Zelensky jeudi à l'Élysée.",
     [{"parties": ["FR", "UA"], "form": "meeting", "status": "planned", "places": ["Paris"]}]),
    ("Donald Trump and Vladimir Putin will speak by phone on Tuesday, the White House said.",
     [{"parties": ["RU", "US"], "form": "call", "status": "planned"}]),
    ("Ukrainian and U.S. negotiators are expected to meet in Geneva next week.",
     [{"parties": ["UA", "US"], "form": "talks", "status": "planned", "places": ["Geneva"]}]),
    ("Les présidents russe et américain devraient se rencontrer à Budapest dans les prochaines semaines.",
     [{"parties": ["RU", "US"], "status": "planned", "places": ["Budapest"]}]),
    ("Une rencontre entre Sergueï Lavrov et Marco Rubio est prévue vendredi.",
     [{"parties": ["RU", "US"], "form": "meeting", "status": "planned"}]),
    ("Zelensky s'est entretenu par téléphone avec Donald Trump mardi soir.",
     [{"parties": ["UA", "US"], "form": "call", "status": "held"}]),
    ("Witkoff met Putin in Moscow on Thursday for talks that lasted almost five hours.",
     [{"parties": ["RU", "US"], "form": "meeting", "status": "held", "places": ["Moscow"]}]),
    ("La rencontre entre Steve Witkoff et Vladimir Poutine a eu lieu jeudi au Kremlin.",
     [{"parties": ["RU", "US"], "form": "meeting", "status": "held", "places": ["Moscow"]}]),
    ("Peace talks between Russian and Ukrainian delegations in Istanbul ended without a breakthrough on Monday.",
     [{"parties": ["RU", "UA"], "form": "talks", "status": "failed", "places": ["Istanbul"]}]),
    ("Les discussions entre Moscou et Kiev n'ont pas abouti, le Kremlin refusant tout cessez-le-feu.",
     [{"parties": ["RU", "UA"], "status": "failed", "topics": ["ceasefire"]}]),
    ("The Kremlin rejected Zelensky's proposal for a ceasefire on energy infrastructure.",
     [{"parties": ["RU", "UA"], "form": "proposal", "status": "failed", "topics": ["energy_truce"]}]),
    ("Russia and Ukraine agreed on Friday to exchange 500 prisoners of war each after talks in Istanbul.",
     [{"parties": ["RU", "UA"], "status": "agreed", "topics": ["prisoner_exchange"], "places": ["Istanbul"]}]),
    ("Kiev et Washington se sont mis d'accord sur un cadre de paix révisé, a annoncé la présidence ukrainienne.",
     [{"parties": ["UA", "US"], "status": "agreed", "topics": ["peace_plan"]}]),
    ("Un cessez-le-feu de 30 jours a été proposé par Washington et accepté par Kiev.",
     [{"parties": ["UA", "US"], "status": "agreed", "topics": ["ceasefire"]}]),
    ("The United States and Ukraine signed an agreement on Wednesday after weeks of negotiations.",
     [{"parties": ["UA", "US"], "form": "agreement", "status": "agreed"}]),
    # agreeing to keep talking is not an agreement; agreeing to meet is a plan
    ("Rubio and Lavrov held talks in Riyadh and agreed to continue the dialogue.",
     [{"parties": ["RU", "US"], "form": "talks", "status": "held"}]),
    ("Les délégations russe et américaine se sont réunies lundi et ont convenu de poursuivre les discussions.",
     [{"parties": ["RU", "US"], "status": "held"}]),
    ("Poutine et Trump sont convenus jeudi lors d'un entretien téléphonique d'organiser un sommet à Budapest.",
     [{"parties": ["RU", "US"], "status": "planned"}]),
    ("Poutine et Trump conviennent d'un sommet à Budapest",
     [{"parties": ["RU", "US"], "form": "summit", "status": "planned", "places": ["Budapest"]}]),
    ("Trump and Putin agreed to meet in Budapest, the White House said.",
     [{"parties": ["RU", "US"], "status": "planned", "places": ["Budapest"]}]),
    ("Le sommet prévu à Budapest entre Donald Trump et Vladimir Poutine a été annulé.",
     [{"parties": ["RU", "US"], "form": "summit", "status": "failed", "places": ["Budapest"]}]),
    ("Trump a indiqué qu'il appellerait Vladimir Poutine dans la soirée.",
     [{"parties": ["RU", "US"], "form": "call", "status": "planned"}]),
    ("Zelensky doit s'entretenir vendredi avec Emmanuel Macron.",
     [{"parties": ["FR", "UA"], "form": "call", "status": "planned"}]),
    ("Zelensky proposed an energy truce on Wednesday. The Kremlin rejected the offer hours later.",
     [{"parties": ["RU", "UA"], "form": "proposal", "status": "failed", "topics": ["energy_truce"]}]),
    ("Putin, Trump to speak on Tuesday about the war, Kremlin says",
     [{"parties": ["RU", "US"], "form": "call", "status": "planned"}]),
    ("Kremlin says Trump-Putin call was 'frank and businesslike'",
     [{"parties": ["RU", "US"], "form": "call", "status": "held"}]),
    ("After speaking with Putin on Tuesday, Trump said a ceasefire was close.",
     [{"parties": ["RU", "US"], "form": "call", "status": "held", "topics": ["ceasefire"]}]),
    ("Trump said he would host Putin at the White House next month.",
     [{"parties": ["RU", "US"], "form": "meeting", "status": "planned", "places": ["Washington"]}]),
    ("Trump called Putin on Tuesday to discuss a ceasefire.",
     [{"parties": ["RU", "US"], "form": "call", "status": "held", "topics": ["ceasefire"]}]),
]

TOPICS = [
    # topics from the next sentence about the same meeting
    ("Volodymyr Zelensky s'est entretenu mardi avec Keir Starmer. Les deux dirigeants ont évoqué de "
     "nouvelles sanctions contre la Russie et les garanties de sécurité.",
     [{"parties": ["GB", "UA"], "form": "call", "topics": ["sanctions", "security_guarantees"]}]),
    ("U.S. and Russian officials met in Riyadh on Monday. The talks focused on a maritime ceasefire in the "
     "Black Sea and a halt to strikes on energy facilities.",
     [{"parties": ["RU", "US"], "topics": ["black_sea", "energy_truce"]}]),
    ("Putin told Trump during their call that Russia wanted the whole of the Donbas. He also proposed a "
     "swap of 175 prisoners.",
     [{"parties": ["RU", "US"], "form": "call", "topics": ["territory", "prisoner_exchange"]}]),
    ("Russian and Ukrainian delegations met in Istanbul on Monday. Discussions focused on a prisoner swap.",
     [{"parties": ["RU", "UA"], "topics": ["prisoner_exchange"], "places": ["Istanbul"]}]),
    # a time reference is not a topic
    ("Macron and Zelensky discussed security guarantees to be provided after a ceasefire.",
     [{"parties": ["FR", "UA"], "topics": ["security_guarantees"]}]),
    # a sentence about something else in the next paragraph adds nothing
    ("U.S. and Ukrainian negotiators met in Miami on Sunday to discuss the peace plan.\n"
     "The original plan, drafted with Russian input, would require Kyiv to cede territory in the Donbas.",
     [{"parties": ["UA", "US"], "topics": ["peace_plan"], "places": ["Miami"]}]),
    ("Erdogan and Putin spoke by phone about safe navigation in the Black Sea and the grain corridor.",
     [{"parties": ["RU", "TR"], "form": "call", "topics": ["black_sea"]}]),
]

SIDES = [
    # two calls announced in one sentence
    ("Donald Trump a annoncé qu'il s'entretiendrait lundi par téléphone avec Vladimir Poutine, puis avec "
     "Volodymyr Zelensky.",
     [{"parties": ["RU", "US"], "form": "call", "status": "planned"},
      {"parties": ["UA", "US"], "form": "call", "status": "planned"}]),
    # the speaker of "said that" is not a side of what he reports
    ("Trump said on Monday that Russia and Ukraine would start negotiations in Istanbul next week.",
     [{"parties": ["RU", "UA"], "status": "planned", "places": ["Istanbul"]}]),
    # ... unless he speaks of himself
    ("Donald Trump a annoncé vendredi qu'il rencontrerait Vladimir Poutine le 15 août en Alaska.",
     [{"parties": ["RU", "US"], "status": "planned", "places": ["Alaska"]}]),
    # a new call, even when "the call" (another one) is mentioned
    ("Trump and Putin spoke by phone on Monday. Zelensky, who spoke to Trump after the call, said Kyiv wanted "
     "a ceasefire.",
     [{"parties": ["RU", "US"], "form": "call"}, {"parties": ["UA", "US"], "form": "call"}]),
    ("Pourparlers Russie-Ukraine à Istanbul : pas d'accord sur un cessez-le-feu",
     [{"parties": ["RU", "UA"], "form": "talks", "status": "failed", "topics": ["ceasefire"], "places": ["Istanbul"]}]),
    # a rubric or a topic word is not a side
    ("Ukraine peace push: Witkoff to meet Putin in Moscow on Thursday",
     [{"parties": ["RU", "US"], "status": "planned", "places": ["Moscow"]}]),
    # what is discussed is no side
    ("Trump and Putin discussed Ukraine in a phone call on Thursday.",
     [{"parties": ["RU", "US"], "form": "call", "status": "held"}]),
    ("L'Ukraine, qui a conclu un accord séparé avec Washington, a dénoncé une tentative de Moscou d'obtenir "
     "la levée des sanctions.",
     [{"parties": ["UA", "US"], "form": "agreement", "status": "agreed", "topics": ["sanctions"]}]),
    # a proposal to meet with no answer yet
    ("Zelensky proposed a face-to-face meeting with Putin in Istanbul to discuss a ceasefire.",
     [{"parties": ["RU", "UA"], "form": "proposal", "status": None, "topics": ["ceasefire"]}]),
    # European leaders joining talks add to them
    ("Zelensky will meet Trump in Washington on Monday. Macron, Merz and Starmer are expected to join the talks, "
     "which will focus on security guarantees.",
     [{"parties": ["UA", "US"], "topics": ["security_guarantees"], "places": ["Washington"]}]),
]

PLACES = [
    ("Des émissaires américains et russes doivent se rencontrer la semaine prochaine à Riyad, en Arabie "
     "saoudite, pour discuter d'un cessez-le-feu.",
     [{"parties": ["RU", "US"], "status": "planned", "topics": ["ceasefire"], "places": ["Riyadh"]}]),
    ("Ukrainian and American delegations held talks in Saudi Arabia on Tuesday.",
     [{"parties": ["UA", "US"], "places": ["Saudi Arabia"]}]),
    ("Donald Trump a reçu lundi Volodymyr Zelensky à la Maison Blanche.",
     [{"parties": ["UA", "US"], "form": "meeting", "status": "held", "places": ["Washington"]}]),
    ("« Nous proposons aux autorités de Kiev de reprendre les négociations directes », a déclaré Vladimir "
     "Poutine dans une allocution au Kremlin.",
     [{"parties": ["RU", "UA"], "places": []}]),
]

NOT_EVENTS = [
    ("Le président Volodymyr Zelensky a de nouveau appelé les alliés occidentaux à livrer davantage de "
     "systèmes de défense antiaérienne face à la Russie.", []),
    ("Zelensky called on Western partners to speed up deliveries of air defence systems to counter Russia.", []),
    ("Zelensky a appelé Poutine à le rencontrer en personne, sans conditions préalables.", []),
    ("Un opposant biélorusse observe une grève de la faim; Minsk et Washington mènent des négociations "
     "discrètes sur la levée de sanctions.", []),
    ("Le secrétaire d'Etat a estimé que l'Ukraine devait pouvoir négocier une paix en position de force "
     "face à la Russie.", []),
    ("Peskov said Putin was ready to meet Zelensky, but only in Moscow.", []),
    ("Putin and Trump could meet in the coming weeks, a Kremlin aide said.", []),
    ("Le Kremlin a exclu toute discussion avec Kiev tant que des troupes ukrainiennes occupent le sol russe.", []),
    ("European leaders called for Ukraine to be included in any talks between Washington and Moscow.", []),
    ("Analysts say the Kursk incursion could strengthen Kyiv's hand in future negotiations with Russia.", []),
    ("Hungary offered to host a summit between Trump and Putin in Budapest.", []),
    ("The Kremlin said a summit between Putin and Trump was not on the agenda.", []),
    ("Zelensky accused Russia of dragging out the talks to prepare a new offensive.", []),
    ("Les syndicats et la direction ont repris les négociations salariales mardi à Paris.", []),
    ("Zelensky met wounded soldiers in Kyiv and held talks with energy company executives.", []),
    ("The U.S. and China agreed to cut tariffs after trade talks in Geneva, a deal unrelated to Ukraine.", []),
    ("A Kyiv court sentenced a man who had passed information to Russia; his lawyer said he would appeal.", []),
    ("Zelensky said he would not meet Russian officials until a common plan with Washington was agreed.", []),
    ("Kyiv and Moscow could hold talks in the coming weeks, diplomats said.", []),
    ("Ukraine and Russia will resume negotiations at some point, the Turkish foreign minister said.", []),
    ("The meeting comes days after Trump hosted Putin in Alaska for a summit.", []),
    ("Witkoff, who has met Putin six times this year, is expected in Moscow next week.", []),
    ("Zelensky asked for a meeting with Trump to discuss air defence.", []),
    ("Zelensky et Macron ont signé lundi une lettre d'intention sur l'achat de 100 avions Rafale par l'Ukraine.", []),
    ("Kiev réclame des négociations directes avec Moscou au niveau des chefs d'Etat.", []),
    ("Le chef de la diplomatie chinoise a appelé jeudi la Russie et l'Ukraine à reprendre les négociations.", []),
    ("L'Ukraine a frappé la Russie avec des missiles américains, avec l'accord de Washington.", []),
    ("Kiev a reçu de Washington deux systèmes Patriot, a annoncé le ministère ukrainien.", []),
    ("Trump called Putin \"absolutely crazy\" after the overnight attack on Kyiv.", []),
    ("L'attaque intervient alors que Washington tente de relancer les pourparlers de paix entre Moscou et Kiev.", []),
    ("The strike came as the United States seeks to revive talks between Russia and Ukraine.", []),
    ("Zelensky met Trump in New York in line with the agreement of both teams.", [{"parties": ["UA", "US"]}]),
    # a standing agreement something is done under; scenarios of an analysis
    ("Peskov said Washington had been notified of the missile launches in line with existing agreements.", []),
    ("Le deuxième scénario reposerait sur un sommet entre Vladimir Poutine et Volodymyr Zelensky.", []),
    ("« Le Kremlin n'acceptera un tel sommet que pour signer », prévient un ancien ambassadeur de France à Moscou.", []),
    ("Peskov said that no new round of negotiations with Ukraine is currently planned.", []),
    # the meeting named before the modal is what the speculation is about
    ("A meeting between Zelensky and Putin could take place in Istanbul next week, a Turkish official said.", []),
    ("Selon Axios, une réunion entre délégations américaine et ukrainienne pourrait par ailleurs se tenir à Berlin.",
     []),
    ("Peskov said the Vatican was \"not the most convenient venue\" for negotiations between two Orthodox countries.", []),
    ("Moscou juge Istanbul « le meilleur lieu pour des négociations » avec Kiev.", []),
    ("Le Kremlin a fait savoir qu'il attendait d'être informé « par les Américains » de l'issue de la réunion de Genève.",
     []),
]


ANNOUNCED = [
    # venues beyond the usual ones; "at Washington's request" is whose request, not where
    ("American, Russian and Ukrainian negotiators met Wednesday in Reykjavik. Iceland made the house available at "
     "Washington's request.", [{"parties": ["RU", "UA", "US"], "places": ["Reykjavik"]}]),
    ("Two days of direct talks between Russian and Ukrainian delegations in Vienna ended on Friday without a joint "
     "statement.", [{"parties": ["RU", "UA"], "places": ["Vienna"]}]),
    ("Le médiateur ukrainien Dmytro Lubinets et la commissaire russe aux droits de l'enfant se sont rencontrés "
     "mercredi à Doha.", [{"parties": ["RU", "UA"], "form": "meeting", "status": "held", "places": ["Doha"]}]),
    ("Peu avant, Emmanuel Macron s'était entretenu avec Volodymyr Zelensky, a précisé l'Élysée.",
     [{"parties": ["FR", "UA"], "form": "call", "status": "held"}]),
    ("Friedrich Merz recevra lundi à Berlin Volodymyr Zelensky, en présence d'Emmanuel Macron et de Keir Starmer.",
     [{"parties": ["DE", "FR", "GB", "UA"], "form": "meeting", "status": "planned", "places": ["Berlin"]}]),
    ("Delegations from Ukraine, Russia and the United States ended two days of talks in Abu Dhabi on Saturday, "
     "with all sides agreeing to meet again.", [{"parties": ["RU", "UA", "US"], "form": "talks", "status": "held"}]),
    # ", and <a new subject> will ...": a second clause, with its own sides
    ("U.S. President Donald Trump and Ukrainian President Volodymyr Zelenskiy spoke by phone on Wednesday about a "
     "ceasefire, and U.S. envoy Steve Witkoff will travel to Moscow next week to meet Russian President Vladimir Putin.",
     [{"parties": ["UA", "US"], "form": "call", "status": "held"},
      {"parties": ["RU", "US"], "form": "meeting", "status": "planned"}]),
    # "later" and "then" start like "la" and "the": no definite article before the trigger
    ("Sybiha later spoke by phone with his Swiss counterpart, Ignazio Cassis.",
     [{"parties": ["CH", "UA"], "form": "call", "status": "held"}]),
    ("Macron then met Zelensky in Paris.", [{"parties": ["FR", "UA"], "form": "meeting", "places": ["Paris"]}]),
    # French "navigation commerciale" is shipping, not trade talks
    ("Des délégations techniques russe et ukrainienne se sont réunies mardi à Istanbul sous médiation turque pour "
     "discuter de la sécurité de la navigation commerciale en mer Noire, a annoncé le ministère turc de la Défense.",
     [{"parties": ["RU", "UA"], "status": "held", "topics": ["black_sea"], "places": ["Istanbul"]}]),
    # a swap carried out, told as people brought home from captivity; the mediator is no side
    ("Ukraine brings home 185 defenders in new exchange mediated by UAE\n\nUkraine has returned 185 servicemen and "
     "22 civilians from Russian captivity in a new exchange, President Volodymyr Zelensky said on Friday.",
     [{"parties": ["RU", "UA"], "form": "agreement", "status": "agreed", "topics": ["prisoner_exchange"]}]),
    ("L'Ukraine a rapatrié 150 soldats de captivité russe lors d'un nouvel échange, a annoncé Zelensky.",
     [{"parties": ["RU", "UA"], "form": "agreement", "status": "agreed", "topics": ["prisoner_exchange"]}]),
    ("Oumerov annonce de nouvelles discussions avec les Américains le 12 décembre à Genève.",
     [{"parties": ["UA", "US"], "status": "planned", "places": ["Geneva"]}]),
]


@pytest.mark.parametrize("text,expected",
                         HOSTS + SEPARATE + BACKGROUND + STATUS + TOPICS + SIDES + PLACES + NOT_EVENTS + ANNOUNCED)
def test_negotiation_rules(text, expected):
    check(text, expected)


def test_french_then_english_copy_is_one_event():
    text = ("Volodymyr Zelensky s'est entretenu au téléphone avec Emmanuel Macron.\n"
            "Volodymyr Zelensky spoke by phone with Emmanuel Macron.")
    check(text, [{"parties": ["FR", "UA"], "form": "call", "status": "held"}])


def test_outcome_in_the_lead_decides_the_status():
    agreed = ("Russes et Ukrainiens s'accordent sur un échange de prisonniers à Istanbul.\n"
              "Les discussions n'ont en revanche débouché sur aucun progrès vers un cessez-le-feu.")
    check(agreed, [{"parties": ["RU", "UA"], "status": "agreed",
                    "topics": ["prisoner_exchange", "ceasefire"]}])
    failed = ("Russia-Ukraine talks in Istanbul end without a ceasefire deal.\n"
              "The delegations did, however, agree on the return of the bodies of fallen soldiers.")
    check(failed, [{"parties": ["RU", "UA"], "status": "failed"}])


def test_french_dative_is_the_addressee_not_the_venue():
    text = "Vladimir Poutine a proposé à Kiev des négociations directes dès jeudi à Istanbul."
    check(text, [{"parties": ["RU", "UA"], "form": "proposal", "places": ["Istanbul"]}])


def test_proposal_of_talks_accepted_is_planned_talks():
    text = ("Vladimir Poutine a proposé dimanche des négociations directes avec l'Ukraine dès jeudi à Istanbul, "
            "une offre à laquelle Volodymyr Zelensky a répondu positivement.")
    check(text, [{"parties": ["RU", "UA"], "form": "talks", "status": "planned", "places": ["Istanbul"]}])


def test_arms_delivery_next_to_a_meeting_still_gives_topics():
    text = ("Zelensky doit rencontrer Donald Trump vendredi à la Maison Blanche. Les deux dirigeants doivent évoquer "
            "la livraison de missiles Tomahawk et les garanties de sécurité.")
    check(text, [{"parties": ["UA", "US"], "status": "planned", "topics": ["security_guarantees"],
                  "places": ["Washington"]}])


def test_attack_report_next_to_a_call_adds_no_topic():
    text = ("Trump and Putin discussed the war in a phone call on Thursday. Hours later, Russia launched 550 drones "
            "at Ukraine's energy infrastructure.")
    check(text, [{"parties": ["RU", "US"], "form": "call", "topics": []}])


def test_readiness_keeps_the_topic_but_is_no_event():
    text = ("Trump and Putin spoke by phone on Monday. Putin said Russia was ready to work with Ukraine on a "
            "memorandum on a possible ceasefire.")
    check(text, [{"parties": ["RU", "US"], "topics": ["ceasefire"]}])


def test_coalition_meeting_has_no_listed_parties():
    text = ("Les dirigeants d'une trentaine de pays de la coalition des volontaires se sont réunis jeudi à Paris "
            "pour préparer des garanties de sécurité pour l'Ukraine.")
    check(text, [{"parties": [], "form": "meeting", "status": "held", "places": ["Paris"],
                  "topics": ["security_guarantees"]}])
    cochairs = ("Emmanuel Macron et Keir Starmer ont présidé jeudi à Paris une réunion de la coalition des "
                "volontaires, en présence de Volodymyr Zelensky.")
    check(cochairs, [{"parties": [], "form": "meeting", "places": ["Paris"]}])


def test_dateline_gives_the_venue_of_talks_held_there():
    from monitor.extract.negotiation import extract_negotiations
    from monitor.extract.sentences import split_sentences

    text = ("Russia-Ukraine talks end without a ceasefire\n"
            "ISTANBUL (AP) - Russian and Ukrainian delegations ended a second round of direct talks on Monday "
            "without agreeing on a ceasefire.")
    ev, = extract_negotiations(split_sentences(text), text)
    assert ev.parties == ["RU", "UA"] and ev.status == "failed" and ev.places == ["Istanbul"]
    planned = "KYIV (Reuters) - Ukrainian and U.S. negotiators will meet next week, Kyiv said."
    ev, = extract_negotiations(split_sentences(planned), planned)
    assert ev.places == []


def test_stem_screens_never_hide_a_trigger():
    """The cheap word-stem screens only skip sentences no trigger or status pattern matches."""
    from pathlib import Path

    from monitor.extract import talks_lexicon as lex
    from monitor.extract import talks_status as st
    from monitor.extract.sentences import split_sentences
    from monitor.extract.talks_gate import stems
    from monitor.extract.talks_roles import HOST_CUE, HOST_GATE

    texts = [t for t, _ in HOSTS + SEPARATE + BACKGROUND + STATUS + TOPICS + SIDES + PLACES + NOT_EVENTS]
    texts += [p.read_text(encoding="utf-8") for p in sorted(Path(__file__).parent.glob("data/extract/*.txt"))]
    screened = [(lex.TRIGGER_GATE, lex.TRIGGER_RE), (lex.TRIGGER_GATE, lex.OBJECT_VERB_RE),
                (lex.NEGATIVE, lex.NEGATIVE_RE), (st.FAILED, st.FAILED_RE), (st.AGREED, st.AGREED_RE),
                (st.HELD, st.HELD_RE), (lex.SPEC, lex.SPEC_RE), (HOST_GATE, HOST_CUE)]
    for text in texts:
        for s in split_sentences(text):
            pre = stems(s.folded)
            for gate, rx in screened:
                assert gate.possible(pre) or not rx.search(s.folded), (rx.pattern[:40], s.text)


def test_a_call_and_a_summit_of_the_same_parties_are_two_events():
    got = negotiations(
        "Donald Trump a annulé jeudi le sommet prévu à Budapest avec Vladimir Poutine. "
        "La décision intervient au lendemain d'un entretien téléphonique entre le secrétaire d'Etat "
        "Marco Rubio et le ministre russe des Affaires étrangères Sergueï Lavrov, qui devait préparer "
        "la rencontre.")
    assert sorted((e["form"], tuple(e["parties"])) for e in got) == [("call", ("RU", "US")), ("summit", ("RU", "US"))]


def test_talks_told_twice_stay_one_event():
    got = negotiations(
        "Ukrainian and Russian delegations held talks in Istanbul on Friday. "
        "The talks between Russia and Ukraine lasted less than two hours, a Turkish official said.")
    assert [(e["form"], e["parties"]) for e in got] == [("talks", ["RU", "UA"])]


def test_a_plan_refined_at_talks_that_took_place_is_those_talks():
    got = negotiations(
        "Ukraine, U.S. rework peace framework in Jeddah\n"
        "Ukrainian and U.S. officials said on Tuesday they had drafted an updated peace framework after talks "
        "in Jeddah on Washington's plan to end the war. The talks, led by U.S. Secretary of State Marco Rubio "
        "and Ukrainian security council secretary Rustem Umerov, lasted most of the day.")
    assert [(e["parties"], e["form"], e["status"]) for e in got] == [(["UA", "US"], "talks", "held")]


def test_a_meeting_nobody_prepares_is_no_event():
    assert negotiations('The Kremlin said there were "no concrete preparations" for a meeting between '
                        "Vladimir Putin and Volodymyr Zelensky.") == []


def test_a_vague_entretien_after_a_phone_call_is_that_call():
    got = negotiations("Donald Trump et Vladimir Poutine se sont entretenus par téléphone pendant deux heures lundi.\n\n"
                       "Un entretien « franc » entre Donald Trump et Vladimir Poutine, selon le Kremlin.")
    assert [(e["parties"], e["form"]) for e in got] == [(["RU", "US"], "call")]


def test_a_headline_with_two_subjects_does_not_merge_their_parties():
    got = negotiations("Emmanuel Macron s'est entretenu avec Volodymyr Zelensky, le Kremlin rejette une trêve énergétique")
    assert [(e["parties"], e["form"]) for e in got] == [(["FR", "UA"], "call")]


@pytest.mark.parametrize("text,expected", [
    # the subject pronoun names the person the sentence before was about
    ("Le chancelier allemand, Friedrich Merz, est arrivé mardi à Kiev. Il s'est entretenu pendant deux heures "
     "avec le président ukrainien, Volodymyr Zelensky.", [{"parties": ["DE", "UA"], "status": "held"}]),
    ("German Chancellor Friedrich Merz arrived in Kyiv on Tuesday. He met Ukrainian President Volodymyr "
     "Zelensky for two hours.", [{"parties": ["DE", "UA"], "form": "meeting", "status": "held"}]),
    # ... also from the paragraph before, past a quote
    ("Le président Volodymyr Zelensky a dénoncé une attaque « délibérée ». « La Russie veut continuer à tuer », "
     "a-t-il écrit.\n\nIl a indiqué qu'il s'entretiendrait jeudi au téléphone avec Donald Trump.",
     [{"parties": ["UA", "US"], "form": "call", "status": "planned"}]),
    # ... but not from further back
    ("Friedrich Merz est arrivé mardi à Kiev.\n\nLe train est reparti.\n\nIl s'est entretenu avec Volodymyr "
     "Zelensky.", []),
    # a possible call one is not opposed to is no call
    ("Interrogé sur la possibilité d'un appel avec Vladimir Poutine, M. Merz a répondu qu'il n'y était "
     "pas opposé.", []),
    ("Asked about a possible call with Vladimir Putin, Merz said he was not opposed.", []),
])
def test_pronoun_subjects_and_possible_talks(text, expected):
    check(text, expected)


@pytest.mark.parametrize("text,expected", [
    ("Le président ukrainien Volodymyr Zelensky a été reçu lundi soir à Djeddah par le prince héritier saoudien "
     "Mohammed ben Salmane, a indiqué la présidence ukrainienne.",
     [{"parties": ["SA", "UA"], "form": "meeting", "status": "held", "places": ["Jeddah"]}]),
    ("Zelensky met the Saudi crown prince Mohammed bin Salman in Jeddah.",
     [{"parties": ["SA", "UA"], "form": "meeting", "status": "held"}]),
])
def test_an_office_between_the_verb_and_the_person(text, expected):
    check(text, expected)


@pytest.mark.parametrize("text", [
    "Analyse : une rencontre entre Poutine et Zelensky est-elle encore envisageable ?",
    "Will Putin and Zelensky meet in Istanbul next week?",
    "Depuis des mois, l'hypothèse d'un face-à-face entre Vladimir Poutine et Volodymyr Zelensky revient dans le débat.",
    "Le président Volodymyr Zelensky a accusé Moscou de « fuir la table des négociations ».",
    "Zelensky accused Moscow of avoiding the negotiating table to buy time.",
])
def test_questions_hypotheses_and_the_negotiating_table_are_no_talks(text):
    check(text, [])


@pytest.mark.parametrize("text,expected", [
    # a meeting the leaders agreed on during their call is another, planned event
    ("Putin and Trump spoke by phone on Thursday. Ushakov said the presidents had agreed that Russian and "
     "American technical teams would meet in Riyadh next week to work on the safety of commercial shipping in "
     "the Black Sea.",
     [{"parties": ["RU", "US"], "form": "call", "status": "held"},
      {"parties": ["RU", "US"], "form": "talks", "status": "planned", "places": ["Riyadh"], "topics": ["black_sea"]}]),
    ("Les présidents sont convenus que des équipes techniques russe et américaine se retrouveraient à Riyad "
     "la semaine prochaine.", [{"parties": ["RU", "US"], "form": "talks", "status": "planned"}]),
])
def test_talks_agreed_on_in_a_call_are_planned(text, expected):
    got = negotiations(text)
    assert len(got) == len(expected), got
    for want, ev in zip(expected, got):
        for k, v in want.items():
            assert (set(ev[k]) if k in ("topics", "places") else ev[k]) == (set(v) if k in ("topics", "places") else v)


@pytest.mark.parametrize("text,expected", [
    ("Pope Leo XIV received Ukrainian President Volodymyr Zelenskyy at the papal summer residence south of Rome "
     "on Tuesday, the Vatican said.", [{"parties": ["UA", "VA"], "form": "meeting", "status": "held"}]),
    ("The pope reiterated the Holy See's willingness to welcome representatives of Russia and Ukraine for talks.",
     []),
])
def test_a_city_that_locates_and_a_willingness_to_host(text, expected):
    check(text, expected)


def test_a_leader_who_joined_the_meeting_is_one_more_party():
    text = ("British Prime Minister Keir Starmer hosted Ukrainian President Volodymyr Zelenskiy and French President "
            "Emmanuel Macron at Downing Street on Monday to discuss security guarantees for Ukraine as Europe weighs "
            "the latest U.S. proposals. Italian Prime Minister Giorgia Meloni joined the meeting by video link, "
            "Starmer's office said. Starmer will speak to U.S. President Donald Trump later on Monday to brief him "
            "on the discussions, his spokesman said.")
    check(text, [{"parties": ["FR", "GB", "IT", "UA"], "form": "meeting", "status": "held"},
                 {"parties": ["GB", "US"], "form": "call", "status": "planned"}])


def test_ready_in_quotes_to_host_is_an_offer():
    check("Le Premier ministre hongrois Viktor Orban, proche de Moscou, s'est dit « prêt » à accueillir les deux "
          "dirigeants dès que les conditions seraient réunies.", [])


@pytest.mark.parametrize("text,expected", [
    ("The Kremlin visit followed talks between U.S. and Ukrainian officials in Florida last weekend.",
     [{"parties": ["UA", "US"], "form": "talks"}]),
    ("Six killed as Russia pounds Kyiv ahead of Berlin talks", []),
    ("Trump announced new sanctions, after talks with Kyiv.", [{"parties": ["UA", "US"], "form": "talks"}]),
])
def test_whose_talks_between_and_ahead_of(text, expected):
    check(text, expected)


@pytest.mark.parametrize("text", ["Zelensky doit parler à Trump jeudi", "Zelensky parlera avec Donald Trump jeudi."])
def test_will_speak_to_is_a_planned_call(text):
    check(text, [{"parties": ["UA", "US"], "form": "call", "status": "planned"}])


@pytest.mark.parametrize("text,expected", [
    # a prisoner swap carried out is the agreement it carries out
    ("Russia and Ukraine each released 157 prisoners of war on Thursday in an exchange mediated by the United "
     "Arab Emirates, both sides said.",
     [{"parties": ["RU", "UA"], "form": "agreement", "status": "agreed", "topics": ["prisoner_exchange"]}]),
    ("La Russie et l'Ukraine ont échangé 84 prisonniers jeudi.",
     [{"parties": ["RU", "UA"], "form": "agreement", "status": "agreed"}]),
    # the compound before the talks names their sides
    ("Moscow not informed about results of Ukraine-US consultations in Geneva - Zakharova",
     [{"parties": ["UA", "US"], "form": "talks"}]),
    # a possible meeting, and talks dated years ago
    ("Interrogé sur une éventuelle rencontre entre Vladimir Poutine et Volodymyr Zelensky, M. Peskov a répondu "
     "qu'elle ne pourrait intervenir qu'à la fin du processus.", []),
    ("Talks between Russia and Ukraine on gas transit went through several rounds in Brussels and Minsk in the "
     "autumn of 2019.", []),
])
def test_swaps_compounds_possible_meetings_and_dated_talks(text, expected):
    check(text, expected)
