"""Where a floating picture of a .docx lands: tell a picture moved off the printed page.

A floating picture (``wp:anchor``, or a legacy VML shape ``position:absolute``) is placed by an
offset from a base chosen by ``relativeFrom``: the page, its margins, or the column, paragraph,
line or character that anchors it. The page size and margins are the section's (``w:pgSz``,
``w:pgMar``, in twips; A4 with 2.54 cm margins when the section does not say).

The answer is conservative: a picture is off the page only when it is so for every position
the base may take. A base whose place the reader does not know (paragraph, line, character,
column) may be anywhere in the text area, or anywhere on the page for a header, a footer or a
table cell (``loose``); the inside and outside margins may be on either side. Each axis is
judged alone: a picture is off the page when, on one axis, it overlaps the page by less than
:data:`MIN_OVERLAP_MM` for every base. Whatever cannot be read (an alignment such as
``wp:align``, which always lands on the page, a percentage offset ``wp14:pctPosHOffset``,
``simplePos``, an unknown ``relativeFrom``, a malformed number) leaves that axis on the page.
Rotation and effect extents widen the picture's box (rotated, it may reach further).

>>> a4 = page_of(None)
>>> axis_off_page("page", 230.0, 30.0, a4, horizontal=True)
True
>>> axis_off_page("page", -29.5, 30.0, a4, horizontal=True)
True
>>> axis_off_page("paragraph", 200.0, 20.0, a4, horizontal=False)  # may sit at the page's top
False
>>> axis_off_page("paragraph", 290.0, 20.0, a4, horizontal=False)  # below, whatever the line
True
>>> axis_off_page("paragraph", 290.0, 20.0, a4, horizontal=False, loose=True)
False
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

__all__ = ["MIN_OVERLAP_MM", "Page", "SectionPages", "anchor_off_page", "axis_off_page",
           "page_of", "vml_off_page"]

Element = Any
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_EMU_PER_MM = 36000
_TWIPS_PER_MM = 1440 / 25.4
_DEFAULT_MARGIN = 1440  # twips: Word's 2.54 cm
_A4 = (11906, 16838)  # twips
_MM_PER_UNIT = {"pt": 25.4 / 72, "in": 25.4, "cm": 10.0, "mm": 1.0, "px": 25.4 / 96,
                "pc": 25.4 / 6, "emu": 1 / _EMU_PER_MM}

MIN_OVERLAP_MM = 1.0
"""A picture overlapping the page by less than this (mm) on one axis is off the page."""

# VML names of bases, as the DrawingML ones (horizontal, vertical)
_VML_BASES = {"text": ("column", "paragraph"), "char": ("character", ""), "line": ("", "line"),
              "margin": ("margin", "margin"), "page": ("page", "page"),
              "left-margin-area": ("leftMargin", ""), "right-margin-area": ("rightMargin", ""),
              "top-margin-area": ("", "topMargin"), "bottom-margin-area": ("", "bottomMargin"),
              "inner-margin-area": ("insideMargin", "insideMargin"),
              "outer-margin-area": ("outsideMargin", "outsideMargin")}


class _Axis(NamedTuple):
    base: str  # relativeFrom
    offset: float  # mm from the base to the picture's edge
    size: float  # mm


@dataclass(frozen=True)
class Page:
    """A section's page, in millimetres: size and margins (``gutter`` on the binding side)."""

    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float
    gutter: float = 0.0


def page_of(sect_pr: Element | None) -> Page:
    """Return the page of the section properties ``sect_pr`` (A4 defaults for what is missing).

    >>> page = page_of(None)
    >>> round(page.width, 1), round(page.height, 1), page.left, page.top, page.gutter
    (210.0, 297.0, 25.4, 25.4, 0.0)
    """
    size = None if sect_pr is None else sect_pr.find(f"{W}pgSz")
    margins = None if sect_pr is None else sect_pr.find(f"{W}pgMar")

    def twips(element: Element | None, name: str, default: int) -> float:
        value = _number(None if element is None else element.get(f"{W}{name}"))
        if value is None or (value <= 0 and name in ("w", "h")):
            value = default
        return abs(value) / _TWIPS_PER_MM  # a negative top or bottom margin is "exactly"

    left, right, top, bottom = (twips(margins, side, _DEFAULT_MARGIN)
                                for side in ("left", "right", "top", "bottom"))
    return Page(twips(size, "w", _A4[0]), twips(size, "h", _A4[1]), left, right, top, bottom,
                twips(margins, "gutter", 0))


