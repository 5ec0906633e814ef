"""How much a PDF page would make PDFium draw, counted before PDFium is asked to.

A form XObject may draw other forms, each several times: 20 levels of forms each drawing the
previous one ten times make 10^20 drawings from 5 KB, and PDFium builds every one of them in
memory when it loads the page (seen: 24 GB, then the kernel killed the process). No deadline can
interrupt PDFium inside one call, so the drawings are counted first, on the file's structure
(pypdf's public API: resources and content streams), each form counted once (memoised), and a
page past :data:`MAX_DRAWS` is refused as too complex to check.
"""

from __future__ import annotations

import re
from typing import Any

from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject, StreamObject

__all__ = ["MAX_DRAWS", "page_draws"]

MAX_DRAWS = 100_000
"""Form and picture drawings one page may expand to (a real convention draws a few dozen)."""

_DO = re.compile(rb"/((?:[^\s/\[\]()<>{}%#]|#[0-9A-Fa-f]{2})+)\s*Do\b")


def _name(raw: bytes) -> str:
    """A content stream's name as pypdf keys it (``#XX`` spelled out)."""
    return "/" + re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m[1], 16)]),
                        raw).decode("latin-1")


def page_draws(reader: PdfReader, index: int, limit: int = MAX_DRAWS) -> int:
    """Return how many drawings page ``index`` expands to, counting stops past ``limit``."""
    memo: dict[int, int] = {}

    def dictionary(value: Any) -> DictionaryObject | None:
        value = value.get_object() if isinstance(value, IndirectObject) else value
        return value if isinstance(value, DictionaryObject) else None

    def draws(content: bytes, resources: Any) -> int:
        found = dictionary(resources)
        xobjects = dictionary(found.get("/XObject")) if found is not None else None
        total = 0
        for raw in _DO.findall(content):
            total += 1
            if total > limit:
                return total
            target = xobjects.get(_name(raw)) if xobjects is not None else None
            if not isinstance(target, IndirectObject):
                continue
            key = target.idnum
            if key not in memo:
                memo[key] = 1  # while counting: a form that draws itself counts once
                form = target.get_object()
                if isinstance(form, StreamObject) and form.get("/Subtype") == "/Form":
                    memo[key] = draws(form.get_data(), form.get("/Resources"))
            total += memo[key]
            if total > limit:
                return total
        return total

    page = reader.pages[index]
    contents = page.get_contents()
    if contents is None:
        return 0
    return draws(contents.get_data(), page.get("/Resources"))
