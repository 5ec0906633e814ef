"""Which header or footer shows on the first page of a .docx (sections, « première page
différente »), and locations a person can use in Word (issue 16)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.enum.section import WD_SECTION
from docx.shared import Mm

from convention_docs.inspect import read_docx
from convention_docs.validate import Report, validate

from .conftest import retitle
from .test_validate_received import STATEMENT, _convention, _emblem


def _codes(report: Report) -> set[str]:
    return {f.code for f in report.errors}


def _base(path: Path) -> Path:
    return _convention(path, picture=None, width_mm=30, statement=False)


def _fill(story: Any, emblem: Path) -> None:
    """Put the emblem and the statement under it in a header or footer ``story``."""
    story.paragraphs[0].add_run().add_picture(str(emblem), width=Mm(30))
    story.add_paragraph().add_run(STATEMENT).font.name = "Arial"


def _emblem_in_an_annex_footer(path: Path) -> Path:
    """A convention whose emblem and statement stand only in the footer of a second section
    (an annex), not on the first page."""
    _base(path)
    doc = Document(str(path))
    last = doc.add_section(WD_SECTION.NEW_PAGE)
    doc.add_paragraph("Annexe : liste des contacts.")
    last.footer.is_linked_to_previous = False
    _fill(last.footer, _emblem(path.parent / "e.png"))
    doc.save(str(path))
    return path


def test_emblem_in_the_default_header_is_on_the_first_page(tmp_path: Path) -> None:
    path = _base(tmp_path / "header.docx")
    doc = Document(str(path))
    _fill(doc.sections[0].header, _emblem(tmp_path / "e.png"))
    doc.save(str(path))
    report = validate(path)
    assert report.findings == (), str(report)


def test_emblem_only_in_the_last_sections_footer_is_not_on_the_first_page(
        tmp_path: Path) -> None:
    path = _emblem_in_an_annex_footer(tmp_path / "last.docx")
    report = validate(path)
    assert _codes(report) == {"FUNDING_NOT_ON_FIRST_PAGE"}, str(report)
    [finding] = report.errors
    assert finding.location.label == "pied de page de la section 2"
    assert "pied de page de la section 2" in str(finding.location)


def test_first_page_different_shows_the_first_page_header(tmp_path: Path) -> None:
    emblem = _emblem(tmp_path / "e.png")
    # the emblem in the default header only, the first page having its own (empty) header
    path = _base(tmp_path / "default-only.docx")
    doc = Document(str(path))
    doc.sections[0].different_first_page_header_footer = True
    doc.sections[0].first_page_header.paragraphs[0].text = "Préfecture de région"
    _fill(doc.sections[0].header, emblem)
    doc.save(str(path))
    report = validate(path)
    assert _codes(report) == {"FUNDING_NOT_ON_FIRST_PAGE"}, str(report)
    assert read_docx(path).images[0].location.first_page is False
    # the emblem in the first page's header: accepted
    path = _base(tmp_path / "first.docx")
    doc = Document(str(path))
    doc.sections[0].different_first_page_header_footer = True
    _fill(doc.sections[0].first_page_header, emblem)
    doc.save(str(path))
    report = validate(path)
    assert report.findings == (), str(report)
    [image] = read_docx(path).images
    assert image.location.first_page is True
    assert image.location.label == "en-tête (première page)"


def test_body_findings_name_the_article_and_quote_the_paragraph(tmp_path: Path) -> None:
    path = retitle(_base(tmp_path / "typo.docx"), lambda text: text.startswith("Article 3"),
                   "Article 5 : SUIVI")
    report = validate(path)
    [gap] = [f for f in report.errors if f.code == "ARTICLE_NUMBERING_GAP"]
    assert gap.location.label == "« Article 5 : SUIVI »"
    path = retitle(_base(tmp_path / "originals.docx"), lambda text: text.startswith("Fait à"),
                   "Fait à Marseille, le 1er décembre 2026.")
    [missing] = [f for f in validate(path).errors if f.code == "ORIGINALS_MISSING"]
    assert missing.location.label == ("sous « Article 5 : DISPOSITIONS DIVERSES », « Fait à "
                                      "Marseille, le 1er décembre 2026. »")
    assert str(missing.location) == (f"{missing.location.label}, paragraphe "
                                     f"{missing.location.paragraph}")


def test_cli_check_says_where_in_word_terms(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from convention_docs.cli import main

    path = _emblem_in_an_annex_footer(tmp_path / "footer.docx")
    assert main(["check", str(path)]) == 1
    said = " ".join(capsys.readouterr().out.split())
    assert "FUNDING_NOT_ON_FIRST_PAGE" in said and "pied de page de la section 2" in said
    assert main(["check", "--format", "json", str(path)]) == 1
    [report] = json.loads(capsys.readouterr().out)
    [finding] = [f for f in report["findings"] if f["code"] == "FUNDING_NOT_ON_FIRST_PAGE"]
    assert finding["location"]["label"] == "pied de page de la section 2"


def test_emblem_only_in_the_even_pages_footer_is_not_on_the_first_page(tmp_path: Path) -> None:
    path = _base(tmp_path / "even.docx")
    doc = Document(str(path))
    doc.settings.odd_and_even_pages_header_footer = True
    _fill(doc.sections[0].even_page_footer, _emblem(tmp_path / "e.png"))
    doc.save(str(path))
    report = validate(path)
    assert _codes(report) == {"FUNDING_NOT_ON_FIRST_PAGE"}, str(report)
    assert report.errors[0].location.label == "pied de page (pages paires)"
