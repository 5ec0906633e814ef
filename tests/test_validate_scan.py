"""Scans of signed paper: our PDFs rasterised by PDFium, rebuilt as image-only PDFs with Pillow,
read by Tesseract (issue 16)."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from PIL import Image

from convention_docs import ocr
from convention_docs._pdfium import page_count, render_page
from convention_docs.convert import Converter
from convention_docs.inspect import read_pdf
from convention_docs.scan import is_scan
from convention_docs.validate import Report, Severity, validate

from .test_validate_drafts import _with
from .test_validate_received import _convention, _emblem, needs_libreoffice

needs_tesseract = pytest.mark.skipif(not ocr.available(),
                                     reason="Tesseract (tesseract-ocr-fra) absent")


def _scan(pdf: Path, dest: Path, *, dpi: int = 150, skew: float = 0.0,
          grey: bool = False, declared: int | None = None) -> Path:
    """Print ``pdf`` and scan it back: pages as JPEG pictures, a little skewed, no text;
    ``grey``: printed and scanned in black and white."""
    pages = []
    for number in range(1, page_count(pdf) + 1):
        page = render_page(pdf, number, dpi)
        if grey:
            page = page.convert("L").convert("RGB")
        if skew:
            page = page.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor="white")
        buffer = io.BytesIO()
        page.save(buffer, "JPEG", quality=80)
        pages.append(Image.open(io.BytesIO(buffer.getvalue())))
    pages[0].save(dest, save_all=True, append_images=pages[1:], resolution=declared or dpi)
    return dest


def _codes(report: Report) -> set[str]:
    return {f.code for f in report.errors}


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    folder = tmp_path_factory.mktemp("scans")
    accepted = _with(folder / "accepted.docx")
    long = _with(folder / "long.docx")
    doc = Document(str(long))
    for paragraph in doc.paragraphs:
        if paragraph.text.startswith("Article 5"):
            for _ in range(20):  # three pages in all
                paragraph.insert_paragraph_before(
                    "Le facilitateur transmet chaque trimestre le bilan des heures d'insertion "
                    "réalisées, par marché et par entreprise attributaire.")
    doc.save(str(long))
    docs = {
        "accepted": accepted,
        "long": long,
        "no-statement": _convention(folder / "no-statement.docx",
                                    picture=_emblem(folder / "e.png"), width_mm=30,
                                    statement=False),
        "no-emblem": _convention(folder / "no-emblem.docx", picture=None, width_mm=30,
                                 statement=True),
    }
    with Converter() as converter:
        pdfs = {key: converter.convert(path, path.with_suffix(".pdf"))
                for key, path in docs.items()}
    scanned = {key: _scan(pdf, folder / f"{key}-scan.pdf",
                          skew=0.4 if key == "accepted" else 0.0)
               for key, pdf in pdfs.items()}
    scanned["grey"] = _scan(pdfs["accepted"], folder / "grey-scan.pdf", dpi=200, grey=True)
    # saved without its resolution: Pillow's 72 dpi makes pages of 58 × 82 cm
    scanned["72-dpi"] = _scan(pdfs["accepted"], folder / "72-scan.pdf", declared=72)
    yield scanned


@pytest.mark.libreoffice
@needs_libreoffice
def test_a_scan_is_recognised(scans: dict[str, Path]) -> None:
    view = read_pdf(scans["accepted"])
    assert not view.text().strip()
    assert is_scan(view)
    assert not is_scan(read_pdf(scans["accepted"].with_name("accepted.pdf")))


@pytest.mark.libreoffice
@needs_libreoffice
@needs_tesseract
@pytest.mark.parametrize("key", ["accepted", "grey", "72-dpi"])
def test_scan_of_a_compliant_convention_passes(key: str, scans: dict[str, Path]) -> None:
    report = validate(scans[key])
    assert report.ok, str(report)
    assert report.codes() == {"SCAN_READ_BY_OCR"}, str(report)
    [note] = report.findings
    assert note.severity is Severity.INFO
    assert "texte lu par OCR (Tesseract), confiance moyenne" in note.message


@pytest.mark.libreoffice
@needs_libreoffice
@needs_tesseract
@pytest.mark.parametrize(("key", "code"), [("no-statement", "FUNDING_STATEMENT_MISSING"),
                                           ("no-emblem", "EU_EMBLEM_MISSING")])
def test_scan_without_emblem_or_statement_is_refused(key: str, code: str,
                                                    scans: dict[str, Path]) -> None:
    report = validate(scans[key])
    assert _codes(report) == {code}, str(report)
    assert "SCAN_READ_BY_OCR" in report.codes()
    assert report.findings[0].code == code  # the funding verdict first


@pytest.mark.libreoffice
@needs_libreoffice
@needs_tesseract
def test_three_page_scan_time(scans: dict[str, Path]) -> None:
    assert page_count(scans["long"]) == 3
    started = time.perf_counter()
    report = validate(scans["long"])
    elapsed = time.perf_counter() - started
    assert report.ok and report.codes() == {"SCAN_READ_BY_OCR"}, str(report)
    assert elapsed < 60, elapsed  # measured: see docs/rules.md


@pytest.mark.libreoffice
@needs_libreoffice
def test_scan_without_tesseract_is_one_clear_finding(scans: dict[str, Path],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")  # as on a machine without Tesseract
    ocr._tesseract.cache_clear()
    try:
        report = validate(scans["accepted"])
    finally:
        monkeypatch.undo()
        ocr._tesseract.cache_clear()
    assert [f.code for f in report.findings] == ["SCAN_NOT_READABLE"], str(report)
    assert "n'a pas pu être vérifié" in report.findings[0].message


@pytest.mark.libreoffice
@needs_libreoffice
@needs_tesseract
def test_only_the_signed_last_page_scanned(scans: dict[str, Path], tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    text = PdfReader(scans["long"].with_name("long.pdf"))
    scanned = PdfReader(scans["long"])
    writer = PdfWriter()
    writer.add_page(text.pages[0])
    writer.add_page(text.pages[1])
    writer.add_page(scanned.pages[2])  # the signature page, signed and scanned
    mixed = tmp_path / "mixed.pdf"
    with mixed.open("wb") as out:
        writer.write(out)
    report = validate(mixed)
    assert report.ok and report.codes() == {"SCAN_READ_BY_OCR"}, str(report)
    assert report.findings[0].message.startswith("page 3 scannée : texte lu par OCR")
