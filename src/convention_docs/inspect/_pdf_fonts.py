"""PDF fonts: character codes of a shown string to Unicode text and glyph widths.

Decoding follows pypdf's own text extraction (``pypdf._cmap.get_encoding``: the font's
``/Encoding`` with ``/Differences``, then its ``/ToUnicode`` map), so U+00A0, U+202F, « », accents
and ligatures (``fi``) come out as the producer declared them. Codes are one byte for simple
fonts, two bytes for composite fonts with a UTF-16-like CMap (``Identity-H``); other CMaps are
decoded as a whole string with default widths. Widths come from ``/Widths`` (simple fonts),
``/W`` and ``/DW`` (composite fonts), the standard-14 metrics shipped with pypdf, else 500/1000.
Type 3 font matrices are not applied (sizes of Type 3 text are approximate).

The ``/ToUnicode`` map LibreOffice writes (one ``<XX> <XXXX…>`` pair a line, in ``beginbfchar``
blocks, after a header always the same) is read in one pass (:func:`encoding_of`), with what
pypdf's reading gives; any other map is read by pypdf.

Fonts are shared by documents (:func:`load_font`): a batch renders many conventions from one
template, whose PDFs embed the same fonts (same subset, same ``/ToUnicode``, same widths). A
font read once is kept, with the tables the interpreter fills as it shows text, under a digest
of its dictionary and everything it refers to, whatever the object numbers (read from the
file's bytes when simple, :class:`~._pdf_util.RawDigests`, else
:func:`~._pdf_util.fingerprint`), for the :data:`FONT_CACHE_SIZE` fonts used last; when a
document is done, the tables of its fonts are emptied if they hold more than
:data:`TABLES_LIMIT` entries (``Interpreter.release``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from math import copysign, isfinite
from typing import Any

from pypdf._cmap import _parse_encoding, get_encoding
from pypdf.generic import StreamObject

try:
    from pypdf._codecs.core_font_metrics import CORE_FONT_METRICS as _CORE
except ImportError:  # pragma: no cover
    _CORE = {}

from convention_docs._cache import BoundedCache
from convention_docs.inspect._pdf_util import fingerprint, get, number, resolve

__all__ = ["FONT_CACHE_SIZE", "TABLES_LIMIT", "CodeTable", "Glyph", "PdfFont", "encoding_of",
           "exact_key", "load_font"]

FONT_CACHE_SIZE = 16
"""How many fonts :func:`load_font` keeps for the next documents."""
TABLES_LIMIT = 5_000
"""The entries a kept font's :attr:`PdfFont.tables` may hold in all between two documents (more,
and they are emptied): what a font keeps for the next documents stays a few megabytes."""

Glyph = tuple[str, float, bool]
"""One shown character code: its Unicode text, its width in 1/1000 em, whether it is byte 32."""

_SUBSET = re.compile(r"^[A-Z]{6}\+")
# LibreOffice's /ToUnicode map, whole: its header, its bfchar blocks (group 1), its end.
_LIBREOFFICE_CMAP = re.compile(
    rb"/CIDInit/ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo<<\n"
    rb"/Registry \(Adobe\)\n/Ordering \(UCS\)\n/Supplement 0\n>> def\n"
    rb"/CMapName/Adobe-Identity-UCS def\n/CMapType 2 def\n"
    rb"1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
    rb"((?:[0-9]{1,3} beginbfchar\n(?:<[0-9A-F]{2}> <(?:[0-9A-F]{4}){1,256}>\n)++endbfchar\n)++)"
    rb"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
_BFCHAR = re.compile(rb"<([0-9A-F]{2})> <([0-9A-F]+)>\n")
_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_ITALIC = re.compile(r"italic|oblique", re.IGNORECASE)


def exact_key(*values: float) -> tuple[float, ...] | None:
    """A key telling floats apart as arithmetic does (0.0 and -0.0 differ); ``None`` when one
    is infinite or NaN (not worth caching)."""
    if not all(map(isfinite, values)):
        return None
    if all(values):
        return values
    return values + tuple(copysign(1.0, value) for value in values)


class CodeTable(dict[Any, Any]):
    """A dictionary filled on first use of a key by ``compute(key)``."""

    __slots__ = ("_compute",)

    def __init__(self, compute: Callable[[Any], Any]) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self._compute(key)
        return value


class PdfFont:
    """A font resource, ready to turn the bytes of ``Tj``/``TJ`` into glyphs."""

    def __init__(self, font: Any) -> None:
        base = str(get(font, "/BaseFont", "")).lstrip("/")
        self.name: str | None = _SUBSET.sub("", base) or None
        descriptor = get(font, "/FontDescriptor", {})
        self._widths: dict[int, float] = {}
        self._glyph_cache: dict[int, Glyph] = {}
        self._default = 500.0
        self._core = _CORE.get(self.name or "")
        encoding: Any = {}
        self._cmap: dict[Any, Any] = {}
        try:
            encoding, self._cmap = encoding_of(font)
        except Exception:  # a damaged encoding or CMap: fall back to Latin-1 codes
            encoding, self._cmap = {}, {}
        self._encoding = encoding
        self.two_bytes = encoding == "utf-16-be"
        self.simple = isinstance(encoding, dict)
        """One byte a code, decoded code by code: :attr:`texts` and :meth:`advances` apply."""
        self.texts = CodeTable(lambda code: self.simple_glyph(code)[0])
        """Simple fonts: the text of each code (what :meth:`glyphs` gives)."""
        self._advances: dict[tuple[float, ...], CodeTable] = {}
        self.tables: dict[Hashable, Any] = {}
        """Free for the interpreter's own per-font tables."""
        if get(font, "/Subtype") == "/Type0":
            descendants = get(font, "/DescendantFonts", [])
            cid_font = resolve(descendants[0]) if descendants else {}
            descriptor = get(cid_font, "/FontDescriptor", descriptor)
            self._default = number(get(cid_font, "/DW"), 1000.0)
            self._read_cid_widths(get(cid_font, "/W", []))
        else:
            first = int(number(get(font, "/FirstChar"), 0))
            widths = get(font, "/Widths", [])
            for offset, width in enumerate(widths if isinstance(widths, list) else []):
                self._widths[first + offset] = number(width, 0.0)
        if "/MissingWidth" in descriptor:
            self._default = number(get(descriptor, "/MissingWidth"), self._default)
        flags = int(number(get(descriptor, "/Flags"), 0))
        weight = number(get(descriptor, "/FontWeight"), 400)
        angle = number(get(descriptor, "/ItalicAngle"), 0)
        name = self.name or ""
        self.bold = bool(_BOLD.search(name)) or weight >= 600 or bool(flags & (1 << 18))
        self.italic = bool(_ITALIC.search(name)) or bool(flags & 64) or angle != 0

    def trim_tables(self, limit: int) -> None:
        """Empty :attr:`tables` (and the tables of :meth:`advances`) if they hold more than
        ``limit`` entries in all."""
        # list(): a copy made at once, should another thread be adding tables meanwhile.
        held = sum(len(table) if isinstance(table, dict) else 1
                   for table in list(self.tables.values()))
        held += sum(map(len, list(self._advances.values())))
        if held > limit:
            self.tables.clear()
            self._advances.clear()

    def _read_cid_widths(self, widths: Any) -> None:
        items = [resolve(item) for item in widths] if isinstance(widths, list) else []
        index = 0
        while index + 1 < len(items):
            first = int(number(items[index], 0))
            following = items[index + 1]
            if isinstance(following, list):
                for offset, width in enumerate(following):
                    self._widths[first + offset] = number(width, self._default)
                index += 2
            elif index + 2 < len(items):
                last = int(number(following, first))
                width = number(items[index + 2], self._default)
                for code in range(first, min(last, first + 65535) + 1):
                    self._widths[code] = width
                index += 3
            else:
                break

    def glyphs(self, data: bytes) -> list[Glyph]:
        """Return the glyphs of a shown string."""
        encoding = self._encoding
        if isinstance(encoding, dict):
            cache = self._glyph_cache
            out = []
            for code in data:
                glyph = cache.get(code)
                if glyph is None:
                    glyph = cache[code] = self._simple(code)
                out.append(glyph)
            return out
        if self.two_bytes:
            if len(data) % 2:
                data += b"\x00"
            return [self._composite(data[i : i + 2]) for i in range(0, len(data), 2)]
        text = data.decode(encoding if encoding else "latin-1", "replace")
        return [(self._cmap.get(char, char), self._default, False) for char in text]

    def simple_glyph(self, code: int) -> Glyph:
        """Simple fonts: the glyph of one code (what :meth:`glyphs` gives for it)."""
        glyph = self._glyph_cache.get(code)
        if glyph is None:
            glyph = self._glyph_cache[code] = self._simple(code)
        return glyph

    def advances(self, size: float, char_spacing: float, word_spacing: float,
                 scale: float) -> CodeTable:
        """Simple fonts: how far each code moves the pen, in text space units, with this text
        state (the very sum the interpreter makes glyph by glyph)."""
        key = exact_key(size, char_spacing, word_spacing, scale)
        table = self._advances.get(key) if key is not None else None
        if table is None:
            def advance(code: int) -> float:
                _, width, is_space = self.simple_glyph(code)
                return (width / 1000 * size + char_spacing
                        + (word_spacing if is_space else 0.0)) * scale

            table = CodeTable(advance)
            if key is not None:
                self._advances[key] = table
        return table

    def _simple(self, code: int) -> Glyph:
        char = self._encoding.get(code, chr(code))
        if not isinstance(char, str) or (len(char) > 1 and char.startswith("/")):
            char = "\ufffd"  # a glyph name pypdf could not map
        text = self._cmap.get(char, char)
        width = self._widths.get(code)
        if width is None:
            core = self._core.character_widths if self._core is not None else {}
            width = core.get(text, core.get("default", self._default))
        return str(text), float(width), code == 32

    def _composite(self, pair: bytes) -> Glyph:
        key = pair.decode("utf-16-be", "surrogatepass")
        text = self._cmap.get(key, key)
        width = self._widths.get(int.from_bytes(pair, "big"), self._default)
        return str(text), width, False


