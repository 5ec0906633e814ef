"""Read a PDF into a :class:`DocumentView`: lines of text and images as actually drawn.

PDFium (Chrome's PDF engine, through pypdfium2, :mod:`._pdfium`) reads every page: its objects,
form XObjects and inline images included, give paint events in painting order, and its text
page gives the characters with their font, size, colour and position. Text runs are grouped
into lines by baseline (:mod:`._pdf_layout`); ``bbox_mm`` is ``(x0, y0, x1, y1)`` in mm from
the top-left corner of the page as displayed (CropBox, ``/Rotate`` applied). Lines carry
``region="body"``: a PDF does not say what is a header. Images have no ``alt``.

What PDFium cannot tell: U+00A0 and U+202F come back as plain spaces (the validator folds
spaces, so no verdict depends on them); optional content has no API: the groups switched off in
``/OCProperties`` are read with pypdf and matched by their ``/Name`` with the objects' ``/OC``
marks (an ``/OC`` entry on a form or image XObject, or a membership dictionary, is not seen).

Visibility (thresholds in :mod:`._visibility`): text is invisible in render mode 3 or 7
(« texte masqué »), in optional content switched off (« calque masqué »), outside the page,
under 4 pt, with an opacity under 0.1, or in a colour within 15 per channel of what is painted
under it (white paper by default: « texte blanc »), or wholly outside its clipping path
(« texte masqué par un découpage »). An image is invisible when tiny, off the page, in a hidden
layer, transparent, covered by opaque paint drawn after it, or when its clipping path leaves
nothing of it or a tiny part (« image masquée par un découpage »). A clipping path counts by
its bounding box (so a clip never hides more here than on paper); clipping by text (render
modes 4 to 7) is not applied, such text counting as visible.

Encrypted PDFs open with the empty user password (RC4 and AES, AES-256 included); another
password gives a :class:`~convention_docs.errors.DocumentError`.

Metadata keys: ``title``, ``author``, ``subject``, ``keywords``, ``creator``, ``producer``,
``creation_date``, ``modification_date`` (Info dictionary, raw PDF date strings),
``xmp_title``, ``pdfaid_part``, ``pdfaid_conformance`` (XMP, read with pypdf), ``language``
(catalog ``/Lang``), ``pages``, and ``undecoded_images`` when some image could not be decoded.
"""

from __future__ import annotations

import ctypes
import math
import struct
import zlib
from io import BytesIO
from pathlib import Path
from typing import Any

import numpy
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
from lxml import etree
from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from convention_docs import _limits
from convention_docs._pdfium import MM_PER_INCH, render_region
from convention_docs.errors import DocumentError, LimitExceeded
from convention_docs.inspect._complexity import MAX_DRAWS, page_draws
from convention_docs.inspect._files import read_bytes
from convention_docs.inspect._names import may_hold
from convention_docs.inspect._pdf_layout import (
    MM_PER_PT,
    Drawn,
    PageGeometry,
    Placement,
    build_lines,
    place_images,
)
from convention_docs.inspect._pdfium import (
    LOCK,
    Decoder,
    _Fonts,
    page_events,
    pdfium_lock,
    render_page,
)
from convention_docs.inspect._visibility import COLOR_TOLERANCE, WHITE, same_color
from convention_docs.inspect._xml import safe_parser
from convention_docs.inspect.view import DocumentView, Location, PlacedImage, TextLine

__all__ = ["open_pdf", "pdfium_lock", "read_pdf", "render_pages"]

_PARSE_ERRORS = (PyPdfError, ValueError, KeyError, TypeError, IndexError, AttributeError,
                 AssertionError, RecursionError, zlib.error, struct.error, OverflowError,
                 NotImplementedError, ImportError)  # pypdf: unknown filter, missing crypto
_INFO_KEYS = {"Title": "title", "Author": "author", "Subject": "subject",
              "Keywords": "keywords", "Creator": "creator", "Producer": "producer",
              "CreationDate": "creation_date", "ModDate": "modification_date"}
