"""Interpret a PDF page's content stream into paint events: text runs, images, filled rectangles.

Tracked: the graphics state stack (``q``/``Q``), the CTM (``cm``), fill and stroke colours in
DeviceGray/RGB/CMYK, ICCBased, CalRGB/CalGray and Indexed spaces (``g rg k cs sc scn`` and
their stroke twins; Separation, DeviceN and patterns give an unknown colour), opacity from
``gs`` (``/ca``, ``/CA``), the text state (``BT ET Tf Tc Tw Tz TL Ts Tr Td TD Tm T* Tj TJ ' "``),
optional content (``BDC /OC`` and ``/OC`` on XObjects, against the catalog's default
configuration), image XObjects and inline images (``Do``, ``BI … EI``), Form XObjects
(recursively, their ``/Matrix`` applied, at most 12 deep; at most two million operators a
page are executed, forms included), filled paths made of axis-aligned
rectangles (``re`` or four straight segments, then ``f F f* B B* b b*``) and clipping paths
(``W``/``W*``, taking effect once the path is ended by ``n`` or painted; a form's ``/BBox``
clips it too). A clipping path counts by the bounding box of its points (control points of
curves included), intersected with the clip in force: an axis-aligned rectangle in default
user space (:class:`~._pdf_events.GraphicsState`), never smaller than the real region.
Clipping by text (render modes 4 to 7) is not applied: such text clips nothing here. Shading
fills (``sh``), soft masks in ``gs`` and blend modes are not interpreted.

An operator whose operands are malformed is skipped, as viewers do.

LibreOffice draws each piece of text as a small text object (``q r g b rg BT x y Td /F s Tf
[…]TJ ET Q``), which the tokenizer hands over as one operation (:data:`~._pdf_tokens.TEXT_BLOCK`)
and :meth:`Interpreter._text_block` runs at once, with the same outcome as its eight operations
(the same floats, to the bit). What such an object shows (its text, how far it moves the pen)
is kept with its font (:mod:`._pdf_text`); :meth:`Interpreter.release` trims what a document
leaves in the fonts it used.

This module holds the interpreter's loop and its graphics, colour, path, marked-content and
XObject operators; the text operators are in :mod:`._pdf_text` (the base class
:class:`~._pdf_text.TextOperators`), the measuring of shown text in :mod:`._pdf_measure`, the
paint events and the graphics state in :mod:`._pdf_events`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable
from io import BytesIO
from typing import Any

from pypdf.generic import ContentStream, DictionaryObject, NameObject

from convention_docs import _limits
from convention_docs.inspect._pdf_color import color_space, to_rgb
from convention_docs.inspect._pdf_events import (
    Event,
    Fill,
    GraphicsState,
    ImageDraw,
    Rect,
    intersect,
)
from convention_docs.inspect._pdf_fonts import TABLES_LIMIT
from convention_docs.inspect._pdf_text import TextOperators
from convention_docs.inspect._pdf_tokens import (
    TEXT_BLOCK,
    TEXT_BLOCK_TJ,
    UnsupportedStreamError,
    expand,
    parse_compact,
)
from convention_docs.inspect._pdf_util import (
    IDENTITY,
    RawDigests,
    apply,
    get,
    identify,
    mult,
    number,
    resolve,
    to_matrix,
)

__all__ = ["Interpreter"]

_MAX_DEPTH = 12
_MAX_OPERATIONS = 2_000_000  # per page; what lies beyond is not read
_GRAY, _RGB, _CMYK = ("gray",), ("rgb",), ("cmyk",)
_CACHE_LIMIT = 4096  # colours cached (see Interpreter._fill_color), before the cache is emptied
_SKIPPED = (TypeError, ValueError, IndexError, KeyError, AttributeError, ArithmeticError)
_INLINE_KEYS = {"/BPC": "/BitsPerComponent", "/CS": "/ColorSpace", "/D": "/Decode",
                "/DP": "/DecodeParms", "/F": "/Filter", "/H": "/Height", "/W": "/Width",
                "/I": "/Interpolate", "/IM": "/ImageMask", "/L": "/Length"}
_INLINE_VALUES = {"/G": "/DeviceGray", "/RGB": "/DeviceRGB", "/CMYK": "/DeviceCMYK",
                  "/I": "/Indexed", "/AHx": "/ASCIIHexDecode", "/A85": "/ASCII85Decode",
                  "/LZW": "/LZWDecode", "/Fl": "/FlateDecode", "/RL": "/RunLengthDecode",
                  "/CCF": "/CCITTFaxDecode", "/DCT": "/DCTDecode"}


class Interpreter(TextOperators):
    """Run the content streams of one document's pages; fonts and forms are cached across pages."""

    def __init__(self, reader: Any, off_groups: set[Hashable], data: bytes | None = None) -> None:
        """``data``: the file's bytes, if at hand (else they are taken from ``reader``)."""
        self._reader = reader
        self._off = off_groups
        if data is None:
            stream = getattr(reader, "stream", None)
            data = stream.getvalue() if isinstance(stream, BytesIO) else None
        self._digests = RawDigests(reader, data)
        self._fonts = {}
        self._forms: dict[Hashable, list[Any]] = {}
        self._rgb: dict[tuple[Any, ...], Any] = {}  # (device space, *values): to_rgb
        self._font_resources = (None, None, {})
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
            b"W": self._clip, b"W*": self._clip,
            b"BMC": self._bmc, b"BDC": self._bdc, b"EMC": self._emc, b"Do": self._do,
            b"INLINE IMAGE": self._inline_image,
            TEXT_BLOCK: self._text_block, TEXT_BLOCK_TJ: self._text_block,
        }
        self._reset()

    def _reset(self) -> None:
        self.events = []
        self._state = GraphicsState()
        self._stack: list[GraphicsState] = []
        self._text_matrix = self._line_matrix = IDENTITY
        self._path: list[list[tuple[float, float]]] = []
        self._curved: list[bool] = []
        self._clipping = False  # W or W* seen: the path clips once ended
        self._marked = []
        self._resources = {}
        self._depth = 0
        self._inline_count = 0
        self._budget = _MAX_OPERATIONS

    def release(self) -> None:
        """Trim what the fonts of this document keep for the next ones (the tables filled while
        showing text), to at most :data:`~._pdf_fonts.TABLES_LIMIT` entries a font."""
        for font in self._fonts.values():
            font.trim_tables(TABLES_LIMIT)

    def content_key(self, page: Any) -> Hashable | None:
        """What the text and fills of ``page`` are a function of, by content: the digests of
        its content streams and resources (:class:`~._pdf_util.RawDigests`) and the limit on
        operations; ``None`` when not all of them can be digested, or when some optional
        content is switched off (it is known by object number). Inline images are told apart
        by page number: a key does not stand for the images drawn."""
        if self._off or not isinstance(page, DictionaryObject):
            return None
        contents = page.raw_get("/Contents") if "/Contents" in page else None
        resources = page.raw_get("/Resources") if "/Resources" in page else None
        refs = list(contents) if isinstance(contents, list) else [contents]
        digests = [self._digests.digest(ref) for ref in (*refs, resources)]
        if None in digests:
            return None
        return (_MAX_OPERATIONS, isinstance(contents, list), *digests)

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

    # LibreOffice's text objects --------------------------------------------------------
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

    # graphics state ------------------------------------------------------------------
    def _q(self, _: list[Any]) -> None:
        self._stack.append(self._state.copy())

    def _big_q(self, _: list[Any]) -> None:
        if self._stack:
            self._state = self._stack.pop()

    def _cm(self, o: list[Any]) -> None:
        matrix = to_matrix(o)
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
        if self._path:  # the control points too: the curve lies within their bounding box
            point = self._point
            self._path[-1].extend([point(o[i], o[i + 1]) for i in range(0, len(o) - 1, 2)])
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
        clip = self._state.clip
        if rects and clip is not None:
            rects = [r for r in (intersect(clip, rect) for rect in rects)
                     if r[0] < r[2] and r[1] < r[3]]
        if rects and self._state.fill_alpha >= 0.999 and not self._hidden_content():
            self.events.append(Fill(tuple(rects), self._state.fill))
        self._end_path([])

    def _end_path(self, _: list[Any]) -> None:
        if self._clipping:
            self._clipping = False
            points = [point for subpath in self._path for point in subpath]
            if points:  # an empty path clips nothing here (the benefit of the doubt)
                self._clip_to(points)
        self._path, self._curved = [], []

    def _clip(self, _: list[Any]) -> None:
        self._clipping = True

    def _clip_to(self, points: list[tuple[float, float]]) -> None:
        """Intersect the clip in force with the bounding box of ``points`` (default user
        space); points that are not finite leave it as it is."""
        xs, ys = [x for x, _ in points], [y for _, y in points]
        box = (min(xs), min(ys), max(xs), max(ys))
        if all(map(math.isfinite, box)):
            self._state.clip = intersect(self._state.clip, box)

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
            _limits.checkpoint()  # validate()'s deadline: too complex to check in time
            key = identify(ref)
            if key not in self._forms:
                self._forms[key] = self._operations(xobject)
            matrix = to_matrix(get(xobject, "/Matrix", IDENTITY))
            saved = (self._text_matrix, self._line_matrix, len(self._stack), len(self._marked))
            self._q([])
            if matrix is not None:
                self._state.ctm = mult(matrix, self._state.ctm)
            self._form_clip(get(xobject, "/BBox"))
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

    def _form_clip(self, bbox: Any) -> None:
        """Clip to a form's ``/BBox`` (form space); a missing or malformed one clips nothing."""
        try:
            x0, y0, x1, y1 = (float(v) for v in resolve(bbox))
        except _SKIPPED:
            return
        self._clip_to([self._point(x, y) for x in (x0, x1) for y in (y0, y1)])

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
            opaque=opaque and self._state.fill_alpha >= 0.999, clip=self._state.clip,
        ))


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