class SectionPages:
    """The pages of the sections of a document body, found for any paragraph of it."""

    def __init__(self, body: Element) -> None:
        self._body = body
        ends: list[int] = []
        self.pages: list[Page] = []
        for sect_pr in body.iterdescendants(f"{W}sectPr"):
            top = _top(body, sect_pr)
            if top is None or sect_pr.getparent().tag == f"{W}sectPrChange":
                continue
            ends.append(len(body) if top is sect_pr else body.index(top))
            self.pages.append(page_of(sect_pr))
        if not ends or ends[-1] < len(body):  # no final w:sectPr: the defaults
            ends.append(len(body))
            self.pages.append(page_of(None))
        self._ends = ends

    def page(self, paragraph: Element) -> Page:
        """The page of the section ``paragraph`` belongs to: the next ``w:sectPr`` in order."""
        top = _top(self._body, paragraph)
        index = len(self._body) if top is None else self._body.index(top)
        return self.pages[min(bisect_left(self._ends, index), len(self.pages) - 1)]


def _top(body: Element, element: Element) -> Element | None:
    """The child of ``body`` that holds ``element`` (``element`` itself if a child)."""
    while element is not None and element.getparent() is not body:
        element = element.getparent()
    return element


def anchor_off_page(anchor: Element, width: float, height: float, pages: Sequence[Page],
                    *, loose: bool = False) -> bool:
    """Return whether the ``wp:anchor`` of a ``width`` × ``height`` mm picture is off the page.

    Off for every page of ``pages`` (a header is shown in every section); ``loose``: the anchor
    paragraph may be anywhere on the page (header, footer, table cell).
    """
    if not pages or anchor.get("simplePos") in ("1", "true", "on"):
        return False
    effect = anchor.find(f"{_WP}effectExtent")
    left, top, right, bottom = (_emu_mm(effect, side) for side in ("l", "t", "r", "b"))
    x_size, y_size = width + left + right, height + top + bottom
    rotated = any(_number(xfrm.get("rot")) for xfrm in anchor.iter(f"{_A}xfrm"))
    axes: list[_Axis | None] = []
    for name, start, size in (("positionH", -left, x_size), ("positionV", -top, y_size)):
        position = anchor.find(f"{_WP}{name}")
        offset = None if position is None else position.find(f"{_WP}posOffset")
        emu = None if offset is None else _number(offset.text)
        base = None if position is None else position.get("relativeFrom")
        if emu is None or base is None:
            axes.append(None)
        else:
            axes.append(_Axis(base, emu / _EMU_PER_MM + start, size))
    return _off(axes[0], axes[1], (x_size, y_size) if rotated else None, pages, loose)


def vml_off_page(css: Mapping[str, str], width: float, height: float, pages: Sequence[Page],
                 *, loose: bool = False) -> bool:
    """Return whether a VML shape styled ``css`` (``position:absolute``) is off the page.

    ``margin-left``/``margin-top`` (plus ``left``/``top``) from the base named by
    ``mso-position-horizontal-relative`` (``text``, the column, when absent) and
    ``mso-position-vertical-relative`` (``text``, the paragraph); an
    ``mso-position-horizontal``/``-vertical`` alignment lands on the page.
    """
    if not pages or css.get("position") != "absolute":
        return False
    axes: list[_Axis | None] = []
    for axis, (margin, plain, size) in enumerate((("margin-left", "left", width),
                                                  ("margin-top", "top", height))):
        kind = "horizontal" if axis == 0 else "vertical"
        base = _VML_BASES.get(css.get(f"mso-position-{kind}-relative", "text"), ("", ""))[axis]
        offset = _css_length(css.get(margin, "0"))
        shift = _css_length(css.get(plain, "0"))
        aligned = css.get(f"mso-position-{kind}", "absolute") != "absolute"
        if offset is None or shift is None or aligned or not base:
            axes.append(None)
        else:
            axes.append(_Axis(base, offset + shift, size))
    rotated = css.get("rotation", "0").strip() not in ("", "0")
    return _off(axes[0], axes[1], (width, height) if rotated else None, pages, loose)