_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
_DAMAGED = "fichier PDF endommagé ou tronqué : impossible de le lire"
EMBLEM_REGION_PIXELS = 80
"""Pixels for the height of a picture holding an emblem in its :attr:`PlacedImage.drawn`."""


def read_pdf(path: str | Path) -> DocumentView:
    """Return the :class:`DocumentView` of the PDF at ``path``.

    Raises :class:`~convention_docs.errors.DocumentError` (French message naming the file) when
    the file is missing, is not a PDF, is truncated (no ``%%EOF`` at its end) or damaged, or is
    encrypted with a password other than the empty one.
    """
    source = str(path)
    data = read_bytes(path)
    lines: list[TextLine] = []
    images: list[PlacedImage] = []
    decoder, fonts = Decoder(), _Fonts()
    _check(path, data)
    reader = _pypdf(data)
    with LOCK:
        document = open_pdf(path, data, reader)
        try:
            pages = len(document)
            hidden = _hidden_layers(reader)
            for index in range(pages):
                _limits.checkpoint()  # validate()'s deadline: too much to check in time
                page = document[index]
                try:
                    location = Location(file=source, page=index + 1)
                    geometry = PageGeometry.of(tuple(page.get_mediabox()),
                                               tuple(page.get_cropbox()),
                                               page.get_rotation())
                    events = page_events(document, page, hidden, decoder, fonts)
                    drawn = _drawn(page, geometry) if hidden else None
                    placements = place_images(events, geometry, drawn)
                    regions = [_emblem_region(page, p) for p in placements]
                finally:
                    page.close()
                lines.extend(build_lines(events, geometry, location, drawn))
                images.extend(
                    PlacedImage(
                        image=p.draw.handle, width_mm=p.width_mm, height_mm=p.height_mm,
                        location=location, bbox_mm=p.bbox_mm, visible=p.reason is None,
                        invisible_reason=p.reason, drawn=region,
                    )
                    for p, region in zip(placements, regions, strict=True)
                )
            metadata = _metadata(document, reader)
        except (pdfium.PdfiumError, ArithmeticError, ValueError, OSError) as error:
            raise DocumentError(_DAMAGED, path=path) from error
        finally:
            document.close()
    if decoder.failed:
        metadata["undecoded_images"] = str(decoder.failed)
    return DocumentView("pdf", source, tuple(lines), tuple(images), pages, metadata)


def _emblem_region(page: pdfium.PdfPage, placement: Placement) -> Image.Image | None:
    """:attr:`PlacedImage.drawn`: the page around a visible picture holding an EU emblem,
    rendered while the page is loaded (the validator would load it again), at about
    ``EMBLEM_REGION_PIXELS`` for the picture's height (100 to 400 dpi); ``None`` for any other
    picture, or when PDFium cannot render it."""
    from convention_docs.logos import find_emblems  # the logos module reads these views

    if placement.reason is not None or not find_emblems(placement.draw.handle):
        return None
    dpi = min(400.0, max(100.0, EMBLEM_REGION_PIXELS * MM_PER_INCH
                         / max(placement.height_mm, 1.0)))
    left, top, right, bottom = placement.bbox_mm
    try:
        return render_region(page, dpi, (left - 1.0, top - 1.0, right + 1.0, bottom + 1.0))
    except Exception:  # PDFium refusing to render: the picture's own pixels are judged
        return None


