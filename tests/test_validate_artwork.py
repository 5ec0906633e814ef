"""Emblems as partners really paste them: fake colours, Word crops, rotations, stretching, the
statement inside the Commission's ready-made artwork (read by OCR), no statement anywhere.

Every document is built here (python-docx, Pillow, tools/make_logos.py's geometry), then judged
as a .docx and, for the LibreOffice-marked tests, as the PDF LibreOffice prints of it.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import etree
from PIL import Image, ImageDraw, ImageFont

from convention_docs import ocr
from convention_docs.convert import Converter
from convention_docs.inspect import read_docx
from convention_docs.validate import Report, Severity, validate

from .conftest import tool
from .test_validate_received import STATEMENT, _convention

needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice (soffice) absent")
needs_tesseract = pytest.mark.skipif(not ocr.available(),
                                     reason="Tesseract (tesseract-ocr-fra) absent")

REFLEX_BLUE, GOLD = "#003399", "#FFCC00"


LOGOS = tool("make_logos")


def emblem(background: str = REFLEX_BLUE, stars: str = GOLD,
           size: tuple[int, int] = (600, 400)) -> Image.Image:
    image: Image.Image = LOGOS.render_emblem(background, stars, size)
    return image


def artwork(text: str | None = STATEMENT, *, margin: bool = False) -> Image.Image:
    """The emblem with ``text`` on two lines at its right, as the Commission's artwork."""
    flag = emblem(size=(300, 200))
    canvas = Image.new("RGBA", (1100, 260), (255, 255, 255, 0 if margin else 255))
    canvas.paste(flag, (30, 30))
    if text is not None:
        draw = ImageDraw.Draw(canvas)
        font = ImageFont.load_default(size=52)
        first, _, second = text.partition(" l'")
        draw.text((360, 55), first, font=font, fill=(0, 51, 153, 255))
        draw.text((360, 135), "l'" + second if second else "", font=font,
                  fill=(0, 51, 153, 255))
    return canvas


def _docx(path: Path, picture: Image.Image, *, width_mm: float = 40,
          height_mm: float | None = None, statement: bool = True, crop: str | None = None,
          rot: int | None = None) -> Path:
    """The short convention of test_validate_received with ``picture`` at the top; ``crop``
    (``a:srcRect`` attributes, e.g. 'r="50000"') and ``rot`` (60,000ths of a degree) set as
    Word writes them."""
    png = path.with_suffix(".png")
    picture.save(png)
    _convention(path, picture=None, width_mm=width_mm, statement=False)
    doc = Document(str(path))
    first = doc.paragraphs[0]
    holder = first.insert_paragraph_before()
    holder.add_run().add_picture(str(png), width=Mm(width_mm),
                                 height=None if height_mm is None else Mm(height_mm))
    if statement:
        first.insert_paragraph_before().add_run(STATEMENT).font.name = "Arial"
    for blip_fill in doc.element.body.iter(qn("pic:blipFill")):
        if crop is not None:
            rect = etree.fromstring(
                f'<a:srcRect xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
                f'{crop}/>')
            blip_fill.insert(1, rect)
    if rot is not None:
        for xfrm in doc.element.body.iter(qn("a:xfrm")):
            xfrm.set("rot", str(rot))
    doc.save(str(path))
    return path


def _codes(report: Report) -> set[str]:
    return {f.code for f in report.errors}


# -- fake emblems ---------------------------------------------------------------------------------

FAKES = {"gold-on-red": ("#C8102E", GOLD, "étoiles jaunes sur fond rouge"),
         "gold-on-green": ("#00843D", GOLD, "étoiles jaunes sur fond vert"),
         "gold-on-black": ("#000000", GOLD, "étoiles jaunes sur fond noir"),
         "white-on-red": ("#C8102E", "#FFFFFF", "étoiles blanches sur fond rouge")}
OFFICIAL = {"colour": (REFLEX_BLUE, GOLD), "white": (REFLEX_BLUE, "#FFFFFF"),
            "black": ("#FFFFFF", "#000000")}


