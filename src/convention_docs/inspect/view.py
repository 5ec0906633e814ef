"""The uniform view of a document that validation rules read.

A :class:`DocumentView` holds what a reader sees in a .docx or a PDF: its text lines, the images
as drawn, and the file's metadata. Both readers (:func:`~convention_docs.inspect.read_docx`,
:func:`~convention_docs.inspect.read_pdf`) produce it, so a rule is written once.

Every object here is a frozen dataclass. ``visible`` says whether a reader of the printed
document would see the item; when it is ``False``, ``invisible_reason`` says why, in French
(« texte blanc », « texte masqué », « corps de 2 pt », « hors de la page », « image recouverte »
…), ready to be quoted in a finding.

>>> loc = Location(file="convention.pdf", page=2, paragraph=3)
>>> str(loc)
'page 2, paragraphe 3'
>>> loc.describe()
'convention.pdf, page 2, paragraphe 3'
>>> lines = (TextLine("Article 1er", Location(field="title")),
...          TextLine("caché", Location(), visible=False))
>>> view = DocumentView("model", None, lines, (), None, {})
>>> view.text()
'Article 1er'
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from PIL import Image

__all__ = ["DocumentView", "Location", "PlacedImage", "TextLine"]


@dataclass(frozen=True)
class Location:
    """Where something is: a file, a PDF page (1-based), a .docx paragraph (1-based), a model field.

    ``str()`` is French and leaves the file out (« page 2 », « paragraphe 14 »,
    « parties[1].name »); :meth:`describe` puts the file first.

    >>> str(Location(paragraph=14))
    'paragraphe 14'
    >>> str(Location(field="parties[1].name"))
    'parties[1].name'
    >>> Location(file="a.docx").describe()
    'a.docx'
    """

    file: str | None = None
    page: int | None = None
    paragraph: int | None = None
    field: str | None = None
    label: str | None = None
    """Where a person finds it, in French (said before the paragraph number): « pied de page de
    la section 2 », « sous « Article 3 : DURÉE », « La présente convention… » », « ligne 14 lue
    par OCR »."""
    first_page: bool | None = None
    """Whether a .docx header or footer shows on the first page (None: not known)."""

    def __str__(self) -> str:
        parts: list[str] = []
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.label is not None:  # what a person looks for first: the footer, the article
            parts.append(self.label)
        if self.paragraph is not None:
            parts.append(f"paragraphe {self.paragraph}")
        if self.field is not None:
            parts.append(self.field)
        return ", ".join(parts)

    def describe(self) -> str:
        """Return ``str(self)`` preceded by the file name, when known."""
        where = str(self)
        if self.file is None:
            return where
        return f"{self.file}, {where}" if where else self.file


@dataclass(frozen=True)
class TextLine:
    """One paragraph of a .docx or one line of a PDF page, with its effective formatting.

    ``font_size`` is in points (PDF: as drawn, matrices applied), ``color`` is 0-255 RGB,
    ``bbox_mm`` is ``(x0, y0, x1, y1)`` in millimetres from the page's top-left corner (PDF only).
    ``region`` is ``"body"``, ``"header"``, ``"footer"`` or ``"table"`` (.docx; a PDF says
    ``"body"`` for everything, it does not mark headers).
    """

    text: str
    location: Location
    visible: bool = True
    font_size: float | None = None
    color: tuple[int, int, int] | None = None
    font: str | None = None
    bold: bool | None = None
    italic: bool | None = None
    region: str = "body"
    bbox_mm: tuple[float, float, float, float] | None = None
    invisible_reason: str | None = None


@dataclass(frozen=True)
class PlacedImage:
    """An image as placed in the document: one entry per drawing, at its drawn size.

    ``image`` is a Pillow image in mode ``RGB`` or ``RGBA``; it is left out of equality, hashing
    and ``repr``. The same Pillow object may be shared by several placements of one picture:
    do not modify it in place.
    """

    image: Image.Image = field(compare=False, hash=False, repr=False)
    width_mm: float
    height_mm: float
    location: Location
    bbox_mm: tuple[float, float, float, float] | None = None
    visible: bool = True
    alt: str | None = None
    region: str = "body"
    invisible_reason: str | None = None
    crop: tuple[float, float, float, float] | None = None
    """Shares of the picture cut off on the left, top, right and bottom (.docx ``a:srcRect``)."""
    rotation: float = 0.0
    """Degrees the picture is turned clockwise (.docx ``a:xfrm/@rot``)."""
    drawn: Image.Image | None = field(default=None, compare=False, hash=False, repr=False)
    """PDF: the part of the page where a visible picture holding an EU emblem is drawn, as
    PDFium paints it with everything else on the page (1 mm around it included); ``None``
    for any other picture. What covers the emblem shows there, not in ``image``."""


@dataclass(frozen=True)
class DocumentView:
    """What a reader sees in a document: text lines, placed images, metadata.

    ``kind`` is ``"docx"``, ``"pdf"`` or ``"model"``; ``source`` is the file as given (``None``
    for a model); ``pages`` is the page count of a PDF (``None`` for a .docx, which has no
    pages until it is laid out). ``metadata`` maps lower-case English keys (``title``,
    ``author``, ``language`` …) to strings; it is read-only and left out of hashing.
    """

    kind: Literal["docx", "pdf", "model"]
    source: str | None
    lines: tuple[TextLine, ...]
    images: tuple[PlacedImage, ...]
    pages: int | None
    metadata: Mapping[str, str] = field(hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "metadata", types.MappingProxyType(dict(self.metadata)))

    def text(self, *, include_hidden: bool = False) -> str:
        """Return the text of the visible lines (every line with ``include_hidden``), one a line."""
        return "\n".join(line.text for line in self.lines if include_hidden or line.visible)

    def lines_on_page(self, page: int) -> tuple[TextLine, ...]:
        """Return the lines drawn on ``page`` (1-based; always empty for a .docx)."""
        return tuple(line for line in self.lines if line.location.page == page)

    def images_on_page(self, page: int) -> tuple[PlacedImage, ...]:
        """Return the images drawn on ``page`` (1-based; always empty for a .docx)."""
        return tuple(image for image in self.images if image.location.page == page)
