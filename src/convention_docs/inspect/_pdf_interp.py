"""Interpret a PDF page's content stream into paint events: text runs, images, filled rectangles.

Tracked: the graphics state stack (``q``/``Q``), the CTM (``cm``), fill and stroke colours in
DeviceGray/RGB/CMYK, ICCBased, CalRGB/CalGray and Indexed spaces (``g rg k cs sc scn`` and
their stroke twins; Separation, DeviceN and patterns give an unknown colour), opacity from
``gs`` (``/ca``, ``/CA``), the text state (``BT ET Tf Tc Tw Tz TL Ts Tr Td TD Tm T* Tj TJ ' "``),
optional content (``BDC /OC`` and ``/OC`` on XObjects, against the catalog's default
configuration), image XObjects and inline images (``Do``, ``BI … EI``), Form XObjects
(recursively, their ``/Matrix`` applied, at most 12 deep; at most two million operators a
page are executed, forms included) and filled paths made of axis-aligned
rectangles (``re`` or four straight segments, then ``f F f* B B* b b*``). Clipping paths, shading
fills (``sh``), soft masks in ``gs`` and blend modes are not interpreted.

An operator whose operands are malformed is skipped, as viewers do.

LibreOffice draws each piece of text as a small text object (``q r g b rg BT x y Td /F s Tf
[…]TJ ET Q``), which the tokenizer hands over as one operation (:data:`~._pdf_tokens.TEXT_BLOCK`)
and :meth:`Interpreter._text_block` runs at once, with the same outcome as its eight operations
(the same floats, to the bit). What such an object shows (its text, how far it moves the pen)
is kept with its font, by pen position, text state and bytes; fonts being shared by documents
of the same content (:func:`~._pdf_fonts.load_font`), a batch of documents made from one
template reads its repeated lines once. :meth:`Interpreter.release` trims what a document
leaves in the fonts it used.
"""

from __future__ import annotations

import copy
import math
import struct
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import reduce
from io import BytesIO
from itertools import accumulate, chain
from math import isfinite
from operator import add, itemgetter
from typing import Any

from pypdf.generic import ContentStream, DictionaryObject, IndirectObject, NameObject

from convention_docs.inspect._pdf_color import RGB, color_space, to_rgb
from convention_docs.inspect._pdf_fonts import TABLES_LIMIT, CodeTable, PdfFont, load_font
from convention_docs.inspect._pdf_tokens import (
    TEXT_BLOCK,
    TEXT_BLOCK_TJ,
    GlyphArray,
    UnsupportedStreamError,
    expand,
    glyph_array,
    hex_bytes,
    parse_compact,
)
from convention_docs.inspect._pdf_util import (
    IDENTITY,
    Matrix,
    RawDigests,
    apply,
    get,
    mult,
    number,
    resolve,
)

__all__ = ["Fill", "ImageDraw", "Interpreter", "TextRun", "identify"]

Rect = tuple[float, float, float, float]
_MAX_DEPTH = 12
_MAX_OPERATIONS = 2_000_000  # per page; what lies beyond is not read
_SPACE_GAP = 150  # a TJ adjustment opening more than 0.15 em means a space (TeX: 0.22 em)
_GRAY, _RGB, _CMYK = ("gray",), ("rgb",), ("cmyk",)
_CACHE_LIMIT = 4096  # entries of a cache of colours or per-font tables, before it is emptied
_SKIPPED = (TypeError, ValueError, IndexError, KeyError, AttributeError, ArithmeticError)
_WIDE_SHIFT = "\ufdd0"  # a noncharacter: marks a shift that may read as a space
_STATE_KEY = struct.Struct("6d").pack
_SHOWN_KEY = struct.Struct("6d").pack  # size, Tc, Tw, Tz, a, e: then a body
_SHOWN_LIMIT = 1024  # bodies shown kept by font, before they are forgotten
_INLINE_KEYS = {"/BPC": "/BitsPerComponent", "/CS": "/ColorSpace", "/D": "/Decode",
                "/DP": "/DecodeParms", "/F": "/Filter", "/H": "/Height", "/W": "/Width",
                "/I": "/Interpolate", "/IM": "/ImageMask", "/L": "/Length"}
_INLINE_VALUES = {"/G": "/DeviceGray", "/RGB": "/DeviceRGB", "/CMYK": "/DeviceCMYK",
                  "/I": "/Indexed", "/AHx": "/ASCIIHexDecode", "/A85": "/ASCII85Decode",
                  "/LZW": "/LZWDecode", "/Fl": "/FlateDecode", "/RL": "/RunLengthDecode",
                  "/CCF": "/CCITTFaxDecode", "/DCT": "/DCTDecode"}


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


@dataclass(frozen=True, slots=True)
class ImageDraw:
    """One image painted: the unit square mapped by ``matrix``."""

    key: Hashable
    stream: Any
    matrix: Matrix
    alpha: float
    hidden: bool
    opaque: bool


