"""Evidence for the validator: a corpus of bad copies of good documents, .docx and PDF.

Both examples are rendered once; each bad copy is made by editing the rendered .docx (its
``word/document.xml`` through python-docx/lxml, or an image part replaced in the zip), then
converted to PDF by the real LibreOffice for the PDF half. Each bad copy must be refused with
its specific code (and no other error), the good ones accepted. Corpus built once per module.
"""

from __future__ import annotations

import copy
import functools
import io
import math
import re
import shutil
import statistics
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import numpy as np
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject

from convention_docs.convert import Converter, PdfOptions
from convention_docs.docx import render_docx
from convention_docs.inspect import TextLine, read_docx, read_pdf
from convention_docs.logos import asset, find_emblems
from convention_docs.model import Convention
from convention_docs.spec import load
from convention_docs.validate import Finding, Report, Severity, validate

from .conftest import EXAMPLES

NEW = "paca-2026"  # FSE+ 2021-2027: emblem + « Cofinancé par l'Union européenne »
SEED = "paca-clause-sociale"  # FSE 2014-2020: emblem, FSE logo, mention of the FSE
STATEMENT = "Cofinancé par l'Union européenne"

needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice (soffice) absent")


# -- editing a rendered .docx ---------------------------------------------------------------------

Element = Any  # an lxml element of word/document.xml
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def _text(p: Element) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def _para(doc: docx.document.Document, start: str) -> Element:
    """The one body paragraph (tables included) whose text starts with ``start``."""
    found = [p for p in doc.element.body.iter(qn("w:p")) if _text(p).startswith(start)]
    assert len(found) == 1, (start, len(found))
    return found[0]


def _set_text(p: Element, new: str) -> None:
    texts = list(p.iter(qn("w:t")))
    texts[0].text = new
    for t in texts[1:]:
        t.text = ""


def _replace(p: Element, old: str, new: str) -> None:
    before = _text(p)
    for t in p.iter(qn("w:t")):
        t.text = (t.text or "").replace(old, new)
    assert _text(p) != before, old


def _run_property(p: Element, xml: str) -> None:
    """Add ``xml`` (a run property) to every run of paragraph ``p``."""
    for run in p.iter(qn("w:r")):
        rpr = run.find(qn("w:rPr"))
        if rpr is None:
            rpr = parse_xml(f"<w:rPr {nsdecls('w')}/>")
            run.insert(0, rpr)
        rpr.append(parse_xml(xml))


def _remove(element: Element) -> None:
    element.getparent().remove(element)


def _drawings(doc: docx.document.Document) -> list[Element]:
    return list(doc.element.body.iter(qn("w:drawing")))


def _add_picture(doc: docx.document.Document, p: Element, picture: Path, width_mm: float) -> None:
    Paragraph(p, doc._body).add_run().add_picture(str(picture), width=Mm(width_mm))


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _partner_logo(path: Path) -> Path:
    """A partner's logo: a red plate with a green disc, 3:2 like the emblem."""
    image = Image.new("RGB", (600, 400), (200, 30, 30))
    ImageDraw.Draw(image).ellipse((60, 40, 540, 360), fill=(30, 150, 60))
    image.save(path)
    return path


def _twelve_dots(size: tuple[int, int]) -> bytes:
    """A blue rectangle with twelve yellow discs where the emblem's stars are: not the emblem."""
    width, height = size
    image = Image.new("RGB", size, (0, 51, 153))
    draw = ImageDraw.Draw(image)
    for hour in range(12):
        angle = math.radians(30 * hour)
        x = width / 2 + height / 3 * math.sin(angle)
        y = height / 2 - height / 3 * math.cos(angle)
        r = height / 18
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(255, 204, 0))
    return _png(image)


def _noise(size: tuple[int, int]) -> bytes:
    pixels = np.random.default_rng(7).integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
    return _png(Image.fromarray(pixels))


