"""Scans: PDFs of page images without a text layer, read by OCR (Tesseract) page by page.

A signed convention sent back is usually a scan. Its pages are rendered by PDFium
(:mod:`convention_docs._pdfium`) and read by Tesseract (:mod:`convention_docs.ocr`); the lines
read become the :class:`~convention_docs.inspect.view.TextLine` of a new view, placed on their
page in millimetres, so the same rules judge them. A whole scanned page is never taken for a
logo: the EU emblems are looked for in the rendered page and placed where they are found; other
logos of a scan cannot be told apart and are not compared with the emblem.
"""

from __future__ import annotations

import concurrent.futures
from dataclasses import dataclass

from convention_docs import ocr
from convention_docs._pdfium import page_size_mm, render_page
from convention_docs.inspect.view import DocumentView, Location, PlacedImage, TextLine
from convention_docs.logos import find_emblems

__all__ = ["SCAN_DPI", "ScanReading", "is_scan", "read_scan", "scanned_pages"]

SCAN_DPI = 250
"""Resolution at which scanned pages are rendered for OCR."""
_MIN_TEXT_PER_PAGE = 40  # characters: fewer on average, and a picture covering each page
_PAGE_COVER = 0.5  # share of the page a picture covers to be « the page »


@dataclass(frozen=True)
class ScanReading:
    """A scan read by OCR: its new view and the mean confidence of the text read (0-100)."""

    view: DocumentView
    confidence: float
    seconds: float
    pages: tuple[int, ...] = ()
    """The pages read by OCR."""


def _covering(image: PlacedImage) -> bool:
    if image.bbox_mm is not None:
        left, top, right, bottom = image.bbox_mm
        area = (right - left) * (bottom - top)
    else:
        area = image.width_mm * image.height_mm
    return area >= _PAGE_COVER * 210 * 297 * 0.9


def scanned_pages(view: DocumentView) -> list[int]:
    """The pages of a PDF that are scans: almost no text, a picture covering the page."""
    if view.kind != "pdf" or not view.pages:
        return []
    text: dict[int | None, int] = {}
    for line in view.lines:
        if line.visible:
            text[line.location.page] = text.get(line.location.page, 0) + len(line.text.strip())
    covered = {image.location.page for image in view.images if _covering(image)}
    return [page for page in range(1, view.pages + 1)
            if page in covered and text.get(page, 0) < _MIN_TEXT_PER_PAGE]


def is_scan(view: DocumentView) -> bool:
    """Whether ``view`` (a PDF) holds scanned pages (almost no text, a picture as the page)."""
    return bool(scanned_pages(view))


def _page(source: str, page: int) -> tuple[list[TextLine], list[PlacedImage], float, int]:
    # 250 dpi on an A4 page; a page declared bigger (a scan saved at 72 dpi) is rendered to
    # the same number of pixels, as the text on it is not bigger
    width_mm, height_mm = page_size_mm(source, page)
    dpi = min(SCAN_DPI, SCAN_DPI * 297 / max(width_mm, height_mm, 1.0))
    image = render_page(source, page, dpi)
    per_mm = dpi / 25.4
    read = ocr.read_image(image)
    lines = []
    for number, line in enumerate(read.lines, start=1):
        left, top, right, bottom = line.bbox
        height_pt = (bottom - top) / dpi * 72
        lines.append(TextLine(line.text, Location(source, page=page, label=f"ligne {number} lue "
                                                  f"par OCR"),
                              font_size=round(height_pt * 0.8, 1),
                              bbox_mm=(left / per_mm, top / per_mm, right / per_mm,
                                       bottom / per_mm)))
    images = []
    for match in find_emblems(image):
        left, top, right, bottom = match.bbox
        crop = image.crop(match.bbox)
        images.append(PlacedImage(crop, (right - left) / per_mm, (bottom - top) / per_mm,
                                  Location(source, page=page),
                                  bbox_mm=(left / per_mm, top / per_mm, right / per_mm,
                                           bottom / per_mm)))
    characters = sum(len(line.text) for line in read.lines)
    return lines, images, read.confidence * characters, characters


def read_scan(view: DocumentView, *, workers: int = 2) -> ScanReading:
    """OCR the scanned pages of ``view`` (see :func:`scanned_pages`) and return the view with
    their lines and emblems in place of the page pictures; the other pages are kept as read.
    Raises ``RuntimeError`` without Tesseract."""
    import time

    started = time.perf_counter()
    if view.source is None or not view.pages:
        raise ValueError("a scan is a PDF file")
    source = view.source
    pages = scanned_pages(view)
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        read = dict(zip(pages, pool.map(lambda number: _page(source, number), pages),
                        strict=True))
    lines: list[TextLine] = []
    images: list[PlacedImage] = []
    for page in range(1, view.pages + 1):
        if page in read:
            lines.extend(read[page][0])
            images.extend(read[page][1])
        else:
            lines.extend(line for line in view.lines if line.location.page == page)
            images.extend(image for image in view.images if image.location.page == page)
    characters = sum(count for _, _, _, count in read.values())
    confidence = sum(weighted for _, _, weighted, _ in read.values()) / characters \
        if characters else 0.0
    scanned = DocumentView("pdf", view.source, tuple(lines), tuple(images), view.pages,
                           {**view.metadata, "ocr": "tesseract"})
    return ScanReading(scanned, round(confidence, 1), time.perf_counter() - started,
                       tuple(pages))
