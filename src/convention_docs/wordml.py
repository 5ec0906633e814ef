"""WordprocessingML fragments for docxtpl: escaped text and runs, never evaluated as markup.

docxtpl post-processes the rendered XML: it turns ``{_{`` into ``{{`` and reinterprets tabs,
line breaks, ``\\a`` and ``\\f`` inside ``<w:t>`` (PITFALLS.md). Everything our data puts into a
document goes through ``escape()``, which also writes ``{`` and ``}`` as character references,
so that no text of a convention can ever be read as template syntax or markup.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from markupsafe import Markup

__all__ = ["Run", "Runs", "escape", "finalize"]

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
    """Jinja ``finalize`` hook: text values become escaped markup; markup stays as it is."""
    if hasattr(value, "__html__"):
        return value
    if value is None:
        return Markup("")
    return Markup(escape(str(value)))


@functools.lru_cache(maxsize=64)
def _run_properties(bold: bool, italic: bool, color: str | None) -> str:
    """Return the ``<w:rPr>`` of a run with this emphasis (empty when it has none)."""
    props = ""
    if bold:
        props += "<w:b/><w:bCs/>"
    if italic:
        props += "<w:i/><w:iCs/>"
    if color:
        props += f'<w:color w:val="{escape(color)}"/>'
    return f"<w:rPr>{props}</w:rPr>" if props else ""


@dataclass(frozen=True)
class Run:
    """A run of text with its emphasis."""

    text: str
    bold: bool = False
    italic: bool = False
    color: str | None = None

    def xml(self) -> str:
        """Return the ``<w:r>`` elements of this run (line breaks and tabs as elements)."""
        rpr = _run_properties(self.bold, self.italic, self.color)
        if "\n" not in self.text and "\t" not in self.text:  # most runs: one piece of text
            text = f'<w:t xml:space="preserve">{escape(self.text)}</w:t>' if self.text else ""
            return f"<w:r>{rpr}{text}</w:r>"
        return f"<w:r>{rpr}{_pieces(self.text)}</w:r>"


def _pieces(text: str) -> str:
    """The ``<w:t>`` elements of ``text``, with ``<w:br/>`` for its line feeds and
    ``<w:tab/>`` for its tabs."""
    parts: list[str] = []
    for line_index, line in enumerate(text.split("\n")):
        if line_index:
            parts.append("<w:br/>")
        for tab_index, chunk in enumerate(line.split("\t")):
            if tab_index:
                parts.append("<w:tab/>")
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
