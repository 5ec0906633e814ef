"""The same verdict for a .docx and the PDF LibreOffice prints of it, over the classes of
issue 16: drafts, mixed periods, « Fait en … » formulas, headers and footers by section, annexes
and contents, the statement in the artwork, fake and modified emblems."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_SECTION
from PIL import Image

from convention_docs.convert import Converter
from convention_docs.validate import Report, validate

from .test_validate_artwork import GOLD, _docx, artwork, emblem, needs_tesseract
from .test_validate_drafts import _with
from .test_validate_noise import _noisy
from .test_validate_received import _convention, _emblem, needs_libreoffice
from .test_validate_sections import _base, _fill


def _codes(report: Report) -> set[str]:
    return {f.code for f in report.errors}


def _last_footer(path: Path) -> Path:
    _base(path)
    doc = Document(str(path))
    last = doc.add_section(WD_SECTION.NEW_PAGE)
    doc.add_paragraph("Annexe : liste des contacts.")
    last.footer.is_linked_to_previous = False
    _fill(last.footer, _emblem(path.with_suffix(".png")))
    doc.save(str(path))
    return path


def _first_header(path: Path) -> Path:
    _base(path)
    doc = Document(str(path))
    _fill(doc.sections[0].header, _emblem(path.with_suffix(".png")))
    doc.save(str(path))
    return path


CASES: dict[str, tuple[Callable[[Path], Path], set[str]]] = {
    "draft": (lambda p: _with(p, first="PROJET – document non validé, à ne pas signer"),
              {"DRAFT_NOT_FOR_SIGNATURE"}),
    "mixed": (lambda p: _with(p, extra="Conformément au règlement (UE) n° 1303/2013."),
              {"MIXED_FUNDING_PERIODS"}),
    "made-double": (lambda p: _with(p, replace={
        "Fait à": "Fait en double exemplaire à Marseille le 1er décembre 2026."}), set()),
    "made-copies-first": (lambda p: _with(p, replace={
        "Fait à": "Fait en deux exemplaires originaux, à Marseille, le 1er décembre 2026."}),
        set()),
    "last-footer": (_last_footer, {"FUNDING_NOT_ON_FIRST_PAGE"}),
    "first-header": (_first_header, set()),
    "noisy": (_noisy, {"EU_EMBLEM_MISSING", "FUNDING_MENTION_MISSING"}),
    "transparent-margins": (lambda p: _docx(p, _margins(), width_mm=45, statement=False),
                            {"FUNDING_STATEMENT_MISSING"}),
    "gold-on-green": (lambda p: _docx(p, emblem("#00843D", GOLD)), {"EU_EMBLEM_NOT_OFFICIAL"}),
    "cropped-stars": (lambda p: _docx(p, emblem(), crop='l="20000" t="20000" r="20000" '
                                                     'b="20000"', width_mm=24, height_mm=16),
                      {"EU_EMBLEM_MODIFIED"}),
    "alone": (lambda p: _convention(p, picture=_emblem(p.with_suffix(".png")), width_mm=30,
                                    statement=False), {"FUNDING_STATEMENT_MISSING"}),
}
OCR_CASES: dict[str, tuple[Callable[[Path], Path], set[str]]] = {
    "artwork": (lambda p: _docx(p, artwork(), width_mm=120, statement=False), set()),
}


def _margins() -> Image.Image:
    """The emblem with transparent margins all round, no statement."""
    picture = Image.new("RGBA", (900, 600), (255, 255, 255, 0))
    picture.paste(emblem(), (150, 100))
    return picture


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    folder = tmp_path_factory.mktemp("consistency")
    docs = {key: make(folder / f"{key}.docx") for key, (make, _) in {**CASES, **OCR_CASES}.items()}
    with Converter() as converter:
        for path in docs.values():
            converter.convert(path, path.with_suffix(".pdf"))
    yield docs


@pytest.mark.libreoffice
@needs_libreoffice
@pytest.mark.parametrize("key", sorted(CASES))
def test_docx_and_pdf_get_the_expected_verdict(key: str, documents: dict[str, Path]) -> None:
    expected = CASES[key][1]
    docx = validate(documents[key])
    pdf = validate(documents[key].with_suffix(".pdf"))
    assert _codes(docx) == expected, str(docx)
    assert _codes(pdf) == expected, str(pdf)


@pytest.mark.libreoffice
@needs_libreoffice
@needs_tesseract
@pytest.mark.parametrize("key", sorted(OCR_CASES))
def test_docx_and_pdf_read_the_artwork_alike(key: str, documents: dict[str, Path]) -> None:
    expected = OCR_CASES[key][1]
    docx = validate(documents[key])
    pdf = validate(documents[key].with_suffix(".pdf"))
    assert _codes(docx) == expected and docx.ok, str(docx)
    assert _codes(pdf) == expected and pdf.ok, str(pdf)
