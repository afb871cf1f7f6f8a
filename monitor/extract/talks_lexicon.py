"""Word lists of the negotiation extractor, as compiled regexes over folded text.

Forms (what kind of contact), status cues (planned / held / failed / agreed), topics,
and the contexts that keep a trigger from being news: speculation ("pourrait",
"could"), appeals ("called for talks"), negation ("toute discussion", "neither
meeting"), background ("les pourparlers de 2022", "the Minsk agreements").
"""

from __future__ import annotations

import re

from monitor.extract.firstchar import quick
from monitor.extract.talks_gate import Gated


def rx(pattern: str) -> re.Pattern[str]:
    """The compiled pattern, tried only where a match can start (firstchar.py)."""
    return quick(pattern)


# -- forms -------------------------------------------------------------------------------
# One alternation with a named group per form; `finditer` + `lastgroup` gives every
# trigger with its form. "converse" (s'entretenir) is a call unless an in-person cue is
# near; "meetv" (the verb "meet") is a meeting between leaders, talks between delegations.
_FORM_SRC = {
    "call": r"(?:appels?|entretiens?|conversations?|echanges?) (?:telephoniques?|par telephone|au telephone|"
            r"video|en visioconference)|(?:tele)?phone (?:calls?|conversations?|talks)|video ?(?:calls?|link)|"
            r"visioconference|par telephone|au telephone|by (?:tele)?phone|on the (?:tele)?phone|"
            r"over the phone|a telephone|ont telephone|telephoned|phoned|"
            r"(?:spoke|speaks|spoken|speaking|talked) (?:by phone |on the phone )?(?:with|to)(?= [a-z])|"
            r"(?:un |long |bref |nouvel )echange (?:telephonique )?avec|"
            r"(?:spoke|spoken|talked) (?:by phone|on the phone|for (?:more than |nearly |about |over )?\w+ (?:hours?|minutes))|"
            r"(?:have |had |has )?(?:spoke|spoken|talked)(?= (?:on \w+day|again|twice|late|earlier|last|this|overnight|\w+day)\b)|"
            r"se sont (?:longuement )?parle|s'est (?:longuement )?parle|se parleront|se sont entretenus par telephone|"
            r"calls? (?:with|between)|appels? (?:avec|entre)|(?<=-)[a-z.]+ (?:phone )?call|"
            r"(?:will|to|would|expected to|set to|plans? to|due to) (?:speak|talk)(?= (?:with|to|on|by|\w+day)\b)|"
            r"(?:vont|doivent|devraient|va|doit|devrait) se parler|"
            r"(?:(?:vont|doivent|devraient|va|doit|devrait|compte) parler|parlera|parleront) (?:a|avec)(?= [a-z])|"
            r"(?:in|during) (?:a |the |their |his )?"
            r"(?:\w+ )?(?:phone )?call\b|nouvel appel|sixieme appel|(?:premier|dernier) appel",
    "summit": r"sommets?|summits?|conference (?:de|pour la) paix|peace conference",
    "converse": r"s'entretien\w*|s'entreten\w*|s'est entretenue?|se sont entretenus|s'etaient entretenus|s'etait entretenue?",
    "meetv": r"rencontrer\w*|rencontrera\w*|se (?:sont )?(?:rencontre|retrouve|reuni)e?s|se retrouve\w*|"
             r"se reuni\w*|reunie?s|met|meets?|meeting (?=[a-z]+ (?:officials|delegation|leaders))|"
             r"sat down|held (?:a )?meetings?",
    "meeting": r"rencontres?|reunions?|meetings?|tete-a-tete|entrevues?|face-a-face|entretiens?|visite officielle",
    "discuss": r"discute\w*|discuter|discuss(?:ed|es|ing)?",
    "talks": r"pourparlers|negociations?|negocier|negocie(?:nt|ront|ra)?|discussions?|"
             r"talks|negotiations?|negotiat(?:e|ed|es|ing)|dialogue|consultations|"
             r"held talks|round of talks|cycle de negociations|session de negociations",
    "agreement": r"accords?|agreements?|deals?|agreed|agrees?|se sont mise?s? d'accord|s'accorde\w*|"
                 r"ont convenu|sont convenus|convenu|ont signe|signed|entente|"
                 # a prisoner swap carried out is the agreement it carries out
                 r"(?:swapped|exchanged|swap|exchange) (?:\d[\d,]* |some |about |around )?(?:prisoners|pows|captives)|"
                 r"released (?:\d[\d,]* )?(?:prisoners|pows)(?: of war)?(?: \w+){0,4}? in (?:an|a|the) (?:\w+-?\w* )?(?:exchange|swap)|"
                 r"ont echange (?:\d[\d ]* )?prisonniers|(?:ont )?procede a un echange de prisonniers|"
                 # "has returned 185 servicemen and 22 civilians from Russian captivity"
                 r"(?:returned|brought home|brings home|freed|repatriated|rapatrie|ramene|libere)s? "
                 r"(?:[\w-]+ ){0,6}?(?:from (?:russian |ukrainian )?captivity|de (?:la )?captivite)|"
                 r"(?:brings?|brought) home (?:[\w-]+ ){0,6}?in (?:an? |the )?(?:new )?(?:prisoner )?(?:exchange|swap)",
    "proposal": r"propositions?|proposals?|propose\w*|propos(?:ons|ent|ait|aient|er)|plan de paix|peace plan|plan (?:de paix )?en \d+ points|"
                r"\d+-point (?:peace )?plan|offres?|offered|offers?|memorandum|initiative de paix|"
                r"peace initiative|peace framework|cadre de paix",
    "statement": r"declaration commune|joint statement|communique commun|communique conjoint|joint declaration",
}
TRIGGER_RE = rx(r"\b(?:" + "|".join(rf"(?P<{f}>{p})" for f, p in _FORM_SRC.items()) + r")\b")
# the stems every trigger (and object verb) starts with
TRIGGER_GATE = Gated(TRIGGER_RE, (
    "appels appele appell =appel teleph =phone =phoned =phones call =spoke spoken talk sommet summit rencon reun "
    "retrou meet =met =sat tete face visioc visite pourpa nego dialog discus discut consul entret entrev =accord "
    "=accords =accorde =accordent =accordaient =accorder =accordes agre =deal =deals conven conver =signed =signe =signent =signing entent propos =plan =plans "
    "=offre =offres =offer =offers offere memora initia =peace =cadre =joint =declaration =communique =video "
    "=parle =parleront =parlera =parler speak echange =swap =swapped exchan releas procede return brough brings "
    "freed repatr rapatr ramen =libere =liberes =recu =recue =recus =recues =recoit recevo recevr receiv =host =hosts =hosted =hosting "
    "=hostin accuei welcom =conference"), auto=False)
