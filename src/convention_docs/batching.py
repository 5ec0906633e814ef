"""``batch()``: many specs → .docx/.pdf, LibreOffice instances kept busy, losing none of the good.

With ``jobs=N``, threads of this process do the Python work (load, render, validate,
metadata) and share a :class:`~convention_docs.pool.ConverterPool` of N warm LibreOffice
instances: while one convention is converted, the next is rendered and the previous one's PDF
validated. (The Python work takes about a third of a conversion, so one process keeps several
instances busy, and on a small machine this beats one process per instance: no interpreter
start or import per worker, caches shared.) With ``isolate=True``, N worker processes each own
one instance instead (:mod:`._batch_processes`): slower to start, but a crash of the Python
interpreter itself on a hostile file loses only the spec it was working on.

A spec that fails is reported with its reason and the batch goes on. Results stream back in
completion order (``on_result``, called in the calling thread, for a progress bar) and are
returned in the order given. Nothing is accumulated but the small reports.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from convention_docs._batch_state import BatchState, remove_dead_workdirs
from convention_docs._limits import as_error
from convention_docs.anchors import AnchorSystem, check_system
from convention_docs.build import FORMATS, _build_all
from convention_docs.convert import PdfConverter, PdfOptions
from convention_docs.errors import (
    ConventionDocsError,
    ConventionRejected,
    ConversionError,
    SpecError,
)
from convention_docs.pool import ConverterPool
from convention_docs.spec import load
from convention_docs.validate import Report

__all__ = ["BatchResult", "batch"]

# Threads beyond the LibreOffice instances: while every instance converts, one finishes the
# previous convention (metadata, PDF validation) and one renders the next, so that a document
# is ready whenever an instance is free (measured on 2 cores, batch of 100: 6.4 s median with
# two, 6.9 s with one, 6.7 s with three).
_EXTRA_THREADS = 2


@dataclass
class BatchResult:
    """The outcome for one spec of a batch: outputs written, or the error that stopped it."""

    spec: Path
    outputs: list[Path] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    error: ConventionDocsError | None = None
    pid: int = field(default_factory=os.getpid)  # the process that did the work
    skipped: bool = False  # its outputs were already up to date (nothing was rebuilt)

    @property
    def ok(self) -> bool:
        """True when every requested output was written."""
        return self.error is None

    @property
    def exit_code(self) -> int:
        """0 written, 1 refused by the validator or conversion failed, 2 bad input (anything
        else: in a batch too, bad input is bad input)."""
        if self.error is None:
            return 0
        return 1 if isinstance(self.error, ConventionRejected | ConversionError) else 2


@dataclass(frozen=True)
class _Job:
    outdir: Path
    formats: tuple[str, ...]
    pdfa: bool
    template: str | None
    anchors: AnchorSystem | None = None
    signable: bool = False
    timeout: float = 120.0
    force: bool = True


GIVE_UP_AFTER = 2
"""Conversions failing in a row (timeouts, LibreOffice not starting) after which a batch stops
asking LibreOffice: the remaining conventions fail at once instead of waiting each time."""


class _GivingUp:
    """A converter that stops calling ``converter`` once ``GIVE_UP_AFTER`` conversions in a
    row have failed (a hanging LibreOffice costs its timeout once, not once per convention)."""

    def __init__(self, converter: PdfConverter) -> None:
        self.converter = converter
        self._failures = 0
        self._lock = threading.Lock()

    def convert(self, docx: Path, pdf: Path, options: PdfOptions = PdfOptions()) -> Path:
        with self._lock:
            failures = self._failures
        if failures >= GIVE_UP_AFTER:
            raise ConversionError(
                f"conversion abandonnée : LibreOffice a échoué {failures} fois de suite "
                "(bloqué ou absent) ; relancez le lot quand il répond",
                source=docx)
        try:
            produced = self.converter.convert(docx, pdf, options)
        except ConversionError:
            with self._lock:
                self._failures += 1
            raise
        with self._lock:
            self._failures = 0
        return produced


def _targets(specs: Iterable[str | Path]) -> Iterator[tuple[Path, str | None]]:
    seen: dict[str, Path] = {}
    for spec in specs:
        spec = Path(spec)
        if spec.stem in seen:
            yield spec, (f"même nom de sortie « {spec.stem} » que {seen[spec.stem]} : "
                         "renommez l'un des deux")
            continue
        seen[spec.stem] = spec
        yield spec, None


def _one(spec: Path, problem: str | None, job: _Job, converter: PdfConverter) -> BatchResult:
    result = BatchResult(spec)
    try:
        if problem:
            raise SpecError([("", problem)], spec)
        model = load(spec)
        targets = [job.outdir / f"{spec.stem}.{fmt}" for fmt in job.formats]
        state = _state(job)
        key = state.key(spec, model)
        if not job.force and state.up_to_date(targets, key):
            result.outputs.extend(targets)
            result.skipped = True
            return result
        outcomes = _build_all(model, targets, template=job.template, pdfa=job.pdfa,
                              converter=converter, anchors=job.anchors,
                              signable=job.signable)
        result.outputs.extend(outcome.path for outcome in outcomes)
        result.reports.extend(outcome.report for outcome in outcomes)
        state.record(result.outputs, key)
    except ConventionDocsError as exc:
        result.error = exc
    except Exception as exc:  # nothing stops the batch: reported with the spec, in French
        result.error = as_error(exc, spec)
    return result


@functools.lru_cache(maxsize=4)
def _state(job: _Job) -> BatchState:
    """The up-to-date record of ``job``'s output folder, one per process and job."""
    return BatchState(job.outdir, template=Path(job.template) if job.template else None,
                      options=f"{','.join(job.formats)}|pdfa={job.pdfa}|anchors={job.anchors}"
                              f"|signable={job.signable}")


