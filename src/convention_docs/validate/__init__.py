"""``validate()``: the same rules for a ``Convention``, a .docx and a PDF, in one ``Report``.

Rule codes are stable and documented in docs/rules.md. Errors refuse a document; warnings
(outdated references, typography, usual clauses) are for the drafter to read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from convention_docs import _limits
from convention_docs._cache import BoundedCache
from convention_docs.drafting import checked
from convention_docs.errors import AssetError, DocumentError
from convention_docs.inspect import read_docx, read_pdf
from convention_docs.inspect.view import DocumentView, Location
from convention_docs.logos import LogoLibrary
from convention_docs.model import Convention
from convention_docs.scan import is_scan
from convention_docs.validate._text import Reading
from convention_docs.validate.currency import check_clauses, check_currency, check_typography
from convention_docs.validate.form import check_form
from convention_docs.validate.model_rules import check_model, model_view
from convention_docs.validate.received import check_draft, check_periods
from convention_docs.validate.report import Finding, Report, Severity
from convention_docs.validate.signing import (
    check_hidden_text,
    check_model_signing,
    check_signature_fields,
    signature_fields,
)
from convention_docs.validate.visibility import check_visibility, signature_date
from convention_docs.validate.where import label_findings, shorten

__all__ = ["Finding", "Report", "Severity", "validate", "validate_view"]

_DEFAULT_LIBRARY: LogoLibrary | None = None


def _library(library: LogoLibrary | None, convention: Convention | None) -> LogoLibrary:
    global _DEFAULT_LIBRARY
    if library is None:
        if _DEFAULT_LIBRARY is None:
            _DEFAULT_LIBRARY = LogoLibrary.default()
        library = _DEFAULT_LIBRARY
    if convention is not None and convention.funding is not None \
            and convention.funding.fse_logo is not None:
        library = _official(convention.funding.fse_logo.path)
    return library


_OFFICIAL = BoundedCache[bytes, LogoLibrary](4)  # by the file's content


def _official(path: Path) -> LogoLibrary:
    """A library where the user's official FSE logo replaces the built-in drawing.

    Kept by the file's content for the next conventions of a batch, which name the same file.
    Raises ``AssetError`` when the file cannot be read as a picture.
    """
    def refuse(message: str) -> AssetError:
        return AssetError(f"logo « fse » illisible ({path}) : {message}")

    data = _limits.read_regular(path, error=refuse, what="logo")

    def library() -> LogoLibrary:
        made = LogoLibrary.default()
        made.register("fse", data)
        return made

    return _OFFICIAL.get_or_compute(hashlib.sha256(data).digest(), library)


def validate_view(view: DocumentView, *, convention: Convention | None = None,
                  library: LogoLibrary | None = None,
                  signature_fields: Sequence[str] = ()) -> Report:
    """Return the report of a document already read into a ``DocumentView``.

    ``signature_fields``: the names of the PDF's signature fields, if it has any.
    """
    reading = Reading(view.lines)  # the text, normalised once for all the rules
    findings: list[Finding] = []
    findings += check_form(view, reading)
    period = convention.funding.period if convention and convention.funding else None
    date = convention.signature.date if convention else None
    official = convention.funding.fse_logo if convention and convention.funding else None
    try:
        logos = _library(library, convention)
    except AssetError:  # the model's official FSE logo cannot be read: say so, do not crash
        findings.append(Finding(
            "LOGO_FILE_UNREADABLE", Severity.ERROR,
            f"fichier de logo introuvable ou illisible : {official.path if official else ''}",
            Location(field="funding.fse_logo.path")))
        logos = _library(library, None)
    findings += check_visibility(view, period=period, library=logos, date=date,
                                 reading=reading)
    findings += check_draft(reading)
    findings += check_periods(reading, date or signature_date(view, reading),
                              old_logo=any(logos.match(p.image) == "fse" for p in view.images
                                           if p.visible),
                              logo_reported=any(f.code == "OTHER_EU_LOGO" for f in findings))
    findings += check_currency(reading.flow)
    findings += check_typography(reading.flow)
    findings += check_clauses(reading.flow)
    findings += check_hidden_text(reading)
    findings += check_signature_fields(reading, signature_fields)
    findings = shorten(label_findings(view, findings))
    if view.source is not None:
        findings = [f if f.location.file else replace(f, location=replace(f.location,
                                                                           file=view.source))
                    for f in findings]
    return Report.of(view.source, view.kind, findings)


OCR_DOUBTFUL = 75.0
"""Mean OCR confidence (0-100) under which the findings on a scan are said to be doubtful."""


def _pages(pages: tuple[int, ...] | list[int], total: int | None) -> str:
    if total is not None and len(pages) == total:
        return "document scanné sans couche texte"
    listed = ", ".join(str(page) for page in pages)
    return f"page{'s' if len(pages) > 1 else ''} {listed} scannée{'s' if len(pages) > 1 else ''}"


def _validate_scan(view: DocumentView, *, convention: Convention | None,
                   library: LogoLibrary | None) -> Report:
    """A scan: read by OCR when Tesseract is installed, else one finding saying so."""
    from convention_docs import ocr
    from convention_docs.scan import read_scan, scanned_pages

    where = Location(file=view.source)
    if not ocr.available():
        return Report.of(view.source, view.kind, [Finding(
            "SCAN_NOT_READABLE", Severity.ERROR,
            f"{_pages(scanned_pages(view), view.pages)} (images de pages) : le document n'a pas "
            "pu être vérifié, Tesseract (OCR, paquets tesseract-ocr et tesseract-ocr-fra) n'est "
            "pas installé", where)])
    scanned = read_scan(view)
    report = validate_view(scanned.view, convention=convention, library=library)
    doubtful = scanned.confidence < OCR_DOUBTFUL
    note = Finding(
        "SCAN_READ_BY_OCR", Severity.WARNING if doubtful else Severity.INFO,
        f"{_pages(scanned.pages, view.pages)} : texte lu par OCR (Tesseract), confiance "
        f"moyenne {scanned.confidence:.0f} %" + (" : lecture incertaine, les constats sur le "
                                                  "texte sont à vérifier à l'œil"
                                                  if doubtful else ""), where)
    return Report.of(report.source, report.kind, (*report.findings, note))


def validate(source: Convention | str | Path, *, convention: Convention | None = None,
             library: LogoLibrary | None = None) -> Report:
    """Return the validation report of a ``Convention``, a .docx, an .odt or a .pdf file.

    ``convention``, when given with a file, is the model the file was rendered from: its
    funding period is then the one checked. Raises ``DocumentError`` for a file that cannot be
    read (not a .docx/.odt/.pdf, corrupt, encrypted), ``SpecError`` for a ``Convention`` that
    is not valid (one built by pydantic's ``model_copy(update=…)``, which does not validate).
    """
    if isinstance(source, Convention):
        source = checked(source)  # 0.1 ms; model_copy(update=…) builds unchecked objects
        lines = model_view(source).lines
        runs = Reading(lines).flow
        findings = check_model(source)
        findings += check_model_signing(source, lines)
        findings += check_currency(runs)
        findings += check_typography(runs)
        findings += check_clauses(runs)
        return Report.of(None, "model", findings)
    path = Path(source)
    suffix = path.suffix.lower()

    def refuse(message: str) -> DocumentError:
        return DocumentError(message, path=path)

    # Bounds first (regular file, size, archive members), then the whole check under a
    # deadline that the readers' loops check (_limits.checkpoint).
    with _limits.deadline(f"{path} : document trop complexe pour être vérifié",
                          _limits.DOCUMENT_SECONDS):
        if suffix == ".docx":
            _limits.check_docx_archive(path, error=refuse)
            return validate_view(read_docx(path), convention=convention, library=library)
        if suffix == ".odt":
            _limits.check_regular(path, error=refuse, what="fichier")
            from convention_docs.inspect.odt import read_odt  # LibreOffice: only when needed

            return replace(validate_view(read_odt(path), convention=convention,
                                         library=library), kind="odt")
        if suffix != ".pdf":
            raise DocumentError("format non reconnu : attendu un fichier .docx, .odt ou .pdf",
                                path=path)
        from convention_docs.validate.signatures import check_signatures

        _limits.check_regular(path, error=refuse, what="fichier")
        with _limits.pdf_repairs() as repairs:
            view = read_pdf(path)
        if is_scan(view):
            report = _validate_scan(view, convention=convention, library=library)
        else:
            report = validate_view(view, convention=convention, library=library,
                                   signature_fields=signature_fields(path))
        findings = [*report.findings, *check_signatures(path)]
        if repairs.count:
            findings.append(Finding(
                "PDF_REPAIRED", Severity.WARNING,
                f"PDF endommagé : {repairs.count} anomalie(s) de structure corrigée(s) à "
                "la lecture (table des objets, longueurs…) ; le texte vérifié peut être "
                "incomplet, demandez un nouvel exemplaire", Location(file=str(path))))
        return Report.of(report.source, report.kind, findings)