@dataclass(frozen=True, slots=True)
class Fill:
    """Axis-aligned rectangles filled opaquely, in default user space."""

    rects: tuple[Rect, ...]
    color: RGB | None


Event = TextRun | ImageDraw | Fill
_DEFAULT_FONT = PdfFont(DictionaryObject())  # for text shown before any Tf


@dataclass(slots=True)
class _State:
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

    def copy(self) -> _State:
        """A shallow copy (what ``dataclasses.replace`` makes, faster)."""
        return _State(self.ctm, self.fill, self.stroke, self.fill_space, self.stroke_space,
                      self.fill_alpha, self.stroke_alpha, self.font, self.size,
                      self.char_spacing, self.word_spacing, self.scale, self.leading,
                      self.rise, self.render)


def identify(ref: Any) -> Hashable:
    """Return a key naming a PDF object: its object number, else its Python identity."""
    if isinstance(ref, IndirectObject):
        return ("ref", ref.idnum, ref.generation)
    indirect = getattr(ref, "indirect_reference", None)
    if indirect is not None:
        return ("ref", indirect.idnum, indirect.generation)
    return ("id", id(ref))


class Interpreter:
    """Run the content streams of one document's pages; fonts and forms are cached across pages."""

    def __init__(self, reader: Any, off_groups: set[Hashable], data: bytes | None = None) -> None:
        """``data``: the file's bytes, if at hand (else they are taken from ``reader``)."""
        self._reader = reader
        self._off = off_groups
        if data is None:
            stream = getattr(reader, "stream", None)
            data = stream.getvalue() if isinstance(stream, BytesIO) else None
        self._digests = RawDigests(reader, data)
        self._fonts: dict[Hashable, PdfFont] = {}
        self._forms: dict[Hashable, list[Any]] = {}
        self._default_font = _DEFAULT_FONT
        self._rgb: dict[tuple[Any, ...], Any] = {}  # (device space, *values): to_rgb
        # (resources, their /Font, the fonts already found there by name)
        self._font_resources: tuple[Any, Any, dict[Any, PdfFont]] = (None, None, {})
        self._ops: dict[bytes, Callable[[list[Any]], None]] = {
            b"q": self._q, b"Q": self._big_q, b"cm": self._cm, b"gs": self._gs,
            b"g": lambda o: self._fill_color(o, _GRAY),
            b"G": lambda o: self._color(o, "stroke", _GRAY),
            b"rg": lambda o: self._fill_color(o, _RGB),
            b"RG": lambda o: self._color(o, "stroke", _RGB),
            b"k": lambda o: self._fill_color(o, _CMYK),
            b"K": lambda o: self._color(o, "stroke", _CMYK),
            b"cs": lambda o: self._space(o, "fill"), b"CS": lambda o: self._space(o, "stroke"),
            b"sc": lambda o: self._color(o, "fill", None),
            b"scn": lambda o: self._color(o, "fill", None),
            b"SC": lambda o: self._color(o, "stroke", None),
            b"SCN": lambda o: self._color(o, "stroke", None),
            b"BT": self._bt, b"Tf": self._tf, b"Tc": self._tc, b"Tw": self._tw, b"Tz": self._tz,
            b"TL": self._tl, b"Ts": self._ts, b"Tr": self._tr, b"Td": self._td, b"TD": self._big_td,
            b"Tm": self._tm, b"T*": self._t_star, b"Tj": self._tj, b"TJ": self._big_tj,
            b"'": self._quote, b'"': self._double_quote,
            b"m": self._move, b"l": self._line, b"c": self._curve, b"v": self._curve,
            b"y": self._curve, b"h": self._close, b"re": self._re,
            b"f": self._fill, b"F": self._fill, b"f*": self._fill, b"B": self._fill,
            b"B*": self._fill, b"b": self._fill, b"b*": self._fill,
            b"n": self._end_path, b"S": self._end_path, b"s": self._end_path,
            b"BMC": self._bmc, b"BDC": self._bdc, b"EMC": self._emc, b"Do": self._do,
            b"INLINE IMAGE": self._inline_image,
            TEXT_BLOCK: self._text_block, TEXT_BLOCK_TJ: self._text_block,
        }
        self._reset()

    def _reset(self) -> None:
        self.events: list[Event] = []
        self._state = _State()
        self._stack: list[_State] = []
        self._text_matrix: Matrix = IDENTITY
        self._line_matrix: Matrix = IDENTITY
        self._path: list[list[tuple[float, float]]] = []
        self._curved: list[bool] = []
        self._marked: list[bool] = []
        self._resources: Any = {}
        self._depth = 0
        self._inline_count = 0
        self._budget = _MAX_OPERATIONS

    def release(self) -> None:
        """Trim what the fonts of this document keep for the next ones (the tables filled while
        showing text), to at most :data:`~._pdf_fonts.TABLES_LIMIT` entries a font."""
        for font in self._fonts.values():
            font.trim_tables(TABLES_LIMIT)

    def run_page(self, page: Any, number_: int) -> list[Event]:
        """Return the paint events of ``page`` in painting order."""
        self._reset()
        self._page = number_
        contents = page.get_contents()
        if contents is None:
            return []
        self._run(self._operations(contents), get(page, "/Resources", {}))
        return self.events

    def _operations(self, stream: Any) -> list[Any]:
        try:
            return parse_compact(stream.get_data())
        except UnsupportedStreamError:
            return list(ContentStream(stream, self._reader).operations)

    def _run(self, operations: list[Any], resources: Any) -> None:
        saved, self._resources = self._resources, resources
        handlers = self._ops
        for operands, operator in operations:
            self._budget -= 1
            if self._budget < 0:  # forms drawing forms can multiply the work without end
                break
            handler = handlers.get(operator)
            if handler is None:
                continue
            try:
                handler(operands)
            except _SKIPPED:
                continue  # malformed operands: skip the operator
        self._resources = saved

    # graphics state ------------------------------------------------------------------
    def _q(self, _: list[Any]) -> None:
        self._stack.append(self._state.copy())

    def _big_q(self, _: list[Any]) -> None:
        if self._stack:
            self._state = self._stack.pop()

    def _cm(self, o: list[Any]) -> None:
        matrix = _matrix(o)
        if matrix is not None:
            self._state.ctm = mult(matrix, self._state.ctm)

    def _gs(self, o: list[Any]) -> None:
        params = get(get(self._resources, "/ExtGState", {}), o[0], {})
        if "/ca" in params:
            self._state.fill_alpha = number(params["/ca"], 1.0)
        if "/CA" in params:
            self._state.stroke_alpha = number(params["/CA"], 1.0)

    def _space(self, o: list[Any], which: str) -> None:
        space = color_space(o[0], self._resources)
        initial = {"gray": [0], "rgb": [0, 0, 0], "cmyk": [0, 0, 0, 1], "indexed": [0]}
        setattr(self._state, f"{which}_space", space)
        self._color(initial.get(space[0], []), which, space)

    def _color(self, o: list[Any], which: str, device: tuple[Any, ...] | None) -> None:
        if device is not None:  # g, rg, k (and their stroke twins) also set the colour space
            setattr(self._state, f"{which}_space", device)
        space = getattr(self._state, f"{which}_space")
        values = [float(x) for x in o if isinstance(x, (int, float))]
        setattr(self._state, which, to_rgb(space, values))

    def _fill_color(self, o: list[Any], device: tuple[str]) -> None:
        """``self._color(o, "fill", device)`` for a device space, with the RGB cached."""
        state = self._state
        state.fill_space = device
        values = [float(x) for x in o if isinstance(x, (int, float))]
        key = (device, *values)
        rgb = self._rgb.get(key, self)
        if rgb is self:
            if len(self._rgb) > _CACHE_LIMIT:
                self._rgb.clear()
            rgb = self._rgb[key] = to_rgb(device, values)
        state.fill = rgb

    # text ------------------------------------------------------------------------------
    def _bt(self, _: list[Any]) -> None:
        self._text_matrix = self._line_matrix = IDENTITY

    def _tf(self, o: list[Any]) -> None:
        self._set_font(o[0])
        self._state.size = float(o[1])

    def _set_font(self, name: Any) -> None:
        """Make the font resource ``name`` current (none of that name: the font stays)."""
        resources, fonts, found = self._font_resources
        if resources is not self._resources:
            fonts, found = get(self._resources, "/Font", {}), {}
            self._font_resources = (self._resources, fonts, found)
        font = found.get(name)
        if font is None:
            ref = fonts.get(name)
            if ref is not None:
                key = identify(ref)
                font = self._fonts.get(key)
                if font is None:
                    font = self._fonts[key] = self._load_font(ref)
                found[name] = font
        if font is not None:
            self._state.font = font

    def _load_font(self, ref: Any) -> PdfFont:
        """The font of a resource: shared with other documents (:func:`load_font`), but never
        with another font resource of this one (a line's font is the one most of its text uses,
        telling resources apart, even two of the same content)."""
        font = load_font(ref, self._digests.digest(ref))
        if any(font is other for other in self._fonts.values()):
            font = copy.copy(font)
        return font

    def _tc(self, o: list[Any]) -> None:
        self._state.char_spacing = float(o[0])

    def _tw(self, o: list[Any]) -> None:
        self._state.word_spacing = float(o[0])

    def _tz(self, o: list[Any]) -> None:
        self._state.scale = float(o[0]) / 100

    def _tl(self, o: list[Any]) -> None:
        self._state.leading = float(o[0])

    def _ts(self, o: list[Any]) -> None:
        self._state.rise = float(o[0])

    def _tr(self, o: list[Any]) -> None:
        self._state.render = int(o[0])

    def _td(self, o: list[Any]) -> None:
        self._line_matrix = mult((1.0, 0.0, 0.0, 1.0, float(o[0]), float(o[1])), self._line_matrix)
        self._text_matrix = self._line_matrix

    def _big_td(self, o: list[Any]) -> None:
        self._state.leading = -float(o[1])
        self._td(o)

    def _tm(self, o: list[Any]) -> None:
        matrix = _matrix(o)
        if matrix is not None:
            self._text_matrix = self._line_matrix = matrix

    def _t_star(self, _: list[Any]) -> None:
        self._td([0.0, -self._state.leading])

    def _tj(self, o: list[Any]) -> None:
        self._show(GlyphArray(o[:1]) if o[0].__class__ is bytes else [o[0]])

    def _big_tj(self, o: list[Any]) -> None:
        self._show(o[0] if o[0].__class__ is GlyphArray else list(o[0]))

    def _quote(self, o: list[Any]) -> None:
        self._t_star([])
        self._show([o[0]])

    def _double_quote(self, o: list[Any]) -> None:
        self._state.word_spacing, self._state.char_spacing = float(o[0]), float(o[1])
        self._quote([o[2]])

    def _text_block(self, o: list[Any]) -> None:
        """LibreOffice's text object, ``q r g b rg BT x y Td /F s Tf [<hex>kern…]TJ ET Q`` read
        as one operation (:data:`TEXT_BLOCK`): what its eight operations do one by one.

        When one of them fails, or the limit on operations falls inside the object, the eight
        operations run one by one after all (each skipped alone when it fails, as :meth:`_run`
        does): what the failed attempt changed is put back or set again by them (the paint
        event is recorded last, by a call that cannot fail once made)."""
        if self._budget >= 7:
            red, green, blue, x, y, font, size, body = o
            state = self._state
            # q … Q: of the graphics state, only what rg and Tf set changes in between.
            saved = (state.fill, state.fill_space, state.font, state.size)
            try:
                rgb = self._rgb.get((_RGB, red, green, blue), self)  # as _fill_color caches
                if rgb is self:
                    self._fill_color([red, green, blue], _RGB)
                else:
                    state.fill_space, state.fill = _RGB, rgb
                self._text_matrix = self._line_matrix = mult(  # BT, Td
                    (1.0, 0.0, 0.0, 1.0, float(x), float(y)), IDENTITY)
                self._set_font(font)  # Tf
                state.size = float(size)
                self._show_body(body)  # TJ
            except _SKIPPED:
                state.fill, state.fill_space, state.font, state.size = saved
            else:
                state.fill, state.fill_space, state.font, state.size = saved  # ET, Q
                self._budget -= 7
                return
        # Expanded as a TJ object: a Tj object shows its one string as [<hex>] TJ does.
        self._budget += 1
        self._run(expand(o, TEXT_BLOCK), self._resources)

    def _show_body(self, body: bytes) -> None:
        """:meth:`_show` for the body of a :data:`TEXT_BLOCK`'s array, ``<hex>kern<hex>…``: the
        same text and floats as :meth:`_show_simple` (or as the glyph-by-glyph loop when a kern
        is wide enough to read as a space), without making the array. What a body shows from a
        given pen position and text state is kept with the font (:meth:`_measure_body`): a
        batch of documents made from one template shows the same lines again and again. The
        cases :meth:`_show_simple` leaves to the loop for other reasons go to :meth:`_show`."""
        state = self._state
        font = state.font or self._default_font
        a, b, c, d, e, f = self._text_matrix
        # b == 0 (a horizontal baseline) and f != 0: the glyphs move the pen along x only
        # (each increment to f is ±0.0 times a finite advance), whatever the sign of b.
        if font.simple and b == 0.0 and f != 0.0 and a != 0.0:
            tables = font.tables
            shown = tables.get("shown")
            if shown is None:
                shown = tables["shown"] = {}
            key = _SHOWN_KEY(state.size, state.char_spacing, state.word_spacing, state.scale,
                             a, e) + body
            known = shown.get(key)
            if known is None:
                known = self._measure_body(font, body, e)
                if known is not None:
                    if len(shown) >= _SHOWN_LIMIT:
                        shown.clear()
                    shown[key] = known
            if known is not None:
                text, last, end = known
                self._text_matrix = (a, b, c, d, end, f)
                if text:
                    self._text_run(font, text, (e, f), (last, f))
                return
        self._show(glyph_array(body))

    def _measure_body(self, font: PdfFont, body: bytes, e: float
                      ) -> tuple[str, float, float] | None:
        """The text a body shows, and the pen (along x, from ``e``) after its last glyph and
        at its end (after a last kern, if any); ``None`` when the pen ends up infinite or NaN.

        Computed through per-font tables of the tokens of bodies (the text they add, how they
        move the pen), the increments added one by one in their order."""
        state = self._state
        tables = font.tables
        texts = tables.get("tokens")
        if texts is None:
            pieces = tables.get("texts")
            if pieces is None:
                pieces = tables["texts"] = _Pieces(font.texts)
            texts = tables["tokens"] = _TokenTexts(pieces)
        # <01>2<0203> → b"", b"01", b">2", b"0203", b">": hex digits (glyphs), >kern, >.
        tokens = body.replace(b">", b"<>").split(b"<")  # three tokens at least
        of_tokens = itemgetter(*tokens)  # looks them all up at once (one C call)
        text = "".join(of_tokens(texts))
        if _WIDE_SHIFT in text:
            edges = tables.get("edges")
            if edges is None:
                edges = tables["edges"] = _GlyphEdges(font.texts)
            text = _spaced(tokens, texts, edges)
        size, scale, a = state.size, state.scale, self._text_matrix[0]
        # The tables of increments depend on all of these, to the bit (0.0 is not -0.0); b is
        # ±0.0 here, and the increments along x do not depend on it.
        key = _STATE_KEY(size, state.char_spacing, state.word_spacing, scale, a, 0.0)
        steps = tables.get(key + b"<")
        if steps is None:
            along = tables.get(key)
            if along is None:
                if len(tables) > _CACHE_LIMIT:
                    tables.clear()
                advances = font.advances(size, state.char_spacing, state.word_spacing, scale)
                along = tables[key] = _Increments(advances, size, scale, a)
            steps = tables[key + b"<"] = _TokenIncrements(along)
        last, end = deque(accumulate(chain.from_iterable(of_tokens(steps)), initial=e), maxlen=2)
        if not isfinite(end):
            return None
        return text, (end if body[-1] == 62 else last), end  # 62: ">", no last kern

    def _show(self, items: list[Any]) -> None:
        state = self._state
        font = state.font or self._default_font
        size, scale = state.size, state.scale
        parts: list[str] = []
        pending_space = False
        if font.simple and self._show_simple(font, items):
            return
        a, b, c, d, e, f = self._text_matrix
        first: tuple[float, float] | None = None  # where the first glyph sits (text space)
        last = (e, f)  # where the last glyph ends: shifts before and after do not count
        if font.simple:
            # One byte a code: whole strings at once, through per-code tables (same sums).
            texts = font.texts
            advances = font.advances(size, state.char_spacing, state.word_spacing, scale)
            previous = b""  # the last non-empty string shown
            for item in items:
                if item.__class__ is not bytes:
                    if isinstance(item, (int, float)):
                        shift = -float(item) / 1000 * size * scale
                        e, f = e + shift * a, f + shift * b
                        pending_space = pending_space or (-float(item) > _SPACE_GAP
                                                          and bool(parts))
                        continue
                    if not isinstance(item, bytes):
                        item = getattr(item, "original_bytes", b"")
                    if not item:
                        continue
                    item = bytes(item)
                elif not item:
                    continue
                if first is None:
                    first = (e, f)
                if pending_space:
                    if texts[item[0]][:1].strip() and texts[previous[-1]][-1:].strip():
                        parts.append(" ")
                    pending_space = False
                if len(item) == 1:
                    code = item[0]
                    parts.append(texts[code])
                    advance = advances[code]
                    e, f = e + advance * a, f + advance * b
                else:
                    parts.extend(map(texts.__getitem__, item))
                    for code in item:
                        advance = advances[code]
                        e, f = e + advance * a, f + advance * b
                last = (e, f)
                previous = item
        else:
            for item in items:
                if isinstance(item, (int, float)):
                    shift = -float(item) / 1000 * size * scale
                    e, f = e + shift * a, f + shift * b
                    pending_space = pending_space or (-float(item) > _SPACE_GAP and bool(parts))
                    continue
                data = item if isinstance(item, bytes) else getattr(item, "original_bytes", b"")
                for text, width, is_space in font.glyphs(data):
                    if pending_space and text[:1].strip() and parts[-1][-1:].strip():
                        parts.append(" ")
                    pending_space = False
                    parts.append(text)
                    first = first or (e, f)
                    advance = (width / 1000 * size + state.char_spacing
                               + (state.word_spacing if is_space else 0.0)) * scale
                    e, f = e + advance * a, f + advance * b
                    last = (e, f)
        self._text_matrix = (a, b, c, d, e, f)
        text = "".join(parts)
        if not text or first is None:
            return
        self._text_run(font, text, first, last)

    def _show_simple(self, font: PdfFont, items: list[Any]) -> bool:
        """:meth:`_show` for a simple font, a whole array at a time; ``False`` (and nothing
        done) when this needs the glyph-by-glyph loop: an array not read by the tokenizer's
        fast path (:class:`GlyphArray`), or with a shift wide enough to read as a space.

        The text is the items' texts joined; the pen moves by the same increments, added in
        the same order (``functools.reduce``), as glyph by glyph: the same floats, bit for bit.
        """
        if items.__class__ is not GlyphArray or not items:
            return False
        tables = font.tables
        pieces = tables.get("texts")
        if pieces is None:
            pieces = tables["texts"] = _Pieces(font.texts)
        text = "".join(map(pieces.__getitem__, items))
        if _WIDE_SHIFT in text:  # maybe a space to insert
            return False
        state = self._state
        a, b, c, d, e, f = self._text_matrix
        size, scale = state.size, state.scale
        # The tables of increments depend on all of these, to the bit (0.0 is not -0.0).
        key = _STATE_KEY(size, state.char_spacing, state.word_spacing, scale, a, b)
        along = tables.get(key)
        if along is None:
            if len(tables) > _CACHE_LIMIT:
                tables.clear()
            advances = font.advances(size, state.char_spacing, state.word_spacing, scale)
            along = tables[key] = _Increments(advances, size, scale, a)
        # Where the first glyph starts and where the last one ends: shifts before and after
        # the glyphs do not count.
        first = items[0]
        last = items[-1]
        if first.__class__ is bytes and first and last.__class__ is bytes and last:
            head, tail = 0, len(items)
            x_end = reduce(add, chain.from_iterable(map(along.__getitem__, items)), e)
            xs = (e, x_end, x_end)
        else:
            glyphs = [i for i, item in enumerate(items) if item.__class__ is bytes and item]
            head, tail = (glyphs[0], glyphs[-1] + 1) if glyphs else (len(items), len(items))
            xs = _positions(along, items, e, head, tail)
        if b == 0.0 and f != 0.0 and a != 0.0 and isfinite(xs[2]):
            ys = (f, f, f)  # every increment is ±0.0 (a finite advance times b): f stays
        else:
            across = tables.get(key + b"y")
            if across is None:
                advances = font.advances(size, state.char_spacing, state.word_spacing, scale)
                across = tables[key + b"y"] = _Increments(advances, size, scale, b)
            ys = _positions(across, items, f, head, tail)
        self._text_matrix = (a, b, c, d, xs[2], ys[2])
        if text and head < tail:
            self._text_run(font, text, (xs[0], ys[0]), (xs[1], ys[1]))
        return True

    def _text_run(self, font: PdfFont, text: str, first: tuple[float, float],
                  last: tuple[float, float]) -> None:
        """Record the run of ``text`` from ``first`` to ``last`` (text space)."""
        state = self._state
        size, rise = state.size, state.rise
        a, b, c, d, _, _ = self._text_matrix
        p, q, r, s, t, u = state.ctm
        # mult((a, b, c, d, x, y), ctm), then apply(…, 0.0, rise), written out: same floats.
        up_x, up_y = c * p + d * r, c * q + d * s
        x, y = first
        start = (0.0 * (a * p + b * r) + rise * up_x + (x * p + y * r + t),
                 0.0 * (a * q + b * s) + rise * up_y + (x * q + y * s + u))
        x, y = last
        end = (0.0 * (a * p + b * r) + rise * up_x + (x * p + y * r + t),
               0.0 * (a * q + b * s) + rise * up_y + (x * q + y * s + u))
        render = state.render
        stroke = render == 1 or render == 5
        hidden = "texte masqué" if render == 3 or render == 7 else None
        if True in self._marked:  # self._hidden_content(): the list holds bools
            hidden = "calque masqué"
        self.events.append(TextRun(
            text, start, end, (up_x * size, up_y * size),
            abs(size) * (up_x ** 2 + up_y ** 2) ** 0.5,
            state.stroke if stroke else state.fill,
            state.stroke_alpha if stroke else state.fill_alpha, hidden, font,
        ))

    # paths -----------------------------------------------------------------------------
    def _point(self, x: Any, y: Any) -> tuple[float, float]:
        return apply(self._state.ctm, float(x), float(y))

    def _move(self, o: list[Any]) -> None:
        self._path.append([self._point(o[0], o[1])])
        self._curved.append(False)

    def _line(self, o: list[Any]) -> None:
        if self._path:
            self._path[-1].append(self._point(o[0], o[1]))

    def _curve(self, o: list[Any]) -> None:
        if self._path:
            self._path[-1].append(self._point(o[-2], o[-1]))
            self._curved[-1] = True

    def _close(self, _: list[Any]) -> None:
        pass

    def _re(self, o: list[Any]) -> None:
        x, y, w, h = (float(v) for v in o[:4])
        self._path.append([self._point(x, y), self._point(x + w, y), self._point(x + w, y + h),
                           self._point(x, y + h)])
        self._curved.append(False)

    def _fill(self, _: list[Any]) -> None:
        rects = [r for pts, curved in zip(self._path, self._curved, strict=True)
                 if not curved and (r := _rectangle(pts)) is not None]
        if rects and self._state.fill_alpha >= 0.999 and not self._hidden_content():
            self.events.append(Fill(tuple(rects), self._state.fill))
        self._end_path([])

    def _end_path(self, _: list[Any]) -> None:
        self._path, self._curved = [], []

    # marked content, XObjects ----------------------------------------------------------
    def _hidden_content(self) -> bool:
        return any(self._marked)

    def _bmc(self, _: list[Any]) -> None:
        self._marked.append(False)

    def _bdc(self, o: list[Any]) -> None:
        hidden = False
        if o and o[0] == "/OC" and len(o) > 1:
            props = o[1]
            if isinstance(props, str):
                props = get(get(self._resources, "/Properties", {}), props)
            hidden = self._oc_hidden(props)
        self._marked.append(hidden)

    def _emc(self, _: list[Any]) -> None:
        if self._marked:
            self._marked.pop()

    def _oc_hidden(self, group: Any) -> bool:
        group = resolve(group)
        if not isinstance(group, dict):
            return False
        if get(group, "/Type") == "/OCMD":
            members = get(group, "/OCGs", [])
            members = members if isinstance(members, list) else [members]
            off = [identify(m) in self._off for m in members]
            policy = get(group, "/P", "/AnyOn")
            if not off:
                return False
            return {"/AllOn": any(off), "/AnyOff": not any(off),
                    "/AllOff": not all(off)}.get(str(policy), all(off))
        return identify(group) in self._off

    def _do(self, o: list[Any]) -> None:
        ref = get(self._resources, "/XObject", {}).get(o[0])
        xobject = resolve(ref)
        if not isinstance(xobject, dict):
            return
        hidden = "/OC" in xobject and self._oc_hidden(xobject["/OC"])
        subtype = get(xobject, "/Subtype")
        if subtype == "/Image":
            self._image(identify(ref), xobject, hidden)
        elif subtype == "/Form" and self._depth < _MAX_DEPTH:
            key = identify(ref)
            if key not in self._forms:
                self._forms[key] = self._operations(xobject)
            matrix = _matrix(get(xobject, "/Matrix", IDENTITY))
            saved = (self._text_matrix, self._line_matrix, len(self._stack), len(self._marked))
            self._q([])
            if matrix is not None:
                self._state.ctm = mult(matrix, self._state.ctm)
            self._marked.append(hidden)
            self._depth += 1
            try:
                self._run(self._forms[key], get(xobject, "/Resources", self._resources))
            finally:
                self._depth -= 1
                self._text_matrix, self._line_matrix = saved[0], saved[1]
                del self._stack[saved[2] + 1:]
                del self._marked[saved[3]:]
                self._big_q([])

    def _inline_image(self, o: Any) -> None:
        settings = o["settings"] if isinstance(o, dict) else {}
        stream = DictionaryObject({NameObject("/Type"): NameObject("/XObject"),
                                   NameObject("/Subtype"): NameObject("/Image")})
        for key, value in settings.items():
            name = _INLINE_KEYS.get(str(key), str(key))
            if isinstance(value, str) and value in _INLINE_VALUES:
                value = type(value)(_INLINE_VALUES[value])
            stream[type(key)(name)] = value
        self._inline_count += 1
        self._image(("inline", self._page, self._inline_count), (stream, o["data"]), False)

    def _image(self, key: Hashable, stream: Any, hidden: bool) -> None:
        dictionary = stream[0] if isinstance(stream, tuple) else stream
        opaque = not any(k in dictionary for k in ("/SMask", "/Mask")) and not get(
            dictionary, "/ImageMask", False)
        self.events.append(ImageDraw(
            key=key, stream=stream, matrix=self._state.ctm, alpha=self._state.fill_alpha,
            hidden=hidden or self._hidden_content(),
            opaque=opaque and self._state.fill_alpha >= 0.999,
        ))


