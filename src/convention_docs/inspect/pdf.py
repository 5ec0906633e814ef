"""Read a PDF into a :class:`DocumentView`: lines of text and images as actually drawn.

Each page's content stream is interpreted (:mod:`._pdf_interp`): images are reported where a
``Do`` (or an inline image) paints them, with the size the transformation matrix gives them, so
a logo listed in shared ``/Resources`` but drawn on one page appears once, on that page. Text is
decoded with the fonts' encodings and ``/ToUnicode`` maps and grouped into lines by baseline
(:mod:`._pdf_layout`); ``bbox_mm`` is ``(x0, y0, x1, y1)`` in mm from the top-left corner of the
page as displayed (CropBox, ``/Rotate`` applied). Lines carry ``region="body"``: a PDF does not
say what is a header. Images have no ``alt`` (tagged-PDF alternate text is not read).

Visibility (thresholds in :mod:`._visibility`): text is invisible in render mode 3 or 7
(« texte masqué »), in optional content switched off (« calque masqué »), outside the page,
under 4 pt, with an opacity under 0.1, or in a colour within 15 per channel of what is painted
under it (white paper by default: « texte blanc »), or wholly outside its clipping path
(« texte masqué par un découpage »). An image is invisible when tiny, off the page, in a hidden
layer, transparent, covered by opaque paint drawn after it, or when its clipping path leaves
nothing of it or a tiny part (« image masquée par un découpage »). A clipping path counts by
its bounding box (so a clip never hides more here than on paper); clipping by text (render
modes 4 to 7) is not applied, such text counting as visible.

A batch renders many conventions from one template, whose PDFs embed the same fonts and
pictures: fonts, with what was worked out showing text in them, are kept between documents by
content (:mod:`._pdf_fonts`, :mod:`._pdf_interp`), and so are decoded pictures
(:mod:`._pdf_images`) and the lines of pages without pictures, by the digests of their content
streams and resources (most pages of conventions made from one template are the same): a page
read again gets the lines read the first time, on its own page of its own file.

Metadata keys: ``title``, ``author``, ``subject``, ``keywords``, ``creator``, ``producer``,
``creation_date``, ``modification_date`` (Info dictionary, raw PDF date strings),
``xmp_title``, ``pdfaid_part``, ``pdfaid_conformance`` (XMP), ``language`` (catalog ``/Lang``),
``pages``, and ``undecoded_images`` when some image could not be decoded.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Hashable
from dataclasses import replace
from pathlib import Path
from typing import Any

from lxml import etree
from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

from convention_docs import _limits
from convention_docs._cache import BoundedCache
from convention_docs._pypdf_fast import FastPdfReader
from convention_docs._pypdf_fast import install as _install_hex_reader
from convention_docs.errors import DocumentError
from convention_docs.inspect._files import read_bytes
from convention_docs.inspect._pdf_images import ImageDecoder
from convention_docs.inspect._pdf_interp import Interpreter
from convention_docs.inspect._pdf_layout import PageGeometry, build_lines, place_images
from convention_docs.inspect._pdf_util import get, identify
from convention_docs.inspect._xml import safe_parser
from convention_docs.inspect.view import DocumentView, Location, PlacedImage, TextLine

__all__ = ["read_pdf"]

_install_hex_reader()  # LibreOffice writes the Info strings in hexadecimal

_PARSE_ERRORS = (PyPdfError, ValueError, KeyError, TypeError, IndexError, AttributeError,
                 AssertionError, RecursionError, zlib.error, struct.error, OverflowError,
                 NotImplementedError)  # pypdf: unknown stream filter
_INFO_KEYS = {"/Title": "title", "/Author": "author", "/Subject": "subject",
              "/Keywords": "keywords", "/Creator": "creator", "/Producer": "producer",
              "/CreationDate": "creation_date", "/ModDate": "modification_date"}
_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
_DAMAGED = "fichier PDF endommagé ou tronqué : impossible de le lire"
# The lines of pages without images, by what they are a function of (Interpreter.content_key):
# conventions made from one template share most of their pages.
_PAGES = BoundedCache[Hashable, tuple[tuple[bytes, int], tuple[TextLine, ...]]](64)


def read_pdf(path: str | Path) -> DocumentView:
    """Return the :class:`DocumentView` of the PDF at ``path``.

    Raises :class:`~convention_docs.errors.DocumentError` (French message naming the file) when
    the file is missing, is not a PDF, is truncated (no ``%%EOF`` at its end) or damaged, or is
    encrypted with a password other than the empty one.
    """
    source = str(path)
    data = read_bytes(path)
    reader = _open(path, data)
    lines: list[TextLine] = []
    images: list[PlacedImage] = []
    decoder = ImageDecoder()
    interpreter: Interpreter | None = None
    try:
        interpreter = Interpreter(reader, _hidden_groups(reader), data)
        for number, page in enumerate(reader.pages, start=1):
            _limits.checkpoint()  # validate()'s deadline: too many pages to check in time
            location = Location(file=source, page=number)
            key = interpreter.content_key(page)
            known = _PAGES.get(key) if key is not None else None
            if known is not None:
                geometry = PageGeometry.of(page)
                if _exactly(geometry) == known[0]:
                    lines.extend(replace(line, location=location) for line in known[1])
                    continue
            events = interpreter.run_page(page, number)
            geometry = PageGeometry.of(page)
            page_lines = build_lines(events, geometry, location)
            placements = place_images(events, geometry)
            if key is not None and not placements:
                _PAGES.put(key, (_exactly(geometry), tuple(page_lines)))
            lines.extend(page_lines)
            images.extend(
                PlacedImage(
                    image=decoder.decode(p.draw), width_mm=p.width_mm, height_mm=p.height_mm,
                    location=location, bbox_mm=p.bbox_mm, visible=p.reason is None,
                    invisible_reason=p.reason,
                )
                for p in placements
            )
        metadata = _metadata(reader)
    except _PARSE_ERRORS as error:
        raise DocumentError(_DAMAGED, path=path) from error
    finally:
        if interpreter is not None:
            interpreter.release()
    if decoder.failed:
        metadata["undecoded_images"] = str(decoder.failed)
    return DocumentView("pdf", source, tuple(lines), tuple(images), len(reader.pages), metadata)


def _exactly(geometry: PageGeometry) -> tuple[bytes, int]:
    """The page geometry to the bit (``-0.0`` is not ``0.0``: it shows in a box)."""
    return (struct.pack("4d", geometry.left, geometry.bottom, geometry.right, geometry.top),
            geometry.rotation)


def _open(path: str | Path, data: bytes) -> PdfReader:
    if b"%PDF-" not in data[:1024]:
        raise DocumentError("fichier illisible : ce n'est pas un document PDF", path=path)
    if b"%%EOF" not in data[-2048:]:
        raise DocumentError("fichier PDF tronqué (marqueur de fin %%EOF absent) : "
                            "demandez une copie complète", path=path)
    try:
        reader = FastPdfReader(data)
        encrypted = reader.is_encrypted
    except _PARSE_ERRORS as error:
        raise DocumentError(_DAMAGED, path=path) from error
    if encrypted:
        try:
            decrypted = reader.decrypt("") != PasswordType.NOT_DECRYPTED
        except (DependencyError, FileNotDecryptedError, NotImplementedError) as error:
            raise DocumentError("PDF chiffré d'une manière que ce poste ne sait pas lire",
                                path=path) from error
        except _PARSE_ERRORS as error:
            raise DocumentError(_DAMAGED, path=path) from error
        if not decrypted:
            raise DocumentError("PDF protégé par un mot de passe : impossible de le lire",
                                path=path)
    try:
        empty = len(reader.pages) == 0
    except _PARSE_ERRORS as error:
        raise DocumentError(_DAMAGED, path=path) from error
    if empty:
        raise DocumentError("fichier PDF sans aucune page", path=path)
    return reader


def _hidden_groups(reader: PdfReader) -> set[Hashable]:
    """Optional content groups switched off in the default configuration."""
    properties = get(reader.trailer.get("/Root"), "/OCProperties", {})
    config = get(properties, "/D", {})
    if get(config, "/BaseState") == "/OFF":
        everything = {identify(g) for g in get(properties, "/OCGs", [])}
        return everything - {identify(g) for g in get(config, "/ON", [])}
    return {identify(g) for g in get(config, "/OFF", [])}


def _metadata(reader: PdfReader) -> dict[str, str]:
    metadata: dict[str, str] = {"pages": str(len(reader.pages))}
    info: Any = reader.metadata or {}
    for key, name in _INFO_KEYS.items():
        value = get(info, key)
        if value is not None and str(value).strip():
            metadata[name] = str(value)
    root = reader.trailer.get("/Root")
    language = get(root, "/Lang")
    if language:
        metadata["language"] = str(language)
    stream = get(root, "/Metadata")
    if stream is not None and hasattr(stream, "get_data"):
        metadata.update(_xmp(stream.get_data()))
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