# verbs that take the other side as direct object: "a appelé Poutine", "reçu par Trump"
OBJECT_VERB_RE = rx(
    r"\b(?:(?P<call>appele|appelle|appellera|appellerait|appelleront|appeler|telephone a|called|"
    r"will call|would call|to call|calls)|(?P<meeting>a recu|ont recu|recoit|recevra|recevrait|recevoir|"
    r"recue?s? (?:[\w']+ ){0,4}?par|received|receives|will receive|to receive|would receive|hosted|hosts|will host|"
    r"to host|would host|"
    r"welcomed|welcomes|accueilli|accueille|accueillera|accueillait))\s+"
    r"(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|on \w+day|\w+day) )?"
    r"(?:(?:a|au|in|at) [\w-]+ )?"  # "recevra lundi à Berlin Volodymyr Zelensky"
    r"(?:(?:son|leur|his|their) (?:\w+ )?(?:homologue|counterpart) (?:\w+ )?)?"
)
# "appelé les alliés à livrer", "called Putin a liar": no call
APPEAL_AFTER_RE = rx(r"\s*(?:a (?:le |la |les |l'|lui |leur |se |s')?\w+(?:er|ir|re)\b|a ce que)")
# "Trump called Putin on Tuesday to discuss ...", not "Trump called Putin crazy"
CALLED_NEXT_RE = rx(
    r"\s*(?:[,.;:]|$|on |to |by |and |after |before |ahead |again|twice|late|earlier|last |this |yesterday|today|"
    r"in |from |for (?:the|a|about|more|nearly|over|an?)\b|at |during |over the|immediately|shortly|back)"
)
IN_PERSON_RE = rx(
    r"\ba recu|\brecue? par|en marge|lors d'une visite|during a visit|in person|en personne|"
    r"\bvisite\b|\bvisit\b|tete-a-tete|face-a-face"
)
# "proposé la reprise de négociations", "offered to meet": the talks are the proposal
PROPOSAL_OF_TALKS_RE = rx(
    r"\b(?:propos\w*|offer\w*|offr\w*|invit\w*)\s+(?:(?!ceasefire|cessez|treve|truce|plan\b|accord|deal|after|"
    r"apres|following)[\w'-]+\s+){0,7}?(?:negociations?|pourparlers|rencontres?|rencontrer|reunion|sommet|talks|"
    r"meet\w*|summit|negotiat\w+|discussions?|dialogue|entretien)\b"
)
# the other side said yes: a proposal of talks becomes planned talks
ACCEPT_RE = rx(
    r"\b(?:accepte\w*|accepted|accepts|agreed to|repondu positivement|responded positively|welcomed the "
    r"(?:offer|proposal|initiative)|a salue l'initiative|said yes|a dit oui)"
)
# what an attack report says: no topic of the talks next to it
STRIKE_WORDS_RE = rx(
    r"\b(?:launched|a lance|ont lance|shot down|abattu\w*|intercept\w*|frappe\w*|struck|hit|bombard\w*|shelling|"
    r"killed|tue\w*|blesse\w*|injured|wounded|pounded|attaque (?:de|contre|massive)|attacks? on|attacked)\b"
)
# "avec l'accord de Washington", "en accord avec", "with the agreement of": consent, no deal
CONSENT_BEFORE_RE = rx(r"(?:\bavec l'|\ben |\bd'un commun |\bwith the |\bin )$")
# "meet" between delegations is talks
DELEGATES_RE = rx(
    r"\b(?:delegations?|negociateurs|negotiators|equipes?|teams?|representants|representatives|officials|"
    r"responsables|diplomates|diplomats|emissaires|envoyes|envoys)\b"
)