class _Pieces(dict[Any, str]):
    """The text each item of a shown array adds (simple font): its glyphs' texts; for a shift,
    nothing, or :data:`_WIDE_SHIFT` when it is wide enough to read as a space."""

    __slots__ = ("_texts",)

    def __init__(self, texts: CodeTable) -> None:
        super().__init__()
        self._texts = texts

    def __missing__(self, item: Any) -> str:
        value = self[item] = self.compute(item)
        return value

    def compute(self, item: Any) -> str:
        """The text ``item`` adds (not kept)."""
        if item.__class__ is bytes:
            return "".join(map(self._texts.__getitem__, item))
        return _WIDE_SHIFT if -float(item) > _SPACE_GAP else ""


class _Increments(dict[Any, tuple[float, ...]]):
    """How each item of a shown array moves the pen along one axis, a glyph or a shift at a
    time, every increment computed as in the loop of :meth:`Interpreter._show`."""

    __slots__ = ("_advances", "_factor", "_scale", "_size")

    def __init__(self, advances: CodeTable, size: float, scale: float, factor: float) -> None:
        super().__init__()
        self._advances, self._size, self._scale, self._factor = advances, size, scale, factor

    def __missing__(self, item: Any) -> tuple[float, ...]:
        value = self[item] = self.compute(item)
        return value

    def compute(self, item: Any) -> tuple[float, ...]:
        """How ``item`` moves the pen (not kept)."""
        factor = self._factor
        if item.__class__ is bytes:
            advances = self._advances
            return tuple([advances[code] * factor for code in item])
        return (-float(item) / 1000 * self._size * self._scale * factor,)


