"""PDFium (through pypdfium2) behind one lock: a page's objects as paint events, pictures
decoded, pages rasterised.

PDFium is not thread-safe: every call goes under :data:`LOCK` (``batch`` validates in threads).

A page is walked object by object, form XObjects included, in painting order. Text comes from
PDFium's text page, character by character: each character names the text object that drew
it, which gives its colour (PDFium converts grey, CMYK, Indexed and Separation to RGB), its
opacity, its render mode, its font, its clip and its optional-content marks. Consecutive
characters of one object make one :class:`~._pdf_events.TextRun`, cut where PDFium inserted a
space or a line end of its own or where the pen jumps by more than :data:`_JUMP_EM` em.

Sizes are as drawn: PDFium's size is the nominal one, multiplied here by the scale of the
character's matrix. PDFium gives U+00A0 and U+202F as plain spaces and a line-end hyphen as
U+0002 or U+FFFE (read here as ``-``).

Pictures: native pixels (``FPDFImageObj_GetBitmap``), and the alpha of the picture as PDFium
draws it (``GetRenderedBitmap``: soft mask, opacity and clip applied) when it is not opaque.
"""

from __future__ import annotations

import ctypes
import hashlib
import math
import re
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy
import pypdfium2 as pdfium
import pypdfium2.raw as raw
from PIL import Image

from convention_docs import _limits
from convention_docs._cache import BoundedCache
from convention_docs._pdfium import LOCK, render_region
from convention_docs.inspect._pdf_events import (
    IDENTITY,
    RGB,
    Event,
    Fill,
    FontInfo,
    ImageDraw,
    Matrix,
    Rect,
    TextRun,
    apply,
    intersect,
    multiply,
)
from convention_docs.inspect._pixels import content_key, decode_shared, placeholder

__all__ = ["LOCK", "Decoder", "page_events", "pdfium_lock", "render_page"]

# One lock for the whole package (page pictures for scans and emblems take it too).

_JUMP_EM = 0.15
_SUBSET = 7  # "ABCDEF+"
_SURROGATE = re.compile("[\ud800-\udfff]")
_NULL = bytes(ctypes.sizeof(ctypes.c_void_p))
_ADDED = re.compile("[\r\n\x02\ufffe]")  # line ends PDFium may add of its own
_TEXT, _PATH, _IMAGE, _FORM = (raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_PATH,
                               raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_FORM)
_BOLD_WORDS = ("bold", "black", "heavy", "semibold", "demi")
_ITALIC_WORDS = ("italic", "oblique")


@contextmanager
def pdfium_lock() -> Iterator[None]:
    """Hold :data:`LOCK` (for code of this package calling PDFium itself)."""
    with LOCK:
        yield


def _address(handle: Any) -> bytes:
    """A handle's pointer value (what ``bytes()`` of a ctypes pointer gives: cheap)."""
    return bytes(handle)


def _matrix(handle: Any) -> Matrix:
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(handle, m):
        return IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _box(points: list[tuple[float, float]]) -> Rect:
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return (min(xs), min(ys), max(xs), max(ys))


def _point(segment: Any) -> tuple[float, float]:
    x, y = ctypes.c_float(), ctypes.c_float()
    raw.FPDFPathSegment_GetPoint(segment, x, y)
    return x.value, y.value


def _clip(handle: Any, to_page: Matrix) -> Rect | None:
    """The bounding box of the object's clipping paths, intersected, in page space."""
    clip = raw.FPDFPageObj_GetClipPath(handle)
    if not clip:
        return None
    rect: Rect | None = None
    for index in range(max(raw.FPDFClipPath_CountPaths(clip), 0)):
        count = raw.FPDFClipPath_CountPathSegments(clip, index)
        if count <= 0:
            continue  # an empty path clips nothing here
        points = [apply(to_page, *_point(raw.FPDFClipPath_GetPathSegment(clip, index, s)))
                  for s in range(count)]
        rect = intersect(rect, _box(points))
    return rect


