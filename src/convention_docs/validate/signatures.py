"""The state of a PDF's signatures, as findings: ``check`` on a signed convention.

A PDF without signature fields costs one look at its ``/AcroForm`` (none when its bytes have
no such name, :mod:`convention_docs.inspect._names`); pyHanko is only imported
when there are fields. A signature broken, or followed by changes other than later signatures
and form filling, is an error; a sound signature and an empty field are information.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

from convention_docs.errors import SigningError
from convention_docs.inspect._names import may_hold
from convention_docs.inspect.view import Location
from convention_docs.validate.report import Finding, Severity

__all__ = ["check_signatures", "has_signature_fields"]


def has_signature_fields(path: Path) -> bool:
    """True when the PDF at ``path`` has at least one signature field (``/FT /Sig``)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        data = path.read_bytes()
        if not may_hold(data, "AcroForm"):
            return False  # no form at all: no need to parse the file
        reader = PdfReader(BytesIO(data))
        form: Any = reader.root_object.get("/AcroForm")
        if form is None:
            return False
        pending = list(form.get_object().get("/Fields", []))
        while pending:
            field = pending.pop().get_object()
            if field.get("/FT") == "/Sig":
                return True
            pending.extend(field.get("/Kids", []))
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
    return False


def check_signatures(path: Path) -> list[Finding]:
    """Findings on the signature fields of the PDF at ``path`` (none when it has none)."""
    if not has_signature_fields(path):
        return []
    from convention_docs.signing import verify

    file = str(path)
    try:
        result = verify(path)
    except SigningError as exc:
        return [Finding("SIGNATURE_UNREADABLE", Severity.ERROR,
                        f"signatures illisibles : {exc}", Location(file=file))]
    findings = []
    for state in result.fields:
        where = Location(file=file, page=state.page)
        if not state.signed:
            findings.append(Finding("SIGNATURE_FIELD_EMPTY", Severity.INFO,
                                    f"champ de signature « {state.name} » vide (à signer)",
                                    where))
            continue
        when = f" le {state.signing_time:%d/%m/%Y à %H:%M %Z}" if state.signing_time else ""
        who = f"champ « {state.name} », signé par {state.signer or '(inconnu)'}{when}"
        if not state.intact:
            findings.append(Finding(
                "SIGNATURE_BROKEN", Severity.ERROR,
                f"{who} : signature invalide, {state.problem or 'document modifié'}", where))
        elif state.modified_after:
            findings.append(Finding(
                "SIGNATURE_MODIFIED_AFTER", Severity.ERROR,
                f"{who} : le document a été modifié après cette signature", where))
        else:
            findings.append(Finding("SIGNATURE_VALID", Severity.INFO,
                                    f"{who} : signature intacte", where))
    return findings
