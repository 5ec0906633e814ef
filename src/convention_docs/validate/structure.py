"""The parts of a convention that are not its articles: tables of contents and annexes.

A convention written elsewhere often opens with a table of contents (« Article 1er : Objet
..... 3 ») and ends with annexes whose articles restart at « Article 1 ». Their headings are not
the convention's articles: the numbering rule reads the body between them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from convention_docs.inspect.view import TextLine
from convention_docs.validate._text import Texts

__all__ = ["articles_part"]

_ARTICLE_START = re.compile(r"^(?:Article|ARTICLE)\s+(?:1\s*(?:er|ER)|[Pp]remier|PREMIER|\d{1,3})")
_FIRST = re.compile(r"^(?:Article|ARTICLE)\s+(?:1\s*(?:er|ER)|[Pp]remier|PREMIER|1)(?!\d)")
# a table-of-contents entry: the heading, then dot leaders or spaces and a page number
_TOC_ENTRY = re.compile(r"[A-Za-zÀ-ÿ)»].*?(?:\.{2,}|…+|\s)\s*\d{1,3}\s*$")
_TOC_TITLE = re.compile(r"^(?:sommaire|table\s+des\s+mati[èe]res)\s*:?\s*$", re.IGNORECASE)
_ANNEX = re.compile(r"^(?:ANNEXE|Annexe)S?(?:\s+(?:n°\s*)?(?:\d{1,2}|[IVX]{1,4}|[A-Z]))?"
                    r"\s*(?:[:\-–—.]|$)")
_MADE_AT = re.compile(r"\bfait\s+(?:en\s+.{1,40}?\s+)?à\s+", re.IGNORECASE)


def _toc(texts: Sequence[str]) -> set[int]:
    """Indexes of table-of-contents entries."""
    entries = {i for i, text in enumerate(texts)
               if text[:1] in "aA" and _ARTICLE_START.match(text) and text[-1:].isdigit()
               and _TOC_ENTRY.search(text[8:])}
    title = next((i for i, text in enumerate(texts)
                  if len(text) < 25 and _TOC_TITLE.match(text)), None)
    if title is not None:  # after « Sommaire »: every heading until the numbering restarts
        seen_first = False
        for i in range(title + 1, len(texts)):
            if _FIRST.match(texts[i]):
                if seen_first:
                    break
                seen_first = True
            if _ARTICLE_START.match(texts[i]):
                entries.add(i)
            elif seen_first and len(texts[i]) > 120:
                break  # running text: the table of contents is over
    return entries


def _annexes(texts: Sequence[str], skip: set[int]) -> int | None:
    """Index where the annexes begin: an annex heading after the signature place, or one
    followed by articles restarting at 1."""
    annexes = [i for i, text in enumerate(texts)
               if text[:1] in "Aa" and i not in skip and len(text) <= 150 and _ANNEX.match(text)]
    if not annexes:
        return None
    made_at = max((i for i, text in enumerate(texts)
                   if "ait" in text and _MADE_AT.search(text)), default=None)
    for i in annexes:
        if made_at is not None and i > made_at:
            return i
        if any(_FIRST.match(later) for later in texts[i + 1:]) and any(
                _ARTICLE_START.match(before) for j, before in enumerate(texts[:i])
                if j not in skip):
            return i
    return None


def articles_part(lines: Sequence[TextLine], texts: Texts
                  ) -> tuple[tuple[TextLine, ...], Texts]:
    """The lines (and their texts) that hold the convention's own articles: without its table
    of contents and its annexes."""
    skip = _toc(texts.texts)
    end = _annexes(texts.texts, skip)
    kept = [i for i in range(len(lines) if end is None else end) if i not in skip]
    if len(kept) == len(lines):
        return tuple(lines), texts
    return tuple(lines[i] for i in kept), Texts.of(texts.texts[i] for i in kept)
