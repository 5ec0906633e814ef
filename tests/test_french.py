"""Tests of convention_docs.french: exact strings, edge cases, and properties of the typography."""

from __future__ import annotations

import datetime as dt
import inspect
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from convention_docs import french
from convention_docs.french import (
    UNACCENTED_CAPITALS,
    GuillemetSpace,
    agree,
    apply_non_breaking_spaces,
    article_label,
    civility_long,
    find_unaccented_capitals,
    format_amount,
    format_date,
    format_list,
    format_number,
    format_percent,
    lower_article,
    ordinal,
    person_name,
    quote,
    restore_capital_accents,
    typographic_apostrophe,
    upper,
)
from convention_docs.model import Civility, Gender

NBSP = "\u00a0"
NNBSP = "\u202f"


def test_all_is_sorted_and_complete() -> None:
    functions = {
        name
        for name, value in vars(french).items()
        if inspect.isfunction(value)
        and value.__module__ == french.__name__
        and not name.startswith("_")
    }
    assert functions <= set(french.__all__)
    assert all(hasattr(french, name) for name in french.__all__)
    # isort-style order, as ruff's RUF022 wants it: CONSTANTS, then Classes, then functions
    assert french.__all__ == sorted(
        french.__all__, key=lambda n: (not n.isupper(), n[0].islower(), n)
    )


def test_space_constants() -> None:
    assert (french.NBSP, french.NNBSP) == (NBSP, NNBSP)


# ------------------------------------------------------------------------------------------
# Dates
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2026, 11, 24), f"24{NBSP}novembre{NBSP}2026"),
        (dt.date(2026, 12, 1), f"1er{NBSP}décembre{NBSP}2026"),
        (dt.date(2026, 12, 31), f"31{NBSP}décembre{NBSP}2026"),
        (dt.date(2028, 2, 29), f"29{NBSP}février{NBSP}2028"),
        (dt.date(2027, 1, 1), f"1er{NBSP}janvier{NBSP}2027"),
        (dt.date(2026, 8, 11), f"11{NBSP}août{NBSP}2026"),
        (dt.date(2026, 5, 21), f"21{NBSP}mai{NBSP}2026"),
        (dt.date(2026, 7, 10), f"10{NBSP}juillet{NBSP}2026"),
    ],
)
def test_format_date(value: dt.date, expected: str) -> None:
    assert format_date(value) == expected


@given(st.dates())
def test_format_date_has_no_breakable_space_and_1er_only_on_day_1(value: dt.date) -> None:
    text = format_date(value)
    assert " " not in text
    assert text.count(NBSP) == 2
    assert text.startswith("1er" + NBSP) == (value.day == 1)
    assert "er" not in text.split(NBSP)[0] or value.day == 1


def test_format_date_accepts_datetime() -> None:
    assert format_date(dt.datetime(2026, 3, 1, 10, 30)) == f"1er{NBSP}mars{NBSP}2026"


# ------------------------------------------------------------------------------------------
# Lists and numbers
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([], ""),
        (["l'État"], "l'État"),
        (["l'État", "la Métropole"], "l'État et la Métropole"),
        (["A", "B", "C"], "A, B et C"),
        (("A", "B", "C", "D"), "A, B, C et D"),
    ],
)
def test_format_list(items: list[str], expected: str) -> None:
    assert format_list(items) == expected


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (Decimal("1234.50"), "EUR", f"1{NNBSP}234,50{NBSP}€"),
        (15000, "EUR", f"15{NNBSP}000,00{NBSP}€"),
        (0.5, "EUR", f"0,50{NBSP}€"),
        (Decimal("1234567.891"), "EUR", f"1{NNBSP}234{NNBSP}567,89{NBSP}€"),
        (Decimal("0.125"), "EUR", f"0,12{NBSP}€"),  # babel rounds half to even
        (Decimal("-20"), "EUR", f"-20,00{NBSP}€"),
        (1000, "USD", f"1{NNBSP}000,00{NBSP}$US"),
    ],
)
def test_format_amount(amount: Decimal | int | float, currency: str, expected: str) -> None:
    assert format_amount(amount, currency) == expected