def _color(handle: Any, stroke: bool = False) -> tuple[RGB, float]:
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    get = raw.FPDFPageObj_GetStrokeColor if stroke else raw.FPDFPageObj_GetFillColor
    if not get(handle, r, g, b, a):
        return (0, 0, 0), 1.0
    return (r.value, g.value, b.value), a.value / 255


def _marks(handle: Any) -> list[str]:
    """The ``/Name`` of the optional-content groups marking an object (``/OC`` marks)."""
    names = []
    buffer, length = (ctypes.c_ushort * 256)(), ctypes.c_ulong()
    for index in range(raw.FPDFPageObj_CountMarks(handle)):
        mark = raw.FPDFPageObj_GetMark(handle, index)
        if not raw.FPDFPageObjMark_GetName(mark, buffer, 512, length) \
                or _utf16(buffer, length) != "OC":
            continue
        if raw.FPDFPageObjMark_GetParamStringValue(mark, b"Name", buffer, 512, length):
            names.append(_utf16(buffer, length))
    return names


def _utf16(buffer: Any, length: ctypes.c_ulong) -> str:
    return bytes(buffer)[:max(length.value - 2, 0)].decode("utf-16-le", "replace")


class _Fonts:
    """Font name, bold and italic by PDFium font handle (one document's fonts)."""

    def __init__(self) -> None:
        self.known: dict[bytes, FontInfo] = {}

    def of(self, text_object: Any) -> FontInfo:
        font = raw.FPDFTextObj_GetFont(text_object)
        key = _address(font)
        found = self.known.get(key)
        if found is None:
            found = self.known[key] = self._read(font)
        return found

    @staticmethod
    def _read(font: Any) -> FontInfo:
        if not font:
            return FontInfo(None, False, False)
        buffer = ctypes.create_string_buffer(256)
        size = raw.FPDFFont_GetBaseFontName(font, buffer, 256)
        name = buffer.value.decode("latin-1") if 0 < size <= 256 else ""
        if len(name) > _SUBSET and name[6] == "+" and name[:6].isupper():
            name = name[_SUBSET:]
        lower = name.lower()
        flags = raw.FPDFFont_GetFlags(font)
        angle = ctypes.c_int()
        slanted = bool(raw.FPDFFont_GetItalicAngle(font, angle)) and angle.value != 0
        bold = any(w in lower for w in _BOLD_WORDS) or bool(flags >= 0 and flags & (1 << 18))
        italic = any(w in lower for w in _ITALIC_WORDS) or bool(flags >= 0 and flags & 64) \
            or slanted
        return FontInfo(name or None, bold, italic)


class _TextObject:
    """What a text object tells about its characters."""

    __slots__ = ("alpha", "clip", "color", "font", "hidden", "order")

    def __init__(self, order: int, color: RGB, alpha: float, hidden: str | None,
                 font: FontInfo, clip: Rect | None) -> None:
        self.order, self.color, self.alpha = order, color, alpha
        self.hidden, self.font, self.clip = hidden, font, clip


_IMAGE_ERRORS = (pdfium.PdfiumError, ArithmeticError, ValueError, OSError)
_ALPHAS = BoundedCache[Hashable, "tuple[Image.Image | None]"](32)