# The tokens of a TEXT_BLOCK's body (see Interpreter._measure_body) stand for the items of the
# shown array: hex digits for glyphs, ">n" for a kern, and ">" or b"" for nothing.


class _TokenTexts(dict[bytes, str]):
    """The text a token of a :data:`TEXT_BLOCK`'s body adds: what :class:`_Pieces` gives for
    its item (a kern: nothing, or :data:`_WIDE_SHIFT`)."""

    __slots__ = ("_pieces",)

    def __init__(self, pieces: _Pieces) -> None:
        super().__init__()
        self._pieces = pieces

    def __missing__(self, token: bytes) -> str:
        if token[:1] == b">":
            value = self._pieces.compute(int(token[1:])) if len(token) > 1 else ""
        else:
            value = self._pieces.compute(hex_bytes(token))
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        self[token] = value
        return value


class _TokenIncrements(dict[bytes, tuple[float, ...]]):
    """How a token of a :data:`TEXT_BLOCK`'s body moves the pen: what :class:`_Increments`
    gives for its item."""

    __slots__ = ("_along",)

    def __init__(self, along: _Increments) -> None:
        super().__init__()
        self._along = along

    def __missing__(self, token: bytes) -> tuple[float, ...]:
        if token[:1] == b">":
            value = self._along.compute(int(token[1:])) if len(token) > 1 else ()
        else:
            value = self._along.compute(hex_bytes(token))
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        self[token] = value
        return value


