"""Whether a PDF's bytes can hold a given name at all, without parsing the file.

A PDF name may spell any of its characters as ``#XX`` (``/AcroForm`` is also ``/Acro#46orm``);
:func:`may_hold` looks for every spelling. Dictionaries are written in clear in the file
(encryption leaves names alone) except inside object streams (``/ObjStm``, compressed): when
the file has an object stream, any name may be hidden in it and :func:`may_hold` says ``True``.
So ``False`` is certain (no dictionary of the file has that key or value) and ``True`` only
means "parse it to know": a test to skip work, never a verdict.

>>> may_hold(b"%PDF-1.7 1 0 obj << /Type /Catalog >> endobj", "AcroForm")
False
>>> may_hold(b"%PDF-1.7 1 0 obj << /Acro#46orm 2 0 R >> endobj", "AcroForm")
True
>>> may_hold(b"%PDF-1.7 3 0 obj << /Type /ObjStm /N 4 >> stream", "AcroForm")
True
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["may_hold"]


@lru_cache(maxsize=16)
def _pattern(name: str) -> re.Pattern[bytes]:
    """``/name`` in every spelling (a longer name that begins so matches too: harmless)."""
    spellings = []
    for char in name:
        code = "".join(f"[{d.lower()}{d.upper()}]" if d.isalpha() else d
                       for d in f"{ord(char):02X}")
        spellings.append(f"(?:{re.escape(char)}|#{code})")
    return re.compile(("/" + "".join(spellings)).encode("ascii"))


def may_hold(data: bytes, name: str) -> bool:
    """Whether the PDF ``data`` may have the name ``/name`` in one of its dictionaries."""
    return any(_pattern(candidate).search(data) is not None for candidate in (name, "ObjStm"))