class Decoder:
    """Pictures of one document, decoded once each (the same Pillow object for every drawing
    of the same picture); pixels are also kept between documents (:mod:`._pixels`)."""

    def __init__(self) -> None:
        self.failed = 0
        self._known: dict[bytes, tuple[Image.Image, float]] = {}

    def decode(self, pdf: pdfium.PdfDocument, page: pdfium.PdfPage, handle: Any,
               matrix: Matrix, clip: Rect | None) -> tuple[Image.Image, float, bytes]:
        """Return the picture (RGB, or RGBA when not opaque), its opacity, its content key.

        What the clip (``clip``, page space) cuts away is not counted as transparent: the
        layout judges clipping by itself, and the picture stays whole."""
        size = raw.FPDFImageObj_GetImageDataRaw(handle, None, 0)
        data = ctypes.create_string_buffer(size)
        raw.FPDFImageObj_GetImageDataRaw(handle, data, size)
        width, height = ctypes.c_uint(), ctypes.c_uint()
        raw.FPDFImageObj_GetImagePixelSize(handle, width, height)
        native_key = content_key(b"pdfium", data.raw, f"{width.value}x{height.value}".encode())
        image = pdfium.PdfImage(handle, page=page, pdf=pdf)
        # The alpha depends on the pixels, the size drawn and the clip around the picture:
        # the logos of a batch come back alike in every document.
        x0, y0, x1, y1 = _box([apply(matrix, u, v) for u in (0, 1) for v in (0, 1)])
        relative = None if clip is None else tuple(
            round(value, 1) for value in (clip[0] - x0, clip[1] - y0, clip[2] - x1, clip[3] - y1))
        shape = (native_key, tuple(round(value, 2) for value in matrix[:4]), relative)
        (alpha,) = _ALPHAS.get_or_compute(
            shape, lambda: (self._alpha(image, (width.value, height.value), matrix, clip),))
        key = native_key + (hashlib.sha256(alpha.tobytes()).digest() if alpha else b"")
        known = self._known.get(key)
        if known is not None:
            return known[0], known[1], key
        pixels = decode_shared(native_key, lambda: self._native(image))
        opacity = 1.0
        if pixels is None:
            self.failed += 1
            pixels = placeholder()
        elif alpha is not None:
            high = alpha.getextrema()[1]
            opacity = (high if isinstance(high, int | float) else 255) / 255
            pixels = pixels.convert("RGB")
            pixels.putalpha(alpha.resize(pixels.size))
        self._known[key] = (pixels, opacity)
        return pixels, opacity, key

    @staticmethod
    def _native(image: pdfium.PdfImage) -> Image.Image | None:
        try:
            picture: Image.Image = image.get_bitmap(render=False).to_pil()
        except _IMAGE_ERRORS:
            return None
        return picture if picture.mode == "RGB" else picture.convert("RGB")

    @staticmethod
    def _alpha(image: pdfium.PdfImage, size: tuple[int, int], matrix: Matrix,
               clip: Rect | None) -> Image.Image | None:
        """The alpha PDFium paints the picture with, or ``None`` when wholly opaque."""
        if 0 in size:
            return None
        try:
            rendered = image.get_bitmap(render=True).to_pil()
        except _IMAGE_ERRORS:  # a picture drawn at no size (pypdfium2 divides by it)
            return None
        if "A" not in rendered.getbands():
            return None
        alpha = rendered.getchannel("A")
        if alpha.getextrema()[0] == 255:
            return None
        x0, y0, x1, y1 = _box([apply(matrix, u, v) for u in (0, 1) for v in (0, 1)])
        if clip is not None and not (clip[0] <= x0 and clip[1] <= y0 and x1 <= clip[2]
                                     and y1 <= clip[3]):
            # The bitmap covers the picture's box on the page, rows from the top.
            values = numpy.array(alpha)
            rows, columns = values.shape
            xs = x0 + (numpy.arange(columns) + 0.5) / columns * (x1 - x0)
            ys = y1 - (numpy.arange(rows) + 0.5) / rows * (y1 - y0)
            inside = ((ys[:, None] >= clip[1]) & (ys[:, None] <= clip[3])
                      & (xs[None, :] >= clip[0]) & (xs[None, :] <= clip[2]))
            values[~inside] = 255
            if values.min() == 255:
                return None
            alpha = Image.fromarray(values)
        result: Image.Image = alpha if alpha.size == size else alpha.resize(size)
        return result


