"""French wording and typography: dates, numbers, lists, no-break spaces, agreement, names.

Pure functions, no state. Dates, lists, numbers and amounts come from babel (locale ``fr_FR``);
the rest follows the usual French administrative conventions: « Article 1er », « le 1er décembre
2026 », « M. Pierre DARTOUT », an espace insécable (U+00A0) before « : » and a narrow no-break
space (U+202F, « espace fine insécable ») before « ; ! ? ». Outputs hold those characters
themselves, never HTML entities.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from types import MappingProxyType
from typing import Literal

from babel.dates import format_date as _babel_date
from babel.lists import format_list as _babel_list
from babel.numbers import format_currency, format_decimal
from babel.numbers import format_percent as _babel_percent

from convention_docs.model import Civility, Gender

__all__ = [
    "NBSP",
    "NNBSP",
    "UNACCENTED_CAPITALS",
    "GuillemetSpace",
    "agree",
    "apply_non_breaking_spaces",
    "article_label",
    "civility_long",
    "find_unaccented_capitals",
    "format_amount",
    "format_date",
    "format_list",
    "format_number",
    "format_percent",
    "lower_article",
    "no_break_ranges",
    "ordinal",
    "person_name",
    "quote",
    "restore_capital_accents",
    "typographic_apostrophe",
    "upper",
]

NBSP = "\u00a0"
"""Espace insécable (NO-BREAK SPACE): before « : », inside « » by default, inside dates."""

NNBSP = "\u202f"
"""Espace fine insécable (NARROW NO-BREAK SPACE): before « ; ! ? »; babel's group separator."""

GuillemetSpace = Literal["thin", "normal"]
"""The space written inside « »: ``"normal"`` (U+00A0) or ``"thin"`` (U+202F)."""

_LOCALE = "fr_FR"
_GUILLEMET_SPACES: Mapping[str, str] = {"normal": NBSP, "thin": NNBSP}

# ------------------------------------------------------------------------------------------
# Dates, lists, numbers
# ------------------------------------------------------------------------------------------


def format_date(value: dt.date) -> str:
    """Return the date as written in French running text: « 24 novembre 2026 ».

    The first day of a month is « 1er » (babel's long format says « 1 »). The two spaces are
    U+00A0, so a date never breaks across lines. Add « le » yourself.

    >>> format_date(dt.date(2026, 11, 24))
    '24\\xa0novembre\\xa02026'
    >>> format_date(dt.date(2026, 12, 1))
    '1er\\xa0décembre\\xa02026'
    """
    day = "1er" if value.day == 1 else str(value.day)
    month = _babel_date(value, "MMMM", locale=_LOCALE)
    return f"{day}{NBSP}{month}{NBSP}{value.year}"


def format_list(items: Sequence[str]) -> str:
    """Return the items joined the French way: « A, B et C » (no comma before « et »).

    >>> format_list(["l'État", "la Métropole", "le facilitateur"])
    "l'État, la Métropole et le facilitateur"
    >>> format_list(["A", "B"]), format_list(["A"]), format_list([])
    ('A et B', 'A', '')
    """
    return _babel_list(list(items), locale="fr")


def format_amount(amount: Decimal | int | float, currency: str = "EUR") -> str:
    """Return the amount as babel writes it in fr_FR: « 1 234,50 € ».

    Groups are separated by U+202F and the symbol follows a U+00A0. The amount is rounded to the
    currency's digits, half to even (``Decimal("0.125")`` gives « 0,12 € »); a negative amount
    starts with a hyphen-minus. Pass a ``Decimal`` for exact values.

    >>> format_amount(Decimal("1234.5"))
    '1\\u202f234,50\\xa0€'
    >>> format_amount(15000)
    '15\\u202f000,00\\xa0€'
    """
    return format_currency(amount, currency, locale=_LOCALE)


def format_number(value: Decimal | int | float) -> str:
    """Return the number in French notation, every digit kept: « 1 234,5 ».

    Unlike babel's default (which rounds to three decimals), nothing is rounded away; trailing
    zeros are dropped. A float keeps its shortest ``repr``, so pass a ``Decimal`` for exact values.

    >>> format_number(Decimal("1234.5"))
    '1\\u202f234,5'
    >>> format_number(Decimal("0.0625"))
    '0,0625'
    """
    return format_decimal(value, locale=_LOCALE, decimal_quantization=False)


def format_percent(value: Decimal | int | float) -> str:
    """Return the fraction as a French percentage: 0.3 → « 30 % » (U+00A0 before « % »).

    Decimals are kept (0.125 → « 12,5 % »), where babel's default would round to « 12 % ».

    >>> format_percent(0.3)
    '30\\xa0%'
    >>> format_percent(Decimal("0.125"))
    '12,5\\xa0%'
    """
    return _babel_percent(value, locale=_LOCALE, decimal_quantization=False)


