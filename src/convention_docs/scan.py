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
from convention_docs._pdfium import render_page
from convention_docs.inspect.view import DocumentView, Location, PlacedImage, TextLine
from convention_docs.logos import find_emblems

__all__ = ["SCAN_DPI", "ScanReading", "is_scan", "read_scan"]

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


def is_scan(view: DocumentView) -> bool:
    """Whether ``view`` (a PDF) is a scan: almost no text, each page a picture."""
    if view.kind != "pdf" or not view.pages:
        return False
    text = sum(len(line.text.strip()) for line in view.lines if line.visible)
    if text >= _MIN_TEXT_PER_PAGE * view.pages:
        return False
    covered = set()
    for image in view.images:
        if image.bbox_mm is not None:
            left, top, right, bottom = image.bbox_mm
            if (right - left) * (bottom - top) >= _PAGE_COVER * 210 * 297 * 0.9:
                covered.add(image.location.page)
        elif image.width_mm * image.height_mm >= _PAGE_COVER * 210 * 297 * 0.9:
            covered.add(image.location.page)
    return len(covered) >= max(1, view.pages // 2)


def _page(source: str, page: int) -> tuple[list[TextLine], list[PlacedImage], float, int]:
    image = render_page(source, page, SCAN_DPI)
    per_mm = SCAN_DPI / 25.4
    read = ocr.read_image(image)
    lines = []
    for number, line in enumerate(read.lines, start=1):
        left, top, right, bottom = line.bbox
        height_pt = (bottom - top) / SCAN_DPI * 72
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
    """OCR every page of the scan ``view``; raises ``RuntimeError`` without Tesseract."""
    import time

    started = time.perf_counter()
    if view.source is None or not view.pages:
        raise ValueError("a scan is a PDF file")
    source = view.source
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        pages = list(pool.map(lambda number: _page(source, number),
                              range(1, view.pages + 1)))
    lines = tuple(line for page_lines, _, _, _ in pages for line in page_lines)
    images = tuple(image for _, page_images, _, _ in pages for image in page_images)
    characters = sum(count for _, _, _, count in pages)
    confidence = sum(weighted for _, _, weighted, _ in pages) / characters if characters else 0.0
    scanned = DocumentView("pdf", view.source, lines, images, view.pages,
                           {**view.metadata, "ocr": "tesseract"})
    return ScanReading(scanned, round(confidence, 1), time.perf_counter() - started)
