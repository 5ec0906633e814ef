"""Faster readings for pypdf, with the same results: hexadecimal strings, names, object
headers and cross-reference tables.

pypdf reads a hexadecimal string (``<FEFF0043…>``) one byte at a time, a Python call per
character. LibreOffice writes every Info entry (title, author, subject, keywords…), the file
identifier and the structure tree's texts that way, so reading the metadata of one of our PDFs
costs about a millisecond, every time a PDF is opened (three times per convention: metadata
update, its check, validation).

:func:`install` swaps pypdf's reader, where pypdf's object parser looks it up, for
:func:`read_hex_string`: the string is read in one slice and decoded by ``bytes.fromhex``. It
returns what pypdf's own function returns (same object type and value, stream left at the same
place); for anything unusual (a character that is neither a hexadecimal digit nor PDF white
space, a string with no closing ``>``) it rewinds and hands over to pypdf's own function, so
errors and warnings stay pypdf's. It installs itself only over the function it was written
against (pypdf's own, unreplaced); otherwise it does nothing. It does the same for names
(:func:`read_name`, for the files of a :class:`FastPdfReader`).

:class:`FastPdfReader` reads object headers and cross-reference tables in one match each,
where pypdf reads them a byte at a time (and, reading leniently, checks the header of every
object of the file when it opens it).
"""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

import pypdf
import pypdf.generic._data_structures as _data_structures
from pypdf import PdfReader
from pypdf.generic import NameObject, NumberObject
from pypdf.generic import _utils as _generic_utils

__all__ = ["FAST_READER_VERSION", "FastPdfReader", "install", "read_hex_string", "read_name"]

_ORIGINAL = _generic_utils.read_hex_string_from_stream
_WHITE = re.compile(rb"[\x00\t\n\f\r ]+")
_HEX = re.compile(rb"[0-9A-Fa-f]*")
_CHUNK = 4096
_ORIGINAL_NAME = NameObject.read_from_stream
# A name as pypdf reads it (up to white space or a delimiter, which must follow), short,
# of ASCII characters but "#": pypdf's decoding leaves it as it is.
_NAME = re.compile(rb"/[^\s()<>\[\]{}/%#\x80-\xff]{0,1000}(?=[\s()<>\[\]{}/%])")


def read_hex_string(stream: Any, forced_encoding: Any = None) -> Any:
    """pypdf's ``read_hex_string_from_stream``, in one slice (``stream`` is at the ``<``)."""
    start = stream.tell()
    data = stream.read(_CHUNK)
    end = data.find(b">")
    while end == -1:
        more = stream.read(_CHUNK)
        if not more:
            break
        searched = len(data)
        data += more
        end = data.find(b">", searched)
    digits = _WHITE.sub(b"", data[1:end]) if end != -1 else b""
    if end == -1 or not _HEX.fullmatch(digits):
        stream.seek(start)
        return _ORIGINAL(stream, forced_encoding)
    stream.seek(start + end + 1)
    if len(digits) % 2:
        digits += b"0"
    return _generic_utils.create_string_object(bytes.fromhex(digits.decode("ascii")),
                                               forced_encoding)


def read_name(stream: Any, pdf: Any) -> Any:
    """pypdf's ``NameObject.read_from_stream``, in one match for a name of plain ASCII
    characters (no ``#`` escape) read by a :class:`FastPdfReader`."""
    fast = getattr(pdf, "_fast_stream", None)
    if fast is not None and stream is fast:
        found = _NAME.match(pdf._fast_data, stream.tell())
        if found is not None:
            stream.seek(found.end())
            return NameObject(found.group().decode("ascii"))
    return _ORIGINAL_NAME(stream, pdf)


def install() -> None:
    """Make pypdf's object parser use :func:`read_hex_string` and :func:`read_name`
    (idempotent)."""
    if getattr(_data_structures, "read_hex_string_from_stream", None) is _ORIGINAL:
        _data_structures.read_hex_string_from_stream = read_hex_string  # type: ignore[attr-defined]
    if NameObject.read_from_stream is _ORIGINAL_NAME:
        NameObject.read_from_stream = staticmethod(read_name)  # type: ignore[method-assign]


# pypdf's reader, faster on well-formed files ------------------------------------------------

