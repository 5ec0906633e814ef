"""Drafting mistakes that used to pass silently: numbered titles, typography of « 1er » and of
ranges of years, civility against function, party logos."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from lxml import etree

from convention_docs import Converter, SpecError, render
from convention_docs.docx import render_docx
from convention_docs.inspect import read_pdf
from convention_docs.model import Article
from convention_docs.spec import load, load_data

from .conftest import EXAMPLES, needs_libreoffice

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# --- article titles --------------------------------------------------------------------------


@pytest.mark.parametrize(("title", "rest"), [
    ("Article 2 : SUIVI", "SUIVI"),
    ("ARTICLE 2 - Suivi", "Suivi"),
    ("Art. 2 – Suivi", "Suivi"),
    ("Article 1er : OBJET", "OBJET"),
    ("ARTICLE PREMIER – OBJET", "OBJET"),
    ("Article IV. DURÉE", "DURÉE"),
    ("3. LITIGES", "LITIGES"),
    ("Article 12", ""),
])
def test_a_title_starting_with_its_number_is_refused(tmp_path: Path, minimal: dict[str, Any],
                                                     title: str, rest: str) -> None:
    minimal["articles"][1]["title"] = title
    with pytest.raises(SpecError) as info:
        load_data(minimal, source="c.yaml")
    [(path, message)] = info.value.issues
    assert path == "articles[1].title"
    assert message.startswith("le titre commence par un numéro d'article (« ")
    assert "les articles sont numérotés automatiquement (Article 1er, 2, 3 …)" in message
    assert (f"écrivez seulement « {rest} »" in message) == bool(rest)
    assert str(info.value).startswith("c.yaml : spécification invalide, articles[1].title : ")
    # built from Python: the same French error (SpecError, with the field path)
    with pytest.raises(SpecError, match=r"^Article : spécification invalide, title : le titre "
                                        r"commence par un numéro d'article"):
        Article(title=title, blocks=("x",))


@pytest.mark.parametrize("title", ["SUIVI", "ARTICLES RÉSERVÉS", "ARTICLE UNIQUE",
                                   "2021-2027 : FSE+", "30 % DE CLAUSES", "L2112-2-1",
                                   "ARTICLE CIVIL", "Article vie"])
def test_ordinary_titles_pass(title: str) -> None:
    assert Article(title=title, blocks=("x",)).title == title


# --- typography ------------------------------------------------------------------------------


def _runs(paragraph: Any) -> list[tuple[str, bool]]:
    """The (text, superscript) of the paragraph's runs that hold text."""
    return [(run.text, bool(run.font.superscript)) for run in paragraph.runs if run.text]