def page_events(pdf: pdfium.PdfDocument, page: pdfium.PdfPage, hidden_layers: frozenset[str],
                decoder: Decoder, fonts: _Fonts | None = None) -> list[Event]:
    """Return what ``page`` paints, in painting order (call under :data:`LOCK`)."""
    fonts = fonts or _Fonts()
    texts: dict[bytes, _TextObject] = {}
    events: list[tuple[int, int, Event]] = []
    order = 0

    def walk(container: Any, to_page: Matrix, clip: Rect | None, hidden: bool) -> None:
        nonlocal order
        form = container is not None
        parent = container if form else page.raw
        count = (raw.FPDFFormObj_CountObjects if form else raw.FPDFPage_CountObjects)(parent)
        get_object = raw.FPDFFormObj_GetObject if form else raw.FPDFPage_GetObject
        get_type = raw.FPDFPageObj_GetType
        for index in range(count):
            handle = get_object(parent, index)
            order += 1
            kind = get_type(handle)
            own = _clip(handle, to_page)
            where = clip if own is None else intersect(clip, own)
            layer = hidden or bool(hidden_layers and hidden_layers.intersection(
                _marks(handle)))
            if kind == _TEXT:
                mode = raw.FPDFTextObj_GetTextRenderMode(handle)
                color, alpha = _color(handle, stroke=mode in (1, 5))
                reason = "calque masqué" if layer else (
                    "texte masqué" if mode in (3, 7) else None)
                texts[_address(handle)] = _TextObject(order, color, alpha, reason,
                                                      fonts.of(handle), where)
            elif kind == _PATH:
                fill = _fill(handle, to_page, where)
                if fill is not None and not layer:
                    events.append((order, 0, fill))
            elif kind == _IMAGE:
                matrix = multiply(_matrix(handle), to_page)
                picture, alpha, key = decoder.decode(pdf, page, handle, matrix, where)
                events.append((order, 0, ImageDraw(
                    key, picture, matrix, alpha, layer,
                    picture.mode == "RGB" and alpha >= 1.0, where)))
            elif kind == _FORM:
                _limits.checkpoint()  # nested forms: validate()'s deadline bounds the work
                walk(handle, multiply(_matrix(handle), to_page), where, layer)

    walk(None, IDENTITY, None, False)
    events.extend(_runs(page, texts))
    events.sort(key=lambda item: (item[0], item[1]))
    return [event for _, _, event in events]


def _fill(handle: Any, to_page: Matrix, clip: Rect | None) -> Fill | None:
    """An opaque fill of axis-aligned rectangles, or ``None``."""
    mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(handle, mode, stroke) or mode.value == 0:
        return None
    color, alpha = _color(handle)
    if alpha < 1.0 or raw.FPDFPageObj_HasTransparency(handle):
        return None
    matrix = multiply(_matrix(handle), to_page)
    paths: list[list[tuple[float, float]]] = []
    for index in range(raw.FPDFPath_CountSegments(handle)):
        segment = raw.FPDFPath_GetPathSegment(handle, index)
        kind = raw.FPDFPathSegment_GetType(segment)
        if kind == raw.FPDF_SEGMENT_BEZIERTO:
            return None
        if kind == raw.FPDF_SEGMENT_MOVETO or not paths:
            paths.append([])
        paths[-1].append(apply(matrix, *_point(segment)))
    rects = []
    for points in paths:
        box = _box(points) if points else (0.0, 0.0, 0.0, 0.0)
        corners = {(box[0], box[1]), (box[0], box[3]), (box[2], box[1]), (box[2], box[3])}
        if not all(_near_any(point, corners) for point in points):
            return None
        if clip is not None:
            box = intersect(clip, box)
        if box[2] > box[0] and box[3] > box[1]:
            rects.append(box)
    return Fill(tuple(rects), color) if rects else None


def _near_any(point: tuple[float, float], corners: set[tuple[float, float]]) -> bool:
    return any(abs(point[0] - x) < 0.01 and abs(point[1] - y) < 0.01 for x, y in corners)


def _runs(page: pdfium.PdfPage, texts: dict[bytes, _TextObject]
          ) -> Iterator[tuple[int, int, TextRun]]:
    """The text runs of the page, each with the painting order of its object."""
    textpage = raw.FPDFText_LoadPage(page.raw)
    if not textpage:
        return
    try:
        yield from _page_runs(textpage, texts)
    finally:
        raw.FPDFText_ClosePage(textpage)