# -- contexts that keep a trigger from being news ------------------------------------------
# speculation: hides triggers, actors and topics to the end of the clause
SPEC_RE = rx(
    r"\b(?:pourrai\w*|pourront|pourra|could|might|may (?!\d)|hypothetique\w*|hypothetical|hypothese|hypothesis|"
    r"espere\w*|esperant|souhaite\w*|hopes?|hoping|hoped|wants? to|veut|voudrai\w*|would like|aimerai\w*|"
    r"en position de force|position of strength|(?:possibilite d'(?:un|une)|possibility of (?:a|an)|(?:a|an|the|any) possible|(?:une|un|d'une|d'un) eventuel(?:le)?) (?=(?:\w+ )?(?:appel|rencontre|sommet|entretien|reunion|negociations?|pourparlers|call|meeting|summit|talks|negotiations|visit|conversation)\b)|pas oppose\w*|not opposed|"
    r"n'exclu\w* pas|(?:does|did|do)(?: not|n't) rule out|envisageable|conceivable|"
    r"paix par la force|peace through strength|\bsi\b|\bif\b|\bwhether\b|au cas ou|\bunless\b|a moins que|"
    r"until|jusqu'a ce qu|tant qu|as long as|must|have to be|has to be|would have to|"
    # a meeting nobody is preparing: "no concrete preparations for a Putin-Zelensky meeting"
    r"no (?:concrete |real |practical )?preparations?|no plans? (?:for|to)|aucun(?:e)? preparati\w*|"
    r"pas de preparati\w*|n'est pas (?:a l'ordre du jour|prevue?)|not on the agenda|pas a l'ordre du jour|"
    # scenarios: "le deuxième scénario reposerait sur un sommet", "n'acceptera un tel sommet"
    r"scenarios?|(?:un tel|une telle|de tels|such an?) (?:\w+ )?(?:sommet|rencontre|accord|negociations?|summit|"
    r"meeting|deal|agreement|talks)|"
    # "not the most convenient venue for negotiations": where talks could be held, not talks
    r"(?:venue|lieu|endroit)\s+(?:for|pour|de|des|d')\s*(?:the |les |des |de |d'|la |une? )?(?:\w+ )?(?:negotiations|talks|"
    r"pourparlers|negociations|discussions|meetings?|rencontres?|sommets?|summits?))"
)
# appeals, pressure, offers to host: hide triggers and actors, keep topics
APPEAL_RE = rx(
    # "s'est dit « prêt » à accueillir": the quotes around the word may stand before its object
    r"\b(?:prete?s?[\s\"'\u00ab\u00bb\u201c\u201d]{1,4}(?:a|pour)|ready[\s\"'\u00ab\u00bb\u201c\u201d]{1,4}(?:to|for)|"
    r"open to|ouverte?s? a|disposee?s? a|willing to|"
    r"appel\w* (?:a|aux)\b|appel\w* (?:[\w'-]+ ){1,6}?a (?:le |la |les |l'|lui |leur |se |s')?\w+(?:er|ir|re)\b|"
    r"(?:la |the )?table des negociations|(?:the )?negotiating table|bargaining table|"
    r"willingness to|readiness to|volonte d'accueillir|disponibilite (?:a|pour)|"
    r"challenged|mis au defi|tente\w* de|tries to|trying to|seeks? to|seeking to|cherche\w* a|s'efforce\w* de|"
    r"efforts? (?:to|pour|de|d')|attempts? to|relancer|revive|restart|kick-start|ask(?:s|ed|ing)? for|"
    r"request(?:s|ed|ing)? (?:a|an)\b|demande\w* (?:une|un|des|la tenue|l'ouverture)|reclam\w*|exige\w* (?:une|un|des)|"
    r"sollicit\w*|called (?:for|on)|calls (?:for|on)|calling (?:for|on)|call (?:for|on)|urged?|urging|"
    r"exhort\w*|plaide\w* pour|appealed|presse\w*|pressing|pressure on|pushing|push for|insiste\w* pour|"
    r"(?:propose\w*|offert|offered|offers?|offrant|prete?s?|ready) (?:de |d'|a |to )(?:accueillir|host|heberger|"
    r"organiser|organize|mediate|servir)|afin d'organiser|in order to (?:organi[sz]e|arrange)|"
    r"pour (?:organiser|preparer) (?:un|une|le|la)|to (?:organi[sz]e|arrange|prepare) (?:a|the))"
)
# a trigger right after these words names no meeting: "toute discussion", "neither meeting"
NEGATED_BEFORE_RE = rx(
    r"(?:\b(?:aucune?|toute|tout|no|any|neither|nor|ni|pas de|pas d'|sans|without|refuse\w* (?:de|d'|to)|"
    r"rule[sd]? out|exclu\w*|rejette\w*|not|never|jamais|pas)\s+(?:[\w'-]+\s+){0,3}?|\bpas d'|\bn'(?:a|ont) |"
    # "informé de l'issue de la réunion de Genève": the meeting another sentence reports
    r"\b(?:l'issue|the outcome|les resultats?|le resultat|the results?) (?:de |d'|des |du |of )(?:la |le |les |l'|the )?|"
    r"\ben marge d[eu]s? |\bon the sidelines of (?:the |a )?|"
    r"\bne (?:se )?(?:sont|s'est) )$"
)
NEGATED_AFTER_RE = rx(
    r"[^,.;]{0,60}?\b(?:was|is|are|were|n'est|n'etait|ne sont|n'etaient) (?:not|pas|no longer|plus) (?:\w+ )?"
    r"(?:on the agenda|a l'ordre du jour|planned|prevue?s?|scheduled|envisage\w*|expected|question)"
)
# "the meeting comes days after Trump hosted Putin": what follows is background
BG_AFTER_CUE_RE = rx(
    r"\b(?:comes?|came|intervient|intervenait|survient|arrive) (?:\w+ ){0,3}?(?:after|apres|since|depuis|following)\b"
)
# "after weeks of talks": the talks are the lead-in to what the clause reports
PRIOR_BEFORE_RE = rx(
    r"(?:\bafter|\bapres|\bfollowing|\bau terme d[e']|\bat the end of)\s+(?:\w+\s+)?(?:weeks|months|years|semaines|"
    r"mois|annees|ans|long|longues?|difficult\w*|tense|tendues?|laborious|laborieuses?)\s+(?:\w+\s+)?(?:of|de|d')\s*$"
)
# "the talks" with no side named and no date refers to talks reported elsewhere
DEFINITE_BEFORE_RE = rx(r"(?:\b(?:le|la|les|the|ces|cette|ce|these|this|that|those)\b|\bl')\s*(?:\w+\s+)?$")
VAGUE_BEFORE_RE = rx(
    r"\b(?:prochaine?s|upcoming|coming|futures?|a venir|eventuelles|possibles|potential|eventual|new round of)\s+"
    r"(?:\w+\s+)?$"
)
# "talks in the coming weeks", "à une date ultérieure": no date, no meeting yet
VAGUE_AFTER_RE = rx(
    r"\s+(?:\w+\s+){0,3}?(?:in the coming (?:weeks|months)|dans les (?:semaines|mois) a venir|at some point|"
    r"a une date ulterieure|at a later date|eventually|un jour)\b"
)
TIME_ANCHOR_RE = rx(
    r"\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|aujourd'hui|today|tonight|ce soir|ce matin|this morning|cette semaine|this week|hier|"
    r"yesterday|demain|tomorrow|next week|la semaine prochaine|\d{1,2} (?:janvier|fevrier|mars|avril|mai|juin|"
    r"juillet|aout|septembre|octobre|novembre|decembre))\b"
)
_MONTHS = (r"janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|january|"
           r"february|march|april|may|june|july|august|september|october|november|december")