def _jpeg_small(size: tuple[int, int]) -> bytes:
    """The emblem downscaled to 150 x 100 and re-encoded as JPEG (quality 60)."""
    with asset("eu-emblem.png").open("rb") as f:
        emblem = Image.open(f).convert("RGB").resize((150, 100), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    emblem.save(out, "JPEG", quality=60)
    return _png(Image.open(out))  # the JPEG's pixels, in the part's PNG container


def _swap_media(source: Path, target: Path, which: Callable[[Image.Image], bool],
                make: Callable[[tuple[int, int]], bytes]) -> None:
    """Copy the .docx ``source`` to ``target``, replacing each image part ``which`` selects."""
    replaced = 0
    with zipfile.ZipFile(source) as archive:
        items = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in items:
            if info.filename.startswith("word/media/"):
                picture = Image.open(io.BytesIO(data))
                if which(picture):
                    data = make(picture.size)
                    replaced += 1
            archive.writestr(info, data)
    assert replaced == 1


def _is_emblem(picture: Image.Image) -> bool:
    return bool(find_emblems(picture))


def _is_fse_logo(picture: Image.Image) -> bool:
    return not find_emblems(picture)  # the seed's only other picture


# -- the corruptions ------------------------------------------------------------------------------

Edit = Callable[[docx.document.Document, Path], None]


def _drop_statement(doc: docx.document.Document, _: Path) -> None:
    _set_text(_para(doc, STATEMENT), "")  # the cell keeps an empty paragraph
    _remove(_para(doc, "Ce projet est cofinancé"))


def _drop_mention(doc: docx.document.Document, _: Path) -> None:
    _remove(_para(doc, "Ce projet est cofinancé par le Fonds social européen"))


def _drop_logos(doc: docx.document.Document, _: Path) -> None:
    for drawing in _drawings(doc):
        _remove(drawing)


def _shrink_emblem(doc: docx.document.Document, _: Path) -> None:
    emblem = _drawings(doc)[0]  # the emblem comes first in the funding block
    for element in emblem.iter():
        if element.tag in (f"{{{_WP}}}extent", f"{{{_A}}}ext"):
            element.set("cx", str(6 * 36000))  # 6 x 4 mm
            element.set("cy", str(4 * 36000))


def _float_emblem(left_mm: float, top_mm: float) -> Edit:
    """Turn the emblem into a floating picture ``left_mm``, ``top_mm`` from the page's corner."""
    def edit(doc: docx.document.Document, _: Path) -> None:
        drawing = _drawings(doc)[0]
        inline = drawing[0]
        anchor = parse_xml(
            f'<wp:anchor {nsdecls("wp")} distT="0" distB="0" distL="0" distR="0" '
            'simplePos="0" relativeHeight="2" behindDoc="0" locked="0" layoutInCell="1" '
            'allowOverlap="1"><wp:simplePos x="0" y="0"/>'
            f'<wp:positionH relativeFrom="page"><wp:posOffset>{round(left_mm * 36000)}'
            "</wp:posOffset></wp:positionH>"
            f'<wp:positionV relativeFrom="page"><wp:posOffset>{round(top_mm * 36000)}'
            "</wp:posOffset></wp:positionV></wp:anchor>")
        for child in inline:
            if child.tag == f"{{{_WP}}}docPr":
                anchor.append(parse_xml(f'<wp:wrapNone {nsdecls("wp")}/>'))
            anchor.append(copy.deepcopy(child))
        drawing.replace(inline, anchor)
    return edit


def _statement_property(xml: str) -> Edit:
    def edit(doc: docx.document.Document, _: Path) -> None:
        _run_property(_para(doc, STATEMENT), xml)
    return edit


def _move_statement(doc: docx.document.Document, _: Path) -> None:
    _set_text(_para(doc, STATEMENT), "")
    last = _para(doc, "Les parties s'efforcent de régler")  # last article, last page
    moved = copy.deepcopy(last)
    _set_text(moved, STATEMENT)
    last.addnext(moved)


def _move_block(doc: docx.document.Document, _: Path) -> None:
    body = doc.element.body
    block = body.find(qn("w:tbl"))  # emblem + statement
    mention = block.getnext()
    end = body.find(qn("w:sectPr"))
    end.addprevious(block)
    end.addprevious(mention)


def _big_partner(doc: docx.document.Document, folder: Path) -> None:
    _add_picture(doc, _para(doc, STATEMENT), _partner_logo(folder / "partner.png"), 40)


def _small_partner(doc: docx.document.Document, folder: Path) -> None:
    _add_picture(doc, _para(doc, STATEMENT), _partner_logo(folder / "partner.png"), 18)


def _fse_logo(doc: docx.document.Document, folder: Path) -> None:
    logo = folder / "fse-logo.png"
    logo.write_bytes(asset("fse-logo.png").read_bytes())
    _add_picture(doc, _para(doc, STATEMENT), logo, 22.5)


def _drop_article_3(doc: docx.document.Document, _: Path) -> None:
    element, stop = _para(doc, "Article 3"), _para(doc, "Article 4")
    while element is not stop:
        following = element.getnext()
        _remove(element)
        element = following


def _represented(doc: docx.document.Document, _: Path) -> None:
    _replace(_para(doc, "Représentée par"), "Représentée", "Représenté")  # the Métropole


def _signature_column(doc: docx.document.Document, label: str) -> list[Element]:
    """The paragraphs of the signature table's column whose label starts with ``label``."""
    cell = _para(doc, label).getparent()
    row = cell.getparent()
    column = row.findall(qn("w:tc")).index(cell)
    return [p for tr in row.getparent().findall(qn("w:tr"))
            for p in tr.findall(qn("w:tc"))[column].iter(qn("w:p"))]


def _drop_block(label: str) -> Edit:
    def edit(doc: docx.document.Document, _: Path) -> None:
        for p in _signature_column(doc, label):
            if _text(p):
                _set_text(p, "")
    return edit


def _drop_name(name: str) -> Edit:
    def edit(doc: docx.document.Document, _: Path) -> None:
        _set_text(_para(doc, name), "")
    return edit


def _drop_originals(doc: docx.document.Document, _: Path) -> None:
    _replace(_para(doc, "Fait à Marseille"), ", en deux exemplaires originaux", "")


@dataclass(frozen=True)
class Case:
    """A bad copy of ``example``; ``errors`` maps the kind ("docx"/"pdf") to the codes."""

    example: str
    name: str
    edit: Edit | None
    errors: frozenset[str]
    pdf_errors: frozenset[str] | None = None  # when the PDF differs from the .docx
    media: tuple[Callable[[Image.Image], bool], Callable[[tuple[int, int]], bytes]] | None = None

    @property
    def key(self) -> str:
        return f"{self.example}-{self.name}"

    def expected(self, kind: str) -> frozenset[str]:
        return self.pdf_errors if kind == "pdf" and self.pdf_errors is not None else self.errors


def _codes(*codes: str) -> frozenset[str]:
    return frozenset(codes)


CASES = (
    # FSE+ 2021-2027
    Case(NEW, "statement-removed", _drop_statement, _codes("FUNDING_STATEMENT_MISSING")),
    Case(NEW, "logos-removed", _drop_logos, _codes("EU_EMBLEM_MISSING")),
    Case(NEW, "emblem-twelve-dots", None, _codes("EU_EMBLEM_MISSING"),
         media=(_is_emblem, _twelve_dots)),
    Case(NEW, "emblem-noise", None, _codes("EU_EMBLEM_MISSING"), media=(_is_emblem, _noise)),
    Case(NEW, "emblem-shrunk", _shrink_emblem, _codes("EU_EMBLEM_TOO_SMALL")),
    # the emblem floated off the A4 page; LibreOffice leaves out a picture right of the page
    # and brings one below the page back on a later page, away from the statement
    Case(NEW, "emblem-off-page-right", _float_emblem(250, 20), _codes("EU_EMBLEM_INVISIBLE"),
         pdf_errors=_codes("EU_EMBLEM_MISSING")),
    Case(NEW, "emblem-off-page-below", _float_emblem(20, 310), _codes("EU_EMBLEM_INVISIBLE"),
         pdf_errors=_codes("FUNDING_STATEMENT_NOT_NEAR_EMBLEM")),
    Case(NEW, "emblem-off-page-left", _float_emblem(-40, 20), _codes("EU_EMBLEM_INVISIBLE")),
    Case(NEW, "statement-white", _statement_property(f'<w:color {nsdecls("w")} w:val="FFFFFF"/>'),
         _codes("FUNDING_STATEMENT_INVISIBLE")),
    Case(NEW, "statement-2pt", _statement_property(f'<w:sz {nsdecls("w")} w:val="4"/>'),
         _codes("FUNDING_STATEMENT_INVISIBLE")),
    # LibreOffice does not print hidden text: the PDF simply has no statement
    Case(NEW, "statement-hidden", _statement_property(f'<w:vanish {nsdecls("w")}/>'),
         _codes("FUNDING_STATEMENT_INVISIBLE"), pdf_errors=_codes("FUNDING_STATEMENT_MISSING")),
    Case(NEW, "statement-far", _move_statement, _codes("FUNDING_STATEMENT_NOT_NEAR_EMBLEM")),
    Case(NEW, "block-last-page", _move_block, _codes("FUNDING_NOT_ON_FIRST_PAGE")),
    Case(NEW, "partner-bigger", _big_partner, _codes("EU_EMBLEM_SMALLER_THAN_LOGO")),
    Case(NEW, "fse-2014-logo", _fse_logo, _codes("OTHER_EU_LOGO")),
    Case(NEW, "article-dropped", _drop_article_3, _codes("ARTICLE_NUMBERING_GAP")),
    Case(NEW, "represente", _represented, _codes("AGREEMENT_REPRESENTED")),
    Case(NEW, "block-removed", _drop_block("Pour l'État"),
         _codes("SIGNATURE_BLOCK_MISSING", "SIGNATORY_NAME_MISSING")),
    Case(NEW, "name-removed", _drop_name("Monsieur\u00a0Jean EXEMPLE"),
         _codes("SIGNATORY_NAME_MISSING")),
    Case(NEW, "originals-removed", _drop_originals, _codes("ORIGINALS_MISSING")),
    # FSE 2014-2020 (the seed)
    Case(SEED, "mention-removed", _drop_mention, _codes("FUNDING_MENTION_MISSING")),
    Case(SEED, "logos-removed", _drop_logos, _codes("EU_EMBLEM_MISSING", "FSE_LOGO_MISSING")),
    Case(SEED, "emblem-noise", None, _codes("EU_EMBLEM_MISSING"), media=(_is_emblem, _noise)),
    Case(SEED, "fse-logo-twelve-dots", None, _codes("FSE_LOGO_MISSING"),
         media=(_is_fse_logo, _twelve_dots)),
    Case(SEED, "emblem-shrunk", _shrink_emblem, _codes("EU_EMBLEM_TOO_SMALL")),
    Case(SEED, "article-dropped", _drop_article_3, _codes("ARTICLE_NUMBERING_GAP")),
    Case(SEED, "represente", _represented, _codes("AGREEMENT_REPRESENTED")),
    Case(SEED, "block-removed", _drop_block("Pour l'Etat"),
         _codes("SIGNATURE_BLOCK_MISSING", "SIGNATORY_NAME_MISSING")),
    Case(SEED, "name-removed", _drop_name("Monsieur\u00a0Pierre DARTOUT"),
         _codes("SIGNATORY_NAME_MISSING")),
    Case(SEED, "originals-removed", _drop_originals, _codes("ORIGINALS_MISSING")),
)
CASE = {case.key: case for case in CASES}

# Good copies: edits that must NOT be refused (controls for the rules above).
GOOD = (
    Case(NEW, "partner-smaller", _small_partner, frozenset()),
    # a floating emblem on the page is as good as an inline one
    Case(NEW, "emblem-floating-on-page", _float_emblem(150, 20), frozenset()),
    # 2014-2020 has no first-page rule (Reg. 1303/2013 Annex XII): the block may move as a whole
    Case(SEED, "block-last-page", _move_block, frozenset()),
)

@functools.cache
def _model(example: str) -> Convention:
    return load(EXAMPLES / f"{example}.yaml")


SEED_WARNINGS = {
    "CLAUSE_AMENDMENT_MISSING", "CLAUSE_DISPUTES_MISSING", "CLAUSE_GDPR_MISSING",
    "CLAUSE_INDICATORS_MISSING", "CLAUSE_TERM_MISSING", "OUTDATED_CIRCULAIRE_2008",
    "OUTDATED_DECRET_2016", "OUTDATED_ORDONNANCE_2015", "OUTDATED_PLAN_2015_2020",
    "OUTDATED_POLE_EMPLOI", "TYPO_CAPITALS", "TYPO_HYPHEN", "TYPO_UNACCENTED_CAPITAL",
}
BASE_WARNINGS = {NEW: set(), SEED: SEED_WARNINGS}


# -- fixtures -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("corpus")


@pytest.fixture(scope="module")
def originals(folder: Path) -> dict[str, Path]:
    """The two examples rendered to .docx."""
    paths = {}
    for name in (NEW, SEED):
        paths[name] = folder / f"{name}.docx"
        render_docx(load(EXAMPLES / f"{name}.yaml"), paths[name])
    return paths


@pytest.fixture(scope="module")
def docx_corpus(folder: Path, originals: dict[str, Path]) -> dict[str, Path]:
    """Every case of CASES and GOOD as a .docx, by key, plus the originals."""
    corpus = dict(originals)
    for case in (*CASES, *GOOD):
        target = folder / f"{case.key}.docx"
        if case.media is not None:
            _swap_media(originals[case.example], target, *case.media)
        else:
            assert case.edit is not None
            doc = docx.Document(str(originals[case.example]))
            case.edit(doc, folder)
            doc.save(str(target))
        corpus[case.key] = target
    return corpus


@pytest.fixture(scope="module")
def converter() -> Iterator[Converter]:
    with Converter() as conv:
        yield conv


@pytest.fixture(scope="module")
def pdf_corpus(docx_corpus: dict[str, Path], converter: Converter,
               folder: Path) -> dict[str, Path]:
    """Every .docx of the corpus converted by LibreOffice, plus JPEG-degraded emblems."""
    corpus = {key: converter.convert(path, path.with_suffix(".pdf"))
              for key, path in docx_corpus.items()}
    # LibreOffice's own lossy export: emblem re-encoded as JPEG and downsampled to 300 dpi
    corpus["lossy"] = converter.convert(docx_corpus[NEW], folder / "lossy.pdf",
                                        PdfOptions(lossless_images=False))
    # and an emblem already degraded in the .docx (150 x 100 JPEG pixels), exported lossy too
    degraded = folder / "jpeg-emblem.docx"
    _swap_media(docx_corpus[NEW], degraded, _is_emblem, _jpeg_small)
    corpus["jpeg-emblem"] = converter.convert(degraded, folder / "jpeg-emblem.pdf",
                                              PdfOptions(lossless_images=False))
    return corpus


def _errors(report: Report) -> set[str]:
    return {f.code for f in report.errors}


def _warnings(report: Report) -> set[str]:
    return {f.code for f in report.warnings}


def _only(report: Report, code: str) -> Finding:
    [finding] = [f for f in report.findings if f.code == code]
    return finding


def _line(path: Path, start: str) -> TextLine:
    """The first line of the document that starts with ``start`` (read independently)."""
    view = read_docx(path) if path.suffix == ".docx" else read_pdf(path)
    return next(line for line in view.lines if line.text.replace("\u00a0", " ").startswith(start))


# -- good documents -------------------------------------------------------------------------------

def test_new_example_docx_has_no_finding_at_all(docx_corpus: dict[str, Path]) -> None:
    report = validate(docx_corpus[NEW])
    assert report.ok
    assert report.findings == ()
    model = _model(NEW)
    assert validate(docx_corpus[NEW], convention=model).findings == ()


def test_seed_example_docx_has_warnings_only(docx_corpus: dict[str, Path]) -> None:
    report = validate(docx_corpus[SEED], convention=_model(SEED))
    assert report.ok, str(report)
    assert _warnings(report) == SEED_WARNINGS
    assert {f.code for f in report.findings if f.severity is Severity.INFO} == {
        "SIGNATURE_DATE_BLANK"}


@pytest.mark.parametrize("case", GOOD, ids=lambda c: c.key)
def test_harmless_edit_is_accepted_docx(case: Case, docx_corpus: dict[str, Path]) -> None:
    report = validate(docx_corpus[case.key])
    assert report.ok, str(report)
    assert _warnings(report) == BASE_WARNINGS[case.example]


@pytest.mark.libreoffice
@needs_libreoffice
def test_new_example_pdf_has_no_finding_at_all(pdf_corpus: dict[str, Path]) -> None:
    assert validate(pdf_corpus[NEW]).findings == ()
    assert validate(pdf_corpus[NEW], convention=_model(NEW)).findings == ()


@pytest.mark.libreoffice
@needs_libreoffice
def test_seed_example_pdf_has_warnings_only(pdf_corpus: dict[str, Path]) -> None:
    report = validate(pdf_corpus[SEED])
    assert report.ok, str(report)
    assert _warnings(report) == SEED_WARNINGS


@pytest.mark.libreoffice
@needs_libreoffice
@pytest.mark.parametrize("case", GOOD, ids=lambda c: c.key)
def test_harmless_edit_is_accepted_pdf(case: Case, pdf_corpus: dict[str, Path]) -> None:
    report = validate(pdf_corpus[case.key])
    assert report.ok, str(report)
    assert _warnings(report) == BASE_WARNINGS[case.example]


@pytest.mark.libreoffice
@needs_libreoffice
@pytest.mark.parametrize("key", ["lossy", "jpeg-emblem"])
def test_jpeg_reencoded_downscaled_emblem_is_accepted(key: str,
                                                      pdf_corpus: dict[str, Path]) -> None:
    path = pdf_corpus[key]
    # the emblem really went through JPEG and lost pixels
    xobjects = PdfReader(path).pages[0]["/Resources"]["/XObject"]
    [image] = [x.get_object() for x in xobjects.values()
               if x.get_object().get("/Subtype") == "/Image"]
    assert image["/Filter"] == "/DCTDecode"
    assert image["/Height"] <= (100 if key == "jpeg-emblem" else 200)
    report = validate(path, convention=_model(NEW))
    assert report.findings == (), str(report)


# -- bad copies: refused with their code ----------------------------------------------------------

def _check_refused(case: Case, path: Path, kind: str) -> Report:
    report = validate(path)
    assert not report.ok
    assert _errors(report) == case.expected(kind), str(report)
    # the corruption brings no stray warning either
    assert _warnings(report) == BASE_WARNINGS[case.example], str(report)
    # with the model it was rendered from, the same verdict
    model = _model(case.example)
    assert _errors(validate(path, convention=model)) == case.expected(kind)
    return report


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.key)
def test_bad_docx_is_refused_with_its_code(case: Case, docx_corpus: dict[str, Path]) -> None:
    _check_refused(case, docx_corpus[case.key], "docx")


