"""``render()`` and ``batch()``: model → .docx → .pdf, validated, written atomically.

Every output is produced in a private temporary folder next to its destination, validated, and
only then renamed onto the destination: a refused or failed render leaves nothing there (an
existing file at the destination stays untouched).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from convention_docs.convert import Converter, PdfOptions
from convention_docs.docx import render_docx
from convention_docs.errors import ConventionDocsError, ConventionRejected, SpecError
from convention_docs.model import Convention
from convention_docs.pdfmeta import set_metadata
from convention_docs.spec import load, load_data
from convention_docs.validate import Report, validate

__all__ = ["BatchResult", "BuildResult", "batch", "build", "render"]

FORMATS = ("docx", "pdf")


@dataclass(frozen=True)
class BuildResult:
    """What ``build`` wrote and what the validator said about it."""

    path: Path
    report: Report


def _as_convention(convention: Convention | str | Path | Mapping[str, Any]) -> Convention:
    if isinstance(convention, Convention):
        return convention
    if isinstance(convention, str | Path):
        return load(convention)
    return load_data(convention)


def _pdf_metadata(convention: Convention) -> dict[str, Any]:
    meta = convention.metadata
    return {
        "title": f"{convention.title} {convention.object}",
        "author": meta.drafting_organisation or "",
        "subject": meta.subject or convention.object,
        "keywords": list(meta.keywords or convention.territories),
        "language": "fr-FR",
    }


def build(convention: Convention | str | Path | Mapping[str, Any], destination: str | Path, *,
          template: str | Path | None = None, pdfa: bool = False,
          converter: Converter | None = None, draft: bool = False) -> BuildResult:
    """Render ``convention`` to ``destination`` (.docx or .pdf), validate it, and return both.

    Raises ``ConventionRejected`` (nothing written) when the validator finds errors, unless
    ``draft`` is true: a draft is written anyway and says « PROJET » on its first page.
    """
    model = _as_convention(convention)
    destination = Path(destination)
    kind = destination.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise ConventionDocsError(
            f"{destination} : format de sortie « {destination.suffix or '(aucun)'} » non pris "
            "en charge, attendu : .docx ou .pdf")
    model_report = validate(model)
    if model_report.errors and not draft:
        raise ConventionRejected(model_report, destination=destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix=".convention-docs-", dir=destination.parent))
    try:
        docx_path = workdir / f"{destination.stem}.docx"
        render_docx(model, docx_path, template=template, draft=draft)
        produced = docx_path
        if kind == "pdf":
            produced = workdir / f"{destination.stem}.pdf"
            with ExitStack() as stack:
                # a one-off render starts LibreOffice once: cold mode costs the same
                conv = converter or stack.enter_context(Converter(warm=False))
                conv.convert(docx_path, produced, PdfOptions(pdfa=pdfa))
            set_metadata(produced, **_pdf_metadata(model))
        report = validate(produced, convention=model)
        # The document's findings, plus what only the model can tell (field paths).
        codes = report.codes()
        report = Report.of(str(destination), report.kind,
                           (*report.findings, *(f for f in model_report.findings
                                                if f.code not in codes)))
        if report.errors and not draft:
            raise ConventionRejected(report, destination=destination)
        os.replace(produced, destination)
        return BuildResult(destination, report)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def render(convention: Convention | str | Path | Mapping[str, Any], destination: str | Path,
           *, template: str | Path | None = None, pdfa: bool = False,
           converter: Converter | None = None, draft: bool = False) -> Path:
    """Render ``convention`` to ``destination`` (.docx or .pdf) and return its path.

    The output is validated first; on errors nothing is written and ``ConventionRejected``
    (carrying the report) is raised.
    """
    return build(convention, destination, template=template, pdfa=pdfa, converter=converter,
                 draft=draft).path


@dataclass
class BatchResult:
    """The outcome for one spec of a batch: outputs written, or the error that stopped it."""

    spec: Path
    outputs: list[Path] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    error: ConventionDocsError | None = None

    @property
    def ok(self) -> bool:
        """True when every requested output was written."""
        return self.error is None

    @property
    def exit_code(self) -> int:
        """0 written, 1 refused by the validator or conversion failed, 2 bad input."""
        if self.error is None:
            return 0
        return 2 if isinstance(self.error, SpecError) else 1


def _targets(specs: Iterable[str | Path], outdir: Path) -> Iterator[tuple[Path, str | None]]:
    seen: dict[str, Path] = {}
    for spec in specs:
        spec = Path(spec)
        stem = spec.stem
        if stem in seen:
            yield spec, f"même nom de sortie « {stem} » que {seen[stem]} : renommez l'un des deux"
            continue
        seen[stem] = spec
        yield spec, None


def batch(specs: Iterable[str | Path], outdir: str | Path, *,
          formats: Iterable[str] = FORMATS, pdfa: bool = False, jobs: int = 1,
          template: str | Path | None = None,
          on_result: Callable[[BatchResult], None] | None = None) -> list[BatchResult]:
    """Render every spec into ``outdir`` (``conv-07.yaml`` → ``conv-07.pdf``), going on past
    failures; return one ``BatchResult`` per spec, in the order given.

    ``jobs`` LibreOffice converters work in parallel, each with its own profile.
    """
    outdir = Path(outdir)
    wanted = tuple(formats)
    for fmt in wanted:
        if fmt not in FORMATS:
            raise ConventionDocsError(f"format « {fmt} » inconnu, attendu : docx, pdf")
    items = list(_targets(specs, outdir))
    results: list[BatchResult] = [BatchResult(spec) for spec, _ in items]
    local = threading.local()
    converters: list[Converter] = []
    lock = threading.Lock()

    def converter() -> Converter:
        conv: Converter | None = getattr(local, "converter", None)
        if conv is None:
            conv = Converter()
            local.converter = conv
            with lock:
                converters.append(conv)
        return conv

    def work(index: int) -> None:
        spec, problem = items[index]
        result = results[index]
        try:
            if problem:
                raise SpecError([("", problem)], spec)
            model = load(spec)
            for fmt in wanted:
                target = outdir / f"{spec.stem}.{fmt}"
                outcome = build(model, target, template=template, pdfa=pdfa,
                                converter=converter() if fmt == "pdf" else None)
                result.outputs.append(outcome.path)
                result.reports.append(outcome.report)
        except ConventionDocsError as exc:
            result.error = exc
        if on_result is not None:
            on_result(result)

    try:
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            list(pool.map(work, range(len(items))))
    finally:
        for conv in converters:
            conv.close()
    return results
