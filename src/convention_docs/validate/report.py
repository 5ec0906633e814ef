"""Findings and the report the validator returns."""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from convention_docs.errors import ConventionRejected
from convention_docs.inspect.view import Location

__all__ = ["SEVERITY_COLOURS", "Finding", "Report", "Severity", "findings_html"]


class Severity(StrEnum):
    """How serious a finding is: an error refuses the document, a warning does not."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


_SEVERITY_FR = {Severity.ERROR: "erreur", Severity.WARNING: "avertissement",
                Severity.INFO: "information"}
_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}

SEVERITY_COLOURS = {Severity.ERROR: "#b00020", Severity.WARNING: "#9a5b00",
                    Severity.INFO: "#1565c0"}
"""Colour of each severity in HTML (notebooks)."""


@dataclass(frozen=True)
class Finding:
    """One finding: a stable rule code, its severity, a French message, where it is."""

    code: str
    severity: Severity
    message: str
    location: Location = field(default_factory=Location)

    def as_dict(self) -> dict[str, Any]:
        """Return the finding as plain JSON-able data."""
        loc = self.location
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "location": {k: v for k, v in (("file", loc.file), ("page", loc.page),
                                           ("paragraph", loc.paragraph), ("field", loc.field),
                                           ("label", loc.label))
                         if v is not None},
        }


FUNDING_PREFIXES = ("EU_", "FUNDING_", "FSE_", "OTHER_EU_LOGO", "MIXED_FUNDING", "OUTDATED_FSE",
                    "LOGO_FILE", "DOCUMENT_")
"""Codes of the European funding's verdict (and of a document that could not be read), listed
first in a report."""


@dataclass(frozen=True)
class Report:
    """What the validator found in one document (or model)."""

    source: str | None
    kind: str
    findings: tuple[Finding, ...] = ()

    @classmethod
    def of(cls, source: str | None, kind: str, findings: Iterable[Finding]) -> Report:
        """Return a report with ``findings`` sorted: errors first, the European funding's
        verdict first among them, then by code."""
        ranked = sorted(findings, key=lambda f: (_SEVERITY_ORDER[f.severity],
                                                 not f.code.startswith(FUNDING_PREFIXES), f.code))
        return cls(source, kind, tuple(ranked))

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings that refuse the document."""
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """The findings worth reading that do not refuse the document."""
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def ok(self) -> bool:
        """True when the report has no error."""
        return not self.errors

    def codes(self) -> set[str]:
        """Return the set of rule codes found."""
        return {f.code for f in self.findings}

    def raise_for_errors(self) -> Report:
        """Return this report, or raise ``ConventionRejected`` if it has errors."""
        if self.errors:
            raise ConventionRejected(self, destination=self.source)
        return self

    def as_dict(self) -> dict[str, Any]:
        """Return the report as plain JSON-able data."""
        return {"source": self.source, "kind": self.kind, "ok": self.ok,
                "errors": len(self.errors), "warnings": len(self.warnings),
                "findings": [f.as_dict() for f in self.findings]}

    def to_json(self) -> str:
        """Return the report as JSON (UTF-8 text, accents kept)."""
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)

    def summary(self) -> str:
        """Return one French line: « refusée : 2 erreurs, 1 avertissement »."""
        status = "conforme" if self.ok else "refusée"
        return (f"{status} : {len(self.errors)} erreur(s), "
                f"{len(self.warnings)} avertissement(s)")

    def __repr__(self) -> str:
        return f"<Report {self.source or '(modèle)'} : {self.summary()}>"

    def __str__(self) -> str:
        lines = [f"{self.source or '(modèle)'} — {self.summary()}"]
        for f in self.findings:
            where = str(f.location)
            lines.append(f"  [{f.code}] {_SEVERITY_FR[f.severity]} : {f.message}"
                         + (f" ({where})" if where else ""))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """The report as an HTML table for notebooks: errors first, French headers."""
        colour = SEVERITY_COLOURS[Severity.ERROR] if self.errors else "#2e7d32"
        caption = (f'<caption style="text-align:left;color:{colour}">'
                   f"<b>{html.escape(self.source or '(modèle)')}</b> — "
                   f"{html.escape(self.summary())}</caption>")
        head = "".join(f'<th style="text-align:left">{h}</th>'
                       for h in ("Gravité", "Code", "Message", "Emplacement"))
        rows = []
        for f in sorted(self.findings, key=lambda f: _SEVERITY_ORDER[f.severity]):
            rows.append(
                "<tr>"
                f'<td style="text-align:left;color:{SEVERITY_COLOURS[f.severity]}">'
                f"{_SEVERITY_FR[f.severity]}</td>"
                f'<td style="text-align:left"><code>{html.escape(f.code)}</code></td>'
                f'<td style="text-align:left">{html.escape(f.message)}</td>'
                f'<td style="text-align:left">{html.escape(str(f.location))}</td></tr>')
        if not rows:
            rows.append('<tr><td colspan="4" style="text-align:left">aucune remarque</td></tr>')
        return (f'<table class="convention-docs-report">{caption}<thead><tr>{head}</tr></thead>'
                f"<tbody>{''.join(rows)}</tbody></table>")


def findings_html(findings: Iterable[Finding]) -> str:
    """Return findings as small HTML notes (severity, code, message, field), errors first."""
    notes = []
    for f in sorted(findings, key=lambda f: _SEVERITY_ORDER[f.severity]):
        colour = SEVERITY_COLOURS[f.severity]
        where = f" <small>({html.escape(str(f.location))})</small>" if str(f.location) else ""
        notes.append(
            f'<div class="finding {f.severity.value}" style="border-left:4px solid {colour};'
            f'padding:2px 8px;margin:4px 0;font-size:88%"><b style="color:{colour}">'
            f"{_SEVERITY_FR[f.severity]}</b> <code>{html.escape(f.code)}</code> "
            f"{html.escape(f.message)}{where}</div>")
    return "".join(notes)