@pytest.mark.libreoffice
@needs_libreoffice
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.key)
def test_bad_pdf_is_refused_with_its_code(case: Case, pdf_corpus: dict[str, Path]) -> None:
    _check_refused(case, pdf_corpus[case.key], "pdf")


# -- where, and what the message says -------------------------------------------------------------

def test_emblem_missing_message(docx_corpus: dict[str, Path]) -> None:
    finding = _only(validate(docx_corpus[f"{NEW}-logos-removed"]), "EU_EMBLEM_MISSING")
    assert finding.message == ("emblème de l'Union européenne absent (reconnu d'après le "
                               "contenu des images : douze étoiles en cercle)")


def test_article_gap_names_the_missing_number(docx_corpus: dict[str, Path]) -> None:
    path = docx_corpus[f"{NEW}-article-dropped"]
    finding = _only(validate(path), "ARTICLE_NUMBERING_GAP")
    assert finding.message == ("numérotation des articles interrompue : l'article 3 manque "
                               "(on passe de l'article 2 à l'article 4)")
    assert finding.location.paragraph == _line(path, "Article 4 :").location.paragraph
    assert finding.location.file == str(path)


@pytest.mark.libreoffice
@needs_libreoffice
def test_article_gap_is_located_on_its_page(pdf_corpus: dict[str, Path]) -> None:
    path = pdf_corpus[f"{SEED}-article-dropped"]
    finding = _only(validate(path), "ARTICLE_NUMBERING_GAP")
    assert "l'article 3 manque" in finding.message
    assert finding.location.page == _line(path, "Article 4 :").location.page == 2