def _drawn(page: pdfium.PdfPage, geometry: PageGeometry) -> Drawn:
    """In a document with hidden optional content: whether something is painted over given
    points of the page as PDFium renders it (at 72 dpi), hidden content left out. This catches
    what the ``/OC`` marks do not tell (a form XObject's ``/OC``, a membership dictionary)."""
    pixels = numpy.asarray(page.render(scale=1).to_pil().convert("RGB"), dtype=numpy.int16)
    rows, columns = pixels.shape[:2]

    def drawn(points: list[tuple[float, float]], color: tuple[int, int, int] | None) -> bool:
        x0, y0, x1, y1 = (value / MM_PER_PT for value in geometry.bbox_mm(points))
        left, top = max(int(x0), 0), max(int(y0), 0)
        right, bottom = min(math.ceil(x1), columns), min(math.ceil(y1), rows)
        region = pixels[top:bottom, left:right]
        if region.size == 0:
            return True
        low, high = region.min(axis=(0, 1)), region.max(axis=(0, 1))
        if int((high - low).max()) > 2 * COLOR_TOLERANCE:
            return True  # some ink
        shade = (int(low[0]), int(low[1]), int(low[2]))
        if color is None:
            return not same_color(shade, WHITE)  # a picture of one colour
        return same_color(shade, color)  # a block of the text's own colour

    return drawn


def render_pages(path: str | Path, dpi: float, pages: int | None = None) -> list[Image.Image]:
    """Return the first ``pages`` pages (all when ``None``) of the PDF at ``path``, rasterised
    by PDFium at ``dpi`` in RGB (hidden optional content is not drawn).

    Raises :class:`~convention_docs.errors.DocumentError` as :func:`read_pdf` does.
    """
    data = read_bytes(path)
    with LOCK:
        document = open_pdf(path, data)
        try:
            count = len(document) if pages is None else min(pages, len(document))
            return [render_page(document, index, dpi) for index in range(count)]
        except pdfium.PdfiumError as error:
            raise DocumentError(_DAMAGED, path=path) from error
        finally:
            document.close()


def _pypdf(data: bytes, *, always: bool = False) -> PdfReader | None:
    """pypdf's reader, for what PDFium has no API for (XMP, optional content, counting nested
    forms); ``None`` when pypdf cannot read the file (PDFium may still)."""
    if b"%PDF-" not in data[:1024] or not (
            always or may_hold(data, "OCProperties", "Metadata", "Form")):
        return None  # nothing PDFium leaves to pypdf: no need to parse the file twice
    try:
        reader = PdfReader(BytesIO(data))
        if reader.is_encrypted:
            reader.decrypt("")
        return reader
    except _PARSE_ERRORS:
        return None


def open_pdf(path: str | Path, data: bytes, reader: PdfReader | None = None
             ) -> pdfium.PdfDocument:
    """Open ``data`` with PDFium (call under :data:`LOCK`); a French ``DocumentError`` naming
    ``path`` for what is not a readable PDF with at least one page."""
    _check(path, data)
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        code = getattr(error, "err_code", None)
        if code == pdfium_raw.FPDF_ERR_PASSWORD:
            raise DocumentError("PDF protégé par un mot de passe : impossible de le lire",
                                path=path) from error
        if code == pdfium_raw.FPDF_ERR_SECURITY:
            raise DocumentError("PDF chiffré d'une manière que ce poste ne sait pas lire",
                                path=path) from error
        if _no_pages(reader if reader is not None else _pypdf_reader(data)):
            raise DocumentError("fichier PDF sans aucune page", path=path) from error
        raise DocumentError(_DAMAGED, path=path) from error
    if len(document) == 0:
        document.close()
        raise DocumentError("fichier PDF sans aucune page", path=path)
    try:
        _bounded(path, data, reader)
    except BaseException:
        document.close()
        raise
    return document


def _bounded(path: str | Path, data: bytes, reader: PdfReader | None) -> None:
    """Refuse a document whose pages expand to more drawings than PDFium should be asked to
    build (nested forms: see :mod:`._complexity`), before any page is loaded."""
    if not may_hold(data, "Form"):
        return  # no form XObject: nothing can multiply
    reader = reader if reader is not None else _pypdf(data, always=True)
    if reader is None:
        return  # pypdf cannot read it: PDFium's own limits apply
    try:
        for index in range(len(reader.pages)):
            _limits.checkpoint()
            draws = page_draws(reader, index)
            if draws > MAX_DRAWS:
                raise LimitExceeded(
                    f"{path} : document trop complexe pour être vérifié",
                    _limits.DOCUMENT_SECONDS,
                    f"la page {index + 1} dessine plus de {MAX_DRAWS} objets (formulaires "
                    "imbriqués qui se dessinent les uns les autres)")
    except _PARSE_ERRORS:
        return


