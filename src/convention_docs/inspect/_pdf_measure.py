"""Measure shown text for a simple font (one byte a code), a whole array or body at a time.

The interpreter shows a ``TJ`` array glyph by glyph; for a simple font it can instead look up
what each item of the array adds (its text, :class:`Pieces`) and how it moves the pen, glyph
by glyph or shift by shift (:class:`Increments`), and add those increments in the same order
(:func:`positions`): the same text and the same floats, bit for bit. :func:`measure_body` does
the same for the body of a LibreOffice text object (``<hex>kern<hex>…``, read whole by the
tokenizer), token by token, without making the array.

These tables are kept in the font's :attr:`~._pdf_fonts.PdfFont.tables`, shared by the
documents that use the font: ``"texts"`` (:class:`Pieces`), ``"tokens"`` and ``"edges"`` (the
tokens' texts and edges), ``"classes"`` (:class:`GlyphClasses`), and, under :data:`STATE_KEY`
of the text state (plus ``b"y"`` across the baseline, ``b"<"`` by token), the increments.

What a body shows is also kept for every font (:class:`GlyphClasses`), by the text and width
of its glyphs rather than by their codes: LibreOffice subsets the fonts of each document, so
the same sentence of two conventions made from one template is written with other codes in
another subset of the same font, and is measured once.
"""

from __future__ import annotations

import struct
from collections import deque
from collections.abc import Callable
from functools import reduce
from itertools import accumulate, chain, count
from math import isfinite
from operator import add, itemgetter
from typing import Any, TypeVar, cast

from convention_docs.inspect._pdf_events import GraphicsState
from convention_docs.inspect._pdf_fonts import CodeTable, Glyph, PdfFont
from convention_docs.inspect._pdf_tokens import hex_bytes

__all__ = ["CACHE_LIMIT", "SHARED_LIMIT", "SPACE_GAP", "STATE_KEY", "WIDE_SHIFT", "GlyphClasses",
           "Increments", "Pieces", "measure_body", "positions"]

SPACE_GAP = 150  # a TJ adjustment opening more than 0.15 em means a space (TeX: 0.22 em)
CACHE_LIMIT = 4096  # entries of a per-font table (or tables of a font), before it is emptied
WIDE_SHIFT = "\ufdd0"  # a noncharacter: marks a shift that may read as a space
STATE_KEY = struct.Struct("6d").pack  # size, Tc, Tw, Tz, a, b (of the text matrix)
SHARED_LIMIT = 4096  # bodies kept for every font (GlyphClasses.shown), before they are forgotten
_CLASSES_LIMIT = 50_000  # glyph classes named, before the naming starts again


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


_Value = TypeVar("_Value")

# The tokens of a TEXT_BLOCK's body (see measure_body) stand for the items of the
# shown array: hex digits for glyphs, ">n" for a kern, and ">" or b"" for nothing.


class _TokenTable(dict[bytes, _Value]):
    """What a token of a :data:`~._pdf_tokens.TEXT_BLOCK`'s body stands for, worked out once:
    ``compute`` of its item (a kern as an int, glyph codes as bytes); ``empty`` for nothing.
    Emptied when it holds :data:`CACHE_LIMIT` tokens."""

    __slots__ = ("_compute", "_empty")

    def __init__(self, compute: Callable[[Any], _Value], empty: _Value) -> None:
        super().__init__()
        self._compute = compute
        self._empty = empty

    def __missing__(self, token: bytes) -> _Value:
        if token[:1] == b">":
            value = self._compute(int(token[1:])) if len(token) > 1 else self._empty
        else:
            value = self._compute(hex_bytes(token))
        if len(self) >= CACHE_LIMIT:
            self.clear()
        self[token] = value
        return value


def _token_texts(pieces: Pieces) -> _TokenTable[str]:
    """The text a token adds: what :class:`Pieces` gives for its item (a kern: nothing, or
    :data:`WIDE_SHIFT`)."""
    return _TokenTable(pieces.compute, "")


def _token_increments(along: Increments) -> _TokenTable[tuple[float, ...]]:
    """How a token moves the pen: what :class:`Increments` gives for its item."""
    return _TokenTable(along.compute, ())


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


def _spaced(tokens: list[bytes], texts: _TokenTable[str], edges: _GlyphEdges) -> str:
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


Shown = tuple[str, float, float]
"""What a body shows: its text, the pen after its last glyph and at its end."""