def test_statement_removed_says_it_is_only_quoted(docx_corpus: dict[str, Path]) -> None:
    # article 10 still quotes « Cofinancé par l'Union européenne » in a sentence: not the
    # statement next to the emblem, and the message says where that quotation is
    path = docx_corpus[f"{NEW}-statement-removed"]
    finding = _only(validate(path), "FUNDING_STATEMENT_MISSING")
    quoted = _line(path, "Toute communication ou publication")
    assert finding.message == (
        "mention « Cofinancé par l'Union européenne » (ou « Financé par l'Union européenne ») "
        "absente à côté de l'emblème (règlement (UE) 2021/1060, annexe IX) ; elle n'est que "
        f"citée dans le texte (paragraphe {quoted.location.paragraph})")


def test_seed_mention_removed_is_refused_though_article_names_the_fse(
        docx_corpus: dict[str, Path]) -> None:
    path = docx_corpus[f"{SEED}-mention-removed"]
    finding = _only(validate(path), "FUNDING_MENTION_MISSING")
    cited = _line(path, "Le facilitateur bénéficie notamment de crédits du Fonds Social")
    assert "absente à côté des logos" in finding.message
    assert finding.message.endswith(
        f"le Fonds n'est que cité dans le texte (paragraphe {cited.location.paragraph})")