def test_format_amount_defaults_to_euros() -> None:
    assert format_amount(10) == f"10,00{NBSP}€"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234.5"), f"1{NNBSP}234,5"),
        (1234567, f"1{NNBSP}234{NNBSP}567"),
        (Decimal("1234.5678"), f"1{NNBSP}234,5678"),  # babel's default would round to ,568
        (Decimal("1.50"), "1,5"),
        (0, "0"),
        (999, "999"),
        (2.25, "2,25"),
    ],
)
def test_format_number(value: Decimal | int | float, expected: str) -> None:
    assert format_number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.3, f"30{NBSP}%"),
        (1, f"100{NBSP}%"),
        (0, f"0{NBSP}%"),
        (Decimal("0.125"), f"12,5{NBSP}%"),  # babel's default would say 12 %
        (0.07, f"7{NBSP}%"),
    ],
)
def test_format_percent(value: Decimal | int | float, expected: str) -> None:
    assert format_percent(value) == expected


# ------------------------------------------------------------------------------------------
# Article numbering
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "expected"), [(1, "1er"), (2, "2"), (3, "3"), (11, "11"),
                                             (21, "21"), (101, "101")])
def test_ordinal(n: int, expected: str) -> None:
    assert ordinal(n) == expected


@pytest.mark.parametrize(("n", "expected"), [(1, "Article 1er"), (2, "Article 2"),
                                             (21, "Article 21")])
def test_article_label(n: int, expected: str) -> None:
    assert article_label(n) == expected


@pytest.mark.parametrize("n", [0, -1])
def test_ordinal_and_article_label_refuse_numbers_below_1(n: int) -> None:
    message = re.escape(f"numéro d'article invalide : {n} (le premier est 1)")
    with pytest.raises(ValueError, match=message):
        ordinal(n)
    with pytest.raises(ValueError, match=message):
        article_label(n)


# ------------------------------------------------------------------------------------------
# No-break spaces
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an ordinary space (or a run of them) is replaced
        ("Objet : la convention", f"Objet{NBSP}: la convention"),
        ("Objet   : x", f"Objet{NBSP}: x"),
        ("oui ; non", f"oui{NNBSP}; non"),
        ("Vraiment ?", f"Vraiment{NNBSP}?"),
        ("Attention !", f"Attention{NNBSP}!"),
        ("« le facilitateur »", f"«{NBSP}le facilitateur{NBSP}»"),
        ("«   x   »", f"«{NBSP}x{NBSP}»"),
        # where there is none, one is inserted
        ("Objet: la convention", f"Objet{NBSP}: la convention"),
        ("oui; non", f"oui{NNBSP}; non"),
        ("Vraiment?", f"Vraiment{NNBSP}?"),
        ("Attention!", f"Attention{NNBSP}!"),
        ("«le facilitateur»", f"«{NBSP}le facilitateur{NBSP}»"),
        ("Article 3:", f"Article 3{NBSP}:"),
        ("« Oui?»", f"«{NBSP}Oui{NNBSP}?{NBSP}»"),
        ("(voir ci-dessus!)", f"(voir ci-dessus{NNBSP}!)"),
        ("« x »: y", f"«{NBSP}x{NBSP}»{NBSP}: y"),
        ("a;;", f"a{NNBSP};;"),
        ("Note:\nsuite", f"Note{NBSP}:\nsuite"),
        # « ?! », « !! »: one space, before the first mark only
        ("Quoi?!", f"Quoi{NNBSP}?!"),
        ("Quoi ?!", f"Quoi{NNBSP}?!"),
        ("Non!!", f"Non{NNBSP}!!"),
        ("Non!!!", f"Non{NNBSP}!!!"),
    ],
)
def test_apply_non_breaking_spaces(text: str, expected: str) -> None:
    assert apply_non_breaking_spaces(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "https://www.economie.gouv.fr",
        "voir https://x.fr/page?a=1;b=2!c:3",
        "www.x.fr/?q=1",
        "mailto:contact@x.fr",
        "à 10:30",
        "un ratio 2:1",
        ": au début",
        "std::vector",
        "(?)",
        "(!)",
        "«»",
        "!",
        "?!",
        "\n: en début de ligne",
        f"déjà{NBSP}: fait",
        f"déjà{NNBSP}; fait",
        f"déjà{NBSP}; fait (l'espace insécable existant est gardé)",
        f"«{NNBSP}x{NNBSP}»",
        "a?b",
        "",
        "   ",
    ],
)
def test_apply_non_breaking_spaces_leaves_alone(text: str) -> None:
    assert apply_non_breaking_spaces(text) == text