@pytest.mark.parametrize("key", sorted(FAKES))
def test_fake_emblem_colours_are_refused_with_the_colours_seen(key: str, tmp_path: Path) -> None:
    background, stars, seen = FAKES[key]
    report = validate(_docx(tmp_path / f"{key}.docx", emblem(background, stars)))
    assert _codes(report) == {"EU_EMBLEM_NOT_OFFICIAL"}, str(report)
    [finding] = [f for f in report.findings if f.code == "EU_EMBLEM_NOT_OFFICIAL"]
    assert f"({seen})" in finding.message
    assert "absent" not in str(report)


@pytest.mark.parametrize("key", sorted(OFFICIAL))
def test_official_emblem_versions_are_accepted(key: str, tmp_path: Path) -> None:
    report = validate(_docx(tmp_path / f"{key}.docx", emblem(*OFFICIAL[key])))
    assert report.findings == (), str(report)


# -- modified emblems -----------------------------------------------------------------------------

MODIFIED = {
    "stretched": ({"width_mm": 60, "height_mm": 20}, "déformé (largeur = 3,00 × la hauteur"),
    "rotated": ({"rot": 30 * 60000}, "tourné de 30°"),
    "rotated-small": ({"rot": 12 * 60000}, "tourné de 12°"),
    # Word keeps the scale when cropping: the drawn box shrinks with the picture
    "cropped-half": ({"crop": 'r="50000"', "width_mm": 20, "height_mm": 80 / 3},
                     "rogné dans Word ;"),
    "cropped-stars": ({"crop": 'l="20000" t="20000" r="20000" b="20000"', "width_mm": 24,
                       "height_mm": 16}, "rogné dans Word ;"),
}


@pytest.mark.parametrize("key", sorted(MODIFIED))
def test_modified_emblem_is_refused_and_said_what_was_seen(key: str, tmp_path: Path) -> None:
    options, seen = MODIFIED[key]
    path = _docx(tmp_path / f"{key}.docx", emblem(), **options)  # type: ignore[arg-type]
    report = validate(path)
    assert _codes(report) == {"EU_EMBLEM_MODIFIED"}, str(report)
    [finding] = [f for f in report.findings if f.code == "EU_EMBLEM_MODIFIED"]
    assert seen in finding.message
    assert finding.location.paragraph == 1
    assert "EU_EMBLEM_MISSING" not in report.codes()


def test_word_crop_and_rotation_are_read(tmp_path: Path) -> None:
    path = _docx(tmp_path / "c.docx", emblem(), crop='l="1000" r="50000"', rot=5400000)
    [placed] = read_docx(path).images
    assert placed.crop == (0.01, 0.0, 0.5, 0.0)
    assert placed.rotation == 90.0


def test_crop_of_a_margin_only_keeps_the_emblem(tmp_path: Path) -> None:
    # a bandeau cropped on its left side, far from the emblem, is not a modified emblem
    strip = Image.new("RGB", (1500, 400), "white")
    ImageDraw.Draw(strip).ellipse((20, 50, 320, 350), fill=(0, 140, 70))
    strip.paste(emblem(), (800, 0))
    report = validate(_docx(tmp_path / "m.docx", strip, width_mm=150,
                            height_mm=150 * 400 / 1050, crop='l="30000"'))
    assert report.findings == (), str(report)


# -- no statement anywhere / the statement inside the artwork -------------------------------------

def test_emblem_with_transparent_margins_and_no_statement_is_refused(tmp_path: Path) -> None:
    picture = Image.new("RGBA", (900, 600), (255, 255, 255, 0))
    picture.paste(emblem(), (150, 100))
    report = validate(_docx(tmp_path / "t.docx", picture, width_mm=45, statement=False))
    assert _codes(report) == {"FUNDING_STATEMENT_MISSING"}, str(report)
    assert "rien n'est écrit à côté de l'emblème" in str(report)


@needs_tesseract
@pytest.mark.parametrize("transparent", [False, True])
def test_statement_inside_the_artwork_is_read_by_ocr(transparent: bool, tmp_path: Path) -> None:
    report = validate(_docx(tmp_path / "a.docx", artwork(margin=transparent), width_mm=120,
                            statement=False))
    assert report.findings == (), str(report)


