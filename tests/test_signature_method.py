"""Paper or electronic signing: the model field, the formula in .docx and PDF, and the rules
that judge them (ELECTRONIC_WITH_ORIGINALS, SIGNATURE_FIELDS_WITH_ORIGINALS, the electronic
formula in place of « Fait à …, le … »)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from convention_docs import Converter, SpecError, load, render, validate
from convention_docs.context import ELECTRONIC_FORMULA, build_context
from convention_docs.docx import render_docx
from convention_docs.inspect import read_docx
from convention_docs.model import SignatureMethod
from convention_docs.spec import load_data

from .conftest import EXAMPLES, needs_libreoffice

# Typography applied: thin no-break space before « ; ».
FORMULA = ("Fait à Marseille. La présente convention est signée électroniquement\u202f; elle "
           "prend effet à la date de sa dernière signature.")


def electronic(data: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    data["signature"]["method"] = "électronique"
    data["signature"].pop("date", None)
    data["signature"].pop("originals", None)
    return data


def paca_2026() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / "paca-2026.yaml").read_text("utf-8"))
    return data


def write_spec(folder: Path, data: dict[str, Any]) -> Path:
    path = folder / "spec.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


# -- the model field ------------------------------------------------------------------------------

@pytest.mark.parametrize(("written", "method"), [
    ("paper", SignatureMethod.PAPER), ("papier", SignatureMethod.PAPER),
    ("electronic", SignatureMethod.ELECTRONIC), ("électronique", SignatureMethod.ELECTRONIC),
    ("Électronique", SignatureMethod.ELECTRONIC), ("electronique", SignatureMethod.ELECTRONIC),
])
def test_method_in_english_or_french(tmp_path: Path, minimal: dict[str, Any], written: str,
                                     method: SignatureMethod) -> None:
    minimal["signature"]["method"] = written
    if method is SignatureMethod.ELECTRONIC:
        del minimal["signature"]["date"]
    convention = load(write_spec(tmp_path, minimal))
    assert convention.signature.method is method
    assert convention.signed_electronically() is (method is SignatureMethod.ELECTRONIC)
    # and back: the model dumps the English value, which loads again to the same
    dumped = convention.model_dump(mode="json")
    assert dumped["signature"]["method"] == method.value
    assert load_data(dumped) == convention


def test_method_defaults_to_paper_for_existing_specs() -> None:
    for name in ("paca-clause-sociale", "paca-2026"):
        assert load(EXAMPLES / f"{name}.yaml").signature.method is SignatureMethod.PAPER


@pytest.mark.parametrize(("mutate", "path", "message"), [
    (lambda s: s.update(method="fax"), "signature.method",
     "valeur non reconnue 'fax', attendu : « papier » (paper) ou « électronique » (electronic)"),
    (lambda s: s.update(method="electronic"), "signature.date",
     "une convention signée électroniquement prend la date de sa dernière signature : "
     "retirez « date »"),
    (lambda s: s.update(method="électronique", originals=2), "signature.originals",
     "une convention signée électroniquement n'a pas d'exemplaires originaux papier : "
     "retirez « originals »"),
])
def test_bad_method_is_a_french_error_with_the_field_path(
        tmp_path: Path, minimal: dict[str, Any], mutate: Any, path: str, message: str) -> None:
    mutate(minimal["signature"])
    spec = write_spec(tmp_path, minimal)
    with pytest.raises(SpecError) as info:
        load(spec)
    assert str(spec) in str(info.value)
    assert (path, message) in info.value.issues, info.value.issues


# -- the formula ----------------------------------------------------------------------------------

def test_context_formula_follows_the_method(minimal: dict[str, Any]) -> None:
    paper = build_context(load_data(minimal))["signature"]
    assert paper["made_at"] == ("Fait à Marseille, le 1er\u00a0décembre\u00a02026, en deux "
                                "exemplaires originaux.")
    assert (paper["method"], paper["electronic"]) == ("paper", False)
    signed = build_context(load_data(electronic(minimal)))["signature"]
    assert signed["made_at"] == FORMULA
    assert (signed["method"], signed["electronic"], signed["date"]) == ("electronic", True, None)
    assert ELECTRONIC_FORMULA in signed["made_at"].replace("\u202f;", " ;")


def docx_texts(path: Path) -> list[str]:
    return [line.text for line in read_docx(path).lines if line.visible]


def test_docx_wording_in_both_methods(tmp_path: Path) -> None:
    paper = tmp_path / "papier.docx"
    render_docx(load_data(paca_2026()), paper)
    assert ("Fait à Marseille, le 1er\u00a0décembre\u00a02026, en deux exemplaires originaux."
            in docx_texts(paper))
    signed = tmp_path / "electronique.docx"
    render_docx(load_data(electronic(paca_2026())), signed)
    texts = docx_texts(signed)
    assert FORMULA in texts
    assert not any("exemplaire" in text or "Fait à Marseille, le" in text for text in texts)
    # the formula comes just before the signature blocks, as « Fait à … » did
    assert texts[texts.index(FORMULA) + 1] == "Pour la Métropole Aix-Marseille-Provence,"


# -- validation: the electronic formula replaces « Fait à …, le … » -------------------------------

def test_electronic_docx_is_accepted_without_date_nor_originals(tmp_path: Path) -> None:
    path = tmp_path / "electronique.docx"
    render_docx(load_data(electronic(paca_2026())), path)
    report = validate(path)
    # before: SIGNATURE_PLACE_MISSING (error), no block found after « Fait à »
    assert report.ok, str(report)
    assert not report.codes() & {"SIGNATURE_PLACE_MISSING", "ORIGINALS_MISSING",
                                 "SIGNATURE_DATE_BLANK", "SIGNATURE_BLOCK_MISSING"}
    # the blocks are still checked: remove a name and it is found missing
    document = docx.Document(str(path))
    for table in document.tables:
        for cell in table._cells:
            for paragraph in cell.paragraphs:
                if "EXEMPLE" in paragraph.text:
                    for run in paragraph.runs:
                        run.text = ""
    document.save(str(path))
    assert "SIGNATORY_NAME_MISSING" in validate(path).codes()


def _append_to(path: Path, starts: str, extra: str) -> None:
    document = docx.Document(str(path))
    paragraph = next(p for p in document.paragraphs if p.text.startswith(starts))
    paragraph.runs[-1].text += extra
    document.save(str(path))


def test_electronic_docx_speaking_of_originals_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "electronique.docx"
    render_docx(load_data(electronic(paca_2026())), path)
    _append_to(path, "Fait à Marseille.", " Établie en deux exemplaires originaux.")
    report = validate(path)
    finding = next(f for f in report.errors if f.code == "ELECTRONIC_WITH_ORIGINALS")
    assert finding.message == ("convention signée électroniquement qui parle d'exemplaires "
                               "originaux papier : retirez « en … exemplaires originaux »")
    assert finding.location.paragraph is not None


def test_electronic_model_speaking_of_originals_is_refused(minimal: dict[str, Any]) -> None:
    minimal["articles"][1]["blocks"].append(
        "La présente convention est établie en deux exemplaires originaux.")
    assert "ELECTRONIC_WITH_ORIGINALS" not in validate(load_data(minimal)).codes()  # paper
    report = validate(load_data(electronic(minimal)))
    [finding] = [f for f in report.errors if f.code == "ELECTRONIC_WITH_ORIGINALS"]
    assert finding.location.field == "articles[1].blocks[1]"
    assert "retirez « en … exemplaires originaux »" in finding.message


# -- PDF: the formula, and signature fields against paper originals -------------------------------

def with_signature_field(source: Path, target: Path, name: str = "etat") -> Path:
    """A copy of ``source`` with one empty signature field (AcroForm ``/FT /Sig``)."""
    writer = PdfWriter(clone_from=source)
    widget = DictionaryObject({
        NameObject("/FT"): NameObject("/Sig"), NameObject("/T"): TextStringObject(name),
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Widget"),
        NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (100, 100, 250, 165)]),
        NameObject("/F"): NumberObject(4)})
    annotation = writer.add_annotation(page_number=len(writer.pages) - 1, annotation=widget)
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject({
        NameObject("/Fields"): ArrayObject([annotation.indirect_reference]),
        NameObject("/SigFlags"): NumberObject(3)})
    writer.write(target)
    fields = PdfReader(target).get_fields() or {}
    assert {k: v.get("/FT") for k, v in fields.items()} == {name: "/Sig"}
    return target


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    folder = tmp_path_factory.mktemp("method")
    with Converter() as converter:
        yield {
            "paper": render(load_data(paca_2026()), folder / "papier.pdf", converter=converter),
            "electronic": render(load_data(electronic(paca_2026())), folder / "electronique.pdf",
                                 converter=converter),
        }


def pdf_text(path: Path) -> str:
    return " ".join("\n".join(page.extract_text() for page in PdfReader(path).pages).split())


@pytest.mark.libreoffice
@needs_libreoffice
def test_pdf_wording_in_both_methods(pdfs: dict[str, Path]) -> None:
    paper, signed = pdf_text(pdfs["paper"]), pdf_text(pdfs["electronic"])
    assert "Fait à Marseille, le 1er décembre 2026, en deux exemplaires originaux." in paper
    assert ("Fait à Marseille. La présente convention est signée électroniquement ; elle prend "
            "effet à la date de sa dernière signature.") in signed.replace("\u202f", " ")
    raw = "\n".join(page.extract_text() for page in PdfReader(pdfs["electronic"]).pages)
    assert "électroniquement\u202f;" in raw  # the typography survives into the PDF
    assert "exemplaire" not in signed
    report = validate(pdfs["electronic"])
    assert report.ok and not report.codes() & {"SIGNATURE_PLACE_MISSING", "ORIGINALS_MISSING",
                                               "SIGNATURE_DATE_BLANK"}, str(report)


@pytest.mark.libreoffice
@needs_libreoffice
def test_signature_fields_with_paper_originals_are_flagged(tmp_path: Path,
                                                           pdfs: dict[str, Path]) -> None:
    assert "SIGNATURE_FIELDS_WITH_ORIGINALS" not in validate(pdfs["paper"]).codes()  # no field
    paper = with_signature_field(pdfs["paper"], tmp_path / "papier-champs.pdf")
    report = validate(paper)
    [finding] = [f for f in report.findings if f.code == "SIGNATURE_FIELDS_WITH_ORIGINALS"]
    assert finding.message.startswith("le PDF a des champs de signature électronique (etat) "
                                      "mais parle encore d'exemplaires originaux papier")
    assert finding.location.page == len(PdfReader(paper).pages)
    signed = with_signature_field(pdfs["electronic"], tmp_path / "electronique-champs.pdf")
    assert "SIGNATURE_FIELDS_WITH_ORIGINALS" not in validate(signed).codes()
    assert validate(signed).ok