def test_apply_non_breaking_spaces_at_end_of_url() -> None:
    assert apply_non_breaking_spaces("Voir https://x.fr/a?b=1?") == (
        f"Voir https://x.fr/a?b=1{NNBSP}?"
    )
    assert apply_non_breaking_spaces("«https://x.fr»") == f"«{NBSP}https://x.fr{NBSP}»"


def test_apply_non_breaking_spaces_thin_guillemets() -> None:
    assert apply_non_breaking_spaces("« x » : «y»", guillemet_space="thin") == (
        f"«{NNBSP}x{NNBSP}»{NBSP}: «{NNBSP}y{NNBSP}»"
    )


_TYPO_ALPHABET = st.sampled_from(
    [*"aZé19 :;!?«»()/.'’\n\t-", NBSP, NNBSP, "https://", "www.", "mailto:", "  "]
)
_hostile_text = st.one_of(
    st.lists(_TYPO_ALPHABET, max_size=40).map("".join),
    st.text(max_size=60),
)
_guillemet_space: st.SearchStrategy[GuillemetSpace] = st.sampled_from(("normal", "thin"))


def _without_spaces(text: str) -> str:
    return text.replace(" ", "").replace(NBSP, "").replace(NNBSP, "")


@given(_hostile_text, _guillemet_space)
def test_apply_non_breaking_spaces_is_idempotent(text: str, space: GuillemetSpace) -> None:
    once = apply_non_breaking_spaces(text, guillemet_space=space)
    assert apply_non_breaking_spaces(once, guillemet_space=space) == once


@given(_hostile_text, _guillemet_space)
def test_apply_non_breaking_spaces_changes_only_spaces(text: str, space: GuillemetSpace) -> None:
    result = apply_non_breaking_spaces(text, guillemet_space=space)
    assert _without_spaces(result) == _without_spaces(text)
    # existing no-break spaces are all kept, and no ordinary space is added
    assert result.count(NBSP) >= text.count(NBSP)
    assert result.count(NNBSP) >= text.count(NNBSP)
    assert result.count(" ") <= text.count(" ")


@given(st.lists(st.sampled_from(list("ab1 :;!?«»")), max_size=30).map("".join))
def test_apply_non_breaking_spaces_leaves_no_ordinary_space_before_high_marks(text: str) -> None:
    result = apply_non_breaking_spaces(text)
    assert not re.search(r"(?<=[^\s]) +[:;!?»]", result)
    assert not re.search(r"« +(?=[^\s])", result)


# ------------------------------------------------------------------------------------------
# Apostrophes and quotes
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("l'État", "l’État"),
        ("aujourd'hui", "aujourd’hui"),
        ("L'ÉTAT D'URGENCE", "L’ÉTAT D’URGENCE"),
        ("la variable 'x' vaut 'abc'", "la variable 'x' vaut 'abc'"),
        ("les années '90", "les années '90"),
        ("l'1", "l'1"),
        ("'", "'"),
        ("l’État", "l’État"),
    ],
)
def test_typographic_apostrophe(text: str, expected: str) -> None:
    assert typographic_apostrophe(text) == expected


