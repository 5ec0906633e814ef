"""Every error convention_docs raises, under one base class.

The tree::

    ConventionDocsError                 base of everything raised here
    ├── SpecError                       a spec (YAML/JSON/dict) is not a valid convention
    │                                   (.source, .issues: [(field path, message)],
    │                                   .locations: [(line, column) or None])
    ├── TemplateError                   a .docx template is unusable or fails to render
    │                                   (.template, .variable)
    ├── AssetError                      a logo or template file is missing or unreadable
    ├── AnchorError                     an unknown parapheur anchor system (``anchors=``)
    ├── ConversionError                 LibreOffice could not turn a .docx into a PDF
    │   ├── LibreOfficeNotFound         no soffice on this machine
    │   └── ConversionTimeout           soffice did not finish in time (it was killed)
    ├── DocumentError                   a file given to ``validate``/``check`` cannot be read
    ├── LimitExceeded                   an input goes past a bound on size or work (.what)
    ├── SigningError                    a PDF cannot get fields, be signed or be verified
    │   │                               (encrypted, no place to sign…) (.path)
    │   ├── SignatureFieldError         no such field (.known), already signed, no field
    │   └── CertificateError            the PKCS#12 cannot be opened (wrong passphrase) or
    │                                   its certificate is not valid now
    └── ConventionRejected              the validator found errors; nothing was written
                                        (.report)

Messages are in French: they are read by the administrative staff who use the tools built on
this library. Class names and rule codes stay in English.
"""

from __future__ import annotations

import errno
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from convention_docs.validate import Report

__all__ = [
    "AnchorError",
    "AssetError",
    "CertificateError",
    "ConventionDocsError",
    "ConventionRejected",
    "ConversionError",
    "ConversionTimeout",
    "DocumentError",
    "LibreOfficeNotFound",
    "LimitExceeded",
    "SignatureFieldError",
    "SigningError",
    "SpecError",
    "TemplateError",
]


class ConventionDocsError(Exception):
    """Base class of every error raised by convention_docs."""


class SpecError(ConventionDocsError, ValueError):
    """A spec is not a valid convention.

    ``issues`` lists ``(field_path, message)`` pairs, e.g.
    ``("parties[1].representative.last_name", "champ obligatoire")``.
    """

    def __init__(self, issues: Sequence[tuple[str, str]], source: str | Path | None = None,
                 locations: Sequence[tuple[int, int] | None] | None = None):
        self.issues: tuple[tuple[str, str], ...] = tuple(issues)
        self.source = str(source) if source is not None else None
        # (line, column), 1-based, of each issue in the spec file, when known
        self.locations: tuple[tuple[int, int] | None, ...] = (
            tuple(locations) if locations is not None else (None,) * len(self.issues))
        marks = [f"ligne {at[0]}, colonne {at[1]} : " if at else "" for at in self.locations]
        lines = [f"{path or '(racine)'} : {message}" for path, message in self.issues]
        if len(lines) == 1:
            where = ", ".join(filter(None, (self.source, marks[0].removesuffix(" : "))))
            text = f"{where} : " if where else ""
            text += f"spécification invalide, {lines[0]}"
        else:
            where = f"{self.source} : " if self.source else ""
            text = f"{where}spécification invalide ({len(lines)} erreurs)\n" + "\n".join(
                f"  - {mark}{line}" for mark, line in zip(marks, lines, strict=True)
            )
        super().__init__(text)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.issues, self.source, self.locations))


class TemplateError(ConventionDocsError):
    """A .docx template is unusable (syntax error, unknown variable, sandbox violation)."""

    def __init__(self, message: str, *, template: str | Path | None = None,
                 variable: str | None = None):
        self.template = str(template) if template is not None else None
        self.variable = variable
        prefix = f"{self.template} : " if self.template else ""
        super().__init__(prefix + message)
        self._message = message

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), (self._message,),
                           {"template": self.template, "variable": self.variable}))


class AssetError(ConventionDocsError):
    """A logo, template or other resource file is missing or unreadable."""


class AnchorError(ConventionDocsError, ValueError):
    """``anchors=`` names no known parapheur (the message lists the known ones)."""


