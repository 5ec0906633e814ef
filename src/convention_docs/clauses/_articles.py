"""The standard articles of a 2026 clause-sociale convention, one function each.

Each function returns model objects (``Article``, ``Preamble``) whose text is plain French as it
will appear in the document; typography (no-break spaces, « 1er » in superscript) is applied when
rendering. Each is registered with its legal basis (``clause(...)``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from babel.dates import format_date as _babel_date

from convention_docs.clauses._clause import clause
from convention_docs.clauses.tribunals import tribunal
from convention_docs.french import format_list
from convention_docs.model import (
    Article,
    Block,
    Bold,
    Bullets,
    FundingPeriod,
    Paragraph,
    Preamble,
    Quote,
    Ref,
)

__all__ = [
    "DEFAULT_INDICATORS",
    "DEFAULT_PUBLICS",
    "avenants",
    "confidentialite",
    "donnees_personnelles",
    "duree",
    "engagements",
    "financement_europeen",
    "litiges",
    "objet",
    "preambule",
    "publics",
    "resiliation",
    "suivi",
]

_WORDS = ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
          "onze", "douze")


def _number(n: int, *, feminine: bool = False) -> str:
    if n < 0:
        raise ValueError(f"nombre négatif : {n}")
    if n == 1 and feminine:
        return "une"
    return _WORDS[n] if n < len(_WORDS) else str(n)


def _de(phrase: str) -> str:
    """« de » before ``phrase``, elided before a vowel: « d'un an », « de trois ans »."""
    return f"d'{phrase}" if phrase[:1] in "aeéiouy" else f"de {phrase}"


def _count(n: int, singular: str, plural: str, *, feminine: bool = False) -> str:
    return f"{_number(n, feminine=feminine)} {singular if n == 1 else plural}"


def _date(value: dt.date) -> str:
    """« 1er janvier 2027 », with ordinary spaces (the renderer makes them no-break)."""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {_babel_date(value, 'MMMM', locale='fr_FR')} {value.year}"


# --------------------------------------------------------------------------------------------
# Preamble
# --------------------------------------------------------------------------------------------


@clause(
    "code de la commande publique, art. L2111-1, L2112-2, L2112-2-1, L2113-12, L2113-13 et "
    "L2113-15",
    "loi n° 2021-1104 du 22 août 2021 « Climat et résilience », art. 35",
    "plan national pour des achats durables 2022-2025",
    "circulaire du Premier ministre du 25 février 2020 relative aux engagements de l'État pour "
    "des services publics écoresponsables",
)
def preambule(*, closing: Sequence[Block] | None = None) -> Preamble:
    """Return the preamble: why public buyers use social clauses, with the law of late 2026.

    Cites the code de la commande publique (L2111-1 quoted, L2112-2, L2112-2-1 mandatory from
    21 August 2026, reserved contracts L2113-12, L2113-13, L2113-15), the PNAD 2022-2025 (30 %)
    and the circulaire of 25 February 2020. ``closing``: the paragraphs that end it (by default,
    one on the facilitators' role).
    """
    if closing is None:
        closing = (
            "Les facilitateurs des clauses sociales, portés notamment par les plans locaux pour "
            "l'insertion et l'emploi, les maisons de l'emploi et les collectivités, font le lien "
            "entre les acheteurs publics, les entreprises titulaires et les acteurs de l'emploi "
            "et de l'insertion du territoire.",)
    return Preamble(blocks=(
        "La commande publique, au travers des clauses sociales, constitue un des leviers "
        "d'insertion et d'accès à l'emploi des personnes en difficultés sociales et "
        "professionnelles et contribue ainsi de manière significative au défi social à relever.",
        "La prise en compte d'objectifs de développement durable, conciliant la création de "
        "richesse, la protection de l'environnement et l'inclusion sociale, fait partie "
        "intégrante du droit de la commande publique :",
        Bullets(bullets=(
            ("l'article L2111-1 du code de la commande publique dispose que ",
             Quote(quote="la nature et l'étendue des besoins à satisfaire sont déterminées avec "
                         "précision avant le lancement de la consultation en prenant en compte "
                         "des objectifs de développement durable dans leurs dimensions "
                         "économique, sociale et environnementale"),
             " ;"),
            ("l'article L2112-2 du même code permet à l'acheteur de prendre en compte des "
             "considérations relatives à l'emploi et au domaine social dans les conditions "
             "d'exécution d'un marché ;",),
            ("l'article L2112-2-1, issu de l'article 35 de la loi n° 2021-1104 du 22 août 2021 "
             "dite « Climat et résilience », rend obligatoire, pour les marchés dont la valeur "
             "estimée est égale ou supérieure aux seuils européens et dont la consultation est "
             "engagée à compter du 21 août 2026, une condition d'exécution prenant en compte des "
             "considérations relatives au domaine social ou à l'emploi, sauf dans les cas que "
             "cet article prévoit ;",),
            ("les articles L2113-12, L2113-13 et L2113-15 du même code permettent de réserver "
             "des marchés aux entreprises adaptées et établissements et services d'aide par le "
             "travail, aux structures d'insertion par l'activité économique et aux entreprises "
             "de l'économie sociale et solidaire ;",),
            ("le plan national pour des achats durables 2022-2025 fixe pour objectif qu'en "
             "2025, 30 % des contrats de la commande publique comprennent au moins une "
             "considération sociale ;",),
            ("la circulaire du Premier ministre du 25 février 2020 relative aux engagements de "
             "l'État pour des services publics écoresponsables appelle les services de l'État à "
             "l'exemplarité dans leurs achats.",),
        )),
        *closing,
    ))


