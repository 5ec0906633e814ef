"""A faster reader of PDF hexadecimal strings for pypdf, with the same results.

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
against (pypdf's own, unreplaced); otherwise it does nothing.
"""

from __future__ import annotations

import re
from typing import Any

import pypdf.generic._data_structures as _data_structures
from pypdf.generic import _utils as _generic_utils

__all__ = ["install", "read_hex_string"]

_ORIGINAL = _generic_utils.read_hex_string_from_stream
_WHITE = re.compile(rb"[\x00\t\n\f\r ]+")
_HEX = re.compile(rb"[0-9A-Fa-f]*")
_CHUNK = 4096


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


def install() -> None:
    """Make pypdf's object parser use :func:`read_hex_string` (idempotent)."""
    if getattr(_data_structures, "read_hex_string_from_stream", None) is _ORIGINAL:
        _data_structures.read_hex_string_from_stream = read_hex_string  # type: ignore[attr-defined]