# ------------------------------------------------------------------------------------------
# Article numbering
# ------------------------------------------------------------------------------------------


def ordinal(n: int) -> str:
    """Return the number as articles are numbered: « 1er », then « 2 », « 3 » …

    >>> ordinal(1), ordinal(2), ordinal(11)
    ('1er', '2', '11')
    >>> ordinal(0)
    Traceback (most recent call last):
    ValueError: numéro d'article invalide : 0 (le premier est 1)
    """
    if n < 1:
        raise ValueError(f"numéro d'article invalide : {n} (le premier est 1)")
    return "1er" if n == 1 else str(n)


def article_label(n: int) -> str:
    """Return the heading label of article ``n``: « Article 1er », « Article 2 ».

    >>> article_label(1), article_label(2)
    ('Article 1er', 'Article 2')
    """
    return f"Article {ordinal(n)}"


# ------------------------------------------------------------------------------------------
# Typography
# ------------------------------------------------------------------------------------------

_BEFORE = {":": NBSP, ";": NNBSP, "!": NNBSP, "?": NNBSP}
# A space is never inserted after these (« ?! », « !! », « (?) », « :: »):
_NO_SPACE_AFTER = frozenset(":;!?([{«")
# ... and only before a mark followed by the end, a space, or one of these ("10:30", "a?b" stay):
_CLOSERS = frozenset("!?;.,…»)]}\"'”’")
_URL = re.compile(
    r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.|\bmailto:)[^\s«»]*?(?=[.,;:!?)\]]*(?:[\s«»]|\Z))",
    re.IGNORECASE,
)


def _gap(a: str | None, gap: str, b: str, c: str | None, in_url: bool, guillemet: str) -> str:
    """Return what goes between ``a`` and ``b`` in place of ``gap`` (a run of U+0020, or "")."""
    if a is None or a.isspace() or b.isspace():
        return gap  # start of text or of a line, or a space already no-break
    if a == "«":
        return gap if b == "»" and not gap else guillemet
    if b == "»":
        return guillemet
    if b in _BEFORE and not in_url:
        if gap:
            return _BEFORE[b]
        if a not in _NO_SPACE_AFTER and (c is None or c.isspace() or c in _CLOSERS):
            return _BEFORE[b]
    return gap


def apply_non_breaking_spaces(text: str, *, guillemet_space: GuillemetSpace = "normal") -> str:
    """Return the text with French no-break spaces before « : ; ! ? » and inside « ».

    U+00A0 goes before « : », U+202F before « ; ! ? », and inside guillemets U+00A0
    (``"normal"``) or U+202F (``"thin"``). An ordinary space (or a run of them) in those places
    is replaced; where there is none, one is inserted. Nothing is inserted in URLs
    (``https://…?a=1``), between ``:`` and a letter or digit (« 10:30 », « 2:1 »), after another
    of these marks (« ?! » gets one space, before « ? »), after « ( », nor at the start of the
    text or of a line; a space that is already no-break is left as it is (even if it is the
    other kind, so re-applying with another ``guillemet_space`` changes nothing). Only spaces are
    ever changed, and applying twice gives the same text.

    >>> apply_non_breaking_spaces("Objet : la convention; voir https://x.fr/?q=1 ?!")
    'Objet\\xa0: la convention\\u202f; voir https://x.fr/?q=1\\u202f?!'
    >>> apply_non_breaking_spaces("25 % ; loi n° 2021-1104")
    '25\xa0%\u202f; loi n°\xa02021-1104'
    >>> apply_non_breaking_spaces("dite «le facilitateur» à 10:30", guillemet_space="thin")
    'dite «\\u202fle facilitateur\\u202f» à 10:30'
    """
    guillemet = _GUILLEMET_SPACES[guillemet_space]
    # Only the gap before a mark, and the gap after « , can change: visit those alone.
    places = {m.start() for m in _MARKS.finditer(text)}
    places.update(m.end() for m in _AFTER_OPENING.finditer(text) if m.end() < len(text))
    if not places:
        return _unit_spaces(text)
    in_url = ({i for m in _URL.finditer(text) for i in range(m.start(), m.end())}
              if _URL_HINT.search(text) else set())
    out: list[str] = []
    done = 0
    for i in sorted(places):
        gap_start = i
        while gap_start and text[gap_start - 1] == " ":
            gap_start -= 1
        a = text[gap_start - 1] if gap_start else None
        c = text[i + 1] if i + 1 < len(text) else None
        out += (text[done:gap_start],
                _gap(a, text[gap_start:i], text[i], c, i in in_url, guillemet))
        done = i
    out.append(text[done:])
    return _unit_spaces("".join(out))


