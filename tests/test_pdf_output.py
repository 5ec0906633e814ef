"""The PDF people sign and archive: real LibreOffice, read back with pypdf."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from convention_docs import Converter, build, render
from convention_docs.convert import PdfOptions, pdf_destination_name
from convention_docs.docx import render_docx
from convention_docs.inspect import read_pdf
from convention_docs.logos import find_emblems
from convention_docs.spec import load, load_data

from .conftest import EXAMPLES

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def converter() -> Iterator[Converter]:
    with Converter() as conv:
        yield conv


@pytest.fixture(scope="module")
def pdf_2026(tmp_path_factory: pytest.TempPathFactory, converter: Converter) -> Path:
    out = tmp_path_factory.mktemp("pdf") / "paca-2026.pdf"
    return render(EXAMPLES / "paca-2026.yaml", out, converter=converter)


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def fold(text: str) -> str:
    return re.sub(r"[ \t]+", " ", text)


def test_text_is_faithful(pdf_2026: Path) -> None:
    text = text_of(pdf_2026)
    assert "Ci-après dénommée «\u00a0le facilitateur\u00a0»" in text
    assert "Article 1er\u00a0: OBJET DE LA CONVENTION" in text
    assert "Fait à Marseille, le 1er\u00a0décembre\u00a02026, en deux exemplaires originaux." \
        in fold(text)
    assert "Cofinancé par l'Union européenne" in text
    assert "France Travail" in text and "Pôle emploi" not in text


def test_emblem_on_first_page_with_statement(pdf_2026: Path) -> None:
    view = read_pdf(pdf_2026)
    first = view.images_on_page(1)
    assert any(find_emblems(image.image) for image in first)
    emblem = next(image for image in first if find_emblems(image.image))
    assert emblem.height_mm == pytest.approx(15.0, abs=0.5)
    assert emblem.alt == "Emblème de l'Union européenne" or emblem.alt is None
    statement = next(line for line in view.lines_on_page(1)
                     if line.text == "Cofinancé par l'Union européenne")
    assert statement.color == (0x00, 0x33, 0x99)
    assert statement.font is not None and "Liberation" in statement.font


def test_fonts_are_embedded(pdf_2026: Path) -> None:
    reader = PdfReader(pdf_2026)
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            descriptor = descriptor.get_object()
            fonts[str(font["/BaseFont"])] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts


def test_metadata_from_the_model(pdf_2026: Path) -> None:
    reader = PdfReader(pdf_2026)
    info = reader.metadata
    assert info is not None
    assert info.title == ("CONVENTION DE PARTENARIAT relative à la mise en œuvre des clauses "
                          "sociales d'insertion dans les marchés de l'État en région "
                          "Provence-Alpes-Côte d'Azur")
    assert info.author == "Préfecture de la région Provence-Alpes-Côte d'Azur"
    assert info.subject == "Clauses sociales d'insertion dans les marchés de l'État"
    assert "FSE+" in str(info.get("/Keywords"))
    assert reader.trailer["/Root"]["/Lang"] == "fr-FR"
    raw = pdf_2026.read_bytes()
    for leak in (b"/tmp", b".convention-docs", b"root", b"python-docx"):
        assert leak not in raw


def test_tagged_by_default(pdf_2026: Path) -> None:
    root = PdfReader(pdf_2026).trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])


def test_signature_blocks_are_named_destinations(pdf_2026: Path) -> None:
    reader = PdfReader(pdf_2026)
    destinations = reader.named_destinations
    last = len(reader.pages)
    for key in ("etat", "metropole"):
        name = "/" + pdf_destination_name(f"signature_{key}")  # a PDF name object
        assert name in destinations, sorted(destinations)
        assert reader.get_destination_page_number(destinations[name]) + 1 == last


def test_pdfa(tmp_path: Path, converter: Converter) -> None:
    out = render(EXAMPLES / "paca-2026.yaml", tmp_path / "a.pdf", pdfa=True, converter=converter)
    reader = PdfReader(out)
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfaid:part(>|=\")2", xmp)
    assert re.search(r"pdfaid:conformance(>|=\")B", xmp)
    assert "/OutputIntents" in reader.trailer["/Root"]
    assert "&amp;apos;" not in xmp  # LibreOffice escapes it twice; pdfmeta fixes that
    assert reader.xmp_metadata is not None
    assert reader.xmp_metadata.dc_title == {"x-default": reader.metadata.title}


def test_seed_example_pdf_is_accepted_with_warnings(tmp_path: Path,
                                                    converter: Converter) -> None:
    result = build(EXAMPLES / "paca-clause-sociale.yaml", tmp_path / "seed.pdf",
                   converter=converter)
    assert result.report.ok
    assert {"OUTDATED_POLE_EMPLOI", "OUTDATED_DECRET_2016", "TYPO_HYPHEN"} \
        <= result.report.codes()
    assert result.report.warnings and not result.report.errors


def test_signature_block_never_splits_across_pages(tmp_path: Path, converter: Converter) -> None:
    base = yaml.safe_load((EXAMPLES / "paca-2026.yaml").read_text(encoding="utf-8"))
    pages_seen = set()
    for filler in range(0, 26):
        spec = copy.deepcopy(base)
        spec["articles"][-1]["blocks"] += ["Ligne de remplissage."] * filler
        docx_path, pdf_path = tmp_path / f"f{filler}.docx", tmp_path / f"f{filler}.pdf"
        render_docx(load_data(spec), docx_path)
        converter.convert(docx_path, pdf_path, PdfOptions())
        view = read_pdf(pdf_path)
        wanted = ("Fait à Marseille", "Pour l'État,", "Le préfet de la région", "Madame")
        pages = {line.location.page for line in view.lines
                 if any(line.text.replace("\u00a0", " ").startswith(w) for w in wanted)}
        assert len(pages) == 1, (filler, pages)
        pages_seen |= pages
    assert len(pages_seen) >= 2  # the sweep did push the block onto a new page


def test_one_off_render_without_converter(tmp_path: Path) -> None:
    out = render(load(EXAMPLES / "paca-2026.yaml"), tmp_path / "one.pdf")
    assert out.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["one.pdf"]
