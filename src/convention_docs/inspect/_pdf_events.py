"""What a PDF page paints, as the layout reads it: :class:`TextRun`, :class:`ImageDraw` and
:class:`Fill`, in default user space and in painting order (:mod:`._pdfium` makes them).

A clipping region is kept as an axis-aligned rectangle of default user space (``None``: no
clip), the bounding box of the clipping paths: never smaller than the real region, so what it
leaves out is really not painted.

>>> apply((2, 0, 0, 2, 10, 0), 1, 1)
(12, 2)
>>> multiply((2, 0, 0, 2, 0, 0), (1, 0, 0, 1, 5, 5))
(2, 0, 0, 2, 5, 5)
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

__all__ = ["IDENTITY", "RGB", "Event", "Fill", "FontInfo", "ImageDraw", "Matrix", "Rect",
           "TextRun", "apply", "intersect", "multiply", "scale_of"]

Rect = tuple[float, float, float, float]
RGB = tuple[int, int, int]
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass(frozen=True, slots=True)
class FontInfo:
    """A font as a line reports it: base name (subset tag removed), bold, italic."""

    name: str | None
    bold: bool
    italic: bool


@dataclass(slots=True)
class TextRun:
    """Characters drawn one after the other by one text object, with where and how."""

    text: str
    start: tuple[float, float]  # baseline start, default user space (points)
    end: tuple[float, float]  # baseline end
    up: tuple[float, float]  # one em upwards (device vector)
    size: float  # size as drawn, in points
    color: RGB | None
    alpha: float
    hidden: str | None  # "texte masqué" (render mode 3/7), "calque masqué" (optional content)
    font: FontInfo
    clip: Rect | None = None  # the clipping rectangle in force, default user space
    reading: int = 0  # rank in reading order (PDFium's text page)


@dataclass(frozen=True, slots=True)
class ImageDraw:
    """One image painted: the unit square mapped by ``matrix``; ``handle`` is what decodes it
    (valid while its page is loaded)."""

    key: Hashable
    handle: Any
    matrix: Matrix
    alpha: float
    hidden: bool
    opaque: bool
    clip: Rect | None = None


@dataclass(frozen=True, slots=True)
class Fill:
    """Axis-aligned rectangles filled opaquely, in default user space (clipped already)."""

    rects: tuple[Rect, ...]
    color: RGB | None


Event = TextRun | ImageDraw | Fill


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    """Return the point ``(x, y)`` transformed by ``m``."""
    return x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5]


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """Return ``m`` then ``n`` (PDF order: a point is mapped by ``m`` first)."""
    return (m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3],
            m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3],
            m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5])


def scale_of(m: Matrix) -> tuple[float, float]:
    """Return the lengths of the images of the unit x and y vectors."""
    return math.hypot(m[0], m[1]), math.hypot(m[2], m[3])


def intersect(a: Rect | None, b: Rect) -> Rect:
    """Return the intersection of two rectangles ``(x0, y0, x1, y1)`` (``a=None``: the plane);
    an empty one has ``x0 > x1`` or ``y0 > y1``.

    >>> intersect((0, 0, 10, 10), (5, 5, 20, 20))
    (5, 5, 10, 10)
    >>> intersect(None, (1, 2, 3, 4))
    (1, 2, 3, 4)
    """
    if a is None:
        return b
    return (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))