_MARKS = re.compile(r"[:;!?»]")
_AFTER_OPENING = re.compile(r"« *")  # the first character after « and its spaces
_URL_HINT = re.compile(r"://|www\.|mailto:", re.IGNORECASE)


# « 25 % », « 15 000 € », « n° 2021-1104 », « art. 4 »: the ordinary space becomes U+00A0.
_UNIT_SPACE = re.compile(r"(?<=\d) +(?=[%€‰])|(?<=\bn°) +(?=\d)|(?<=\bart\.) +(?=[\dLRD])")


def _unit_spaces(text: str) -> str:
    # The pattern starts with a look-behind, so the regex engine tries it at every position:
    # look first for what every match needs (a space, and a unit, « n° » or « art. »).
    if " " in text and ("%" in text or "€" in text or "‰" in text or "n°" in text
                        or "art." in text):
        return _UNIT_SPACE.sub(NBSP, text)
    return text


_NUMBER_RANGE = re.compile(r"(?<![\d\-\u2011])(\d{4})-(?=\d{4}(?![\d\-\u2011]))")


def no_break_ranges(text: str) -> str:
    """Return the text with the hyphen of each range of years made non-breaking (U+2011).

    « 2021-2027 », « 2022-2025 » (and numbers of that shape, « loi n° 2021-1104 ») then never
    break across lines. The renderer writes U+2011 as Word's ``<w:noBreakHyphen/>``, which Word,
    LibreOffice and the validator read back as « - ».

    >>> no_break_ranges("FSE+ 2021-2027, n° 78-17, 2021-2027-2030")
    'FSE+ 2021\u20112027, n° 78-17, 2021-2027-2030'
    """
    return _NUMBER_RANGE.sub("\\1\u2011", text) if "-" in text else text


_STRAIGHT_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")


def typographic_apostrophe(text: str) -> str:
    """Return the text with each straight ``'`` between two letters made ’ (U+2019).

    Other straight quotes (around code, after a digit, at a word's edge) are left alone.

    >>> typographic_apostrophe("l'État et aujourd'hui, mais pas 'x'")
    "l’État et aujourd’hui, mais pas 'x'"
    """
    return _STRAIGHT_APOSTROPHE.sub("’", text) if "'" in text else text


def quote(text: str, *, guillemet_space: GuillemetSpace = "normal") -> str:
    """Return the text between French guillemets with no-break spaces: « text ».

    >>> quote("le facilitateur")
    '«\\xa0le facilitateur\\xa0»'
    >>> quote("le facilitateur", guillemet_space="thin")
    '«\\u202fle facilitateur\\u202f»'
    """
    space = _GUILLEMET_SPACES[guillemet_space]
    return f"«{space}{text}{space}»"


# ------------------------------------------------------------------------------------------
# Capitals
# ------------------------------------------------------------------------------------------


def upper(text: str) -> str:
    """Return the text in capitals, accents kept: « état » → « ÉTAT », « œuvre » → « ŒUVRE ».

    This is ``str.upper`` (full Unicode case mapping), named so that callers say they want the
    accents: French capitals keep them. « ß » becomes « SS » and ligatures such as « ﬁ » become
    « FI » (the result may be longer than the text); « œ » and « æ » stay ligatures.

    >>> upper("Établissement public d'aménagement"), upper("Straße")
    ("ÉTABLISSEMENT PUBLIC D'AMÉNAGEMENT", 'STRASSE')
    """
    return text.upper()


_CAPITAL_WORDS = {
    "Echéance": "Échéance",
    "Echéancier": "Échéancier",
    "Ecole": "École",
    "Economie": "Économie",
    "Economique": "Économique",
    "Education": "Éducation",
    "Egalement": "Également",
    "Egalité": "Égalité",
    "Electricité": "Électricité",
    "Electrique": "Électrique",
    "Elu": "Élu",
    "Elue": "Élue",
    "Energie": "Énergie",
    "Epargne": "Épargne",
    "Equipe": "Équipe",
    "Etablissement": "Établissement",
    "Etape": "Étape",
    "Etat": "État",
    "Etoile": "Étoile",
    "Etranger": "Étranger",
    "Etre": "Être",
    "Etude": "Étude",
    "Evaluation": "Évaluation",
    "Evénement": "Événement",
    "Evènement": "Évènement",
}

UNACCENTED_CAPITALS: Mapping[str, str] = MappingProxyType(
    _CAPITAL_WORDS
    | {f"{k}s": f"{v}s" for k, v in _CAPITAL_WORDS.items() if k not in ("Etre", "Egalement")}
)
"""Unaccented capitalised words → their correct spelling: ``"Etat"`` → ``"État"``.

Only words that do not exist without the accent in French (so never « Emploi », « Europe »,
« Entreprise »); plurals included. The validator warns about them; matching also accepts the
all-capitals form (« ETAT » → « ÉTAT »).
"""