class _GlyphEdges(dict[bytes, tuple[str, bool, bool]]):
    """What the glyph-by-glyph loop of :meth:`Interpreter._show` needs to know of the glyphs of
    a token (hex digits) to put a space after a wide kern: their text, and whether the text of
    the first one starts and that of the last one ends with something else than white space."""

    __slots__ = ("_texts",)

    def __init__(self, texts: CodeTable) -> None:
        super().__init__()
        self._texts = texts

    def __missing__(self, token: bytes) -> tuple[str, bool, bool]:
        codes, texts = hex_bytes(token), self._texts
        value = ("".join(map(texts.__getitem__, codes)), bool(texts[codes[0]][:1].strip()),
                 bool(texts[codes[-1]][-1:].strip()))
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        self[token] = value
        return value


def _spaced(tokens: list[bytes], texts: _TokenTexts, edges: _GlyphEdges) -> str:
    """The text the glyph-by-glyph loop makes of the tokens of a body: a space after a wide
    kern that follows some glyph, between two glyphs whose text there is not white space."""
    out: list[str] = []
    pending = shown = solid = False
    for token in tokens:
        if not token or token[:1] == b">":  # a kern, or nothing
            pending = pending or (shown and texts[token] == _WIDE_SHIFT)
            continue
        text, starts_solid, ends_solid = edges[token]
        if pending and solid and starts_solid:
            out.append(" ")
        out.append(text)
        pending, shown, solid = False, True, ends_solid
    return "".join(out)