def batch(specs: Iterable[str | Path], outdir: str | Path, *,
          formats: Iterable[str] = FORMATS, pdfa: bool = False, jobs: int = 1,
          isolate: bool = False, template: str | Path | None = None,
          on_result: Callable[[BatchResult], None] | None = None,
          anchors: AnchorSystem | None = None, signable: bool = False,
          timeout: float = 120.0, force: bool = False,
          converters: ConverterPool | None = None) -> list[BatchResult]:
    """Render every spec into ``outdir`` (``conv-07.yaml`` → ``conv-07.pdf``), going on past
    failures; return one ``BatchResult`` per spec, in the order given.

    ``jobs`` is the number of LibreOffice instances converting at once (threads of this
    process feed them); with ``isolate=True``, the number of worker processes, each with its
    own instance (see the module's documentation). ``anchors``: a parapheur's text anchors
    in the signature blocks, as for ``render``. ``signable``: each PDF gets an empty
    signature field per signatory. ``timeout`` bounds each conversion (and
    each start of LibreOffice); after ``GIVE_UP_AFTER`` failed conversions in a row, the
    remaining conventions fail at once (a hanging LibreOffice).

    A convention whose outputs are already up to date (same spec, template, logos, options
    and library version, outputs untouched since) is not rebuilt (``BatchResult.skipped``)
    unless ``force``; working folders that killed runs left in ``outdir`` are removed first
    (:mod:`._batch_state`). ``converters``: LibreOffice instances the caller started already
    (the command line starts them before importing the rendering stages), used in place of a
    pool of ``jobs`` and left open (not with ``isolate=True``).
    """
    job = _Job(Path(outdir), tuple(formats), pdfa, str(template) if template else None,
               check_system(anchors), signable, timeout, force)
    for fmt in job.formats:
        if fmt not in FORMATS:
            raise ConventionDocsError(f"format « {fmt} » inconnu, attendu : docx, pdf")
    if job.outdir.exists() and not job.outdir.is_dir():
        raise ConventionDocsError(f"{job.outdir} : ce n'est pas un dossier")
    items = list(_targets(specs))
    jobs = max(1, min(jobs, len(items)))
    _state.cache_clear()  # read again: the template or the record may have changed
    if job.outdir.is_dir():
        remove_dead_workdirs(job.outdir)
    try:
        if isolate and jobs > 1:
            from convention_docs import _batch_processes
            return _batch_processes.run(items, job, jobs, on_result)
        pool = nullcontext(converters) if converters is not None else None
        if jobs == 1:
            return _in_process(items, job, on_result, pool)
        return _in_threads(items, job, jobs, on_result, pool)
    finally:
        _state(job).compact()


