"""A uniform view of a .docx or a PDF for the validator: text lines, placed images, metadata.

>>> from convention_docs.inspect import Location
>>> str(Location(page=2))
'page 2'

``read_docx`` and ``read_pdf`` raise :class:`~convention_docs.errors.DocumentError` for a file
they cannot read; ``read_document`` picks one of them from the file's first bytes.
"""

from __future__ import annotations

from pathlib import Path

from convention_docs.errors import DocumentError
from convention_docs.inspect.docx import read_docx
from convention_docs.inspect.pdf import read_pdf
from convention_docs.inspect.view import DocumentView, Location, PlacedImage, TextLine

__all__ = [
    "DocumentView",
    "Location",
    "PlacedImage",
    "TextLine",
    "read_document",
    "read_docx",
    "read_pdf",
]


def read_document(path: str | Path) -> DocumentView:
    """Return the view of a .docx or a PDF, recognised by content (not by the file's suffix)."""
    try:
        with Path(path).open("rb") as stream:
            head = stream.read(1024)
    except FileNotFoundError as error:
        raise DocumentError("fichier introuvable", path=path) from error
    except OSError as error:
        raise DocumentError(f"fichier illisible ({error.strerror})", path=path) from error
    if b"%PDF-" in head:
        return read_pdf(path)
    if head.startswith(b"PK") or head.startswith(b"\xd0\xcf\x11\xe0"):
        return read_docx(path)
    raise DocumentError("fichier illisible : ni un document Word (.docx) ni un PDF", path=path)
