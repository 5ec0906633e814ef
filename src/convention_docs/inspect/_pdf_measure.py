"""Measure shown text for a simple font (one byte a code), a whole array or body at a time.

The interpreter shows a ``TJ`` array glyph by glyph; for a simple font it can instead look up
what each item of the array adds (its text, :class:`Pieces`) and how it moves the pen, glyph
by glyph or shift by shift (:class:`Increments`), and add those increments in the same order
(:func:`positions`): the same text and the same floats, bit for bit. :func:`measure_body` does
the same for the body of a LibreOffice text object (``<hex>kern<hex>…``, read whole by the
tokenizer), token by token, without making the array.

These tables are kept in the font's :attr:`~._pdf_fonts.PdfFont.tables`, shared by the
documents that use the font: ``"texts"`` (:class:`Pieces`), ``"tokens"`` and ``"edges"`` (the
tokens' texts and edges), and, under :data:`STATE_KEY` of the text state (plus ``b"y"`` across
the baseline, ``b"<"`` by token), the increments.
"""

from __future__ import annotations

import struct
from collections import deque
from functools import reduce
from itertools import accumulate, chain
from math import isfinite
from operator import add, itemgetter
from typing import Any, cast

from convention_docs.inspect._pdf_events import GraphicsState
from convention_docs.inspect._pdf_fonts import CodeTable, PdfFont
from convention_docs.inspect._pdf_tokens import hex_bytes

__all__ = ["CACHE_LIMIT", "SPACE_GAP", "STATE_KEY", "WIDE_SHIFT", "Increments", "Pieces",
           "measure_body", "positions"]

SPACE_GAP = 150  # a TJ adjustment opening more than 0.15 em means a space (TeX: 0.22 em)
CACHE_LIMIT = 4096  # entries of a per-font table (or tables of a font), before it is emptied
WIDE_SHIFT = "\ufdd0"  # a noncharacter: marks a shift that may read as a space
STATE_KEY = struct.Struct("6d").pack  # size, Tc, Tw, Tz, a, b (of the text matrix)


class Pieces(dict[Any, str]):
    """The text each item of a shown array adds (simple font): its glyphs' texts; for a shift,
    nothing, or :data:`WIDE_SHIFT` when it is wide enough to read as a space."""

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
        return WIDE_SHIFT if -float(item) > SPACE_GAP else ""


class Increments(dict[Any, tuple[float, ...]]):
    """How each item of a shown array moves the pen along one axis, a glyph or a shift at a
    time, every increment computed as in the loop of
    :meth:`~._pdf_text.TextOperators._show`."""

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


# The tokens of a TEXT_BLOCK's body (see measure_body) stand for the items of the
# shown array: hex digits for glyphs, ">n" for a kern, and ">" or b"" for nothing.


class _TokenTexts(dict[bytes, str]):
    """The text a token of a :data:`~._pdf_tokens.TEXT_BLOCK`'s body adds: what :class:`Pieces`
    gives for its item (a kern: nothing, or :data:`WIDE_SHIFT`)."""

    __slots__ = ("_pieces",)

    def __init__(self, pieces: Pieces) -> None:
        super().__init__()
        self._pieces = pieces

    def __missing__(self, token: bytes) -> str:
        if token[:1] == b">":
            value = self._pieces.compute(int(token[1:])) if len(token) > 1 else ""
        else:
            value = self._pieces.compute(hex_bytes(token))
        if len(self) >= CACHE_LIMIT:
            self.clear()
        self[token] = value
        return value


class _TokenIncrements(dict[bytes, tuple[float, ...]]):
    """How a token of a :data:`~._pdf_tokens.TEXT_BLOCK`'s body moves the pen: what
    :class:`Increments` gives for its item."""

    __slots__ = ("_along",)

    def __init__(self, along: Increments) -> None:
        super().__init__()
        self._along = along

    def __missing__(self, token: bytes) -> tuple[float, ...]:
        if token[:1] == b">":
            value = self._along.compute(int(token[1:])) if len(token) > 1 else ()
        else:
            value = self._along.compute(hex_bytes(token))
        if len(self) >= CACHE_LIMIT:
            self.clear()
        self[token] = value
        return value