@pytest.mark.parametrize(("name", "reason"), [
    ("statement-white", "texte blanc"), ("statement-2pt", "corps de 2 pt"),
    ("statement-hidden", "texte masqué")])
def test_invisible_statement_says_why_docx(name: str, reason: str,
                                           docx_corpus: dict[str, Path]) -> None:
    finding = _only(validate(docx_corpus[f"{NEW}-{name}"]), "FUNDING_STATEMENT_INVISIBLE")
    assert finding.message == ("la mention « Cofinancé par l'Union européenne » est présente "
                               f"mais illisible ({reason})")
    assert finding.location.paragraph == 2  # the statement's cell, next to the emblem


@pytest.mark.libreoffice
@needs_libreoffice
@pytest.mark.parametrize(("name", "reason"), [
    ("statement-white", "texte blanc"), ("statement-2pt", "corps de 2 pt")])
def test_invisible_statement_says_why_pdf(name: str, reason: str,
                                          pdf_corpus: dict[str, Path]) -> None:
    finding = _only(validate(pdf_corpus[f"{NEW}-{name}"]), "FUNDING_STATEMENT_INVISIBLE")
    assert finding.message.endswith(f"mais illisible ({reason})")
    assert finding.location.page == 1


def test_shrunk_emblem_gives_its_height(docx_corpus: dict[str, Path]) -> None:
    finding = _only(validate(docx_corpus[f"{NEW}-emblem-shrunk"]), "EU_EMBLEM_TOO_SMALL")
    assert finding.message == ("emblème de l'Union européenne trop petit (4,0 mm de haut ; "
                               "au moins 8 mm)")
    assert finding.location.paragraph == 1


