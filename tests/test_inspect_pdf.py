"""read_pdf: text lines, colours, sizes, visibility, images where drawn, metadata, errors.

Precise cases use small PDFs written byte by byte here (:class:`RawPdf`); the realistic case
converts a python-docx document with a real LibreOffice (marked ``libreoffice``).
"""

from __future__ import annotations

import math
import shutil
import subprocess
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm, Pt, RGBColor
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter

from convention_docs.errors import DocumentError
from convention_docs.inspect import DocumentView, PlacedImage, TextLine, read_document, read_pdf

MM = 72 / 25.4  # points per millimetre
HELVETICA = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
BOLD = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
NNBSP_CMAP = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap "
              b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def "
              b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def "
              b"1 begincodespacerange <00> <FF> endcodespacerange "
              b"1 beginbfchar <01> <202F> endbfchar endcmap "
              b"CMapName currentdict /CMap defineresource pop end end")


class RawPdf:
    """A PDF written object by object: exactly the bytes a test wants."""

    def __init__(self) -> None:
        self.objects: list[bytes] = []

    def add(self, body: str | bytes) -> int:
        self.objects.append(body.encode("latin-1") if isinstance(body, str) else body)
        return len(self.objects)

    def stream(self, data: bytes, entries: str = "") -> int:
        head = f"<< /Length {len(data)} {entries} >>\nstream\n".encode("latin-1")
        return self.add(head + data + b"\nendstream")

    def image(self, image: Image.Image, *, jpeg: bool = False, smask: int | None = None) -> int:
        if jpeg:
            buffer = BytesIO()
            image.save(buffer, "JPEG", quality=95)
            data, filters = buffer.getvalue(), "/DCTDecode"
        else:
            data, filters = zlib.compress(image.tobytes()), "/FlateDecode"
        space = {"RGB": "/DeviceRGB", "L": "/DeviceGray"}[image.mode]
        mask = f"/SMask {smask} 0 R" if smask else ""
        return self.stream(data, f"/Type /XObject /Subtype /Image /Width {image.width} "
                                 f"/Height {image.height} /ColorSpace {space} "
                                 f"/BitsPerComponent 8 /Filter {filters} {mask}")

    def write(self, path: Path, pages: list[tuple[bytes, str]], *, catalog: str = "",
              info: str | None = None, page_extra: str = "") -> Path:
        parent = self.add("null")
        kids = []
        for content, resources in pages:
            stream = self.stream(content)
            kids.append(self.add(f"<< /Type /Page /Parent {parent} 0 R /MediaBox [0 0 595.28 "
                                 f"841.89] /Resources {resources} /Contents {stream} 0 R "
                                 f"{page_extra} >>"))
        references = " ".join(f"{kid} 0 R" for kid in kids)
        self.objects[parent - 1] = f"<< /Type /Pages /Kids [{references}] /Count {len(kids)} >>"\
            .encode()
        root = self.add(f"<< /Type /Catalog /Pages {parent} 0 R {catalog} >>")
        info_ref = f"/Info {self.add(info)} 0 R" if info else ""
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(self.objects, start=1):
            offsets.append(len(out))
            out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
        xref = len(out)
        out += f"xref\n0 {len(self.objects) + 1}\n0000000000 65535 f \n".encode()
        out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
        out += (f"trailer\n<< /Size {len(self.objects) + 1} /Root {root} 0 R {info_ref} >>\n"
                f"startxref\n{xref}\n%%EOF\n").encode()
        path.write_bytes(bytes(out))
        return path