def _in_process(items: list[tuple[Path, str | None]], job: _Job,
                on_result: Callable[[BatchResult], None] | None,
                given: AbstractContextManager[ConverterPool] | None = None
                ) -> list[BatchResult]:
    results = []
    with given or ConverterPool(1, timeout=job.timeout) as pool:  # started at the first PDF only
        converter = _GivingUp(pool)
        for spec, problem in items:
            results.append(_one(spec, problem, job, converter))
            if on_result is not None:
                on_result(results[-1])
    return results


class _Announcing:
    """A converter that says (``asked``) when a first conversion was asked of it."""

    def __init__(self, converter: PdfConverter) -> None:
        self.converter = converter
        self.asked = threading.Event()

    def convert(self, docx: Path, pdf: Path, options: PdfOptions = PdfOptions()) -> Path:
        self.asked.set()
        return self.converter.convert(docx, pdf, options)


def _first_alone(queue: Iterator[tuple[int, tuple[Path, str | None]]],
                 running: dict[Future[BatchResult], int], pool: ThreadPoolExecutor, job: _Job,
                 converter: PdfConverter) -> None:
    """Submit the first spec alone and wait until it is rendered and validated (its conversion
    asked) or done: it fills the per-process caches (template, styles…) once, where threads
    starting together would each fill them, at the same time (measured: a peak of 150 MiB
    instead of 117 for a batch of 500 on 2 cores). LibreOffice is starting meanwhile anyway."""
    first = next(queue, None)
    if first is None:
        return
    index, (spec, problem) = first
    announcing = _Announcing(converter)
    future = pool.submit(_one, spec, problem, job, announcing)
    running[future] = index
    future.add_done_callback(lambda _: announcing.asked.set())  # failed, or .docx only
    announcing.asked.wait()


def _in_threads(items: list[tuple[Path, str | None]], job: _Job, jobs: int,
                on_result: Callable[[BatchResult], None] | None,
                given: AbstractContextManager[ConverterPool] | None = None
                ) -> list[BatchResult]:
    """``_EXTRA_THREADS`` more threads than instances, so that an instance never waits for our
    Python work; specs are submitted a few at a time (a batch of thousands holds few futures)."""
    results: list[BatchResult | None] = [None] * len(items)
    queue = iter(enumerate(items))
    with given or ConverterPool(jobs, timeout=job.timeout) as instances, ThreadPoolExecutor(
            jobs + _EXTRA_THREADS, thread_name_prefix="convention-docs") as pool:
        converter = _GivingUp(instances)
        running: dict[Future[BatchResult], int] = {}

        def submit() -> None:
            for index, (spec, problem) in queue:
                running[pool.submit(_one, spec, problem, job, converter)] = index
                if len(running) >= 2 * (jobs + _EXTRA_THREADS):
                    return

        if "pdf" in job.formats:
            instances.start()  # LibreOffice starts while the first conventions are rendered
        try:
            _first_alone(queue, running, pool, job, converter)
            submit()
            while running:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    index = running.pop(future)
                    results[index] = future.result()
                    if on_result is not None:
                        on_result(future.result())
                submit()
        finally:
            for future in running:
                future.cancel()
    return [r for r in results if r is not None]