_WHITE_SPACE = rb"[\x00\t\n\f\r ]"  # pypdf's WHITESPACES (not \v, which it does not skip)
# An object header as written, "12 0 obj", then white space up to the object's first byte.
_OBJECT_HEADER = re.compile(rb"([0-9]{1,20}) ([0-9]{1,20}) obj" + _WHITE_SPACE + rb"*+")
_XREF_KEYWORD = re.compile(rb"ref" + _WHITE_SPACE + rb"*+")  # the "x" is read by the caller
_SUBSECTION = re.compile(rb"([0-9]{1,10}) ([0-9]{1,10})(?![0-9])" + _WHITE_SPACE + rb"*+")
# Entries of a cross-reference table, 20 bytes each, ending the way pypdf reads them as 20.
_ENTRY_TEXT = rb"([0-9]{10}) ([0-9]{5}) ([fn])(?: \r| \n|\r\n)"
_ENTRY = re.compile(_ENTRY_TEXT)
_ENTRIES = re.compile(rb"(?:" + _ENTRY_TEXT + rb")*+")
_SPACES = re.compile(_WHITE_SPACE + rb"*+")
FAST_READER_VERSION = "7.1.1"
"""The pypdf whose reader :class:`FastPdfReader`'s shortcuts were checked against."""


class FastPdfReader(PdfReader):
    """A ``PdfReader`` of bytes in memory that reads well-formed parts of the file faster.

    pypdf reads object headers and cross-reference tables a byte at a time, a Python call per
    byte; its non-strict reading checks the header of every object of the file when it opens
    it. Here an object header written ``12 0 obj`` and a cross-reference table of
    ``0 n``-style subsections of 20-byte entries are read with one regular expression each,
    with the same outcome as pypdf's own code (values, dictionaries and their order, where
    the stream is left); anything else (comments, extra white space, a table that does not
    start at object 0, a truncated file…) goes to pypdf's own code from where it started, so
    damaged and hostile files are read exactly as ``PdfReader`` reads them. The shortcuts are
    taken only with the pypdf they were checked against (:data:`FAST_READER_VERSION`).
    """

    def __init__(self, data: bytes, strict: bool = False) -> None:
        stream = BytesIO(data)
        self._fast_data = data
        self._fast_stream = stream if pypdf.__version__ == FAST_READER_VERSION else None
        super().__init__(stream, strict=strict)

    def read_object_header(self, stream: Any) -> tuple[int, int]:
        """pypdf's, in one match for a header written ``12 0 obj``."""
        fast = self._fast_stream
        if fast is not None and stream is fast:
            data = self._fast_data
            found = _OBJECT_HEADER.match(data, stream.tell())
            if found is not None and found.end() < len(data):
                stream.seek(found.end())
                return int(found.group(1)), int(found.group(2))
        return super().read_object_header(stream)

    def _read_standard_xref_table(self, stream: Any) -> None:
        """pypdf's, from one reading of the whole table when it is written the usual way."""
        fast = self._fast_stream
        table = _xref_table(self._fast_data, fast.tell()) if fast is not None and stream is fast \
            else None
        if table is None:
            super()._read_standard_xref_table(stream)
            return
        subsections, end = table
        xref, free = self.xref, self.xref_free_entry
        for first, start, size in subsections:
            num: int = NumberObject(first)  # what pypdf's read_object gives for the first one
            written = None  # the generation as written of the entries before
            for offset, generation_text, entry_type in _ENTRY.findall(self._fast_data, start,
                                                                     start + 20 * size):
                # pypdf's bookkeeping of an entry, step by step; the dictionaries of a
                # generation looked up again when it changes (where they may be made).
                if generation_text != written:
                    written, generation = generation_text, int(generation_text)
                    if generation not in xref:
                        xref[generation] = {}
                        free[generation] = {}
                    numbers = xref[generation]
                    kept = [found for found in (free.get(generation), free.get(65535))
                            if found is not None]  # pypdf writes to each when present
                if num not in numbers:
                    is_free = entry_type == b"f"
                    if not is_free:
                        numbers[num] = int(offset)
                    for found in kept:
                        found[num] = is_free
                num += 1
        stream.seek(end)


def _xref_table(data: bytes, position: int) -> tuple[list[tuple[bytes, int, int]], int] | None:
    """The subsections of the cross-reference table at ``position`` (after its "x") as (first
    object number as written, offset of the entries, number of entries), and where its
    ``trailer`` keyword ends; ``None`` unless it is written the usual way (see
    :class:`FastPdfReader`) with a first subsection starting at object 0."""
    keyword = _XREF_KEYWORD.match(data, position)
    if keyword is None:
        return None
    position = keyword.end()
    subsections: list[tuple[bytes, int, int]] = []
    while True:
        header = _SUBSECTION.match(data, position)
        if header is None:
            return None
        size = int(header.group(2))
        start, end = header.end(), header.end() + 20 * size
        if (size > len(data) // 20 or (not subsections and int(header.group(1)) != 0)
                or end > len(data) or _ENTRIES.fullmatch(data, start, end) is None):
            return None
        subsections.append((header.group(1), start, size))
        spaces = _SPACES.match(data, end)
        position = spaces.end() if spaces is not None else end
        if data.startswith(b"trailer", position):
            return subsections, position + 7