# background: a past agreement or round named as such ("les pourparlers de 2022")
# "who has met Putin six times this year", "pour la troisième fois": a running count
BG_COUNT_AFTER_RE = rx(r"\s+(?:\w+\s+){0,2}?(?:\w+|\d+) (?:times|fois)\b")
BG_AFTER_RE = rx(
    rf"^[\s,]*(?:[\w'-]+\s+){{0,4}}?(?:de|d'|of|in|en|du|au)\s*(?:(?:{_MONTHS}|spring|summer|autumn|fall|winter|"
    rf"printemps|ete|automne|hiver|fin|debut|early|late)\s+)?(?:19|20)\d\d\b|"
    rf"^\s*(?:\w+\s+)?(?:de|of) (?:{_MONTHS})\b(?! \d)"
)
BG_BEFORE_RE = rx(
    r"(?:\b(?:19|20)\d\d\s+(?:[\w'-]+\s+)?|\b(?:precedente?s?|previous|earlier|former|anciens?|past|"
    r"last year's|first round of|depuis|since|lors des precedent\w*)\s+(?:[\w'-]+\s+){0,2})$"
)
BG_NAMED_RE = rx(
    r"accords? de minsk|minsk (?:agreements?|accords?|protocol)|protocole de minsk|memorandum de budapest|"
    r"budapest memorandum|grain deal|accord (?:sur les )?cereal\w*|initiative cerealiere|grain initiative|"
    # a standing agreement something is done under: "notified in line with existing agreements"
    r"existing agreements?|accords? existants?|(?:in line with|in accordance with|pursuant to|conformement aux?) "
    r"(?:the |l'|les |des )?(?:existing |bilateral |bilateraux )?(?:agreements?|accords?)"
)
BG_CLAUSE_RE = rx(
    r"\b(?:avai(?:t|ent) (?:deja|auparavant)|had (?:already|previously)|deja (?:eu|tenu|dirige|participe)|"
    r"last (?:met|spoke|talked)|previously (?:met|spoke)|a deja rencontre|(?:se sont|s'etaient) deja|"
    r"en (?:19|20)\d\d|in (?:19|20)\d\d|l'an dernier|l'annee derniere|last year|ont deja|have already)\b"
)

