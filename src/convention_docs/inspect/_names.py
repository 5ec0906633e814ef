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
>>> may_hold(b"%PDF-1.7 1 0 obj << /Type /Catalog /Metadata 2 0 R >> endobj", "Form", "Metadata")
True
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["may_hold"]


def _spelled(name: str) -> str:
    """``/name`` in every spelling, as a pattern (a longer name that begins so matches too:
    harmless)."""
    spellings = []
    for char in name:
        code = "".join(f"[{d.lower()}{d.upper()}]" if d.isalpha() else d
                       for d in f"{ord(char):02X}")
        spellings.append(f"(?:{re.escape(char)}|#{code})")
    return "/" + "".join(spellings)


@lru_cache(maxsize=16)
def _pattern(names: tuple[str, ...]) -> re.Pattern[bytes]:
    """Any of ``names`` or ``/ObjStm``, in every spelling: one pass over the file."""
    return re.compile("|".join(_spelled(name) for name in (*names, "ObjStm")).encode("ascii"))


def may_hold(data: bytes, *names: str) -> bool:
    """Whether the PDF ``data`` may have one of the names ``/name`` in one of its
    dictionaries (one pass over the bytes, whatever the number of names)."""
    return _pattern(names).search(data) is not None