class GlyphClasses:
    """Names for glyphs by what measuring a body depends on (their text, their width to the
    bit, whether the code is 32: :data:`~._pdf_fonts.Glyph`), one character each, the same for
    every font; and what bodies showed (:attr:`shown`), kept under :meth:`key`.

    A body's text and pen depend on its glyphs only through those, on its kerns and on the
    text state: two bodies with the same key show the same, whatever their font and codes."""

    __slots__ = ("_names", "_next", "shown")

    def __init__(self) -> None:
        self._names: dict[tuple[str, str, bool], str] = {}
        self._next = count()  # next() is atomic: two threads never get the same name
        self.shown: dict[tuple[bytes, str, bytes, tuple[int, ...]], Shown] = {}

    @property
    def full(self) -> bool:
        """Whether as many classes are named as kept (start again with a new instance)."""
        return len(self._names) >= _CLASSES_LIMIT

    def name(self, glyph: Glyph) -> str:
        """The character naming the class of ``glyph``."""
        text, width, is_space = glyph
        key = (text, width.hex(), is_space)  # hex: -0.0 is not 0.0
        found = self._names.get(key)
        if found is None:
            found = self._names.setdefault(key, chr(next(self._next)))
        return found

    def key(self, font: PdfFont, state: GraphicsState, body: bytes, a: float, e: float
            ) -> tuple[bytes, str, bytes, tuple[int, ...]] | None:
        """What :func:`measure_body` gives for ``body`` is a function of: the text state, the
        classes of its glyphs, its kerns and where its hex strings start and end; ``None`` for a
        hex string of an odd number of digits (its last code is padded: left to the tables)."""
        # <01>2<0203> → b"", b"01", b">2", b"0203", b">": kerns (or nothing), hex digits.
        tokens = body.replace(b">", b"<>").split(b"<")
        glyphs = tokens[1::2]
        try:  # fromhex takes white space between codes only: one string of odd length fails
            codes = bytes.fromhex(b" ".join(glyphs).decode("ascii"))
        except ValueError:
            return None
        found = font.tables.get("classes")
        if found is None or found[0] is not self:
            found = font.tables["classes"] = (
                self, CodeTable(lambda code: self.name(font.simple_glyph(code))))
        return (STATE_KEY(state.size, state.char_spacing, state.word_spacing, state.scale, a, e),
                codes.decode("latin-1").translate(found[1]), b"<".join(tokens[0::2]),
                tuple(map(len, glyphs)))


_CLASSES = GlyphClasses()


def measure_body(font: PdfFont, state: GraphicsState, body: bytes, a: float, e: float
                 ) -> Shown | None:
    """The text a body shows in ``state`` with ``a`` the first entry of the text matrix, and the
    pen (along x, from ``e``) after its last glyph and at its end (after a last kern, if any);
    ``None`` when the pen ends up infinite or NaN.

    Found among what bodies of any font showed (:class:`GlyphClasses`), else computed
    (:func:`_measure`) and kept there."""
    global _CLASSES  # a new naming once the old one is full
    classes = _CLASSES
    if classes.full:
        classes = _CLASSES = GlyphClasses()
    key = classes.key(font, state, body, a, e)
    if key is not None:
        known = classes.shown.get(key)
        if known is not None:
            return known
    measured = _measure(font, state, body, a, e)
    if key is not None and measured is not None:
        if len(classes.shown) >= SHARED_LIMIT:
            classes.shown.clear()
        classes.shown[key] = measured
    return measured


def _measure(font: PdfFont, state: GraphicsState, body: bytes, a: float, e: float
             ) -> Shown | None:
    """:func:`measure_body`, computed through per-font tables of the tokens of bodies (the text
    they add, how they move the pen), the increments added one by one in their order."""
    tables = font.tables
    texts = tables.get("tokens")
    if texts is None:
        pieces = tables.get("texts")
        if pieces is None:
            pieces = tables["texts"] = Pieces(font.texts)
        texts = tables["tokens"] = _token_texts(pieces)
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
        steps = tables[key + b"<"] = _token_increments(increments(tables, key, font, state, a))
    last, end = deque(accumulate(chain.from_iterable(of_tokens(steps)), initial=e), maxlen=2)
    if not isfinite(end):
        return None
    return text, (end if body[-1] == 62 else last), end  # 62: ">", no last kern