def _check(path: str | Path, data: bytes) -> None:
    if b"%PDF-" not in data[:1024]:
        raise DocumentError("fichier illisible : ce n'est pas un document PDF", path=path)
    if b"%%EOF" not in data[-2048:]:
        raise DocumentError("fichier PDF tronqué (marqueur de fin %%EOF absent) : "
                            "demandez une copie complète", path=path)


def _pypdf_reader(data: bytes) -> PdfReader | None:
    try:
        return PdfReader(BytesIO(data))
    except _PARSE_ERRORS:
        return None


def _no_pages(reader: PdfReader | None) -> bool:
    try:
        return reader is not None and len(reader.pages) == 0
    except _PARSE_ERRORS:
        return False


def _hidden_layers(reader: PdfReader | None) -> frozenset[str]:
    """Names of the optional content groups switched off in the default configuration."""
    if reader is None:
        return frozenset()
    try:
        properties = reader.root_object.get("/OCProperties")
        if properties is None:
            return frozenset()
        properties = properties.get_object()
        config = properties.get("/D", {}).get_object() if "/D" in properties else {}
        groups = [g.get_object() for g in properties.get("/OCGs", [])]
        on = [g.get_object() for g in config.get("/ON", [])]
        off = [g.get_object() for g in config.get("/OFF", [])]
        if config.get("/BaseState") == "/OFF":
            off = [g for g in groups if all(g is not o for o in on)]
        return frozenset(str(g.get("/Name", "")) for g in off if hasattr(g, "get"))
    except _PARSE_ERRORS:
        return frozenset()


def _metadata(document: pdfium.PdfDocument, reader: PdfReader | None) -> dict[str, str]:
    metadata: dict[str, str] = {"pages": str(len(document))}
    for key, value in document.get_metadata_dict(skip_empty=True).items():
        if key in _INFO_KEYS and value.strip():
            metadata[_INFO_KEYS[key]] = value
    buffer = (ctypes.c_ushort * 128)()
    size = pdfium_raw.FPDFCatalog_GetLanguage(document.raw, buffer, 256)
    if 2 < size <= 256:
        language = bytes(buffer)[:size - 2].decode("utf-16-le", "replace").strip()
        if language:
            metadata["language"] = language
    if reader is not None:
        try:
            stream = reader.root_object.get("/Metadata")
            data = stream.get_object().get_data() if stream is not None else None
        except _PARSE_ERRORS:
            data = None
        if data:
            metadata.update(_xmp(data))
    return metadata


def _xmp(data: bytes) -> dict[str, str]:
    try:
        root = etree.fromstring(data.strip(), safe_parser())
    except etree.XMLSyntaxError:
        return {}
    found: dict[str, str] = {}
    title = root.find(f".//{_DC}title")
    if title is not None:
        items = list(title.iter(f"{_RDF}li"))
        preferred = [li for li in items if li.get("{http://www.w3.org/XML/1998/namespace}lang")
                     == "x-default"]
        text = (preferred or items or [title])[0].text
        if text and text.strip():
            found["xmp_title"] = text.strip()
    for name in ("part", "conformance"):
        for description in root.iter(f"{_RDF}Description"):
            value: Any = description.get(f"{_PDFAID}{name}")
            child = description.find(f"{_PDFAID}{name}")
            value = value or (child.text if child is not None else None)
            if value:
                found[f"pdfaid_{name}"] = str(value).strip()
                break
    return found
