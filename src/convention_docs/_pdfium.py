"""PDFium (pypdfium2) for page images: one lock for every call, pages rendered to Pillow.

PDFium is not thread-safe: every use of it in this package, here and in the PDF reader
(``inspect/_pdfium.py``), goes through :data:`LOCK`.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image

if TYPE_CHECKING:
    import pypdfium2 as pdfium

__all__ = ["LOCK", "page_count", "page_size_mm", "render_page", "render_region"]

LOCK = threading.RLock()
"""Held around every PDFium call (document open, render, close)."""

MM_PER_INCH = 25.4


def page_count(path: str | Path) -> int:
    """Return the number of pages of the PDF at ``path``."""
    import pypdfium2 as pdfium  # heavy: only when a page is looked at

    with LOCK:
        document = pdfium.PdfDocument(str(path))
        try:
            return len(document)
        finally:
            document.close()


def page_size_mm(path: str | Path, page: int) -> tuple[float, float]:
    """Return the width and height of page ``page`` (1-based) in millimetres."""
    import pypdfium2 as pdfium

    with LOCK:
        document = pdfium.PdfDocument(str(path))
        try:
            pdf_page = document[page - 1]
            try:
                width, height = pdf_page.get_size()
            finally:
                pdf_page.close()
        finally:
            document.close()
    return float(width) / 72 * MM_PER_INCH, float(height) / 72 * MM_PER_INCH


def render_page(path: str | Path, page: int, dpi: float,
                crop_mm: tuple[float, float, float, float] | None = None) -> Image.Image:
    """Return page ``page`` (1-based) of the PDF at ``path`` as an RGB image at ``dpi``.

    ``crop_mm`` (left, top, right, bottom, millimetres from the top-left corner) keeps only
    that part of the page.
    """
    import pypdfium2 as pdfium

    with LOCK:
        document = pdfium.PdfDocument(str(path))
        try:
            pdf_page = document[page - 1]
            try:
                return render_region(pdf_page, dpi, crop_mm)
            finally:
                pdf_page.close()
        finally:
            document.close()


def render_region(pdf_page: pdfium.PdfPage, dpi: float,
                  crop_mm: tuple[float, float, float, float] | None = None, *,
                  forms: bool = True) -> Image.Image:
    """:func:`render_page` for a page already loaded (call under :data:`LOCK`); ``forms``:
    whether form fields are painted too."""
    scale = dpi / 72
    crop = (0.0, 0.0, 0.0, 0.0)
    if crop_mm is not None:
        width, height = pdf_page.get_size()  # points
        left, top, right, bottom = (v / MM_PER_INCH * 72 for v in crop_mm)
        crop = (max(0.0, left), max(0.0, height - bottom), max(0.0, width - right),
                max(0.0, top))
    bitmap = pdf_page.render(scale=scale, crop=crop, may_draw_forms=forms)
    try:
        image: Image.Image = bitmap.to_pil().convert("RGB")
    finally:
        bitmap.close()
    return image