def _positions(increments: dict[Any, tuple[float, ...]], items: list[Any], start: float,
               head: int, tail: int) -> tuple[float, float, float]:
    """The pen along one axis before ``items[head]``, after ``items[tail - 1]`` and at the end."""
    if head == 0 and tail == len(items):
        end = reduce(add, chain.from_iterable(map(increments.__getitem__, items)), start)
        return start, end, end
    first = reduce(add, chain.from_iterable(map(increments.__getitem__, items[:head])), start)
    last = reduce(add, chain.from_iterable(map(increments.__getitem__, items[head:tail])),
                  first)
    end = reduce(add, chain.from_iterable(map(increments.__getitem__, items[tail:])), last)
    return first, last, end


def _matrix(values: Any) -> Matrix | None:
    """Return six numbers as a matrix, ``None`` unless there are exactly six numbers."""
    if not isinstance(values, list) or len(values) != 6:
        return None
    a, b, c, d, e, f = (number(v, math.nan) for v in values)
    return None if any(math.isnan(v) for v in (a, b, c, d, e, f)) else (a, b, c, d, e, f)


def _rectangle(points: list[tuple[float, float]]) -> Rect | None:
    """Return the bounding box of a closed path if it is an axis-aligned rectangle."""
    (x_first, y_first), (x_last, y_last) = points[0], points[-1]
    if len(points) == 5 and abs(x_first - x_last) + abs(y_first - y_last) < 0.01:
        points = points[:4]
    if len(points) != 4:
        return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    for x, y in points:
        if min(abs(x - x0), abs(x - x1)) > 0.01 or min(abs(y - y0), abs(y - y1)) > 0.01:
            return None
    return (x0, y0, x1, y1)
