"""Noise on conventions written elsewhere: tables of contents, annexes restarting at
« Article 1 », the funding verdict first (issue 16)."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from convention_docs.validate import validate

from .conftest import retitle
from .test_validate_received import _convention

TOC = ["Sommaire", "Article 1er : OBJET ........................ 2",
       "Article 2 : DURÉE ........................ 2", "Article 3 : SUIVI\t3",
       "Article 4 : FINANCEMENT 3", "Article 5 : DISPOSITIONS DIVERSES 4",
       "Annexe 1 : Indicateurs 5", "Annexe 2 : Contacts 6"]


def _noisy(path: Path, *, toc: bool = True, annexes: bool = True) -> Path:
    _convention(path, picture=None, width_mm=30, statement=False, fund_named=False)
    doc = Document(str(path))
    first = doc.paragraphs[0]
    if toc:
        for text in TOC:
            first.insert_paragraph_before(text)
    if annexes:
        for number in (1, 2):
            doc.add_paragraph(f"ANNEXE {number} : {'INDICATEURS' if number == 1 else 'CONTACTS'}")
            for article in ("Article 1 : Définitions", "Les termes sont définis ci-après.",
                            "Article 2 : Contenu", "Le contenu est le suivant.",
                            "Article 4 : Mise à jour", "Mise à jour annuelle."):
                doc.add_paragraph(article)
    doc.save(str(path))
    return path


def test_contents_and_annexes_give_no_numbering_error(tmp_path: Path) -> None:
    report = validate(_noisy(tmp_path / "noisy.docx"))
    # a non-EU convention: the funding verdict, first, and nothing about numbering
    assert [f.code for f in report.errors] == ["EU_EMBLEM_MISSING", "FUNDING_MENTION_MISSING"], \
        str(report)
    assert not any(f.code.startswith("ARTICLE") for f in report.findings), str(report)


def test_a_real_gap_in_the_body_is_still_found(tmp_path: Path) -> None:
    path = retitle(_noisy(tmp_path / "gap.docx"), lambda text: text == "Article 3 : SUIVI",
                   "Article 6 : SUIVI")
    report = validate(path)
    gaps = [f for f in report.errors if f.code.startswith("ARTICLE")]
    assert [f.code for f in gaps] == ["ARTICLE_NUMBERING_GAP", "ARTICLE_NUMBER_REPEATED",
                                      "ARTICLE_NUMBER_REPEATED"], str(report)
    assert "on passe de l'article 2 à l'article 6" in gaps[0].message
    assert report.errors[0].code == "EU_EMBLEM_MISSING"  # the funding verdict first


def test_without_the_rules_for_annexes_they_would_be_read_as_articles(tmp_path: Path) -> None:
    # the same annexes without an « ANNEXE » heading: their articles are the convention's
    path = retitle(_noisy(tmp_path / "bare.docx", toc=False),
                   lambda text: text.startswith("ANNEXE"), "Pièces jointes")
    assert any(f.code == "ARTICLE_NUMBER_REPEATED" for f in validate(path).errors)


def test_many_findings_of_one_kind_are_folded(tmp_path: Path) -> None:
    path = retitle(_noisy(tmp_path / "many.docx", toc=False, annexes=False),
                   lambda text: text.startswith("Article"),
                   "Article 9 : TITRE")  # five headings numbered 9
    report = validate(path)
    repeated = [f for f in report.findings if f.code == "ARTICLE_NUMBER_REPEATED"]
    assert len(repeated) == 3, str(report)
    assert repeated[-1].message.endswith("; et 1 autre constat du même type")
