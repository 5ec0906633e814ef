"""The text operators of the content-stream interpreter (``BT Tf Tc Tw Tz TL Ts Tr Td TD Tm
T* Tj TJ ' "``): the text state, fonts, and the text runs shown.

:class:`TextOperators`, the base class of :class:`~._pdf_interp.Interpreter`, holds its text
operators, kept apart: showing text is most of the work of reading a page. A shown array goes
glyph by glyph (:meth:`TextOperators._show`) or, for a simple font, a whole array at a time
(:meth:`TextOperators._show_simple`, measured by :mod:`._pdf_measure`), with the same text and
the same floats. The body of a LibreOffice text object, read whole by the tokenizer
(:data:`~._pdf_tokens.TEXT_BLOCK`), is shown by :meth:`TextOperators._show_body` without making
the array; what it shows (its text, how far it moves the pen) is kept with its font, by pen
position, text state and bytes. Fonts being shared by documents of the same content
(:func:`~._pdf_fonts.load_font`), a batch of documents made from one template reads its
repeated lines once.
"""

from __future__ import annotations

import copy
import struct
from collections.abc import Hashable
from functools import reduce
from itertools import chain
from math import isfinite
from operator import add
from typing import Any, ClassVar

from pypdf.generic import DictionaryObject

from convention_docs.inspect._pdf_events import Event, GraphicsState, TextRun
from convention_docs.inspect._pdf_fonts import PdfFont, load_font
from convention_docs.inspect._pdf_measure import (
    SPACE_GAP,
    STATE_KEY,
    WIDE_SHIFT,
    Pieces,
    increments,
    measure_body,
    positions,
)
from convention_docs.inspect._pdf_tokens import GlyphArray, glyph_array
from convention_docs.inspect._pdf_util import (
    IDENTITY,
    Matrix,
    RawDigests,
    get,
    identify,
    mult,
    to_matrix,
)

__all__ = ["TextOperators"]

_SHOWN_KEY = struct.Struct("6d").pack  # size, Tc, Tw, Tz, a, e: then a body
_SHOWN_LIMIT = 1024  # bodies shown kept by font, before they are forgotten


class TextOperators:
    """The text operators of :class:`~._pdf_interp.Interpreter`, which sets the attributes
    below (and runs these methods from its table of operators)."""

    _default_font: ClassVar[PdfFont] = PdfFont(DictionaryObject())  # text shown before any Tf
    events: list[Event]
    _state: GraphicsState
    _text_matrix: Matrix
    _line_matrix: Matrix
    _marked: list[bool]  # marked content: hidden or not (optional content)
    _resources: Any
    _digests: RawDigests
    _fonts: dict[Hashable, PdfFont]
    # (resources, their /Font, the fonts already found there by name)
    _font_resources: tuple[Any, Any, dict[Any, PdfFont]]

    # text state ------------------------------------------------------------------------
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
        matrix = to_matrix(o)
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

    # showing text ----------------------------------------------------------------------
    def _show_body(self, body: bytes) -> None:
        """:meth:`_show` for the body of a :data:`~._pdf_tokens.TEXT_BLOCK`'s array,
        ``<hex>kern<hex>…``: the same text and floats as :meth:`_show_simple` (or as the
        glyph-by-glyph loop when a kern is wide enough to read as a space), without making the
        array. What a body shows from a given pen position and text state is kept with the font
        (:func:`~._pdf_measure.measure_body`): a batch of documents made from one template shows
        the same lines again and again. The cases :meth:`_show_simple` leaves to the loop for
        other reasons go to :meth:`_show`."""
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
                known = measure_body(font, state, body, a, e)
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
                        pending_space = pending_space or (-float(item) > SPACE_GAP
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
                    pending_space = pending_space or (-float(item) > SPACE_GAP and bool(parts))
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
            pieces = tables["texts"] = Pieces(font.texts)
        text = "".join(map(pieces.__getitem__, items))
        if WIDE_SHIFT in text:  # maybe a space to insert
            return False
        state = self._state
        a, b, c, d, e, f = self._text_matrix
        size, scale = state.size, state.scale
        # The tables of increments depend on all of these, to the bit (0.0 is not -0.0).
        key = STATE_KEY(size, state.char_spacing, state.word_spacing, scale, a, b)
        along = increments(tables, key, font, state, a)
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
            xs = positions(along, items, e, head, tail)
        if b == 0.0 and f != 0.0 and a != 0.0 and isfinite(xs[2]):
            ys = (f, f, f)  # every increment is ±0.0 (a finite advance times b): f stays
        else:
            across = increments(tables, key + b"y", font, state, b)
            ys = positions(across, items, f, head, tail)
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
            state.stroke_alpha if stroke else state.fill_alpha, hidden, font, state.clip,
        ))