class _GlyphEdges(dict[bytes, tuple[str, bool, bool]]):
    """What the glyph-by-glyph loop of :meth:`~._pdf_text.TextOperators._show` needs to know of
    the glyphs of a token (hex digits) to put a space after a wide kern: their text, and whether
    the text of the first one starts and that of the last one ends with something else than
    white space."""

    __slots__ = ("_texts",)

    def __init__(self, texts: CodeTable) -> None:
        super().__init__()
        self._texts = texts

    def __missing__(self, token: bytes) -> tuple[str, bool, bool]:
        codes, texts = hex_bytes(token), self._texts
        value = ("".join(map(texts.__getitem__, codes)), bool(texts[codes[0]][:1].strip()),
                 bool(texts[codes[-1]][-1:].strip()))
        if len(self) >= CACHE_LIMIT:
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
            pending = pending or (shown and texts[token] == WIDE_SHIFT)
            continue
        text, starts_solid, ends_solid = edges[token]
        if pending and solid and starts_solid:
            out.append(" ")
        out.append(text)
        pending, shown, solid = False, True, ends_solid
    return "".join(out)


def positions(increments: dict[Any, tuple[float, ...]], items: list[Any], start: float,
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


def increments(tables: dict[Any, Any], key: bytes, font: PdfFont, state: GraphicsState,
               factor: float) -> Increments:
    """The pen's increments along one axis (``factor``: ``a`` or ``b`` of the text matrix) for
    ``font`` in this text state, kept in the font's ``tables`` under ``key``."""
    found = tables.get(key)
    if found is None:
        if len(tables) > CACHE_LIMIT:
            tables.clear()
        advances = font.advances(state.size, state.char_spacing, state.word_spacing,
                                 state.scale)
        found = tables[key] = Increments(advances, state.size, state.scale, factor)
    return cast(Increments, found)


def measure_body(font: PdfFont, state: GraphicsState, body: bytes, a: float, e: float
                 ) -> tuple[str, float, float] | None:
    """The text a body shows in ``state`` with ``a`` the first entry of the text matrix, and the
    pen (along x, from ``e``) after its last glyph and at its end (after a last kern, if any);
    ``None`` when the pen ends up infinite or NaN.

    Computed through per-font tables of the tokens of bodies (the text they add, how they
    move the pen), the increments added one by one in their order."""
    tables = font.tables
    texts = tables.get("tokens")
    if texts is None:
        pieces = tables.get("texts")
        if pieces is None:
            pieces = tables["texts"] = Pieces(font.texts)
        texts = tables["tokens"] = _TokenTexts(pieces)
    # <01>2<0203> → b"", b"01", b">2", b"0203", b">": hex digits (glyphs), >kern, >.
    tokens = body.replace(b">", b"<>").split(b"<")  # three tokens at least
    of_tokens = itemgetter(*tokens)  # looks them all up at once (one C call)
    text = "".join(of_tokens(texts))
    if WIDE_SHIFT in text:
        edges = tables.get("edges")
        if edges is None:
            edges = tables["edges"] = _GlyphEdges(font.texts)
        text = _spaced(tokens, texts, edges)
    size, scale = state.size, state.scale
    # The tables of increments depend on all of these, to the bit (0.0 is not -0.0); b is
    # ±0.0 here, and the increments along x do not depend on it.
    key = STATE_KEY(size, state.char_spacing, state.word_spacing, scale, a, 0.0)
    steps = tables.get(key + b"<")
    if steps is None:
        steps = tables[key + b"<"] = _TokenIncrements(increments(tables, key, font, state, a))
    last, end = deque(accumulate(chain.from_iterable(of_tokens(steps)), initial=e), maxlen=2)
    if not isfinite(end):
        return None
    return text, (end if body[-1] == 62 else last), end  # 62: ">", no last kern