@pytest.mark.parametrize("name", ["right", "below", "left"])
def test_emblem_off_the_page_says_why(name: str, docx_corpus: dict[str, Path]) -> None:
    path = docx_corpus[f"{NEW}-emblem-off-page-{name}"]
    finding = _only(validate(path), "EU_EMBLEM_INVISIBLE")
    assert finding.message == ("emblème de l'Union européenne présent mais invisible "
                               "(hors de la page)")
    assert finding.location.paragraph == _only(
        validate(docx_corpus[f"{NEW}-emblem-shrunk"]), "EU_EMBLEM_TOO_SMALL").location.paragraph


@pytest.mark.libreoffice
@needs_libreoffice
def test_far_statement_and_moved_block_are_located(pdf_corpus: dict[str, Path]) -> None:
    far = _only(validate(pdf_corpus[f"{NEW}-statement-far"]), "FUNDING_STATEMENT_NOT_NEAR_EMBLEM")
    last_page = len(PdfReader(pdf_corpus[f"{NEW}-statement-far"]).pages)
    assert far.location.page == last_page > 1  # where the lone statement now is
    moved = _only(validate(pdf_corpus[f"{NEW}-block-last-page"]), "FUNDING_NOT_ON_FIRST_PAGE")
    assert moved.location.page == len(PdfReader(pdf_corpus[f"{NEW}-block-last-page"]).pages)