# --------------------------------------------------------------------------------------------
# Articles
# --------------------------------------------------------------------------------------------


@clause("code de la commande publique, art. L2112-2 et L2112-2-1")
def objet(*, facilitator: str, scope: str, area: str | None = None) -> Article:
    """Return the article « OBJET DE LA CONVENTION » (key ``objet``).

    ``facilitator``: the body that carries the facilitator's mission, with its article
    (« la Métropole Aix-Marseille-Provence »); ``scope``: the contracts concerned (« les marchés
    des services de l'État en région … »); ``area``: where the facilitator works (« les
    territoires du Pays d'Aix et du Pays salonais »), if it is to be said.
    """
    where = f" sur {area}" if area else ""
    return Article(key="objet", title="OBJET DE LA CONVENTION", blocks=(
        "La présente convention a pour objet de renforcer le partenariat entre les services de "
        f"l'État et {facilitator}, structure porteuse des missions de facilitateur des clauses "
        f"sociales d'insertion{where}.",
        "Elle définit les engagements respectifs des parties pour la mise en œuvre de clauses "
        f"sociales dans {scope}.",
    ))


@clause("code de la commande publique, art. L2111-1, L2112-2 et L2112-2-1")
def engagements(*, employment_partners: Sequence[str] = ("France Travail",
                                                         "les missions locales", "le PLIE"),
                indicators_article: str | None = "suivi",
                no_financial_impact: bool = True) -> Article:
    """Return the article « ENGAGEMENTS DES PARTIES » (key ``engagements``): the State informs
    and involves the facilitator early; the facilitator advises the buyer and follows the clause.

    ``employment_partners``: the local employment bodies the facilitator knows (France Travail
    first); ``indicators_article``: key of the article listing the indicators (``suivi()``), to
    refer to it, or ``None``; ``no_financial_impact``: say the convention costs the parties
    nothing.
    """
    partners = f" ({format_list(list(employment_partners))} notamment)" \
        if employment_partners else ""
    impact = " assure le suivi opérationnel de la clause sociale et en mesure l'impact"
    follow: tuple[str | Bold | Ref, ...] = (
        "Pour les marchés retenus conjointement, ", Bold(bold="le facilitateur"),
        *((f"{impact} selon les indicateurs définis à ", Ref(ref=indicators_article), ".")
          if indicators_article else (f"{impact}.",)))
    blocks: list[Block] = [
        "L'État s'engage à informer et à associer le facilitateur pour chaque projet de marché "
        "susceptible d'entrer dans le champ de la présente convention, dès la phase des études "
        "préalables à la rédaction du dossier de consultation.",
        "Le facilitateur assiste l'acheteur dans la définition de sa stratégie relative à "
        "l'insertion sociale et apporte son expertise sur les dispositifs territoriaux de "
        f"l'emploi{partners}.",
        Paragraph(paragraph=follow),
        Paragraph(paragraph=(
            "Dans le cas d'un marché s'étendant au-delà de son secteur d'intervention, ",
            Bold(bold="le facilitateur"),
            " se coordonne avec ses homologues territorialement compétents.")),
        "L'intervention du facilitateur n'a pas pour effet de transférer les responsabilités de "
        "l'acheteur.",
    ]
    if no_financial_impact:
        blocks.append("La présente convention est sans incidence financière pour les parties "
                      "signataires.")
    return Article(key="engagements", title="ENGAGEMENTS DES PARTIES", blocks=tuple(blocks))