@given(_hostile_text)
def test_typographic_apostrophe_is_idempotent(text: str) -> None:
    once = typographic_apostrophe(text)
    assert typographic_apostrophe(once) == once


@given(_hostile_text)
def test_typographic_apostrophe_changes_only_straight_apostrophes(text: str) -> None:
    result = typographic_apostrophe(text)
    assert len(result) == len(text)
    assert all(a == b or (a, b) == ("'", "’") for a, b in zip(text, result, strict=True))


def test_quote() -> None:
    assert quote("le facilitateur") == f"«{NBSP}le facilitateur{NBSP}»"
    assert quote("le facilitateur", guillemet_space="thin") == f"«{NNBSP}le facilitateur{NNBSP}»"
    assert quote("") == f"«{NBSP}{NBSP}»"


def test_quote_is_left_alone_by_apply_non_breaking_spaces() -> None:
    spaces: tuple[GuillemetSpace, ...] = ("normal", "thin")
    for space in spaces:
        text = quote("x", guillemet_space=space)
        assert apply_non_breaking_spaces(text) == text


# ------------------------------------------------------------------------------------------
# Capitals
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("état", "ÉTAT"),
        ("œuvre", "ŒUVRE"),
        ("préfète de la région", "PRÉFÈTE DE LA RÉGION"),
        ("ça", "ÇA"),
        ("Straße", "STRASSE"),
        ("Dupont & Fils", "DUPONT & FILS"),
    ],
)
def test_upper(text: str, expected: str) -> None:
    assert upper(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("l'Etat", "l'État"),
        ("L'ETAT", "L'ÉTAT"),
        ("les Etats membres", "les États membres"),
        ("Etats-Unis", "États-Unis"),
        ("l’Etat", "l’État"),
        ("Etoile", "Étoile"),
        ("Economie sociale et solidaire", "Économie sociale et solidaire"),
        ("Ministère de l'Economie", "Ministère de l'Économie"),
        ("Economique", "Économique"),
        ("Electricité", "Électricité"),
        ("Egalité des chances", "Égalité des chances"),
        ("Education nationale", "Éducation nationale"),
        ("Etablissement public", "Établissement public"),
        ("Etablissements", "Établissements"),
        ("Etude", "Étude"),
        ("Etudes", "Études"),
        ("Evaluation", "Évaluation"),
        ("Elu", "Élu"),
        ("Elus", "Élus"),
        ("ELUS", "ÉLUS"),
        ("Europe", "Europe"),
        ("Emploi", "Emploi"),
        ("Eco-conception", "Eco-conception"),
        ("Etatique", "Etatique"),
        ("etat", "etat"),
        ("EtAT", "EtAT"),
        ("SuperEtat", "SuperEtat"),
        ("État", "État"),
    ],
)
def test_restore_capital_accents(text: str, expected: str) -> None:
    assert restore_capital_accents(text) == expected


def test_find_unaccented_capitals() -> None:
    text = "L'Etat, les ETATS membres et l'Education nationale ; l'Europe, l'Emploi, l'État"
    assert find_unaccented_capitals(text) == [
        ("Etat", "État"),
        ("ETATS", "ÉTATS"),
        ("Education", "Éducation"),
    ]
    assert find_unaccented_capitals("rien à signaler") == []


def test_unaccented_capitals_table() -> None:
    assert UNACCENTED_CAPITALS["Etat"] == "État"
    for word in ("Europe", "Emploi", "Entreprise", "Eco", "Est", "Entre"):
        assert word not in UNACCENTED_CAPITALS
    for found, suggestion in UNACCENTED_CAPITALS.items():
        # the suggestion differs only by the accent on the first capital
        assert found[0] == "E" and suggestion[0] in "ÉÈÊ"
        assert found[1:] == suggestion[1:]
    with pytest.raises(TypeError):
        UNACCENTED_CAPITALS["Etat"] = "x"  # type: ignore[index]