# an agreement to buy, make or deliver arms is an arms deal, not a negotiation event
ARMS_DEAL_RE = rx(
    r"\b(?:achat|acquisition|purchase|buy|livraisons?|deliver(?:y|ies)|avions? de combat|fighter jets?|rafale|gripen|"
    r"f-16|patriot|armes|weapons|munitions|ammunition|obus|shells|production (?:conjointe )?de (?:drones|missiles|"
    r"munitions)|(?:joint )?production of|lettre d'intention|letter of intent|aide militaire|military aid)\b"
)

# -- labour, trade, sport, parliaments: not war negotiations ---------------------------------
NEGATIVE_RE = rx(
    r"\b(?:\bgreve|walkout|syndica\w*|\bunions?\b|salari\w*|\bwage|salaires?|\bpay (?:talks|deal|rise)|"
    r"dockworkers|dockers|controleurs aeriens|air traffic controllers|"
    r"\bmatch\b|football|tennis|championnat|\bleague\b|\bligue\b|entraineur|\bcoach|transfert|joueur|player|"
    r"\bclub\b|(?<!navigation )(?<!navires )(?<!ports )(?<!maritime )(?<!trafic )commerci\w+\b(?! (?:shipping|vessels?|ships?|navigation|maritime|ports?)\b)|\btrade\b|tarif\w*|tariffs?|douane|customs|quotas?|mercosur|"
    r"resolution|parlement|parliament|deputes|lawmakers|assemblee nationale|\bvote\b|\bvoted\b|"
    r"congres|congress|senat\b|senate|strike a deal|contrat|contract|"
    # industry: "co-production agreements with Ukrainian firms", "accord de coproduction"
    r"co-?production|coproduction|joint ventures?|defen[cs]e (?:firms?|industry|companies)|"
    r"entreprises? (?:de defense|d'armement)|industrie (?:de defense|d'armement))"
)
NEGATIVE = Gated(NEGATIVE_RE, (
    "grev walkou syndic unio salari wage salair pay dockwo docker contro traffi match footba tennis champi league "
    "ligu entrai coach transf joueur player club commer trad tari douane custom quot mercos resolu parlem parlia "
    "depute lawmak assemb vote congre sena deal contra co produc coprod joint defenc defens entrep indust"),
    auto=False)
SPEC = Gated(SPEC_RE, (
    "pourra pourro could might may hypoth espere espera souhai hope hopi want veut voudra would aimera positi paix "
    "peace si if whethe cas unless moins until jusq tant as must have has no aucun pas prepar agenda ordre "
    "possi oppos exclu rule envis conce eventu scena tel tels telle such venue lieu endroi"),
    auto=False)
APPEAL = Gated(APPEAL_RE)
BG_CLAUSE = Gated(BG_CLAUSE_RE, "deja")
BG_AFTER_CUE = Gated(BG_AFTER_CUE_RE)
BG_NAMED = Gated(BG_NAMED_RE)