def encoding_of(font: Any) -> tuple[Any, dict[Any, Any]]:
    """pypdf's ``get_encoding(font)``: the font's encoding and its ``/ToUnicode`` map, the map
    read in one pass when LibreOffice wrote it (pypdf reads it line by line, a Python call a
    line, about a millisecond a font)."""
    to_unicode = font.get("/ToUnicode") if isinstance(font, dict) else None
    stream = resolve(to_unicode)
    if isinstance(stream, StreamObject):
        data = stream.get_data()
        blocks = _LIBREOFFICE_CMAP.fullmatch(data) if isinstance(data, bytes) else None
        pairs = _BFCHAR.findall(data, blocks.start(1), blocks.end(1)) if blocks else []
        if 0 < len(pairs) <= 256:  # one a code at most, as LibreOffice writes them
            # As pypdf decodes a one-byte code and a destination of four digits or more.
            cmap = {chr(int(code, 16)): bytes.fromhex(text.decode()).decode(
                "utf-16-be", "surrogatepass") for code, text in pairs}
            encoding = _parse_encoding(font)
            if isinstance(encoding, dict):  # the codes of the map stand for themselves
                for code, _ in pairs:
                    encoding[int(code, 16)] = chr(int(code, 16))
            return encoding, cmap
    return get_encoding(font)


_FONTS = BoundedCache[bytes, PdfFont](FONT_CACHE_SIZE)


def load_font(font: Any, digest: bytes | None = None) -> PdfFont:
    """Return the :class:`PdfFont` of a font dictionary (or a reference to one): the one made
    for a font with the same content (in this document or an earlier one) when it is still
    kept, else a new one. ``digest``: the font's :class:`~._pdf_util.RawDigests` digest, when
    known (the font is then read only if it is not kept); else its fingerprint is computed."""
    if digest is not None:
        key = b"raw:" + digest
    else:
        font = resolve(font)
        fingerprinted = fingerprint(font)
        if fingerprinted is None:
            return PdfFont(font)
        key = b"fingerprint:" + fingerprinted
    loaded = _FONTS.get(key)
    if loaded is None:
        loaded = PdfFont(resolve(font))
        _FONTS.put(key, loaded)
    return loaded
