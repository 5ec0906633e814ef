"""Drafts, mixed programming periods and the ways drafters write « Fait à … » (issue 16)."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from convention_docs.context import DRAFT_NOTICE
from convention_docs.validate import Report, validate

from .test_validate_received import _convention, _emblem


def _codes(report: Report) -> set[str]:
    return {f.code for f in report.errors}


def _with(path: Path, *, first: str | None = None, replace: dict[str, str] | None = None,
          extra: str | None = None) -> Path:
    """The accepted short convention (emblem + statement), edited: a paragraph put ``first``,
    paragraphs' texts replaced (by their start), a paragraph added before « Fait à »."""
    emblem = _emblem(path.with_suffix(".png"))
    _convention(path, picture=emblem, width_mm=30, statement=True)
    doc = Document(str(path))
    if first is not None:
        doc.paragraphs[0].insert_paragraph_before(first)
    for paragraph in doc.paragraphs:
        for start, text in (replace or {}).items():
            if paragraph.text.startswith(start):
                for run in paragraph.runs[1:]:
                    run.text = ""
                paragraph.runs[0].text = text
        if extra is not None and paragraph.text.startswith("Fait à"):
            paragraph.insert_paragraph_before(extra)
    doc.save(str(path))
    return path


def test_the_base_convention_is_accepted(tmp_path: Path) -> None:
    report = validate(_with(tmp_path / "base.docx"))
    assert report.findings == (), str(report)


@pytest.mark.parametrize("notice", [DRAFT_NOTICE, "PROJET", "Version provisoire – à ne pas signer"])
def test_a_draft_is_refused(notice: str, tmp_path: Path) -> None:
    report = validate(_with(tmp_path / "draft.docx", first=notice))
    assert _codes(report) == {"DRAFT_NOT_FOR_SIGNATURE"}, str(report)
    [finding] = report.errors
    assert notice in finding.message and finding.location.paragraph == 1


def test_the_word_projet_in_running_text_is_not_a_draft(tmp_path: Path) -> None:
    report = validate(_with(tmp_path / "p.docx", extra="Le projet d'insertion est suivi par un "
                            "comité de pilotage."))
    assert report.findings == (), str(report)


@pytest.mark.parametrize(("extra", "said"), [
    ("Les crédits relèvent du programme opérationnel national FSE 2014-2020.", "« 2014-2020 »"),
    ("Conformément au règlement (UE) n° 1303/2013 du 17 décembre 2013.",
     "le règlement (UE) n° 1303/2013"),
    ("L'Europe s'engage en France.", "« L'Europe s'engage »"),
])
def test_2014_2020_material_on_an_fse_plus_convention_is_refused(extra: str, said: str,
                                                                 tmp_path: Path) -> None:
    report = validate(_with(tmp_path / "mixed.docx", extra=extra))
    assert _codes(report) == {"MIXED_FUNDING_PERIODS"}, str(report)
    [finding] = report.errors
    assert said in finding.message
    assert "la mention « Cofinancé par l'Union européenne »" in finding.message
    assert finding.location.paragraph is not None


def test_2014_2020_convention_dated_after_its_closure_is_refused(tmp_path: Path) -> None:
    # the 2014-2020 set (FSE named, no FSE+ material), signed in 2026
    path = tmp_path / "late.docx"
    _convention(path, picture=None, width_mm=30, statement=False, fund_named=False)
    doc = Document(str(path))
    doc.paragraphs[0].insert_paragraph_before(
        "Ce projet est cofinancé par le Fonds social européen dans le cadre du programme "
        "opérationnel national 2014-2020.")
    doc.save(str(path))
    report = validate(path)
    assert "MIXED_FUNDING_PERIODS" in _codes(report), str(report)
    [finding] = [f for f in report.errors if f.code == "MIXED_FUNDING_PERIODS"]
    assert finding.message.startswith("convention datée du 01/12/2026 avec « 2014-2020 »")
    assert "close depuis le 31/12/2023" in finding.message


@pytest.mark.parametrize("made", [
    "Fait en deux exemplaires originaux, à Marseille, le 1er décembre 2026.",
    "Fait en double exemplaire à Marseille le 1er décembre 2026.",
    "Fait à Marseille, en 2 exemplaires, le 1er décembre 2026.",
    "Fait à Marseille, en deux exemplaires originaux, le 1er décembre 2026",
])
def test_made_at_formulas_are_a_place_and_date(made: str, tmp_path: Path) -> None:
    report = validate(_with(tmp_path / "made.docx", replace={"Fait à": made}))
    assert report.findings == (), str(report)


def test_made_at_with_too_few_originals_is_still_counted(tmp_path: Path) -> None:
    report = validate(_with(tmp_path / "one.docx", replace={
        "Fait à": "Fait en un exemplaire original, à Marseille, le 1er décembre 2026."}))
    assert _codes(report) == {"ORIGINALS_TOO_FEW"}, str(report)
