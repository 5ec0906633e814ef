"""What the content-stream interpreter records and tracks: the paint events of a page
(:class:`TextRun`, :class:`ImageDraw`, :class:`Fill`), in default user space, and the graphics
state (:class:`GraphicsState`) saved and restored by ``q``/``Q``.

The clipping region is kept as an axis-aligned rectangle of default user space (``None``: no
clip), the bounding box of the clipping paths intersected so far: never smaller than the real
region, so what it leaves out is really not painted. Paint events carry the clip in force.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from convention_docs.inspect._pdf_color import RGB
from convention_docs.inspect._pdf_fonts import PdfFont
from convention_docs.inspect._pdf_util import IDENTITY, Matrix

__all__ = ["Event", "Fill", "GraphicsState", "ImageDraw", "Rect", "TextRun", "intersect"]

Rect = tuple[float, float, float, float]


@dataclass(slots=True)
class TextRun:
    """The text of one ``Tj``/``TJ``/``'``/``"``, with where and how it was drawn (read-only;
    not frozen only because a frozen dataclass is three times slower to make)."""

    text: str
    start: tuple[float, float]  # baseline start, default user space (points)
    end: tuple[float, float]  # baseline end
    up: tuple[float, float]  # one em upwards (device vector)
    size: float  # effective size in points
    color: RGB | None
    alpha: float
    hidden: str | None  # "texte masqué" (render mode 3/7), "calque masqué" (optional content)
    font: PdfFont
    clip: Rect | None = None  # the clipping rectangle in force, default user space


@dataclass(frozen=True, slots=True)
class ImageDraw:
    """One image painted: the unit square mapped by ``matrix``."""

    key: Hashable
    stream: Any
    matrix: Matrix
    alpha: float
    hidden: bool
    opaque: bool
    clip: Rect | None = None  # the clipping rectangle in force, default user space


@dataclass(frozen=True, slots=True)
class Fill:
    """Axis-aligned rectangles filled opaquely, in default user space (clipped already)."""

    rects: tuple[Rect, ...]
    color: RGB | None


Event = TextRun | ImageDraw | Fill


@dataclass(slots=True)
class GraphicsState:
    """What ``q`` saves and ``Q`` restores: the CTM, the clipping rectangle, colours, opacity
    and the text state."""

    ctm: Matrix = IDENTITY
    fill: RGB | None = (0, 0, 0)
    stroke: RGB | None = (0, 0, 0)
    fill_space: tuple[Any, ...] = ("gray",)
    stroke_space: tuple[Any, ...] = ("gray",)
    fill_alpha: float = 1.0
    stroke_alpha: float = 1.0
    font: PdfFont | None = None
    size: float = 0.0
    char_spacing: float = 0.0
    word_spacing: float = 0.0
    scale: float = 1.0
    leading: float = 0.0
    rise: float = 0.0
    render: int = 0
    clip: Rect | None = None  # default user space; None: the whole plane

    def copy(self) -> GraphicsState:
        """A shallow copy (what ``dataclasses.replace`` makes, faster)."""
        return GraphicsState(self.ctm, self.fill, self.stroke, self.fill_space,
                             self.stroke_space, self.fill_alpha, self.stroke_alpha, self.font,
                             self.size, self.char_spacing, self.word_spacing, self.scale,
                             self.leading, self.rise, self.render, self.clip)


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
