"""``render()`` and ``batch()``: model → .docx → .pdf, validated, written atomically.

Every output is produced in a private temporary folder next to its destination, validated, and
only then renamed onto the destination: a refused or failed render leaves nothing there (an
existing file at the destination stays untouched).
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
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

__all__ = ["BatchResult", "BuildResult", "batch", "build", "build_all", "render"]

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


def _kind(destination: Path) -> str:
    kind = destination.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise ConventionDocsError(
            f"{destination} : format de sortie « {destination.suffix or '(aucun)'} » non pris "
            "en charge, attendu : .docx ou .pdf")
    return kind


def build_all(convention: Convention | str | Path | Mapping[str, Any],
              destinations: Sequence[str | Path], *, template: str | Path | None = None,
              pdfa: bool = False, converter: Converter | None = None,
              draft: bool = False) -> list[BuildResult]:
    """Render ``convention`` once to every destination (.docx and/or .pdf), validate each, and
    write them all, or none: on errors ``ConventionRejected`` is raised and nothing is written.
    """
    model = _as_convention(convention)
    targets = [Path(d) for d in destinations]
    kinds = [_kind(target) for target in targets]
    if not targets:
        return []
    model_report = validate(model)
    if model_report.errors and not draft:
        raise ConventionRejected(model_report, destination=targets[0])
    for target in targets:
        target.parent.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix=".convention-docs-", dir=targets[0].parent))
    try:
        docx_path = workdir / "convention.docx"
        render_docx(model, docx_path, template=template, draft=draft)
        produced: list[tuple[Path, Path, Report]] = []
        for index, (target, kind) in enumerate(zip(targets, kinds, strict=True)):
            path = docx_path
            if kind == "docx":
                path = workdir / f"{index}.docx"
                shutil.copyfile(docx_path, path)
            else:
                path = workdir / f"{index}.pdf"
                with ExitStack() as stack:
                    # a one-off render starts LibreOffice once: cold mode costs the same
                    conv = converter or stack.enter_context(Converter(warm=False))
                    conv.convert(docx_path, path, PdfOptions(pdfa=pdfa))
                set_metadata(path, **_pdf_metadata(model))
            report = validate(path, convention=model)
            # The document's findings, plus what only the model can tell (field paths).
            codes = report.codes()
            report = Report.of(str(target), report.kind,
                               (*report.findings, *(f for f in model_report.findings
                                                    if f.code not in codes)))
            if report.errors and not draft:
                raise ConventionRejected(report, destination=target)
            produced.append((path, target, report))
        for path, target, _ in produced:
            _move(path, target)
        return [BuildResult(target, report) for _, target, report in produced]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _move(path: Path, target: Path) -> None:
    """Put ``path`` at ``target`` atomically (a rename; via a temporary file in the target's
    folder when it is on another file system)."""
    try:
        path.replace(target)
    except OSError:
        with tempfile.NamedTemporaryFile(dir=target.parent, prefix=".convention-docs-",
                                         delete=False) as handle:
            temporary = Path(handle.name)
        try:
            shutil.copyfile(path, temporary)
            temporary.replace(target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise


def build(convention: Convention | str | Path | Mapping[str, Any], destination: str | Path, *,
          template: str | Path | None = None, pdfa: bool = False,
          converter: Converter | None = None, draft: bool = False) -> BuildResult:
    """Render ``convention`` to ``destination`` (.docx or .pdf), validate it, and return both.

    Raises ``ConventionRejected`` (nothing written) when the validator finds errors, unless
    ``draft`` is true: a draft is written anyway and says « PROJET » on its first page.
    """
    return build_all(convention, [destination], template=template, pdfa=pdfa,
                     converter=converter, draft=draft)[0]


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
            outcomes = build_all(model, [outdir / f"{spec.stem}.{fmt}" for fmt in wanted],
                                 template=template, pdfa=pdfa,
                                 converter=converter() if "pdf" in wanted else None)
            result.outputs.extend(outcome.path for outcome in outcomes)
            result.reports.extend(outcome.report for outcome in outcomes)
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
