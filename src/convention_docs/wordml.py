"""WordprocessingML fragments for docxtpl: escaped text and runs, never evaluated as markup.

docxtpl post-processes the rendered XML: it turns ``{_{`` into ``{{`` and reinterprets tabs,
line breaks, ``\\a`` and ``\\f`` inside ``<w:t>`` (PITFALLS.md). Everything our data puts into a
document goes through ``escape()``, which also writes ``{`` and ``}`` as character references,
so that no text of a convention can ever be read as template syntax or markup.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from markupsafe import Markup

__all__ = ["NON_BREAKING_HYPHEN", "Run", "Runs", "escape", "finalize"]

NON_BREAKING_HYPHEN = "\u2011"
"""Written as Word's own ``<w:noBreakHyphen/>`` (read back as « - » by Word, LibreOffice and
the validator), so « 2021-2027 » never breaks across lines."""

_ENTITIES = (  # "&" first: the others bring in "&" of their own
    ("&", "&amp;"),
    ("<", "&lt;"),
    (">", "&gt;"),
    ('"', "&quot;"),
    ("'", "&#39;"),
    ("{", "&#123;"),
    ("}", "&#125;"),
    ("%", "&#37;"),
)


def escape(text: str) -> str:
    """Return ``text`` escaped for the inside of a ``<w:t>`` element (and for attributes).

    >>> escape("R&D {{ x }} <b>")
    'R&amp;D &#123;&#123; x &#125;&#125; &lt;b&gt;'
    """
    # str.replace, only where needed: several times faster than str.translate on non-ASCII text
    text = str(text)  # a str subclass such as Markup would escape the entities themselves
    for char, entity in _ENTITIES:
        if char in text:
            text = text.replace(char, entity)
    return text


def finalize(value: object) -> object:
    """Jinja ``finalize`` hook: text values become escaped markup; markup stays as it is.

    A non-breaking hyphen (U+2011) of a text value becomes Word's ``<w:noBreakHyphen/>``,
    between the ``<w:t>`` the value sits in and a new one, in the same run.
    """
    if hasattr(value, "__html__"):
        return value
    if value is None:
        return Markup("")
    text = escape(str(value))
    if NON_BREAKING_HYPHEN in text:  # a value sits in a <w:t>: Word's hyphen goes between two
        text = text.replace(NON_BREAKING_HYPHEN,
                            '</w:t><w:noBreakHyphen/><w:t xml:space="preserve">')
    return Markup(text)


@functools.lru_cache(maxsize=64)
def _run_properties(bold: bool, italic: bool, color: str | None,
                    superscript: bool = False) -> str:
    """Return the ``<w:rPr>`` of a run with this emphasis (empty when it has none)."""
    props = ""
    if bold:
        props += "<w:b/><w:bCs/>"
    if italic:
        props += "<w:i/><w:iCs/>"
    if color:
        props += f'<w:color w:val="{escape(color)}"/>'
    if superscript:
        props += '<w:vertAlign w:val="superscript"/>'
    return f"<w:rPr>{props}</w:rPr>" if props else ""


_ORDINAL = re.compile(r"(?<![\w.,])1(er|re)(?!\w)")
"""« 1er », « 1re »: the letters are written in superscript (« 1\u1d49\u02b3 »)."""


def _superscripts(text: str) -> list[tuple[str, bool]]:
    """Split ``text`` into (piece, superscript) pairs: the « er » of « 1er » is superscript."""
    parts: list[tuple[str, bool]] = []
    done = 0
    for match in _ORDINAL.finditer(text):
        parts += [(text[done:match.start(1)], False), (match.group(1), True)]
        done = match.end()
    parts.append((text[done:], False))
    return [part for part in parts if part[0]]


@dataclass(frozen=True)
class Run:
    """A run of text with its emphasis."""

    text: str
    bold: bool = False
    italic: bool = False
    color: str | None = None

    def xml(self) -> str:
        """Return the ``<w:r>`` elements of this run: line breaks, tabs and non-breaking
        hyphens as elements, the « er » of « 1er » in a superscript run of its own."""
        text = self.text
        if "1r" in text or "1e" in text:
            pieces = _superscripts(text)
            if len(pieces) > 1:
                return "".join(
                    f"<w:r>{_run_properties(self.bold, self.italic, self.color, sup)}"
                    f"{_pieces(piece)}</w:r>" for piece, sup in pieces)
        rpr = _run_properties(self.bold, self.italic, self.color)
        if "\n" not in text and "\t" not in text and NON_BREAKING_HYPHEN not in text:
            # most runs: one piece of text
            body = f'<w:t xml:space="preserve">{escape(text)}</w:t>' if text else ""
            return f"<w:r>{rpr}{body}</w:r>"
        return f"<w:r>{rpr}{_pieces(text)}</w:r>"


def _pieces(text: str) -> str:
    """The ``<w:t>`` elements of ``text``, with ``<w:br/>`` for its line feeds, ``<w:tab/>``
    for its tabs and ``<w:noBreakHyphen/>`` for its non-breaking hyphens (U+2011)."""
    parts: list[str] = []
    for line_index, line in enumerate(text.split("\n")):
        if line_index:
            parts.append("<w:br/>")
        for tab_index, cell in enumerate(line.split("\t")):
            if tab_index:
                parts.append("<w:tab/>")
            for hyphen_index, chunk in enumerate(cell.split(NON_BREAKING_HYPHEN)):
                if hyphen_index:
                    parts.append("<w:noBreakHyphen/>")
                if chunk:
                    parts.append(f'<w:t xml:space="preserve">{escape(chunk)}</w:t>')
    return "".join(parts)


@dataclass(frozen=True)
class Runs:
    """Inline rich text for a docxtpl ``{{r value }}`` tag; ``str()`` gives the plain text.

    ``bookmark`` (name, id) wraps the runs in a Word bookmark, which LibreOffice exports as a
    PDF named destination: signature blocks use it so a PDF reader can find them.
    """

    runs: tuple[Run, ...]
    bookmark: tuple[str, int] | None = None

    def __html__(self) -> str:
        body = "".join(run.xml() for run in self.runs)
        if self.bookmark is not None:
            name, ident = self.bookmark
            body = (f'<w:bookmarkStart w:id="{ident}" w:name="{escape(name)}"/>{body}'
                    f'<w:bookmarkEnd w:id="{ident}"/>')
        return body

    def __str__(self) -> str:
        return "".join(run.text for run in self.runs)