def _flag(size: tuple[int, int] = (60, 40)) -> Image.Image:
    image = Image.new("RGB", size, (0, 51, 153))
    width, height = size
    ImageDraw.Draw(image).ellipse((width // 4, height // 8, 3 * width // 4, height - height // 8),
                                  fill=(255, 204, 0))
    return image


def _line(view: DocumentView, text: str) -> TextLine:
    (line,) = [line for line in view.lines if line.text == text]
    return line


# --- text --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def text_pdf(tmp_path_factory: pytest.TempPathFactory) -> DocumentView:
    pdf = RawPdf()
    nnbsp = pdf.stream(NNBSP_CMAP)
    fonts = (f"/F1 {pdf.add(HELVETICA)} 0 R /F3 {pdf.add(BOLD)} 0 R "
             f"/F2 {pdf.add(HELVETICA[:-2] + f'/ToUnicode {nnbsp} 0 R >>')} 0 R")
    layer = pdf.add("<< /Type /OCG /Name (Calque) >>")
    content = rb"""
    BT /F1 12 Tf 72 800 Td (\253\240Cofinanc\351 par l\222Union europ\351enne\240\273 15) Tj
       /F2 12 Tf (\001) Tj /F1 12 Tf (000 & <SARL>) Tj ET
    1 1 1 rg BT /F1 12 Tf 72 780 Td (Blanc) Tj ET
    0.95 g BT /F1 12 Tf 72 760 Td (Presque blanc) Tj ET
    0.93 g BT /F1 12 Tf 72 740 Td (Gris clair) Tj ET
    0 0 0 0 k BT /F1 12 Tf 72 720 Td (Blanc CMJN) Tj ET
    0 g 3 Tr BT /F1 12 Tf 72 700 Td (Invisible) Tj ET 0 Tr
    BT /F1 2 Tf 72 680 Td (Minuscule) Tj ET
    q 0.25 0 0 0.25 0 0 cm BT /F1 12 Tf 288 2640 Td (Reduit) Tj ET Q
    BT /F1 6 Tf 2 0 0 2 72 640 Tm (Agrandi) Tj ET
    BT /F1 12 Tf 700 620 Td (Dehors) Tj ET
    0 0 0 rg 60 590 200 30 re f 1 1 1 rg BT /F1 12 Tf 72 600 Td (Blanc sur noir) Tj ET
    0 g BT /F1 12 Tf 72 560 Td [(Cofinanc) 10 (\351) -600 (par)] TJ ET
    BT /F1 12 Tf 72 540 Td (Article 1) Tj 5 Ts /F1 8 Tf (er) Tj 0 Ts ET
    /OC /oc1 BDC BT /F1 12 Tf 72 520 Td (Calque) Tj ET EMC
    0.121 0.219 0.392 rg BT /F3 14 Tf 72 500 Td (Titre bleu) Tj ET
    0 g BT /F1 12 Tf 72 480 Td (Bonjour) Tj 1 g ( secret) Tj 0 g ( monde) Tj ET
    0 g BT /F1 12 Tf 300 440 Td (Sous un cache) Tj ET 1 g 295 436 100 14 re f
    /CS0 cs 1 sc BT /F1 12 Tf 72 440 Td (Blanc index\351) Tj ET
    /CS0 cs 0 sc BT /F1 12 Tf 72 420 Td (Noir index\351) Tj ET
    BT /F1 12 Tf 72 400 Td (Gauche) Tj 300 0 Td (Droite) Tj ET
    """
    resources = (f"<< /Font << {fonts} >> /Properties << /oc1 {layer} 0 R >> "
                 "/ColorSpace << /CS0 [/Indexed /DeviceRGB 1 <000000FFFFFF>] >> >>")
    path = pdf.write(tmp_path_factory.mktemp("pdf") / "text.pdf", [(content, resources)],
                     catalog=f"/OCProperties << /OCGs [{layer} 0 R] /D << /OFF [{layer} 0 R] >> >>")
    return read_pdf(path)


def test_text_is_exact_with_typographic_characters(text_pdf: DocumentView) -> None:
    # PDFium gives U+00A0 and U+202F as plain spaces (docs/rules.md); the PDF's own text
    # operators still hold them, as pypdf reads them.
    line = text_pdf.lines[0]
    assert line.text == "« Cofinancé par l’Union européenne » 15 000 & <SARL>"
    assert text_pdf.source is not None
    operators = PdfReader(text_pdf.source).pages[0].extract_text()
    assert "«\u00a0Cofinancé par l’Union européenne\u00a0» 15\u202f000" in operators
    assert (line.visible, line.font_size, line.color, line.font) == (
        True, 12.0, (0, 0, 0), "Helvetica")
    assert line.location.page == 1 and str(line.location) == "page 1"
    assert line.bbox_mm is not None
    x0, _, x1, y1 = line.bbox_mm
    assert x0 == pytest.approx(25.4, abs=0.5)
    assert y1 == pytest.approx((841.89 - 800) / MM + 12 * 0.2 / MM, abs=0.5)
    assert x1 > 100


@pytest.mark.parametrize(("text", "visible", "reason"), [
    ("Blanc", False, "texte blanc"),
    ("Presque blanc", False, "texte blanc"),
    ("Gris clair", True, None),
    ("Blanc CMJN", False, "texte blanc"),
    ("Invisible", False, "texte masqué"),
    ("Minuscule", False, "corps de 2 pt"),
    ("Reduit", False, "corps de 3 pt"),
    ("Agrandi", True, None),
    ("Dehors", False, "hors de la page"),
    ("Blanc sur noir", True, None),
    ("Calque", False, "calque masqué"),
    ("secret", False, "texte blanc"),
    ("Blanc indexé", False, "texte blanc"),
    ("Noir indexé", True, None),
    ("Sous un cache", False, "texte recouvert"),
])
def test_visibility(text_pdf: DocumentView, text: str, visible: bool, reason: str | None) -> None:
    line = _line(text_pdf, text)
    assert (line.visible, line.invisible_reason) == (visible, reason)


def test_sizes_and_colours_follow_the_matrices(text_pdf: DocumentView) -> None:
    assert _line(text_pdf, "Reduit").font_size == 3.0
    assert _line(text_pdf, "Agrandi").font_size == 12.0
    assert _line(text_pdf, "Gris clair").color == (237, 237, 237)
    title = _line(text_pdf, "Titre bleu")
    assert (title.color, title.font, title.bold, title.italic) == (
        (31, 56, 100), "Helvetica-Bold", True, False)


def test_lines_are_assembled_by_baseline(text_pdf: DocumentView) -> None:
    texts = [line.text for line in text_pdf.lines]
    assert "Cofinancé par" in texts  # a wide TJ gap reads as a space
    assert "Article 1er" in texts  # the raised « er » stays on its line
    assert "Bonjour monde" in texts  # the white word in between is a line of its own
    assert texts[-2:] == ["Gauche", "Droite"]  # far apart on one baseline: two lines
    assert "secret" not in text_pdf.text() and "Calque" not in text_pdf.text()


# --- images ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def image_pdf(tmp_path_factory: pytest.TempPathFactory) -> DocumentView:
    pdf = RawPdf()
    logo = pdf.image(_flag())
    jpeg = pdf.image(_flag((64, 32)), jpeg=True)
    alpha = pdf.image(Image.new("L", (8, 8), 128))
    masked = pdf.image(_flag((8, 8)), smask=alpha)
    form = pdf.stream(b"q 200 0 0 100 0 0 cm /Logo Do Q",
                      f"/Type /XObject /Subtype /Form /BBox [0 0 200 100] "
                      f"/Matrix [0.5 0 0 0.5 0 0] /Resources << /XObject << /Logo {logo} 0 R >> >>")
    shared = pdf.add(f"<< /XObject << /Logo {logo} 0 R /Photo {jpeg} 0 R /Masked {masked} 0 R "
                     f"/Fm1 {form} 0 R >> >>")
    page1 = (b"q 113.386 0 0 75.591 72 650 cm /Logo Do Q\n"  # 40 x 26.67 mm
             b"q 2.835 0 0 2.835 72 600 cm /Logo Do Q\n"  # 1 x 1 mm
             b"q 85 0 0 56.7 300 650 cm /Logo Do Q 1 1 1 rg 290 640 110 80 re f\n"  # covered
             b"0 0 1 rg 300 500 85 56.7 re f q 85 0 0 56.7 300 500 cm /Logo Do Q\n"  # on top
             b"q 85 0 0 56.7 300 400 cm /Logo Do Q 0 g 300 400 42 56.7 re f\n"  # half covered
             b"q 85 0 0 56.7 72 400 cm /Logo Do Q q 85 0 0 56.7 72 400 cm /Photo Do Q\n"
             b"q 1 0 0 1 100 100 cm /Fm1 Do Q\n"
             b"q 56.693 0 0 28.346 400 200 cm /Photo Do Q\n"
             b"q 28.346 0 0 28.346 400 100 cm /Masked Do Q\n"
             b"q 1000 0 0 100 800 100 cm /Logo Do Q\n")  # off the page
    page2 = b"q 0 0 0 rg 0 0 10 10 re f Q q 85 0 0 56.7 72 700 cm /Logo Do Q"
    page3 = (b"BT /F1 12 Tf 72 700 Td (Rien) Tj ET\n"
             b"q 28.346 0 0 28.346 400 400 cm BI /W 2 /H 2 /CS /RGB /BPC 8 ID "
             + bytes([255, 0, 0] * 4) + b"\nEI Q")
    resources = f"{shared} 0 R"
    path = pdf.write(tmp_path_factory.mktemp("pdf") / "images.pdf",
                     [(page1, resources), (page2, resources), (page3, resources)])
    return read_pdf(path)


def test_images_are_reported_where_drawn(image_pdf: DocumentView) -> None:
    assert image_pdf.pages == 3
    assert [len(image_pdf.images_on_page(n)) for n in (1, 2, 3)] == [11, 1, 1]
    first = image_pdf.images[0]
    assert first.width_mm == pytest.approx(40, abs=0.5)
    assert first.height_mm == pytest.approx(26.67, abs=0.5)
    assert first.bbox_mm == pytest.approx(
        (25.4, (841.89 - 650 - 75.591) / MM, 25.4 + 40, (841.89 - 650) / MM), abs=0.5)
    assert (first.visible, first.alt, first.region) == (True, None, "body")
    assert first.image.mode == "RGB" and first.image.size == (60, 40)
    assert first.image.getpixel((30, 20)) == (255, 204, 0)


def test_a_picture_drawn_on_several_pages_is_decoded_once(image_pdf: DocumentView) -> None:
    (on_page_2,) = image_pdf.images_on_page(2)
    assert on_page_2.width_mm == pytest.approx(85 / MM, abs=0.5) and on_page_2.visible
    assert on_page_2.image is image_pdf.images[0].image


def test_an_emblem_comes_with_the_page_as_painted_around_it(tmp_path: Path) -> None:
    """``drawn``: what the page shows where a picture holding the EU emblem is drawn, painted
    over included (the picture's own pixels do not change); ``None`` for other pictures."""
    from convention_docs.docx import logo_file
    from convention_docs.logos import find_emblems

    with logo_file("eu-emblem.png") as path, Image.open(path) as picture:
        flag = picture.convert("RGB").resize((300, 200))
    pdf = RawPdf()
    emblem, other = pdf.image(flag), pdf.image(_flag())
    resources = pdf.add(f"<< /XObject << /E {emblem} 0 R /O {other} 0 R >> >>")
    page = (b"q 85 0 0 56.7 72 700 cm /E Do Q\n"  # 30 x 20 mm, nothing over it
            b"q 85 0 0 56.7 72 500 cm /E Do Q 1 1 1 rg 90 505 50 47 re f\n"  # stars painted out
            b"q 85 0 0 56.7 300 700 cm /O Do Q\n")
    view = read_pdf(pdf.write(tmp_path / "emblems.pdf", [(page, f"{resources} 0 R")]))
    clear, painted, other_picture = view.images
    assert clear.visible and painted.visible  # a white patch over part of it hides it not
    for placed in (clear, painted):
        assert find_emblems(placed.image)
        assert placed.drawn is not None and placed.drawn.mode == "RGB"
        # 1 mm around the picture, its height at about 80 pixels
        assert placed.drawn.height == pytest.approx(80 * 22 / 20, abs=3)
    assert find_emblems(clear.drawn)
    assert not find_emblems(painted.drawn)
    assert other_picture.drawn is None
    assert clear == PlacedImage(clear.image, clear.width_mm, clear.height_mm, clear.location,
                                clear.bbox_mm)  # left out of equality, like ``image``


@pytest.mark.parametrize(("index", "visible", "reason"), [
    (1, False, "image trop petite (1 × 1 mm)"),
    (2, False, "image recouverte"),
    (3, True, None),
    (4, True, None),  # half covered
    (5, False, "image recouverte"),  # covered by an opaque picture drawn after it
    (6, True, None),
    (10, False, "hors de la page"),
])
def test_image_visibility(image_pdf: DocumentView, index: int, visible: bool,
                          reason: str | None) -> None:
    image = image_pdf.images_on_page(1)[index]
    assert (image.visible, image.invisible_reason) == (visible, reason)


def test_image_inside_a_form_xobject(image_pdf: DocumentView) -> None:
    image = image_pdf.images_on_page(1)[7]
    assert (image.width_mm, image.height_mm) == pytest.approx((100 / MM, 50 / MM), abs=0.01)
    assert image.bbox_mm == pytest.approx(
        (100 / MM, (841.89 - 150) / MM, 200 / MM, (841.89 - 100) / MM), abs=0.01)


def test_jpeg_and_soft_mask_and_inline_images(image_pdf: DocumentView) -> None:
    photo = image_pdf.images_on_page(1)[8]
    assert (photo.width_mm, photo.height_mm) == pytest.approx((20, 10), abs=0.5)
    assert photo.image.mode == "RGB" and photo.image.size == (64, 32)
    red, green, blue = photo.image.getpixel((32, 16))
    assert red > 200 and green > 150 and blue < 80
    masked = image_pdf.images_on_page(1)[9]
    assert masked.image.mode == "RGBA" and masked.image.getpixel((0, 0))[3] == 128
    (inline,) = image_pdf.images_on_page(3)
    assert (inline.width_mm, inline.height_mm) == pytest.approx((10, 10), abs=0.01)
    assert inline.image.getpixel((1, 1)) == (255, 0, 0)
    assert "undecoded_images" not in image_pdf.metadata


# --- clipping paths ----------------------------------------------------------------------

_CLIPPED = "texte masqué par un découpage"
_CLIPPED_IMAGE = "image masquée par un découpage"


@pytest.fixture(scope="module")
def clip_pdf(tmp_path_factory: pytest.TempPathFactory) -> DocumentView:
    pdf = RawPdf()
    logo = pdf.image(_flag())
    font = pdf.add(HELVETICA)
    small_form = pdf.stream(b"BT /F1 12 Tf 100 100 Td (Hors du cadre) Tj ET",
                            f"/Type /XObject /Subtype /Form /BBox [0 0 10 10] "
                            f"/Resources << /Font << /F1 {font} 0 R >> >>")
    clipping_form = pdf.stream(b"0 0 1 1 re W n BT /F1 12 Tf 200 200 Td (Dans la forme) Tj ET",
                               f"/Type /XObject /Subtype /Form /BBox [0 0 600 900] "
                               f"/Resources << /Font << /F1 {font} 0 R >> >>")
    resources = (f"<< /Font << /F1 {font} 0 R >> /XObject << /Logo {logo} 0 R "
                 f"/Small {small_form} 0 R /Clipping {clipping_form} 0 R >> >>")
    text = (b"q 0 0 1 1 re W n BT /F1 12 Tf 72 800 Td (Rogne) Tj ET Q\n"
            b"BT /F1 12 Tf 72 780 Td (Rendu) Tj ET\n"  # Q restored the clip
            b"q 50 750 300 20 re W* n BT /F1 12 Tf 72 760 Td (Dans le cadre) Tj ET Q\n"
            b"q 72 700 m 150 760 150 760 90 700 c h W n\n"  # a curve: by its points and controls
            b"BT /F1 12 Tf 85 720 Td (Courbe) Tj ET BT /F1 12 Tf 300 720 Td (Loin) Tj ET Q\n"
            b"q 0.7071 0.7071 -0.7071 0.7071 400 600 cm 0 0 50 50 re W n\n"  # rotated
            b"0.7071 -0.7071 0.7071 0.7071 -707.1 -141.42 cm\n"  # back to the page's axes
            b"BT /F1 12 Tf 370 620 Td (Tourne) Tj ET BT /F1 12 Tf 500 620 Td (A cote) Tj ET Q\n"
            b"q W n BT /F1 12 Tf 72 580 Td (Chemin vide) Tj ET Q\n"
            b"q 1 0 0 1 0 0 cm /Small Do Q /Clipping Do\n"
            b"BT /F1 12 Tf 72 560 Td (Apres la forme) Tj ET\n"
            # LibreOffice's text object, read whole (the fast path), under a clip
            b"q 0 0 1 1 re W n\nq 0 0 0 rg\nBT\n72 540 Td /F1 12 Tf[<436F7570E9>]TJ\nET\nQ\nQ\n"
            b"q 0 0 0 rg\nBT\n72 520 Td /F1 12 Tf[<456E7469657220>]TJ\nET\nQ\n"
            # clipped paint covers nothing
            b"BT /F1 12 Tf 300 300 Td (Sous une image decoupee) Tj ET\n"
            b"q 0 0 1 1 re W n q 200 0 0 50 290 290 cm /Logo Do Q Q\n"
            b"BT /F1 12 Tf 300 250 Td (Sous un cache decoupe) Tj ET\n"
            b"q 0 0 1 1 re W n 0 g 290 240 200 30 re f Q\n")
    images = (b"q 0 0 1 1 re W n q 85 0 0 56.7 72 700 cm /Logo Do Q Q\n"  # clipped away
              b"q 72 600 1 56.7 re W n q 85 0 0 56.7 72 600 cm /Logo Do Q Q\n"  # a sliver left
              b"q 72 500 40 56.7 re W n q 85 0 0 56.7 72 500 cm /Logo Do Q Q\n"  # half left
              b"q 85 0 0 56.7 72 400 cm 0 0 1 1 re W n /Logo Do Q\n"  # LibreOffice's own clip
              b"q 500 500 10 10 re W n 1 0 0 1 0 0 cm 85 0 0 56.7 72 300 cm /Logo Do Q\n")
    path = pdf.write(tmp_path_factory.mktemp("pdf") / "clip.pdf",
                     [(text, resources), (images, resources)])
    return read_pdf(path)


@pytest.mark.parametrize(("text", "reason"), [
    ("Rogne", _CLIPPED),
    ("Rendu", None),
    ("Dans le cadre", None),
    ("Courbe", None),  # inside the box of the curve's points, control points included
    ("Loin", _CLIPPED),
    ("Tourne", None),  # inside the box of the rotated square: the benefit of the doubt
    ("A cote", _CLIPPED),
    ("Chemin vide", None),  # an empty path clips nothing here
    ("Hors du cadre", _CLIPPED),  # outside the form's /BBox
    ("Dans la forme", _CLIPPED),
    ("Apres la forme", None),  # the form's clip ends with it
    ("Coupé", _CLIPPED),
    ("Entier", None),
    ("Sous une image decoupee", None),
    ("Sous un cache decoupe", None),
])
def test_clipped_text(clip_pdf: DocumentView, text: str, reason: str | None) -> None:
    line = _line(clip_pdf, text)
    assert (line.visible, line.invisible_reason) == (reason is None, reason)


@pytest.mark.parametrize(("index", "reason"), [
    (0, _CLIPPED_IMAGE),
    (1, _CLIPPED_IMAGE),  # 0.35 mm wide left: a sliver
    (2, None),  # 14 mm of 30 left
    (3, None),  # clipped to itself, as LibreOffice draws pictures
    (4, _CLIPPED_IMAGE),  # the clip far from where the picture is drawn
])
def test_clipped_images(clip_pdf: DocumentView, index: int, reason: str | None) -> None:
    image = clip_pdf.images_on_page(2)[index]
    assert (image.visible, image.invisible_reason) == (reason is None, reason)
    assert image.width_mm == pytest.approx(85 / MM, abs=0.01)  # its size, clip or not


def test_rotated_page(tmp_path: Path) -> None:
    pdf = RawPdf()
    logo = pdf.image(_flag())
    path = pdf.write(tmp_path / "rotated.pdf", [(b"q 100 0 0 50 72 700 cm /Logo Do Q",
                                                 f"<< /XObject << /Logo {logo} 0 R >> >>")],
                     page_extra="/Rotate 90")
    (image,) = read_pdf(path).images
    height = 841.89 / MM
    assert image.bbox_mm == pytest.approx(
        (height - (841.89 - 700) / MM, 72 / MM, height - (841.89 - 750) / MM, 172 / MM), abs=0.01)


# --- metadata, errors ------------------------------------------------------------------


def _metadata_pdf(path: Path, doctype: bytes = b"", title: bytes = b"Convention d'insertion"
                  ) -> Path:
    xmp = (b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>' + doctype +
           b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
           b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
           b'<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
           b'xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" pdfaid:part="2" '
           b'pdfaid:conformance="B"><dc:title><rdf:Alt><rdf:li xml:lang="x-default">'
           + title + b"</rdf:li></rdf:Alt></dc:title></rdf:Description>"
           b'</rdf:RDF></x:xmpmeta><?xpacket end="w"?>')
    pdf = RawPdf()
    font = pdf.add(HELVETICA)
    metadata = pdf.stream(xmp, "/Type /Metadata /Subtype /XML")
    return pdf.write(path, [(b"BT /F1 12 Tf 72 700 Td (Texte) Tj ET",
                             f"<< /Font << /F1 {font} 0 R >> >>")],
                     catalog=f"/Lang (fr-FR) /Metadata {metadata} 0 R",
                     info="<< /Title (Convention) /Author (DREETS) /Producer (tests) >>")


def test_metadata(tmp_path: Path) -> None:
    view = read_pdf(_metadata_pdf(tmp_path / "meta.pdf"))
    assert dict(view.metadata) == {
        "pages": "1", "title": "Convention", "author": "DREETS", "producer": "tests",
        "language": "fr-FR", "xmp_title": "Convention d'insertion", "pdfaid_part": "2",
        "pdfaid_conformance": "B",
    }
    assert view.kind == "pdf" and read_document(tmp_path / "meta.pdf").text() == "Texte"


def test_external_entity_in_xmp_is_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("CONTENU-SECRET", encoding="utf-8")
    doctype = f'<!DOCTYPE x:xmpmeta [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'.encode()
    view = read_pdf(_metadata_pdf(tmp_path / "xxe.pdf", doctype, b"Titre &xxe;"))
    assert view.metadata["xmp_title"] == "Titre"


def _error(path: Path) -> str:
    with pytest.raises(DocumentError) as caught:
        read_pdf(path)
    assert caught.value.path == str(path)
    return str(caught.value)


def test_not_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "faux.pdf"
    path.write_text("bonjour", encoding="utf-8")
    assert _error(path) == f"{path} : fichier illisible : ce n'est pas un document PDF"


def test_truncated_pdf(tmp_path: Path) -> None:
    data = _metadata_pdf(tmp_path / "full.pdf").read_bytes()
    path = tmp_path / "tronque.pdf"
    path.write_bytes(data[: len(data) // 2])
    assert _error(path) == (f"{path} : fichier PDF tronqué (marqueur de fin %%EOF absent) : "
                            "demandez une copie complète")


def test_damaged_pdf(tmp_path: Path) -> None:
    path = tmp_path / "abime.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R >>\nendobj\n"
                     b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")
    assert _error(path) == f"{path} : fichier PDF endommagé ou tronqué : impossible de le lire"


def test_pdf_without_pages(tmp_path: Path) -> None:
    path = RawPdf().write(tmp_path / "vide.pdf", [])
    assert _error(path) == f"{path} : fichier PDF sans aucune page"


def _encrypted(source: Path, target: Path, user_password: str) -> Path:
    writer = PdfWriter(clone_from=source)
    writer.encrypt(user_password=user_password, owner_password="proprietaire",
                   algorithm="RC4-128")
    writer.write(target)
    return target


def test_encrypted_pdf_with_a_password(tmp_path: Path) -> None:
    path = _encrypted(_metadata_pdf(tmp_path / "clair.pdf"), tmp_path / "secret.pdf", "secret")
    assert _error(path) == f"{path} : PDF protégé par un mot de passe : impossible de le lire"


def test_encrypted_pdf_with_an_empty_user_password_is_read(tmp_path: Path) -> None:
    path = _encrypted(_metadata_pdf(tmp_path / "clair.pdf"), tmp_path / "owner.pdf", "")
    assert read_pdf(path).text() == "Texte"


def test_missing_pdf(tmp_path: Path) -> None:
    assert _error(tmp_path / "absent.pdf") == f"{tmp_path / 'absent.pdf'} : fichier introuvable"


SPECIAL = "« Cofinancé par l’Union européenne » 15\u202f000,00\u00a0€ R&D <SARL>"


@pytest.fixture(scope="module")
def libreoffice_pdf(tmp_path_factory: pytest.TempPathFactory) -> DocumentView:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) absent")
    folder = tmp_path_factory.mktemp("lo")
    _flag((120, 80)).save(folder / "logo.png")
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    doc.core_properties.title = "Convention LibreOffice"
    section.header.paragraphs[0].add_run().add_picture(str(folder / "logo.png"), width=Mm(25))
    doc.add_paragraph(SPECIAL)
    numbering = doc.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90"><w:lvl w:ilvl="0">'
        '<w:start w:val="3"/><w:numFmt w:val="decimal"/><w:suff w:val="space"/>'
        '<w:lvlText w:val="Article %1 –"/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(
        f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    doc.add_paragraph("Objet")._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>'))
    article = doc.add_paragraph("Article 1")
    article.add_run("er").font.superscript = True
    blue = doc.add_paragraph().add_run("Titre bleu")
    blue.font.color.rgb, blue.font.bold, blue.font.size = RGBColor(0x1F, 0x38, 0x64), True, Pt(14)
    mixed = doc.add_paragraph("Visible ")
    mixed.add_run("caché").font.hidden = True
    mixed.add_run("blanc").font.color.rgb = RGBColor(255, 255, 255)
    doc.add_paragraph().add_run("minuscule").font.size = Pt(2)
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Pour l'État", "Pour la Métropole"
    breaks = doc.add_paragraph("ligne 1")
    breaks.runs[0].add_break()
    breaks.add_run("ligne 2")
    breaks.add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph().add_run().add_picture(str(folder / "logo.png"), width=Mm(40))
    doc.add_paragraph().add_run().add_picture(str(folder / "logo.png"), width=Mm(2))
    doc.save(str(folder / "lo.docx"))
    subprocess.run(
        [soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(folder), str(folder / "lo.docx")],
        check=True, capture_output=True, timeout=180,
    )
    return read_pdf(folder / "lo.pdf")


def _spaces(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.libreoffice
def test_libreoffice_text(libreoffice_pdf: DocumentView) -> None:
    view = libreoffice_pdf
    assert view.source is not None
    docx_view = read_document(Path(view.source).with_suffix(".docx"))
    assert "Article 3 – Objet" in [line.text for line in docx_view.lines]
    assert view.pages == 2
    texts = [line.text for line in view.lines]
    assert SPECIAL in [line.text for line in docx_view.lines]
    # PDFium may give U+00A0 and U+202F as plain spaces (docs/rules.md)
    assert _spaces(SPECIAL) in [_spaces(text) for text in texts]
    assert "Article 1er" in texts
    assert "Article 3 – Objet" in texts  # the label of an automatic list, as in the .docx
    assert {"Pour l'État", "Pour la Métropole", "ligne 1", "ligne 2"} <= set(texts)
    assert "caché" not in view.text(include_hidden=True)  # LibreOffice does not print it
    title = _line(view, "Titre bleu")
    assert (title.color, title.font_size, title.bold) == ((0x1F, 0x38, 0x64), 14.0, True)
    assert (_line(view, "blanc").visible, _line(view, "blanc").invisible_reason) == (
        False, "texte blanc")
    assert _line(view, "minuscule").invisible_reason == "corps de 2 pt"
    assert _line(view, "Visible").visible
    assert view.metadata["title"] == "Convention LibreOffice"
    assert view.metadata["producer"].startswith("LibreOffice")


@pytest.mark.libreoffice
def test_libreoffice_images_are_on_the_pages_that_draw_them(libreoffice_pdf: DocumentView) -> None:
    view = libreoffice_pdf
    page1 = view.images_on_page(1)
    page2 = view.images_on_page(2)
    assert [round(i.width_mm) for i in page1] == [25]  # the header logo only
    assert sorted(round(i.width_mm) for i in page2) == [2, 25, 40]
    logo: PlacedImage = max(page2, key=lambda image: image.width_mm)
    assert logo.width_mm == pytest.approx(40, abs=0.5)
    assert logo.height_mm == pytest.approx(26.67, abs=0.5)
    assert logo.visible and logo.image.size == (120, 80)
    tiny = min(page2, key=lambda image: image.width_mm)
    assert not tiny.visible and tiny.invisible_reason.startswith("image trop petite")
    assert all(math.isclose(i.width_mm, 25, abs_tol=0.5) and i.visible for i in page1)


# --- TJ arrays of a font with its own widths and /ToUnicode -------------------------------

_WIDTHS = " ".join(str(100 + (code * 37) % 800) for code in range(96))
_SIMPLE_FONT = (f"<< /Type /Font /Subtype /TrueType /BaseFont /ABCDEF+Libre /FirstChar 0 "
                f"/LastChar 95 /Widths [{_WIDTHS}] /ToUnicode {{}} 0 R >>")
_TO_UNICODE = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap "
               b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def "
               b"1 begincodespacerange <00> <FF> endcodespacerange "
               b"4 beginbfchar <01> <0041> <02> <0020> <03> <00660069> <04> <202F> endbfchar "
               b"1 beginbfrange <40> <5A> <0061> endbfrange endcmap "
               b"CMapName currentdict /CMap defineresource pop end end")

def test_whole_arrays_in_a_document(tmp_path: Path) -> None:
    pdf = RawPdf()
    to_unicode = pdf.stream(_TO_UNICODE)
    font = pdf.add(_SIMPLE_FONT.format(to_unicode))
    content = (b"BT /F1 11 Tf 72 700 Td [<4142>-4<43>2<0244>-300<45>]TJ 0 -14 Td "
               b"[<41424344>]TJ 0 -14 Td 0.5 Tc [-20<41>10<02>-10<42>40]TJ ET "
               b"BT /F1 9 Tf 0 1 -1 0 300 300 Tm [<4142>5<4344>]TJ ET")
    path = pdf.write(tmp_path / "tj.pdf", [(content, f"<< /Font << /F1 {font} 0 R >> >>")])
    view = read_pdf(path)
    # ToUnicode: <40>… is a…, <02> a space; the -300 shift reads as a space
    assert [line.text for line in view.lines] == ["bcd e f", "bcde", "b c", "bcde"]


# --- what the PDFium reader reads that the hand-written one did not ---------------------------

_SPOT = "[/Separation /Bleu /DeviceRGB << /FunctionType 2 /Domain [0 1] /C0 [1 1 1] " \
        "/C1 [0.2 0.3 0.6] /N 1 >>]"
_WHITE_SPOT = "[/Separation /Blanc /DeviceRGB << /FunctionType 2 /Domain [0 1] /C0 [0 0 0] " \
              "/C1 [1 1 1] /N 1 >>]"


def _toc_pdf(path: Path) -> Path:
    """A table of contents as some word processors paint it: every title, then every leader,
    then every page number; then the articles themselves on page 2."""
    pdf = RawPdf()
    font = pdf.add(HELVETICA)
    titles = [b"Article 1er \226 Objet", b"Article 2 \226 Dur\351e", b"Article 3 \226 Financement"]
    toc = b"BT /F1 14 Tf 72 760 Td (Sommaire) Tj ET\n"
    for row, title in enumerate(titles):
        toc += b"BT /F1 12 Tf 72 %d Td (%s) Tj ET\n" % (700 - 20 * row, title)
    for row, start in enumerate((170, 164, 200)):  # from the end of each title
        toc += b"BT /F1 12 Tf %d %d Td (%s) Tj ET\n" % (start, 700 - 20 * row,
                                                       b"." * ((515 - start) * 1000 // 3336))
    for row, page in enumerate((b"2", b"2", b"3")):
        toc += b"BT /F1 12 Tf 520 %d Td (%s) Tj ET\n" % (700 - 20 * row, page)
    body = b"".join(b"BT /F1 12 Tf 72 %d Td (%s) Tj ET BT /F1 11 Tf 72 %d Td (Texte.) Tj ET\n"
                    % (700 - 60 * row, title, 680 - 60 * row) for row, title in enumerate(titles))
    resources = f"<< /Font << /F1 {font} 0 R >> >>"
    return pdf.write(path, [(toc, resources), (body, resources)])


def test_a_table_of_contents_reads_as_whole_entries(tmp_path: Path) -> None:
    from convention_docs import validate

    path = _toc_pdf(tmp_path / "sommaire.pdf")
    view = read_pdf(path)
    entries = [line.text for line in view.lines_on_page(1)][1:]
    assert [text.split(" .")[0] for text in entries] == [
        "Article 1er – Objet", "Article 2 – Durée", "Article 3 – Financement"]
    assert all(text.endswith(("... 2", "... 3", "...2", "...3")) for text in entries)
    codes = validate(path).codes()
    assert not codes & {"ARTICLE_NUMBERING_GAP", "ARTICLE_NUMBER_REPEATED", "ARTICLES_MISSING"}


def test_text_and_picture_in_a_spot_colour(tmp_path: Path) -> None:
    pdf = RawPdf()
    font = pdf.add(HELVETICA)
    picture = pdf.stream(bytes([0, 255, 128, 255]),
                         f"/Type /XObject /Subtype /Image /Width 4 /Height 1 /ColorSpace {_SPOT} "
                         "/BitsPerComponent 8")
    content = (b"/Spot cs 1 scn BT /F1 12 Tf 72 700 Td (Bleu direct) Tj ET\n"
               b"/White cs 1 scn BT /F1 12 Tf 72 680 Td (Blanc direct) Tj ET\n"
               b"q 113.4 0 0 28.35 72 500 cm /Im Do Q")
    path = pdf.write(tmp_path / "spot.pdf", [(content, (
        f"<< /Font << /F1 {font} 0 R >> /XObject << /Im {picture} 0 R >> "
        f"/ColorSpace << /Spot {_SPOT} /White {_WHITE_SPOT} >> >>"))])
    view = read_pdf(path)
    blue, white = _line(view, "Bleu direct"), _line(view, "Blanc direct")
    assert blue.visible and blue.color == pytest.approx((51, 77, 153), abs=2)
    assert (white.visible, white.invisible_reason) == (False, "texte blanc")
    (image,) = view.images
    assert image.image.size == (4, 1)
    assert image.image.getpixel((0, 0)) == (255, 255, 255)  # tint 0: paper
    assert image.image.getpixel((1, 0)) == pytest.approx((51, 77, 153), abs=2)


def test_a_16_bit_picture(tmp_path: Path) -> None:
    pdf = RawPdf()
    samples = bytes.fromhex("FFFF00008000" "0000FFFF0000")
    picture = pdf.stream(zlib.compress(samples),
                         "/Type /XObject /Subtype /Image /Width 2 /Height 1 "
                         "/ColorSpace /DeviceRGB /BitsPerComponent 16 /Filter /FlateDecode")
    path = pdf.write(tmp_path / "seize.pdf", [(b"q 56.7 0 0 28.35 72 500 cm /Im Do Q",
                                               f"<< /XObject << /Im {picture} 0 R >> >>")])
    (image,) = read_pdf(path).images
    assert image.image.size == (2, 1)
    assert image.image.getpixel((0, 0)) == pytest.approx((255, 0, 128), abs=1)
    assert image.image.getpixel((1, 0)) == (0, 255, 0)
    assert "undecoded_images" not in read_pdf(path).metadata


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256"])
def test_aes_with_an_empty_user_password_is_read(tmp_path: Path, algorithm: str) -> None:
    source = _metadata_pdf(tmp_path / "clair.pdf")
    writer = PdfWriter(clone_from=source)
    writer.encrypt(user_password="", owner_password="proprietaire", algorithm=algorithm)
    writer.write(tmp_path / "aes.pdf")
    view = read_pdf(tmp_path / "aes.pdf")
    assert view.text() == "Texte"
    assert view.metadata["title"] == "Convention"
    assert view.metadata["xmp_title"] == "Convention d'insertion"  # pypdf decrypts the XMP


def test_aes_256_with_a_password_is_refused_in_french(tmp_path: Path) -> None:
    source = _metadata_pdf(tmp_path / "clair.pdf")
    writer = PdfWriter(clone_from=source)
    writer.encrypt(user_password="secret", owner_password="proprietaire", algorithm="AES-256")
    path = tmp_path / "secret256.pdf"
    writer.write(path)
    assert _error(path) == f"{path} : PDF protégé par un mot de passe : impossible de le lire"


_STATEMENT = rb"(Cofinanc\351 par l\222Union europ\351enne) Tj"


@pytest.mark.parametrize("how", ["marked content", "form XObject", "membership dictionary"])
def test_text_in_a_hidden_layer_is_hidden(tmp_path: Path, how: str) -> None:
    pdf = RawPdf()
    font = pdf.add(HELVETICA)
    layer = pdf.add("<< /Type /OCG /Name (Financement) >>")
    fonts = f"/Font << /F1 {font} 0 R >>"
    shown = b"BT /F1 12 Tf 72 700 Td (Article 1er) Tj ET\n"
    statement = b"BT /F1 12 Tf 72 600 Td " + _STATEMENT + b" ET"
    if how == "form XObject":
        form = pdf.stream(statement, f"/Type /XObject /Subtype /Form /BBox [0 0 600 800] "
                                     f"/OC {layer} 0 R /Resources << {fonts} >>")
        content, resources = shown + b"/Fm Do", f"<< {fonts} /XObject << /Fm {form} 0 R >> >>"
    else:
        group = layer if how == "marked content" else pdf.add(
            f"<< /Type /OCMD /OCGs [{layer} 0 R] /P /AllOn >>")
        content = shown + b"/OC /L BDC " + statement + b" EMC"
        resources = f"<< {fonts} /Properties << /L {group} 0 R >> >>"
    path = pdf.write(tmp_path / "calque.pdf", [(content, resources)],
                     catalog=f"/OCProperties << /OCGs [{layer} 0 R] /D << /OFF [{layer} 0 R] >> >>")
    view = read_pdf(path)
    assert _line(view, "Article 1er").visible
    statement_line = _line(view, "Cofinancé par l’Union européenne")
    assert (statement_line.visible, statement_line.invisible_reason) == (False, "calque masqué")


def test_the_funding_statement_in_a_hidden_layer_is_refused(tmp_path: Path) -> None:
    from convention_docs import validate

    pdf = RawPdf()
    font = pdf.add(HELVETICA)
    layer = pdf.add("<< /Type /OCG /Name (Financement) >>")
    form = pdf.stream(b"BT /F1 12 Tf 72 600 Td " + _STATEMENT + b" ET",
                      f"/Type /XObject /Subtype /Form /BBox [0 0 600 800] /OC {layer} 0 R "
                      f"/Resources << /Font << /F1 {font} 0 R >> >>")
    path = pdf.write(tmp_path / "calque.pdf", [(
        b"BT /F1 12 Tf 72 700 Td (Article 1er) Tj ET /Fm Do",
        f"<< /Font << /F1 {font} 0 R >> /XObject << /Fm {form} 0 R >> >>")],
        catalog=f"/OCProperties << /OCGs [{layer} 0 R] /D << /OFF [{layer} 0 R] >> >>")
    report = validate(path)
    assert "FUNDING_STATEMENT_INVISIBLE" in report.codes() or \
        "FUNDING_MENTION_MISSING" in report.codes()
    assert not report.ok


def test_pages_are_rasterised_by_pdfium(tmp_path: Path) -> None:
    from convention_docs.inspect.pdf import render_pages

    pdf = RawPdf()
    path = pdf.write(tmp_path / "carre.pdf", [(b"0 0 1 rg 72 700 72 72 re f", "<< >>")] * 2)
    first, = render_pages(path, 72, pages=1)
    assert first.size in ((595, 842), (596, 842)) and first.mode == "RGB"
    assert first.getpixel((100, 842 - 736)) == (0, 0, 255)  # inside the blue square
    assert first.getpixel((10, 10)) == (255, 255, 255)
    assert len(render_pages(path, 36)) == 2


def test_pdfium_is_used_by_one_thread_at_a_time(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    path = _toc_pdf(tmp_path / "sommaire.pdf")
    expected = read_pdf(path).lines
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: read_pdf(path).lines, range(12)))
    assert all(lines == expected for lines in results)


@pytest.mark.parametrize("how", ["marked content", "form XObject"])
def test_a_picture_in_a_hidden_layer_is_hidden(tmp_path: Path, how: str) -> None:
    pdf = RawPdf()
    logo = pdf.image(_flag())
    layer = pdf.add("<< /Type /OCG /Name (Logos) >>")
    drawing = b"q 113.386 0 0 75.591 72 650 cm /Logo Do Q"
    shown = b" q 113.386 0 0 75.591 300 650 cm /Logo Do Q"  # the same picture, not hidden
    if how == "form XObject":
        form = pdf.stream(drawing, f"/Type /XObject /Subtype /Form /BBox [0 0 600 800] /OC "
                                   f"{layer} 0 R /Resources << /XObject << /Logo {logo} 0 R >> >>")
        content = b"/Fm Do" + shown
        resources = f"<< /XObject << /Fm {form} 0 R /Logo {logo} 0 R >> >>"
    else:
        content = b"/OC /L BDC " + drawing + b" EMC" + shown
        resources = f"<< /XObject << /Logo {logo} 0 R >> /Properties << /L {layer} 0 R >> >>"
    path = pdf.write(tmp_path / "logos.pdf", [(content, resources)],
                     catalog=f"/OCProperties << /OCGs [{layer} 0 R] /D << /OFF [{layer} 0 R] >> >>")
    hidden, visible = read_pdf(path).images
    assert (hidden.visible, hidden.invisible_reason) == (False, "calque masqué")
    assert visible.visible


def test_a_picture_drawn_at_no_size_is_read_without_error(tmp_path: Path) -> None:
    pdf = RawPdf()
    logo = pdf.image(_flag())
    path = pdf.write(tmp_path / "plat.pdf", [(b"q 0 0 0 75 72 650 cm /Logo Do Q",
                                              f"<< /XObject << /Logo {logo} 0 R >> >>")])
    (image,) = read_pdf(path).images
    assert (image.visible, image.width_mm) == (False, 0.0)
    assert image.invisible_reason is not None and image.invisible_reason.startswith("image trop")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)),
                min_size=1, max_size=30))
def test_a_damaged_pdf_gives_a_view_or_a_document_error(
        tmp_path_factory: pytest.TempPathFactory, changes: list[tuple[float, int]]) -> None:
    folder = tmp_path_factory.mktemp("abime")
    pdf = RawPdf()
    logo = pdf.image(_flag())
    font = pdf.add(HELVETICA)
    data = bytearray(pdf.write(folder / "sain.pdf", [(
        b"BT /F1 12 Tf 72 700 Td (Article 1er) Tj ET q 85 0 0 56.7 72 500 cm /Logo Do Q",
        f"<< /Font << /F1 {font} 0 R >> /XObject << /Logo {logo} 0 R >> >>")]).read_bytes())
    for where, value in changes:
        data[int(where * len(data))] = value
    path = folder / "abime.pdf"
    path.write_bytes(bytes(data))
    try:
        view = read_pdf(path)
    except DocumentError as error:
        assert error.path == str(path)
    else:
        assert view.pages is not None and view.pages >= 1