DEFAULT_PUBLICS = (
    "les demandeurs d'emploi de longue durée inscrits à France Travail",
    "les bénéficiaires du revenu de solidarité active ou de minima sociaux",
    "les jeunes de moins de 26 ans sans qualification",
    "les personnes reconnues travailleurs handicapés",
    "les personnes prises en charge par une structure d'insertion par l'activité économique",
)
"""The usual target publics of insertion hours (France Travail, not « Pôle emploi »)."""


def _bullets(items: Sequence[str]) -> Bullets:
    """A list in French style: « ; » after each item, « . » after the last."""
    if not items:
        raise ValueError("liste vide : au moins un élément attendu")
    last = len(items) - 1
    return Bullets(bullets=tuple((f"{item.rstrip(' ;.')}{'.' if i == last else ' ;'}",)
                                 for i, item in enumerate(items)))


@clause("code du travail, art. L5132-1 (insertion par l'activité économique)",
        "code de la commande publique, art. L2112-2")
def publics(*, publics: Sequence[str] = DEFAULT_PUBLICS) -> Article:
    """Return the article « PUBLICS CIBLES » (key ``publics``): who performs the insertion hours.

    ``publics``: the categories, without final punctuation (``DEFAULT_PUBLICS`` by default).
    """
    return Article(key="publics", title="PUBLICS CIBLES", blocks=(
        "Les heures d'insertion sont réalisées par des personnes éloignées de l'emploi, "
        "notamment :",
        _bullets(publics),
    ))


DEFAULT_INDICATORS = (
    "le nombre de marchés et de lots comportant une clause sociale",
    "le nombre d'heures d'insertion prescrites et réalisées",
    "le nombre de participants et leur répartition par public",
    "le nombre et la nature des contrats de travail conclus (CDD, CDI, intérim, alternance) et "
    "les sorties vers l'emploi durable ou la formation",
)
"""The usual monitoring indicators: contracts, insertion hours, participants, outcomes."""


@clause("règlement (UE) 2021/1057 du 24 juin 2021 (FSE+), art. 17 et annexe I (indicateurs "
        "communs)",
        "code de la commande publique, art. L2112-2")
def suivi(*, report_by: str = "31 mars", indicators: Sequence[str] = DEFAULT_INDICATORS,
          steering_committee: bool = True) -> Article:
    """Return the article « SUIVI ET INDICATEURS » (key ``suivi``): a yearly report with the
    indicators, and a steering committee at least once a year.

    ``report_by``: the day the report is due each year (« 31 mars »); ``indicators``: without
    final punctuation (``DEFAULT_INDICATORS``); ``steering_committee``: add the committee.
    """
    blocks: list[Block] = [
        f"Le facilitateur transmet chaque année à l'État, au plus tard le {report_by}, un bilan "
        "de l'année écoulée comprenant au moins les indicateurs suivants :",
        _bullets(indicators),
    ]
    if steering_committee:
        blocks.append("Un comité de pilotage réunissant les parties se tient au moins une fois "
                      "par an pour examiner ce bilan et fixer les orientations de l'année "
                      "suivante.")
    return Article(key="suivi", title="SUIVI ET INDICATEURS", blocks=tuple(blocks))


@clause("code des relations entre le public et l'administration, art. L311-6 (secrets "
        "protégés)",
        "code de commerce, art. L151-1 (secret des affaires)")
def confidentialite() -> Article:
    """Return the article « CONFIDENTIALITÉ » (key ``confidentialite``): the facilitator keeps
    what the State tells it (projects of contracts, firms' information) confidential."""
    return Article(key="confidentialite", title="CONFIDENTIALITÉ", blocks=(
        "Le facilitateur s'engage à tenir confidentielles les informations transmises par "
        "l'État dans le cadre de la présente convention, et à ne les utiliser que pour les "
        "seuls besoins de son exécution.",
    ))


@clause("règlement (UE) 2016/679 du 27 avril 2016 (RGPD), art. 5, 6, 13, 14 et 28",
        "loi n° 78-17 du 6 janvier 1978 relative à l'informatique, aux fichiers et aux "
        "libertés")
