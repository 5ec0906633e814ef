"""Turn one page's paint events into text lines and image placements, judging visibility.

Lines: text runs are taken in reading order (PDFium's text page); a run continues the current
line when it has the same direction, a baseline within half an em (superscripts such as « 1er »
stay on their line), starts no more than half an em before the line's end and no more than
:data:`_MAX_GAP_EM` after it, and has the same visibility verdict; failing that, it continues
one of the last lines it so follows (a table of contents painted as every title, then every
leader, then every page number); otherwise it starts a new line.
A space is inserted across a gap wider than 0.15 em (TeX squeezes spaces to 0.22 em).
Two cells of a table row, or text separated by a wide tab, therefore come out as separate
lines, in reading order.

Background of a run: the last opaque filled rectangle painted before it under its centre (an
opaque image there makes the background unknown and skips the colour test); white otherwise.

Clipping (the clip in force, an axis-aligned rectangle, see :mod:`._pdf_events`): a text run
is clipped away when its box has no overlap with the clip; an image when what the clip leaves
of its box is empty or tiny (:func:`~._visibility.image_reason`). Paint under a clip covers
only inside it.

Covering: an image is covered when at least :data:`COVERED_FRACTION` of 16×16 points spread over
it lie under opaque rectangles or opaque images painted after it (whatever their colour); a text
run is covered (« texte recouvert ») when five points along its middle all lie under such paint.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from typing import Any

from convention_docs.inspect._pdf_events import (
    Event,
    Fill,
    ImageDraw,
    Matrix,
    Rect,
    TextRun,
    apply,
    scale_of,
)
from convention_docs.inspect._visibility import (
    COVERED_FRACTION,
    MIN_INSIDE_FRACTION,
    WHITE,
    image_reason,
    text_reason,
)
from convention_docs.inspect.view import Location, TextLine

__all__ = ["PageGeometry", "Placement", "build_lines", "place_images"]

MM_PER_PT = 25.4 / 72
_MAX_GAP_EM = 3.0
_LOOKBACK = 64  # lines looked back at for a run painted after other lines
_SPACE_EM = 0.15
_GRID = 16
_MARGIN_PT = 0.05  # more than the 0.005 mm bbox_mm may round a point by, plus float noise
BBox = tuple[float, float, float, float]
Drawn = Callable[[list[tuple[float, float]], "tuple[int, int, int] | None"], bool]
"""Whether anything is painted, in the page as rendered, over these points of default user
space (the text's colour, ``None`` for a picture): hidden optional content is not."""


@dataclass(frozen=True)
class PageGeometry:
    """The visible page (CropBox within MediaBox) and its rotation, to map points to display mm."""

    left: float
    bottom: float
    right: float
    top: float
    rotation: int

    @classmethod
    def of(cls, media: Rect, crop: Rect, rotation: int) -> PageGeometry:
        """Return the geometry of a page: its MediaBox and CropBox ``(left, bottom, right,
        top)``, its ``/Rotate`` in degrees."""
        left, right = max(media[0], crop[0]), min(media[2], crop[2])
        bottom, top = max(media[1], crop[1]), min(media[3], crop[3])
        rotation %= 360
        return cls(float(left), float(bottom), float(max(right, left)), float(max(top, bottom)),
                   rotation - rotation % 90)

    @property
    def size_mm(self) -> tuple[float, float]:
        """Width and height of the page as displayed (rotation applied), in mm."""
        width, height = (self.right - self.left) * MM_PER_PT, (self.top - self.bottom) * MM_PER_PT
        return (height, width) if self.rotation in (90, 270) else (width, height)

    def to_mm(self, x: float, y: float) -> tuple[float, float]:
        """Map a point of default user space to mm from the displayed page's top-left corner."""
        u, v = (x - self.left) * MM_PER_PT, (self.top - y) * MM_PER_PT
        width, height = (self.right - self.left) * MM_PER_PT, (self.top - self.bottom) * MM_PER_PT
        if self.rotation == 90:
            return height - v, u
        if self.rotation == 180:
            return width - u, height - v
        if self.rotation == 270:
            return v, width - u
        return u, v

    def bbox_mm(self, points: list[tuple[float, float]]) -> BBox:
        """Return the bounding box, in display mm, of points of default user space."""
        if self.rotation == 0:
            px, py = zip(*points, strict=True)
            if math.isfinite(sum(px) + sum(py)):
                # to_mm is monotonic in x and in y (rounding included): map the extremes only.
                left, top, k = self.left, self.top, MM_PER_PT
                return (round((min(px) - left) * k, 2), round((top - max(py)) * k, 2),
                        round((max(px) - left) * k, 2), round((top - min(py)) * k, 2))
        mapped = [self.to_mm(x, y) for x, y in points]
        xs, ys = [p[0] for p in mapped], [p[1] for p in mapped]
        return (round(min(xs), 2), round(min(ys), 2), round(max(xs), 2), round(max(ys), 2))

    def well_inside(self, points: list[tuple[float, float]]) -> bool:
        """Whether these points of default user space lie on the page with a margin, so that
        their :meth:`bbox_mm`, rounding included, is wholly inside (``inside(...) == 1``);
        ``False`` also means "not sure"."""
        inner = self.inner()
        if inner is None:
            return False
        left, bottom, right, top = inner
        return all(left <= x <= right and bottom <= y <= top for x, y in points)

    def inner(self) -> Rect | None:
        """The rectangle :meth:`well_inside` tests points against, or ``None`` (never sure)."""
        if self.rotation != 0:
            return None
        return (self.left + _MARGIN_PT, self.bottom + _MARGIN_PT,
                self.right - _MARGIN_PT, self.top - _MARGIN_PT)

    def inside(self, box: BBox) -> float:
        """Return the fraction of ``box`` (display mm) that lies on the page."""
        width, height = self.size_mm
        x0, y0, x1, y1 = box
        area = (x1 - x0) * (y1 - y0)
        if area <= 1e-9:
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            return 1.0 if 0 <= cx <= width and 0 <= cy <= height else 0.0
        overlap = max(0.0, min(x1, width) - max(x0, 0.0)) * max(0.0, min(y1, height) - max(y0, 0.0))
        return overlap / area


@dataclass
class _Line:
    direction: tuple[float, float]
    offset: float
    end: float
    size: float
    reason: str | None
    runs: list[TextRun] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    corners: list[tuple[float, float]] = field(default_factory=list)  # of the runs, in order


def _corners(run: TextRun) -> list[tuple[float, float]]:
    (sx, sy), (ex, ey), (ux, uy) = run.start, run.end, run.up
    return [(sx - 0.2 * ux, sy - 0.2 * uy), (sx + 0.8 * ux, sy + 0.8 * uy),
            (ex - 0.2 * ux, ey - 0.2 * uy), (ex + 0.8 * ux, ey + 0.8 * uy)]


def _background(point: tuple[float, float], paints: list[Fill | ImageDraw]
                ) -> tuple[int, int, int] | None:
    for paint in reversed(paints):
        if isinstance(paint, Fill):
            if any(_in_rect(point, rect) for rect in paint.rects):
                return paint.color
        elif _in_image(point, paint.matrix) and _in_clip(point, paint.clip):
            return None
    return WHITE


def _in_rect(point: tuple[float, float], rect: tuple[float, float, float, float]) -> bool:
    return rect[0] <= point[0] <= rect[2] and rect[1] <= point[1] <= rect[3]


def _in_clip(point: tuple[float, float], clip: Rect | None) -> bool:
    return clip is None or _in_rect(point, clip)


def _clipped_out(corners: list[tuple[float, float]], clip: Rect) -> bool:
    """Whether the box of ``corners`` and ``clip`` have no overlap of positive area."""
    (ax, ay), (bx, by), (cx, cy), (dx, dy) = corners
    return not (min(ax, bx, cx, dx) < clip[2] and max(ax, bx, cx, dx) > clip[0]
                and min(ay, by, cy, dy) < clip[3] and max(ay, by, cy, dy) > clip[1])


def _in_image(point: tuple[float, float], m: Matrix) -> bool:
    det = m[0] * m[3] - m[1] * m[2]
    if abs(det) < 1e-12:
        return False
    x, y = point[0] - m[4], point[1] - m[5]
    u, v = (x * m[3] - y * m[2]) / det, (y * m[0] - x * m[1]) / det
    return 0.0 <= u <= 1.0 and 0.0 <= v <= 1.0


def build_lines(events: list[Event], page: PageGeometry, location: Location,
                drawn: Drawn | None = None) -> list[TextLine]:
    """Return the text lines of a page's events (in painting order), in reading order: the
    runs are taken in the order of PDFium's text page; what covers them or lies under them is
    judged by painting order."""
    lines: list[_Line] = []
    paints = [(i, e) for i, e in enumerate(events)
              if isinstance(e, Fill) or (isinstance(e, ImageDraw) and e.opaque)]
    indexes = [i for i, _ in paints]
    before: list[Fill | ImageDraw] = []
    after: list[Fill | ImageDraw] = []
    split = -1
    reasons: dict[tuple[Any, ...], str | None] = {}  # text_reason's answers, by its arguments
    inner = page.inner()
    runs = sorted(((i, e) for i, e in enumerate(events) if isinstance(e, TextRun)),
                  key=lambda item: item[1].reading)
    for index, event in runs:
        if paints and split != (at := bisect.bisect(indexes, index)):
            split = at
            before = [p for _, p in paints[:split]]
            after = [p for _, p in paints[split:]]
        corners = _corners(event)
        reason = _verdict(event, page, before, after, corners, reasons, inner)
        if reason is None and drawn is not None and not drawn(corners, event.color):
            reason = "calque masqué"  # in optional content PDFium does not draw
        _add_run(lines, event, reason, corners)
    return [line for line in (_to_text_line(line, page, location) for line in lines) if line]


def _verdict(run: TextRun, page: PageGeometry, before: list[Fill | ImageDraw],
             after: list[Fill | ImageDraw], corners: list[tuple[float, float]],
             reasons: dict[tuple[Any, ...], str | None], inner: Rect | None) -> str | None:
    if run.hidden is not None:  # what text_reason says first, whatever the rest
        return run.hidden or ""
    covered = False
    background: tuple[int, int, int] | None = WHITE
    if before or after:
        (sx, sy), (ex, ey), (ux, uy) = run.start, run.end, run.up
        if after:
            points = [(sx + t * (ex - sx) + 0.3 * ux, sy + t * (ey - sy) + 0.3 * uy)
                      for t in (0.1, 0.3, 0.5, 0.7, 0.9)]
            middle = points[2]
            covered = all(_under(point, after) for point in points)
        else:
            middle = (sx + 0.5 * (ex - sx) + 0.3 * ux, sy + 0.5 * (ey - sy) + 0.3 * uy)
        if before:
            background = _background(middle, before)
    outside = not _well_inside(corners, inner) and page.inside(
        page.bbox_mm(corners)) < MIN_INSIDE_FRACTION
    clipped = False
    clip = run.clip
    if clip is not None:
        x, y = run.start  # a point of the run's box: strictly inside the clip, they overlap
        if not (clip[0] < x < clip[2] and clip[1] < y < clip[3]):
            clipped = _clipped_out(corners, clip)
    # A pure function of these (a size is never -0.0: it is a product of absolute values).
    key = (run.size, run.color, background, run.alpha, outside, covered, clipped)
    if key not in reasons:
        reasons[key] = text_reason(
            hidden=False, size_pt=run.size, color=run.color, background=background,
            alpha=run.alpha, outside=outside, covered=covered, clipped=clipped,
        )
    return reasons[key]


def _well_inside(corners: list[tuple[float, float]], inner: Rect | None) -> bool:
    """:meth:`PageGeometry.well_inside` of a run's four corners, ``inner`` from
    :meth:`PageGeometry.inner` (the same comparisons, unrolled)."""
    if inner is None:
        return False
    left, bottom, right, top = inner
    (ax, ay), (bx, by), (cx, cy), (dx, dy) = corners
    return (left <= ax <= right and bottom <= ay <= top and left <= bx <= right
            and bottom <= by <= top and left <= cx <= right and bottom <= cy <= top
            and left <= dx <= right and bottom <= dy <= top)


def _under(point: tuple[float, float], paints: list[Fill | ImageDraw]) -> bool:
    """Whether one of ``paints`` covers ``point``."""
    for paint in paints:
        if isinstance(paint, Fill):
            if any(_in_rect(point, rect) for rect in paint.rects):
                return True
        elif _in_image(point, paint.matrix) and _in_clip(point, paint.clip):
            return True
    return False


def _add_run(lines: list[_Line], run: TextRun, reason: str | None,
             corners: list[tuple[float, float]]) -> None:
    (sx, sy), (ex, ey) = run.start, run.end
    dx, dy = ex - sx, ey - sy
    length = math.hypot(dx, dy)
    if length < 1e-6:
        ux, uy = run.up
        dx, dy, length = uy, -ux, math.hypot(ux, uy)
    cos, sin = (dx / length, dy / length) if length > 1e-9 else (1.0, 0.0)
    along = sx * cos + sy * sin
    offset = sx * sin - sy * cos
    end = ex * cos + ey * sin
    size = run.size
    em = max(size, 1.0)
    target = None
    earlier = False
    if lines:
        gap = along - lines[-1].end
        near = -0.5 * em <= gap <= _MAX_GAP_EM * em
        for line in reversed(lines):  # the lines continuing the same baseline, latest first
            line_cos, line_sin = line.direction
            line_size = line.size  # max(line_size, size) spelt out below: the same value
            if (line_cos * cos + line_sin * sin < 0.999
                    or abs(line.offset - offset) > 0.5 * (size if size > line_size
                                                          else line_size)):
                break
            if line.reason == reason and near:
                target = line
                break
        if target is None:  # painted out of order (a table of contents: titles, then leaders)
            target = _earlier_line(lines, (cos, sin), offset, along, size, reason)
            earlier = target is not None
    if target is None:
        target = _Line((cos, sin), offset, end, size, reason)
        lines.append(target)
    else:
        # The line's last character: its parts are never empty (a run has text).
        if (along - target.end > _SPACE_EM * em and target.parts[-1][-1:].strip()
                and run.text[:1].strip()):
            target.parts.append(" ")
        target.end = max(target.end, end)
        if target is not lines[-1] and not earlier:
            lines[-1].end = max(lines[-1].end, end)
    target.parts.append(run.text)
    target.runs.append(run)
    target.corners.extend(corners)


def _earlier_line(lines: list[_Line], direction: tuple[float, float], offset: float,
                  along: float, size: float, reason: str | None) -> _Line | None:
    """A recent line on the same baseline whose own end the run continues, or ``None``."""
    em = max(size, 1.0)
    low, high = -0.5 * em, _MAX_GAP_EM * em
    cos, sin = direction
    for line in reversed(lines[-_LOOKBACK:]):
        line_size = line.size
        # max(line_size, size), spelt out (the same value, NaN included: it is hot here)
        if (abs(line.offset - offset) <= 0.5 * (size if size > line_size else line_size)
                and line.reason == reason
                and line.direction[0] * cos + line.direction[1] * sin >= 0.999
                and low <= along - line.end <= high):
            return line
    return None


def _majority(runs: list[TextRun], weights: list[int], key: Any) -> Any:
    """The value of ``key`` over most of the runs' characters that are not white space (all of
    a run of white space only); the first on a tie, as ``Counter.most_common``. ``weights``:
    the runs' weights, computed here when first needed."""
    values = list(map(key, runs))
    if values.count(values[0]) == len(values):  # one value (a dictionary would merge them)
        return values[0]
    if not weights:
        weights.extend((len(run.text) - sum(map(str.isspace, run.text))) or len(run.text)
                       for run in runs)
    counts: dict[Any, int] = {}
    for value, weight in zip(values, weights, strict=True):
        counts[value] = counts.get(value, 0) + weight
    return max(counts.items(), key=itemgetter(1))[0]


def _to_text_line(line: _Line, page: PageGeometry, location: Location) -> TextLine | None:
    text = "".join(line.parts).strip(" \t\r\n")
    if not text:
        return None
    runs = line.runs
    if len(runs) == 1:
        font, size, color = runs[0].font, runs[0].size, runs[0].color
    else:
        weights: list[int] = []
        font = _majority(runs, weights, attrgetter("font"))
        size = _majority(runs, weights, attrgetter("size"))
        color = _majority(runs, weights, attrgetter("color"))
    return TextLine(
        text=text, location=location, visible=line.reason is None, font_size=round(size, 2),
        color=color, font=font.name, bold=font.bold, italic=font.italic, region="body",
        bbox_mm=page.bbox_mm(line.corners),
        invisible_reason=line.reason,
    )


@dataclass(frozen=True)
class Placement:
    """Where and how an image was drawn on a page, and the verdict on its visibility."""

    draw: ImageDraw
    width_mm: float
    height_mm: float
    bbox_mm: BBox
    reason: str | None


def place_images(events: list[Event], page: PageGeometry,
                 drawn: Drawn | None = None) -> list[Placement]:
    """Return one placement per image drawn on the page, in painting order."""
    placements = []
    for index, event in enumerate(events):
        if not isinstance(event, ImageDraw):
            continue
        m = event.matrix
        corners = [apply(m, 0, 0), apply(m, 1, 0), apply(m, 0, 1), apply(m, 1, 1)]
        box = page.bbox_mm(corners)
        sx, sy = scale_of(m)
        width, height = sx * MM_PER_PT, sy * MM_PER_PT
        later = [e for e in events[index + 1:]
                 if isinstance(e, Fill) or (isinstance(e, ImageDraw) and e.opaque)]
        clipped = None
        if event.clip is not None:
            xs, ys = [x for x, _ in corners], [y for _, y in corners]
            x0, y0, x1, y1 = event.clip
            clipped = ((min(max(xs), x1) - max(min(xs), x0)) * MM_PER_PT,
                       (min(max(ys), y1) - max(min(ys), y0)) * MM_PER_PT)
        reason = image_reason(
            width_mm=width, height_mm=height, hidden=event.hidden, hidden_reason="calque masqué",
            outside=page.inside(box) < MIN_INSIDE_FRACTION, alpha=event.alpha,
            covered=bool(later) and _covered(m, later) >= COVERED_FRACTION, clipped_mm=clipped,
        )
        if reason is None and drawn is not None and not drawn(corners, None):
            reason = "calque masqué"
        placements.append(Placement(event, round(width, 2), round(height, 2), box, reason))
    return placements


def _covered(m: Matrix, later: list[Fill | ImageDraw]) -> float:
    points = [apply(m, (i + 0.5) / _GRID, (j + 0.5) / _GRID)
              for i in range(_GRID) for j in range(_GRID)]
    return sum(_under(point, later) for point in points) / len(points)