@needs_tesseract
def test_other_words_inside_the_artwork_are_refused(tmp_path: Path) -> None:
    report = validate(_docx(tmp_path / "o.docx", artwork("Région Bretagne l'avenir"),
                            width_mm=120, statement=False))
    assert _codes(report) == {"FUNDING_STATEMENT_MISSING"}, str(report)
    [finding] = [f for f in report.findings if f.code == "FUNDING_STATEMENT_MISSING"]
    assert "lu par OCR" in finding.message and "Bretagne" in finding.message


def test_unreadable_pixels_next_to_the_emblem_are_a_warning(tmp_path: Path) -> None:
    picture = artwork(None)
    draw = ImageDraw.Draw(picture)
    for x in range(360, 1000, 37):  # scribbles where the statement would be
        draw.line((x, 60, x + 25, 190), fill=(0, 51, 153), width=9)
    report = validate(_docx(tmp_path / "u.docx", picture, width_mm=120, statement=False))
    assert report.ok and report.codes() == {"FUNDING_STATEMENT_UNCONFIRMED"}, str(report)
    [finding] = report.findings
    assert finding.severity is Severity.WARNING
    assert "n'ont pas pu être lus" in finding.message


# -- the same as PDFs -----------------------------------------------------------------------------

PDF_CASES = {"gold-on-red": "EU_EMBLEM_NOT_OFFICIAL", "rotated": "EU_EMBLEM_MODIFIED",
             "cropped-half": "EU_EMBLEM_MODIFIED", "stretched": "EU_EMBLEM_MODIFIED",
             "official": ""}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    folder = tmp_path_factory.mktemp("artwork-pdf")
    docs = {
        "gold-on-red": _docx(folder / "gold-on-red.docx", emblem("#C8102E", GOLD)),
        "rotated": _docx(folder / "rotated.docx", emblem(), rot=30 * 60000),
        "cropped-half": _docx(folder / "cropped-half.docx", emblem(), crop='r="50000"',
                              width_mm=20, height_mm=80 / 3),
        "stretched": _docx(folder / "stretched.docx", emblem(), width_mm=60, height_mm=20),
        "official": _docx(folder / "official.docx", emblem()),
    }
    with Converter() as converter:
        yield {key: converter.convert(path, path.with_suffix(".pdf"))
               for key, path in docs.items()}


@pytest.mark.libreoffice
@needs_libreoffice
@pytest.mark.parametrize("key", sorted(PDF_CASES))
def test_pdf_gets_the_docx_verdict(key: str, pdfs: dict[str, Path]) -> None:
    docx_report = validate(pdfs[key].with_suffix(".docx"))
    pdf_report = validate(pdfs[key])
    expected = {PDF_CASES[key]} if PDF_CASES[key] else set()
    assert _codes(docx_report) == expected, str(docx_report)
    assert _codes(pdf_report) == expected, str(pdf_report)


# -- the FSE 2014-2020 logo inside a strip with the emblem ---------------------------------------

def _strip_with_fse() -> Image.Image:
    from convention_docs.logos import asset

    strip = Image.new("RGB", (1700, 320), "white")
    with asset("fse-logo.png").open("rb") as f:
        fse = Image.open(f).convert("RGB").resize((420, 280), Image.Resampling.LANCZOS)
    strip.paste(fse, (40, 20))
    ImageDraw.Draw(strip).ellipse((600, 40, 840, 280), fill=(0, 140, 70))  # a partner
    strip.paste(emblem(size=(420, 280)), (1240, 20))
    return strip


def test_fse_2014_2020_logo_in_the_strip_next_to_the_fse_plus_statement(tmp_path: Path) -> None:
    report = validate(_docx(tmp_path / "fse.docx", _strip_with_fse(), width_mm=170))
    assert _codes(report) == {"OTHER_EU_LOGO"}, str(report)


def test_strip_without_the_fse_logo_is_accepted(tmp_path: Path) -> None:
    strip = _strip_with_fse()
    ImageDraw.Draw(strip).rectangle((0, 0, 500, 319), fill="white")  # the FSE logo removed
    report = validate(_docx(tmp_path / "partners.docx", strip, width_mm=170))
    assert report.findings == (), str(report)