def donnees_personnelles(*, role: Literal["controller", "processor"] = "controller") -> Article:
    """Return the article « PROTECTION DES DONNÉES PERSONNELLES » (key ``donnees``).

    The facilitator processes data on the participants (insertion hours, career paths).
    ``role="controller"``: it does so as data controller (« responsable de traitement », RGPD
    art. 5, 6, 13 and 14) and gives the State only aggregated or anonymised data;
    ``role="processor"``: on the State's behalf, as processor (« sous-traitant », RGPD art. 28).
    """
    laws = ("dans le respect du règlement (UE) 2016/679 du 27 avril 2016 (RGPD) et de la loi "
            "n° 78-17 du 6 janvier 1978 relative à l'informatique, aux fichiers et aux libertés")
    if role == "controller":
        blocks: tuple[Block, ...] = (
            "Pour le suivi des participants, le facilitateur traite des données à caractère "
            f"personnel en qualité de responsable de traitement, {laws}.",
            "Il ne collecte que les données nécessaires au suivi des heures d'insertion et des "
            "parcours, informe les personnes concernées de leurs droits et de la manière de les "
            "exercer, et ne transmet à l'État que des données agrégées ou anonymisées.",
        )
    elif role == "processor":
        blocks = (
            "Pour le suivi des participants, le facilitateur traite des données à caractère "
            "personnel pour le compte de l'État, en qualité de sous-traitant au sens de "
            f"l'article 28 du RGPD, {laws}.",
            "Il n'agit que sur instruction documentée de l'État, garantit la confidentialité et "
            "la sécurité des données, aide l'État à répondre aux demandes d'exercice des droits "
            "des personnes concernées et, au terme de la convention, supprime les données ou "
            "les restitue à l'État.",
        )
    else:
        raise ValueError(f"rôle inconnu {role!r} : attendu « controller » (responsable de "
                         "traitement) ou « processor » (sous-traitant)")
    return Article(key="donnees", title="PROTECTION DES DONNÉES PERSONNELLES", blocks=blocks)


@clause("code civil, art. 1212 à 1215 (durée, renouvellement et tacite reconduction)")
def duree(*, start: dt.date, years: int = 1, renewals: int | None = 3,
          notice_months: int = 3) -> Article:
    """Return the article « DATE D'EFFET ET DURÉE » (key ``duree``).

    ``start``: the day it takes effect; ``years``: its term; ``renewals``: how many times it is
    tacitly renewed for the same term (``None``: no limit, ``0``: never); ``notice_months``: the
    notice a party gives to stop a renewal.
    """
    if years < 1:
        raise ValueError(f"durée invalide : {years} an(s) (au moins un an attendu)")
    term = _count(years, "an", "ans")
    first = f"La présente convention prend effet le {_date(start)} pour une durée {_de(term)}."
    if renewals == 0:
        return Article(key="duree", title="DATE D'EFFET ET DURÉE",
                       blocks=(f"{first} Elle n'est pas reconduite tacitement.",))
    period = "chaque année" if years == 1 else f"par périodes de {term}"
    limit = "" if renewals is None else \
        f", dans la limite {_de(_count(renewals, 'reconduction', 'reconductions', feminine=True))}"
    blocks: list[Block] = [f"{first} Elle est ensuite reconduite tacitement {period}{limit}."]
    blocks.append(
        "Chaque partie peut s'opposer à sa reconduction par lettre recommandée avec accusé de "
        f"réception adressée à l'autre partie au moins {_count(notice_months, 'mois', 'mois')} "
        "avant la fin de la période en cours.")
    return Article(key="duree", title="DATE D'EFFET ET DURÉE", blocks=tuple(blocks))


@clause("code civil, art. 1193 (modification par consentement mutuel)")
def avenants() -> Article:
    """Return the article « MODIFICATION » (key ``avenants``): any change by written
    amendment (« avenant ») signed by the parties."""
    return Article(key="avenants", title="MODIFICATION", blocks=(
        "Toute modification de la présente convention fait l'objet d'un avenant écrit signé par "
        "les parties.",
    ))


@clause("code civil, art. 1224 à 1226 (résolution pour inexécution après mise en demeure)")
def resiliation(*, notice_months: int = 1) -> Article:
    """Return the article « RÉSILIATION » (key ``resiliation``): termination for breach, after
    a formal notice left unanswered for ``notice_months``."""
    return Article(key="resiliation", title="RÉSILIATION", blocks=(
        "En cas de manquement de l'une des parties à ses engagements, l'autre partie peut "
        "résilier la présente convention à l'expiration d'un délai "
        f"{_de(_count(notice_months, 'mois', 'mois'))} suivant une mise en demeure restée sans "
        "effet, adressée par lettre recommandée avec accusé de réception.",
    ))


