"""``validate()``: the same rules for a ``Convention``, a .docx and a PDF, in one ``Report``.

Rule codes are stable and documented in docs/rules.md. Errors refuse a document; warnings
(outdated references, typography, usual clauses) are for the drafter to read.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from convention_docs import _limits
from convention_docs._cache import BoundedCache
from convention_docs.errors import AssetError, DocumentError
from convention_docs.inspect import read_docx, read_pdf
from convention_docs.inspect.view import DocumentView, Location
from convention_docs.logos import LogoLibrary
from convention_docs.model import Convention
from convention_docs.validate._text import Reading
from convention_docs.validate.currency import check_clauses, check_currency, check_typography
from convention_docs.validate.form import check_form
from convention_docs.validate.model_rules import check_model, model_view
from convention_docs.validate.report import Finding, Report, Severity
from convention_docs.validate.visibility import check_visibility

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
                  library: LogoLibrary | None = None) -> Report:
    """Return the report of a document already read into a ``DocumentView``."""
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
    findings += check_currency(reading.flow)
    findings += check_typography(reading.flow)
    findings += check_clauses(reading.flow)
    if view.source is not None:
        findings = [f if f.location.file else replace(f, location=replace(f.location,
                                                                           file=view.source))
                    for f in findings]
    return Report.of(view.source, view.kind, findings)


def validate(source: Convention | str | Path, *, convention: Convention | None = None,
             library: LogoLibrary | None = None) -> Report:
    """Return the validation report of a ``Convention``, a .docx or a .pdf file.

    ``convention``, when given with a file, is the model the file was rendered from: its
    funding period is then the one checked. Raises ``DocumentError`` for a file that cannot be
    read (not a .docx/.pdf, corrupt, encrypted).
    """
    if isinstance(source, Convention):
        runs = Reading(model_view(source).lines).flow
        findings = check_model(source)
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
            view = read_docx(path)
        elif suffix == ".pdf":
            _limits.check_regular(path, error=refuse, what="fichier")
            with _limits.pdf_repairs() as repairs:
                view = read_pdf(path)
            if repairs.count:
                report = validate_view(view, convention=convention, library=library)
                return Report.of(report.source, report.kind, (*report.findings, Finding(
                    "PDF_REPAIRED", Severity.WARNING,
                    f"PDF endommagé : {repairs.count} anomalie(s) de structure corrigée(s) à "
                    "la lecture (table des objets, longueurs…) ; le texte vérifié peut être "
                    "incomplet, demandez un nouvel exemplaire", Location(file=str(path)))))
        else:
            raise DocumentError("format non reconnu : attendu un fichier .docx ou .pdf",
                                path=path)
        return validate_view(view, convention=convention, library=library)