def test_far_statement_located_docx(docx_corpus: dict[str, Path]) -> None:
    path = docx_corpus[f"{NEW}-statement-far"]
    finding = _only(validate(path), "FUNDING_STATEMENT_NOT_NEAR_EMBLEM")
    assert finding.location.paragraph == _line(path, STATEMENT).location.paragraph > 60


def test_partner_logo_sizes_in_message(docx_corpus: dict[str, Path]) -> None:
    finding = _only(validate(docx_corpus[f"{NEW}-partner-bigger"]),
                    "EU_EMBLEM_SMALLER_THAN_LOGO")
    assert finding.message.startswith("un logo (40,0 × 26,7 mm) est plus grand que l'emblème "
                                      "de l'Union européenne (22,5 × 15,0 mm)")
    assert finding.location.paragraph == 2


def test_agreement_and_signature_messages_name_the_party(docx_corpus: dict[str, Path]) -> None:
    path = docx_corpus[f"{NEW}-represente"]
    finding = _only(validate(path), "AGREEMENT_REPRESENTED")
    assert finding.message == ("accord : « La Métropole Aix-Marseille-Provence », représentée "
                               "par … (et non « Représenté »)")
    assert finding.location.paragraph == _line(path, "Représenté par Mme").location.paragraph
    report = validate(docx_corpus[f"{NEW}-block-removed"])
    assert _only(report, "SIGNATURE_BLOCK_MISSING").message == (
        "1 bloc(s) de signature pour 2 parties")
    name = _only(validate(docx_corpus[f"{NEW}-name-removed"]), "SIGNATORY_NAME_MISSING")
    assert name.message == ("le nom du signataire de « L'État » (EXEMPLE) n'apparaît pas dans "
                            "les blocs de signature")
    originals = _only(validate(docx_corpus[f"{NEW}-originals-removed"]), "ORIGINALS_MISSING")
    assert "deux exemplaires originaux" in originals.message
    assert originals.location.paragraph == _line(docx_corpus[f"{NEW}-originals-removed"],
                                                 "Fait à Marseille").location.paragraph


# -- PDFs spoiled by a clipping path --------------------------------------------------------------

PdfEdit = Callable[[bytes, Any, Path], bytes]  # (content stream, page, source PDF) -> new stream


def _edit_first_page(source: Path, target: Path, edit: PdfEdit) -> Path:
    """A copy of the PDF ``source`` whose first page's content stream went through ``edit``."""
    writer = PdfWriter(clone_from=source)
    page = writer.pages[0]
    data = page.get_contents().get_data()
    edited = edit(data, page, source)
    assert edited != data
    stream = DecodedStreamObject()
    stream.set_data(edited)
    page.replace_contents(stream)
    writer.write(target)
    return target