_CAPITALS_LOOKUP = {**UNACCENTED_CAPITALS} | {
    k.upper(): v.upper() for k, v in UNACCENTED_CAPITALS.items()
}
_CAPITALS_RE = re.compile(
    r"(?<!\w)(?:"
    + "|".join(re.escape(w) for w in sorted(_CAPITALS_LOOKUP, key=len, reverse=True))
    + r")(?!\w)"
)


def find_unaccented_capitals(text: str) -> list[tuple[str, str]]:
    """Return each unaccented capital word of the text with its suggestion, in order.

    Whole words only, in title case or all capitals (« etat » is a different mistake: ignored).

    >>> find_unaccented_capitals("l'Etat et les ETATS membres, l'Europe, l'Emploi")
    [('Etat', 'État'), ('ETATS', 'ÉTATS')]
    """
    return [(m.group(), _CAPITALS_LOOKUP[m.group()]) for m in _CAPITALS_RE.finditer(text)]


def restore_capital_accents(text: str) -> str:
    """Return the text with the words of :data:`UNACCENTED_CAPITALS` accented.

    >>> restore_capital_accents("Le préfet, représentant de l'Etat (ETAT), Etats-Unis, Etatique")
    "Le préfet, représentant de l'État (ÉTAT), États-Unis, Etatique"
    """
    return _CAPITALS_RE.sub(lambda m: _CAPITALS_LOOKUP[m.group()], text)


# ------------------------------------------------------------------------------------------
# Agreement, people, names
# ------------------------------------------------------------------------------------------


def agree(masculine: str, gender: Gender) -> str:
    """Return the past participle (or adjective) agreeing with a party of ``gender``.

    Only regular forms: the feminine adds « e » to a word ending in « é », « i », « u », « t » or
    « s » (« représenté » → « représentée », « mis » → « mise »), and « és » (masculine plural)
    becomes « ées ». A word already ending in « e » is returned unchanged (already feminine, or
    the same in both genders: « signataire »). Anything else raises ``ValueError``: write the
    feminine yourself (« actif », « premier », « nouveau »). Case follows the word
    (« DÉNOMMÉ » → « DÉNOMMÉE »).

    >>> agree("Représenté", Gender.FEMININE), agree("ci-après dénommé", Gender.MASCULINE)
    ('Représentée', 'ci-après dénommé')
    """
    if gender is Gender.MASCULINE:
        return masculine
    lower = masculine.lower()
    e = "E" if masculine.isupper() else "e"
    if lower.endswith("e"):
        return masculine
    if lower.endswith("és"):
        return f"{masculine[:-1]}{e}{masculine[-1]}"
    if lower.endswith(("é", "i", "u", "t", "s")) and not lower.endswith("eau"):
        return masculine + e
    raise ValueError(f"accord au féminin non géré pour {masculine!r} : écrire la forme féminine")


_CIVILITY_LONG = {Civility.M: "Monsieur", Civility.MME: "Madame"}


def civility_long(civility: Civility) -> str:
    """Return the civility written in full: « Monsieur », « Madame ».

    >>> civility_long(Civility.M), civility_long(Civility.MME)
    ('Monsieur', 'Madame')
    """
    return _CIVILITY_LONG[civility]


def person_name(civility: Civility, first_name: str, last_name: str, *, long: bool = False) -> str:
    """Return the name as written in the convention: « M. Pierre DARTOUT ».

    The family name is in capitals (accents kept), the first name as given; a U+00A0 keeps the
    civility with the first name. ``long=True`` writes the civility in full.

    >>> person_name(Civility.MME, "Hélène", "Lefèvre")
    'Mme\\xa0Hélène LEFÈVRE'
    >>> person_name(Civility.M, "Pierre", "Dartout", long=True)
    'Monsieur\\xa0Pierre DARTOUT'
    """
    title = civility_long(civility) if long else civility.value
    return f"{title}{NBSP}{first_name} {upper(last_name)}"


_LEADING_ARTICLE = re.compile(r"L['’]|(?:La|Le|Les)(?=\s)")


def lower_article(name: str) -> str:
    """Return the name with its leading article lower-cased, for use inside a sentence.

    « L'État » → « l'État », « La Métropole » → « la Métropole »; « Le », « Les » and « L’ »
    too. A name without a leading article is returned unchanged.

    >>> lower_article("La Métropole Aix-Marseille-Provence"), lower_article("Laval Agglomération")
    ('la Métropole Aix-Marseille-Provence', 'Laval Agglomération')
    """
    match = _LEADING_ARTICLE.match(name)
    if match is None:
        return name
    return name[0].lower() + name[1:]