def _off(horizontal: _Axis | None, vertical: _Axis | None,
         rotated: tuple[float, float] | None, pages: Sequence[Page], loose: bool) -> bool:
    """Whether the picture misses every page on one axis; ``rotated``: its unrotated box."""
    if rotated is not None:  # turned about its centre, it stays in the circumscribed square
        side = math.hypot(*rotated)
        horizontal, vertical = (None if axis is None else _Axis(
            axis.base, axis.offset - (side - axis.size) / 2, side)
            for axis in (horizontal, vertical))
    return all(
        (horizontal is not None and axis_off_page(*horizontal, page, horizontal=True,
                                                  loose=loose))
        or (vertical is not None and axis_off_page(*vertical, page, horizontal=False,
                                                   loose=loose))
        for page in pages
    )


def axis_off_page(base: str, offset: float, size: float, page: Page, *, horizontal: bool,
                  loose: bool = False) -> bool:
    """Return whether, on one axis, a picture ``offset`` mm from ``base`` misses the page.

    ``size`` is the picture's extent on that axis; an unknown ``base`` never misses.
    """
    bases = _bases(base, page, horizontal=horizontal, loose=loose)
    if bases is None:
        return False
    length = page.width if horizontal else page.height
    low, high = bases[0] + offset, bases[1] + offset
    candidates = (low, high, min(max(0.0, low), high), min(max(length - size, low), high))
    return max(min(x + size, length) - max(x, 0.0) for x in candidates) < MIN_OVERLAP_MM


def _bases(base: str, page: Page, *, horizontal: bool, loose: bool
           ) -> tuple[float, float] | None:
    """Where ``base`` may start on the axis, as (lowest, highest), in mm from the page's edge."""
    if horizontal:
        length, near, far, text = page.width, page.left, page.right, ("column", "character")
        margin_areas = {"leftMargin": (0.0, 0.0)}
        margin_areas["rightMargin"] = (length - max(near, far) - page.gutter,
                                       length - min(near, far))
    else:
        length, near, far, text = page.height, page.top, page.bottom, ("paragraph", "line")
        margin_areas = {"topMargin": (0.0, 0.0),
                        "bottomMargin": (length - max(near, far), length - min(near, far))}
    inner = min(near, far)
    if base == "page":
        return 0.0, 0.0
    if base == "margin":
        return inner, max(near, far) + page.gutter
    if base in margin_areas:
        return margin_areas[base]
    if base in ("insideMargin", "outsideMargin"):
        return 0.0, length - inner
    if base in text:
        return (0.0, length) if loose else (inner, length - inner)
    return None


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _emu_mm(element: Element | None, name: str) -> float:
    value = None if element is None else _number(element.get(name))
    return 0.0 if value is None else max(value, 0.0) / _EMU_PER_MM


def _css_length(value: str) -> float | None:
    """A signed CSS length in mm (``-12.5pt``, ``3in``; a bare number is in pixels)."""
    match = re.fullmatch(r"\s*([-+]?(?:\d+\.?\d*|\.\d+))\s*([a-z]*)\s*", value)
    if not match or match.group(2) not in {"", *_MM_PER_UNIT}:
        return None
    return float(match.group(1)) * _MM_PER_UNIT.get(match.group(2) or "px", 25.4 / 96)