@pytest.mark.parametrize("angle", [12, 45, 90, 170, -20])
def test_emblem_turned_in_its_own_pixels_is_modified_not_absent(angle: int,
                                                                 tmp_path: Path) -> None:
    turned = emblem().convert("RGBA").rotate(-angle, expand=True,
                                             resample=Image.Resampling.BICUBIC,
                                             fillcolor=(255, 255, 255, 0))
    report = validate(_docx(tmp_path / "turned.docx", turned, width_mm=40))
    assert _codes(report) == {"EU_EMBLEM_MODIFIED"}, str(report)
    assert "tourné dans l'image elle-même" in report.errors[0].message


def test_blue_partner_logo_is_not_a_turned_emblem(tmp_path: Path) -> None:
    from convention_docs.validate.emblem import turned_emblem

    logo = Image.new("RGB", (600, 400), "white")
    ImageDraw.Draw(logo).rectangle((50, 50, 550, 350), fill=(0, 35, 149))
    ImageDraw.Draw(logo).ellipse((200, 120, 400, 280), fill=(255, 204, 0))
    assert turned_emblem(logo) is None


def test_emblem_too_small_to_recognise_is_not_said_absent(tmp_path: Path) -> None:
    tiny = emblem().resize((36, 24), Image.Resampling.LANCZOS)  # stars of 1.3 pixels
    report = validate(_docx(tmp_path / "tiny.docx", tiny, width_mm=30))
    assert _codes(report) == {"EU_EMBLEM_TOO_SMALL"}, str(report)
    assert "24 pixels de haut" in report.errors[0].message
    assert "absent" not in str(report)


def _vertical() -> Image.Image:
    """The vertical artwork: the emblem, the statement centred under it on two lines."""
    canvas = Image.new("RGB", (700, 520), "white")
    canvas.paste(emblem(size=(300, 200)), (200, 20))
    draw = ImageDraw.Draw(canvas)
    font = ImageFont.load_default(size=48)
    draw.text((350, 290), "Cofinancé par", font=font, fill=(0, 0, 0), anchor="mt")
    draw.text((350, 360), "l'Union européenne", font=font, fill=(0, 0, 0), anchor="mt")
    return canvas


def _negative() -> Image.Image:
    """The artwork on a Reflex Blue band: white emblem stars and white statement."""
    band = Image.new("RGB", (1100, 260), (0, 51, 153))
    band.paste(emblem(REFLEX_BLUE, "#FFFFFF", size=(300, 200)), (30, 30))
    draw = ImageDraw.Draw(band)
    font = ImageFont.load_default(size=52)
    draw.text((360, 55), "Cofinancé par", font=font, fill="white")
    draw.text((360, 135), "l'Union européenne", font=font, fill="white")
    return band


@needs_tesseract
@pytest.mark.parametrize("layout", ["vertical", "negative"])
def test_statement_in_the_other_artwork_layouts_is_read(layout: str, tmp_path: Path) -> None:
    picture = _vertical() if layout == "vertical" else _negative()
    report = validate(_docx(tmp_path / f"{layout}.docx", picture, width_mm=70 if layout ==
                            "vertical" else 120, statement=False))
    assert report.findings == (), str(report)


def test_padding_in_word_is_not_a_stretch(tmp_path: Path) -> None:
    # a negative a:srcRect pads the picture with blank space: the drawn box is wider, the
    # emblem keeps its proportions
    report = validate(_docx(tmp_path / "pad.docx", emblem(), width_mm=48, height_mm=80 / 3,
                            crop='l="-10000" r="-10000"'))
    assert report.findings == (), str(report)


@pytest.mark.parametrize("size", [(900, 400), (400, 400), (600, 600)])
def test_emblem_stretched_in_its_own_pixels_is_modified_not_absent(
        size: tuple[int, int], tmp_path: Path) -> None:
    stretched = emblem().resize(size, Image.Resampling.LANCZOS)
    report = validate(_docx(tmp_path / "stretched.docx", stretched, width_mm=40))
    assert _codes(report) == {"EU_EMBLEM_MODIFIED"}, str(report)
    assert "déformé dans l'image elle-même" in report.errors[0].message