class ConversionError(ConventionDocsError):
    """LibreOffice failed to convert a document (the message says which and why)."""

    def __init__(self, message: str, *, source: str | Path | None = None,
                 details: str = ""):
        self.source = str(source) if source is not None else None
        self.details = details
        super().__init__(message)

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), (str(self),),
                           {"source": self.source, "details": self.details}))


class LibreOfficeNotFound(ConversionError):
    """No LibreOffice ``soffice`` executable was found."""


class ConversionTimeout(ConversionError):
    """LibreOffice did not finish in time; its whole process group was killed."""


class _FileError(ConventionDocsError):
    """An error about one file: its message starts with the file's path (``.path``)."""

    def __init__(self, message: str, *, path: str | Path | None = None):
        self.path = str(path) if path is not None else None
        prefix = f"{self.path} : " if self.path else ""
        super().__init__(prefix + message)
        self._message = message

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), (self._message,), {"path": self.path}))


class DocumentError(_FileError):
    """A document given to the validator cannot be read (not a .docx/.pdf, corrupt, encrypted)."""


class LimitExceeded(ConventionDocsError):
    """An input goes past a bound on time or work (a document too complex to check, a template
    whose loops never end); ``what`` names it. Bounds on size are reported by the error of the
    input's kind (``SpecError``, ``DocumentError``…)."""

    def __init__(self, what: str, seconds: float, reason: str | None = None) -> None:
        self.what = what
        self.seconds = seconds
        self.reason = reason
        super().__init__(f"{what} : {reason or f'trop long à traiter (plus de {seconds:g} s)'}"
                         ", abandonné")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.what, self.seconds, self.reason))


class SigningError(_FileError):
    """A PDF cannot be given signature fields, be signed or be verified (the message says
    why: encrypted, unreadable, no room to sign above a name…)."""


class SignatureFieldError(SigningError):
    """The signature field asked for cannot be signed: unknown (``known`` lists the PDF's
    fields), already signed, or the PDF has no signature field at all."""

    def __init__(self, message: str, *, path: str | Path | None = None,
                 field: str | None = None, known: Sequence[str] = ()):
        super().__init__(message, path=path)
        self.field = field
        self.known = tuple(known)

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), (self._message,),
                           {"path": self.path, "field": self.field, "known": self.known}))


class CertificateError(SigningError):
    """The signer's PKCS#12 file cannot be opened (wrong passphrase, not a PKCS#12) or its
    certificate is not valid at the time of signing. The passphrase is never in the message."""


class ConventionRejected(ConventionDocsError):
    """The validator found errors: the output was refused and nothing was written.

    ``report`` holds every finding (``report.errors`` are the reasons for the refusal).
    """

    def __init__(self, report: Report, *, destination: str | Path | None = None):
        self.report = report
        self.destination = str(destination) if destination is not None else None
        errors = report.errors
        head = (f"{self.destination} : " if self.destination else "") + (
            f"convention refusée, {len(errors)} erreur(s) bloquante(s)"
        )
        body = "\n".join(f"  - [{f.code}] {f.message}" for f in errors)
        super().__init__(f"{head}\n{body}" if body else head)

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), (self.report,), {"destination": self.destination}))


def _rebuild(cls: type[Exception], args: tuple[object, ...],
             kwargs: dict[str, object]) -> Exception:
    """Rebuild an error from its arguments (errors cross process boundaries in a batch)."""
    return cls(*args, **kwargs)


_OS_REASONS = {errno.EACCES: "accès refusé", errno.EPERM: "accès refusé",
               errno.EISDIR: "c'est un dossier", errno.ENOTDIR: "chemin invalide",
               errno.ENAMETOOLONG: "nom trop long", errno.ELOOP: "lien symbolique en boucle",
               errno.EIO: "erreur de lecture du disque"}


def os_reason(exc: OSError) -> str:
    """What went wrong, in French when known (else the system's words); a helper for the
    messages of the errors above, not an error itself (so not in ``__all__``)."""
    return _OS_REASONS.get(exc.errno or 0, exc.strerror or str(exc))