def _page_runs(textpage: Any, texts: dict[bytes, _TextObject]
               ) -> Iterator[tuple[int, int, TextRun]]:
    """Runs: stretches of characters of one text object, cut where PDFium added characters of
    its own (line ends, spaces at gaps), which belong to no object."""
    count = raw.FPDFText_CountChars(textpage)
    if count <= 0:
        return
    units = (ctypes.c_ushort * (count + 1))()
    raw.FPDFText_GetText(textpage, 0, count, units)
    text = bytes(units)[:2 * count].decode("utf-16-le", "surrogatepass")
    if len(text) != count or _SURROGATE.search(text):  # one character a unit, or one by one
        text = "".join(chr(raw.FPDFText_GetUnicode(textpage, i)) for i in range(count))

    get_object = raw.FPDFText_GetTextObject

    def owner(index: int) -> bytes:
        return bytes(get_object(textpage, index))  # as _address

    # The spaces PDFium adds at gaps are found by _split (they belong to no object) and left
    # out: the layout puts a space back wherever the gap is wide.
    added = [m.start() for m in _ADDED.finditer(text) if owner(m.start()) == _NULL]
    stretches = []
    begin = 0
    for cut in [*added, count]:
        if cut > begin:
            stretches.extend(_split(owner, begin, cut, owner(begin), owner(cut - 1)))
        begin = cut + 1
    x, y = ctypes.c_double(), ctypes.c_double()
    box, matrix = raw.FS_RECTF(), raw.FS_MATRIX()
    # The characters of one text object share its matrix and font size: read them once.
    shapes: dict[bytes, tuple[float, float, float, tuple[float, float]]] = {}
    get_text, get_origin, get_box = texts.get, raw.FPDFText_GetCharOrigin, \
        raw.FPDFText_GetLooseCharBox
    # Line-end hyphens read as "-": one character for one, so the slices stay aligned.
    hyphenated = text.replace("\x02", "-").replace("\ufffe", "-")
    for first, last, key in stretches:  # characters first..last-1
        found = get_text(key)
        if found is None:
            continue
        run = hyphenated[first:last]
        if not run.strip("\x00"):
            continue
        get_origin(textpage, first, x, y)
        ox, oy = x.value, y.value
        shape = shapes.get(key)
        if shape is None:
            raw.FPDFText_GetMatrix(textpage, first, matrix)
            a, b, c, d = matrix.a, matrix.b, matrix.c, matrix.d
            determinant = a * d - b * c
            length = math.hypot(a, b) or 1.0
            cos, sin = a / length, b / length
            size = raw.FPDFText_GetFontSize(textpage, first) * math.sqrt(abs(determinant))
            flip = -1.0 if determinant < 0 else 1.0
            shape = shapes[key] = (cos, sin, size, (-sin * size * flip, cos * size * flip))
        cos, sin, size, up = shape
        get_box(textpage, last - 1, box)
        # the farthest corner of the last character's box along the baseline (the largest of
        # the four sums is the sum of the largest terms, rounding included)
        advance = max(0.0, max((box.left - ox) * cos, (box.right - ox) * cos)
                      + max((box.bottom - oy) * sin, (box.top - oy) * sin))
        yield found.order, first, TextRun(
            run, (ox, oy), (ox + advance * cos, oy + advance * sin), up, size, found.color,
            found.alpha, found.hidden, found.font, found.clip, first)


def _split(owner: Callable[[int], bytes], begin: int, end: int, first: bytes, last: bytes
           ) -> list[tuple[int, int, bytes]]:
    """Cut characters ``begin..end-1`` where their text object changes (by halves: the
    characters of one object follow one another)."""
    if first == last:
        return [(begin, end, first)]
    if end - begin == 2:
        return [(begin, begin + 1, first), (begin + 1, end, last)]
    middle = (begin + end) // 2
    left, right = owner(middle - 1), owner(middle)
    return _split(owner, begin, middle, first, left) + _split(owner, middle, end, right, last)


def render_page(pdf: pdfium.PdfDocument, index: int, dpi: float) -> Image.Image:
    """Return page ``index`` (0-based) rasterised at ``dpi`` in RGB (call under :data:`LOCK`)."""
    page = pdf[index]
    try:
        return render_region(page, dpi, forms=False)
    finally:
        page.close()