def test_restore_capital_accents_fixes_every_table_word() -> None:
    for found, suggestion in UNACCENTED_CAPITALS.items():
        assert restore_capital_accents(f"({found})") == f"({suggestion})"
        assert restore_capital_accents(found.upper()) == suggestion.upper()


# ------------------------------------------------------------------------------------------
# Agreement, people, names
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("masculine", "gender", "expected"),
    [
        ("représenté", Gender.FEMININE, "représentée"),
        ("représenté", Gender.MASCULINE, "représenté"),
        ("dénommé", Gender.MASCULINE, "dénommé"),
        ("Représenté", Gender.FEMININE, "Représentée"),
        ("ci-après dénommé", Gender.FEMININE, "ci-après dénommée"),
        ("DÉNOMMÉ", Gender.FEMININE, "DÉNOMMÉE"),
        ("représentés", Gender.FEMININE, "représentées"),
        ("défini", Gender.FEMININE, "définie"),
        ("conclu", Gender.FEMININE, "conclue"),
        ("dit", Gender.FEMININE, "dite"),
        ("mis", Gender.FEMININE, "mise"),
        ("pris", Gender.FEMININE, "prise"),
        ("représentée", Gender.FEMININE, "représentée"),
        ("signataire", Gender.FEMININE, "signataire"),
    ],
)
def test_agree(masculine: str, gender: Gender, expected: str) -> None:
    assert agree(masculine, gender) == expected


@pytest.mark.parametrize("word", ["actif", "premier", "", "nouveau"])
def test_agree_refuses_irregular_words(word: str) -> None:
    message = re.escape(f"accord au féminin non géré pour {word!r} : écrire la forme féminine")
    with pytest.raises(ValueError, match=message):
        agree(word, Gender.FEMININE)


def test_civility_long() -> None:
    assert civility_long(Civility.M) == "Monsieur"
    assert civility_long(Civility.MME) == "Madame"


@pytest.mark.parametrize(
    ("civility", "first", "last", "long", "expected"),
    [
        (Civility.M, "Pierre", "Dartout", False, f"M.{NBSP}Pierre DARTOUT"),
        (Civility.M, "Pierre", "Dartout", True, f"Monsieur{NBSP}Pierre DARTOUT"),
        (Civility.MME, "Hélène", "Lefèvre", False, f"Mme{NBSP}Hélène LEFÈVRE"),
        (Civility.MME, "Hélène", "Lefèvre", True, f"Madame{NBSP}Hélène LEFÈVRE"),
        (Civility.M, "Jean-Pierre", "d'Estaing", False, f"M.{NBSP}Jean-Pierre D'ESTAING"),
        (Civility.MME, "éloïse", "DUPONT", False, f"Mme{NBSP}éloïse DUPONT"),
    ],
)
def test_person_name(civility: Civility, first: str, last: str, long: bool, expected: str) -> None:
    assert person_name(civility, first, last, long=long) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("L'État", "l'État"),
        ("L’État", "l’État"),
        ("La Métropole Aix-Marseille-Provence", "la Métropole Aix-Marseille-Provence"),
        ("Le Plan local pour l'insertion", "le Plan local pour l'insertion"),
        ("Les Compagnons bâtisseurs", "les Compagnons bâtisseurs"),
        (f"La{NBSP}Poste", f"la{NBSP}Poste"),
        ("Métropole Aix-Marseille-Provence", "Métropole Aix-Marseille-Provence"),
        ("Laval Agglomération", "Laval Agglomération"),
        ("Lesneven", "Lesneven"),
        ("Lens", "Lens"),
        ("Le", "Le"),
        ("la Métropole", "la Métropole"),
        ("", ""),
    ],
)
def test_lower_article(name: str, expected: str) -> None:
    assert lower_article(name) == expected