_EU_BASIS = {
    FundingPeriod.FSE_PLUS_2021_2027: (
        "règlement (UE) 2021/1060 du 24 juin 2021, art. 47 et 50 et annexe IX",
        "règlement (UE) 2021/1057 du 24 juin 2021 (FSE+)"),
    FundingPeriod.FSE_2014_2020: (
        "règlement (UE) n° 1303/2013 du 17 décembre 2013, art. 115 et annexe XII",
        "règlement d'exécution (UE) n° 821/2014 du 28 juillet 2014, art. 4"),
}


@clause(*_EU_BASIS[FundingPeriod.FSE_PLUS_2021_2027], *_EU_BASIS[FundingPeriod.FSE_2014_2020])
def financement_europeen(period: FundingPeriod | str = FundingPeriod.FSE_PLUS_2021_2027, *,
                         statement: Literal["Cofinancé par l'Union européenne",
                                            "Financé par l'Union européenne"]
                         = "Cofinancé par l'Union européenne",
                         mission: str = "facilitateur des clauses sociales") -> Article:
    """Return the article « COMMUNICATION ET FINANCEMENT EUROPÉEN » (key ``communication``).

    FSE+ 2021-2027 (the default): the emblem with « Cofinancé par l'Union européenne » on every
    communication (Reg. (EU) 2021/1060 art. 47, 50 and Annex IX). FSE 2014-2020: the emblem,
    the mention of the Fonds social européen and « L'Europe s'engage en France » (Reg. (EU)
    1303/2013 Annex XII, Impl. Reg. (EU) 821/2014 art. 4). ``mission``: the funded mission.
    The ``funding`` of the convention must declare the same period.
    """
    period = FundingPeriod(period)
    if period is FundingPeriod.FSE_PLUS_2021_2027:
        blocks: tuple[Block, ...] = (
            "Le facilitateur bénéficie de crédits du Fonds social européen plus (FSE+) au titre "
            f"de la programmation 2021-2027 pour sa mission de « {mission} ».",
            "Toute communication ou publication des parties concernant la présente convention, "
            "y compris lors d'une conférence ou d'un séminaire, fait apparaître l'emblème de "
            f"l'Union européenne accompagné de la mention « {statement} », conformément à "
            "l'article 47 et à l'annexe IX du règlement (UE) 2021/1060 du 24 juin 2021.",
        )
    else:
        blocks = (
            "Le facilitateur bénéficie de crédits du Fonds social européen (FSE) au titre de la "
            f"programmation 2014-2020 pour sa mission de « {mission} ».",
            "Toute communication ou publication des parties concernant la présente convention "
            "fait apparaître l'emblème de l'Union européenne, la mention du Fonds social "
            "européen et le logo « L'Europe s'engage en France », conformément à l'annexe XII "
            "du règlement (UE) n° 1303/2013 du 17 décembre 2013 et à l'article 4 du règlement "
            "d'exécution (UE) n° 821/2014 du 28 juillet 2014.",
        )
    return Article(key="communication", title="COMMUNICATION ET FINANCEMENT EUROPÉEN",
                   blocks=blocks)


@clause("code de justice administrative, art. R312-11 (tribunal compétent en matière "
        "contractuelle)",
        "code de justice administrative, art. R221-3 (siège et ressort des tribunaux "
        "administratifs)")
def litiges(departement: str | int, *, amicable: bool = True) -> Article:
    """Return the article « LITIGES » (key ``litiges``): disputes go to the administrative
    court of ``departement`` (« 13 », « 2A », « 971 » or its name), after an attempt at an
    amicable settlement (``amicable``).

    Give the département where the convention is carried out (CJA art. R312-11); when that
    spreads over several courts, the one where the first public authority named in it sits
    (for the State, the signing préfet). The court comes from the table of CJA art. R221-3
    (``convention_docs.clauses.tribunal``).
    """
    court = tribunal(departement).name
    if amicable:
        text = ("Les parties s'efforcent de régler à l'amiable tout différend relatif à "
                "l'interprétation ou à l'exécution de la présente convention. À défaut "
                f"d'accord, le litige est porté devant le {court}.")
    else:
        text = ("Tout litige relatif à l'interprétation ou à l'exécution de la présente "
                f"convention est porté devant le {court}.")
    return Article(key="litiges", title="LITIGES", blocks=(text,))