def _clip_emblem(clip: bytes) -> PdfEdit:
    """Wrap LibreOffice's drawing of the emblem (``q … cm /ImN Do Q``) in ``q clip re W n … Q``
    (``clip``: x y width height, page space)."""
    def edit(data: bytes, page: Any, _: Path) -> bytes:
        [name] = [name for name, ref in page["/Resources"]["/XObject"].items()
                  if ref.get_object()["/Subtype"] == "/Image"
                  and _is_emblem(ref.get_object().decode_as_image())]
        pattern = rb"q [-\d. ]+ cm\s*" + re.escape(name.encode()) + rb" Do\s*Q"
        edited, count = re.subn(pattern, lambda m: b"q " + clip + b" re W n " + m[0] + b" Q",
                                data)
        assert count == 1
        return edited
    return edit


def _clip_statement(clip: bytes) -> PdfEdit:
    """Wrap LibreOffice's text objects of the statement's line (``q r g b rg BT x y Td … ET Q``,
    read whole by the fast path) in ``q clip re W n … Q``."""
    def edit(data: bytes, page: Any, source: Path) -> bytes:
        line = _line(source, STATEMENT)
        assert line.bbox_mm is not None
        x0, y0, x1, y1 = (value * 72 / 25.4 for value in line.bbox_mm)
        top = float(page.mediabox.top)
        wrapped: list[bytes] = []

        def wrap(match: re.Match[bytes]) -> bytes:
            x, y = float(match[1]), float(match[2])
            if x0 - 1 <= x <= x1 + 1 and top - y1 - 1 <= y <= top - y0 + 1:
                wrapped.append(match[0])
                return b"q " + clip + b" re W n\n" + match[0] + b"\nQ"
            return match[0]

        edited = re.sub(rb"q [\d. ]+ rg\nBT\n([\d.]+) ([\d.]+) Td [^\n]*\nET\nQ", wrap, data)
        assert wrapped
        return edited
    return edit


def _clip_both(data: bytes, page: Any, source: Path) -> bytes:
    # clips around the emblem and around the statement: both stay wholly visible (the emblem
    # is drawn from 743 to 785 pt up the page: a clip up to 760 pt would cut off its top stars,
    # as PDFium shows)
    data = _clip_emblem(b"200 700 100 130")(data, page, source)
    return _clip_statement(b"290 700 200 130")(data, page, source)


@pytest.fixture(scope="module")
def clipped_pdfs(pdf_corpus: dict[str, Path], folder: Path) -> dict[str, Path]:
    """The 2021-2027 example's PDF with clipping paths added to its first page."""
    edits = {"emblem-clipped": _clip_emblem(b"0 0 1 1"),
             "statement-clipped": _clip_statement(b"0 0 10 10"),  # far from the text
             "clips-around": _clip_both}
    return {name: _edit_first_page(pdf_corpus[NEW], folder / f"{name}.pdf", edit)
            for name, edit in edits.items()}


@pytest.mark.libreoffice
@needs_libreoffice
@pytest.mark.parametrize(("name", "code", "message"), [
    ("emblem-clipped", "EU_EMBLEM_INVISIBLE",
     "emblème de l'Union européenne présent mais invisible (image masquée par un découpage)"),
    ("statement-clipped", "FUNDING_STATEMENT_INVISIBLE",
     "la mention « Cofinancé par l'Union européenne » est présente mais illisible "
     "(texte masqué par un découpage)"),
])
def test_pdf_clipped_away_is_refused(name: str, code: str, message: str,
                                     clipped_pdfs: dict[str, Path]) -> None:
    report = validate(clipped_pdfs[name])
    assert _errors(report) == {code}, str(report)
    finding = _only(report, code)
    assert finding.message == message
    assert finding.location.page == 1
    assert _errors(validate(clipped_pdfs[name], convention=_model(NEW))) == {code}


@pytest.mark.libreoffice
@needs_libreoffice
def test_pdf_clips_leaving_emblem_and_statement_visible_are_accepted(
        clipped_pdfs: dict[str, Path]) -> None:
    path = clipped_pdfs["clips-around"]
    assert b" re W n" in PdfReader(path).pages[0].get_contents().get_data()
    assert validate(path).findings == ()
    assert validate(path, convention=_model(NEW)).findings == ()


# -- time -----------------------------------------------------------------------------------------

def _median_ms(path: Path) -> float:
    validate(path)  # warm caches (logo library, imports)
    times = []
    for _ in range(7):
        start = time.perf_counter()
        validate(path)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


@pytest.mark.libreoffice
@needs_libreoffice
def test_validation_time(docx_corpus: dict[str, Path], pdf_corpus: dict[str, Path]) -> None:
    # targets 50 ms (.docx) and 100 ms (PDF); generous bounds here against a loaded machine
    assert _median_ms(docx_corpus[NEW]) < 250
    assert _median_ms(pdf_corpus[NEW]) < 500