@pytest.fixture(scope="module")
def docx_2026(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docx") / "paca-2026.docx"
    render_docx(load(EXAMPLES / "paca-2026.yaml"), out)
    return out


def _paragraph(document: Any, start: str) -> Any:
    found = [p for p in document.paragraphs if p.text.startswith(start)]
    assert found, start
    return found[0]


def test_1er_is_superscript_in_headings_dates_and_text(docx_2026: Path) -> None:
    document = docx.Document(str(docx_2026))
    heading = _paragraph(document, "Article 1er")
    assert heading.style.name == "Heading 1"
    assert _runs(heading)[:3] == [("Article 1", False), ("er", True),
                                                ("\u00a0: OBJET DE LA CONVENTION", False)]
    made_at = _paragraph(document, "Fait à Marseille")
    assert made_at.text == ("Fait à Marseille, le 1er\u00a0décembre\u00a02026, en deux "
                            "exemplaires originaux.")
    assert ("er", True) in _runs(made_at)
    term = _paragraph(document, "La présente convention prend effet le 1er")
    runs = _runs(term)
    assert runs[0] == ("La présente convention prend effet le 1", False)
    assert runs[1] == ("er", True)
    # « Article 2 », « 11 », « 21 » are left alone
    assert all(not sup for text, sup in _runs(_paragraph(document, "Article 2")))


def test_ranges_of_years_hold_together(docx_2026: Path) -> None:
    document = docx.Document(str(docx_2026))
    for start in ("Le facilitateur bénéficie de crédits", "Ce projet est cofinancé"):
        paragraph = _paragraph(document, start)
        assert "2021-2027" in paragraph.text  # python-docx reads <w:noBreakHyphen/> as « - »
        xml = etree.tostring(paragraph._p, encoding="unicode")
        assert "2021</w:t><w:noBreakHyphen/><w:t" in xml.replace(' xml:space="preserve"', "")
    law = _paragraph(document, "l'article L2112-2-1, issu")
    assert law._p.findall(f".//{W}noBreakHyphen")  # loi n° 2021-1104 too
    assert "L2112-2-1" in law.text  # but not the hyphens of an article number


def test_typography_off_keeps_plain_hyphens(tmp_path: Path, minimal: dict[str, Any]) -> None:
    minimal["typography"] = {"non_breaking_spaces": False}
    minimal["articles"][0]["blocks"] = ["Programmation 2021-2027, le 1er mars."]
    out = tmp_path / "c.docx"
    render_docx(load_data(minimal), out)
    document = docx.Document(str(out))
    paragraph = _paragraph(document, "Programmation")
    assert paragraph.text == "Programmation 2021-2027, le 1er mars."
    assert not paragraph._p.findall(f".//{W}noBreakHyphen")
    assert ("er", True) in _runs(paragraph)  # « 1er » is spelling, not an option


@pytest.fixture(scope="module")
def converter() -> Iterator[Converter]:
    with Converter() as conv:
        yield conv


@needs_libreoffice
@pytest.mark.libreoffice
def test_pdf_reads_1er_and_whole_ranges(tmp_path: Path, converter: Converter) -> None:
    out = render(EXAMPLES / "paca-2026.yaml", tmp_path / "c.pdf", converter=converter)
    lines = [line.text for line in read_pdf(out).lines]
    assert "Article 1er\u00a0: OBJET DE LA CONVENTION" in lines
    made_at = "Fait à Marseille, le 1er\u00a0décembre\u00a02026"
    assert any(line.startswith(made_at) for line in lines)
    assert not [line for line in lines if line.rstrip().endswith(("2021-", "2021\u2011"))]
    assert any("2021-2027" in line for line in lines)
    assert not any("\u2011" in line for line in lines)


# --- civility and function -------------------------------------------------------------------


@pytest.mark.parametrize(("civility", "function", "word", "other"), [
    ("Mme", "préfet de la région Bretagne", "préfet", "préfète"),
    ("M.", "préfète de l'Aude", "préfète", "préfet"),
    ("Mme", "président de la Maison de l'emploi", "président", "présidente"),
    ("M.", "directrice du PLIE", "directrice", "directeur"),
    ("Mme", "secrétaire général pour les affaires régionales", "général", "générale"),
    ("M.", "vice-présidente de la Métropole déléguée à l'emploi", "présidente", "président"),
])
def test_civility_and_function_disagree(minimal: dict[str, Any], civility: str, function: str,
                                        word: str, other: str) -> None:
    from convention_docs import validate
    minimal["parties"][1]["representative"].update(civility=civility, function=function)
    report = validate(load_data(minimal))
    [finding] = [f for f in report.findings if f.code == "CIVILITY_FUNCTION_MISMATCH"]
    assert finding.severity.value == "warning"
    assert finding.location.field == "parties[1].representative.function"
    name = f"{civility} Anne Martin"
    assert finding.message == (f"« {name} » et « {word} » ne s'accordent pas : écrivez "
                               f"« {other} » (ou corrigez la civilité « {civility} »)")


@pytest.mark.parametrize(("civility", "function"), [
    ("Mme", "préfète de la région Bretagne"), ("M.", "préfet de la région Bretagne"),
    ("Mme", "maire de Rennes"), ("M.", "maire de Rennes"), ("Mme", "secrétaire générale"),
    ("M.", "directeur général adjoint des services"), ("Mme", "ministre du travail"),
    ("M.", "président de la Maison de l'emploi, directeur de la Mission locale"),
    ("Mme", "présidente du conseil départemental, élue du canton du président"),
])
def test_civility_and_function_agree(minimal: dict[str, Any], civility: str,
                                     function: str) -> None:
    from convention_docs import validate
    minimal["parties"][1]["representative"].update(civility=civility, function=function)
    assert "CIVILITY_FUNCTION_MISMATCH" not in validate(load_data(minimal)).codes()


def test_signature_block_function_is_checked_too(minimal: dict[str, Any]) -> None:
    from convention_docs import validate
    minimal["signature"]["blocks"] = [
        {"party": "etat", "function": "La préfète de région"},
        {"party": "plie", "signatory": {"civility": "M.", "first_name": "Paul",
                                        "last_name": "Durand", "function": "présidente"}},
    ]
    report = validate(load_data(minimal))
    fields = sorted(f.location.field or "" for f in report.findings
                    if f.code == "CIVILITY_FUNCTION_MISMATCH")
    assert fields == ["signature.blocks[0].function", "signature.blocks[1].signatory.function"]


def test_the_2026_example_has_no_mismatch() -> None:
    from convention_docs import validate
    assert "CIVILITY_FUNCTION_MISMATCH" not in validate(load(EXAMPLES / "paca-2026.yaml")).codes()
