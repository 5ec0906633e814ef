"""Rules about how a convention is signed: paper originals against electronic signing, and
hidden text (a parapheur's anchors excepted).

- ``SIGNATURE_FIELDS_WITH_ORIGINALS``: a PDF with signature fields (AcroForm ``/FT /Sig``) is
  meant to be signed electronically, yet its text still speaks of paper originals.
- ``ELECTRONIC_WITH_ORIGINALS`` (model): the model says ``signature.method: electronic`` and
  its text speaks of originals (the same rule on documents lives in ``form.py``).
- ``HIDDEN_TEXT`` (information): text a reader cannot see (white, under 4 pt, hidden, off the
  page). The one exception is a parapheur's anchor (exactly its syntax,
  :func:`convention_docs.anchors.is_anchor`) lying in a signature area: after the signing
  formula, with visible text of the blocks (the name) after it on the same page, or in the
  same table of a .docx.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from convention_docs.anchors import is_anchor
from convention_docs.inspect._names import may_hold
from convention_docs.inspect.view import Location, TextLine
from convention_docs.model import Convention
from convention_docs.validate._text import Reading, Texts
from convention_docs.validate.form import signature_formula, speaks_of_originals
from convention_docs.validate.report import Finding, Severity

__all__ = ["check_hidden_text", "check_model_signing", "check_signature_fields",
           "signature_fields"]

_QUOTED = 60  # characters of a hidden line quoted in its finding


def signature_fields(path: str | Path) -> tuple[str, ...]:
    """Return the names of the signature fields (``/FT /Sig``) of the PDF at ``path``.

    A PDF pypdf cannot read this way has none (the readers say what is wrong with it).
    """
    try:
        data = Path(path).read_bytes()
        if not may_hold(data, "AcroForm"):
            return ()  # no form at all: no need to parse the file
        fields = PdfReader(BytesIO(data)).get_fields() or {}
    except (PyPdfError, OSError, ValueError):
        return ()
    return tuple(name for name, field in fields.items() if field.get("/FT") == "/Sig")


def check_signature_fields(reading: Reading, fields: Sequence[str]) -> list[Finding]:
    """A PDF with signature fields whose text still speaks of paper originals."""
    if not fields:
        return []
    shown = reading.shown
    index = speaks_of_originals(shown.texts)
    if index is None:
        return []
    names = ", ".join(fields)
    return [Finding(
        "SIGNATURE_FIELDS_WITH_ORIGINALS", Severity.WARNING,
        f"le PDF a des champs de signature électronique ({names}) mais parle encore "
        "d'exemplaires originaux papier : signez-le électroniquement avec "
        "signature.method: electronic (« La présente convention est signée "
        "électroniquement … »)", shown.lines[index].location)]


def check_model_signing(convention: Convention, lines: Sequence[TextLine]) -> list[Finding]:
    """An electronic model whose text (``lines``, from ``model_view``) speaks of originals."""
    if not convention.signed_electronically():
        return []
    texts = Reading(lines).shown.texts
    index = speaks_of_originals(texts)
    if index is None:
        return []
    return [Finding(
        "ELECTRONIC_WITH_ORIGINALS", Severity.ERROR,
        "convention signée électroniquement (signature.method) dont le texte parle "
        "d'exemplaires originaux papier : retirez « en … exemplaires originaux »",
        lines[index].location if lines[index].location.field else Location(
            field="signature.method"))]


def _in_signature_area(lines: Sequence[TextLine], index: int, start: int | None) -> bool:
    """Whether ``lines[index]`` lies after the signing formula (``start``) and before visible
    text of the blocks on the same page (PDF) or in the same table (.docx)."""
    if start is None or index <= start:
        return False
    line = lines[index]
    for following in lines[index + 1:]:
        if following.location.page != line.location.page or following.region != line.region:
            return False
        if following.visible and following.text.strip():
            return True
    return False


def check_hidden_text(reading: Reading) -> list[Finding]:
    """Text no reader sees, a parapheur's anchor in a signature area excepted."""
    lines = reading.lines
    if all(line.visible for line in lines):
        return []
    start = signature_formula(Texts.of(reading.texts))
    findings = []
    for index, line in enumerate(lines):
        text = reading.texts[index]
        if line.visible or not text:
            continue
        if is_anchor(text) and _in_signature_area(lines, index, start):
            continue
        quoted = text if len(text) <= _QUOTED else text[:_QUOTED - 1] + "…"
        reason = f" ({line.invisible_reason})" if line.invisible_reason else ""
        findings.append(Finding("HIDDEN_TEXT", Severity.INFO,
                                f"texte invisible pour le lecteur{reason} : « {quoted} »",
                                line.location))
    return findings
