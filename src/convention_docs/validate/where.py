"""Locations a person can use in Word: the article or heading, and the paragraph's first words.

« paragraphe 14 » means nothing in Word, which numbers no paragraph. A finding on a .docx body
paragraph is given a label naming the article (or heading) it falls under and quoting the start
of the paragraph; headers and footers are labelled by the reader (« pied de page de la
section 2 »).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from convention_docs.inspect.view import DocumentView, TextLine
from convention_docs.validate._text import norm
from convention_docs.validate.report import Finding

__all__ = ["KEEP_PER_CODE", "label_findings", "quote", "shorten"]

KEEP_PER_CODE = 3
"""Findings kept per rule code; the last one kept says how many more there were."""

_HEADING = re.compile(r"^(?:article|annexe|pr[ée]ambule|titre|chapitre)\b", re.IGNORECASE)
QUOTE_LENGTH = 40


def quote(text: str, length: int = QUOTE_LENGTH) -> str:
    """« The start of ``text`` … », cut at a word.

    >>> quote("La présente convention organise la mise en œuvre des clauses sociales.")
    '« La présente convention organise la mise… »'
    """
    text = norm(text)
    if len(text) <= length:
        return f"« {text} »"
    cut = text[:length].rsplit(" ", 1)[0] or text[:length]
    return f"« {cut}… »"


def _heading(text: str) -> bool:
    return bool(_HEADING.match(text)) and len(text) <= 120


def label_findings(view: DocumentView, findings: Sequence[Finding]) -> list[Finding]:
    """Give the .docx body findings a label: « sous « Article 3 : DURÉE », « La présente… » »."""
    if view.kind != "docx":
        return list(findings)
    labels: dict[int, str] = {}
    under: str | None = None
    body: list[TextLine] = [line for line in view.lines if line.region in ("body", "table")
                            and line.location.label is None]
    for line in body:
        paragraph = line.location.paragraph
        text = norm(line.text)
        if paragraph is None or not text:
            continue
        if _heading(text):
            under = quote(text, 50)
            labels.setdefault(paragraph, under)
            continue
        where = f"sous {under}, " if under else ""
        labels.setdefault(paragraph, f"{where}{quote(text)}")
    labelled = []
    for finding in findings:
        location = finding.location
        if location.label is None and location.paragraph in labels and location.page is None \
                and location.field is None:
            finding = replace(finding, location=replace(location,
                                                        label=labels[location.paragraph]))
        labelled.append(finding)
    return labelled


def shorten(findings: Sequence[Finding], keep: int = KEEP_PER_CODE) -> list[Finding]:
    """Keep the first ``keep`` findings of each code; the last kept one counts the others."""
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.code] = counts.get(finding.code, 0) + 1
    kept: list[Finding] = []
    seen: dict[str, int] = {}
    for finding in findings:
        seen[finding.code] = seen.get(finding.code, 0) + 1
        rank, total = seen[finding.code], counts[finding.code]
        if rank > keep:
            continue
        if rank == keep and total > keep:
            more = total - keep
            finding = replace(finding, message=f"{finding.message} ; et {more} autre"
                              f"{'s' if more > 1 else ''} constat{'s' if more > 1 else ''} du "
                              "même type")
        kept.append(finding)
    return kept
