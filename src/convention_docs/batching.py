"""``batch()``: many specs → .docx/.pdf, in parallel worker processes, losing none of the good.

Each worker process (:mod:`convention_docs._batch_worker`, a plain Python child that never
re-imports the caller's ``__main__``) owns one warm ``Converter`` (its own LibreOffice and
profile) and does the Python work (load, render, validate, metadata) on its own core, so the
Python work of one convention overlaps LibreOffice's conversion of another. Workers are given
one spec at a time, the next as soon as they report. A spec that fails is reported with its
reason and the batch goes on; a worker that dies is replaced and only its current spec is lost
(reported as failed). Results stream back in completion order (``on_result``, for a progress
bar) and are returned in the order given. Nothing is accumulated but the small reports.
"""

from __future__ import annotations

import collections
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.spawn import get_executable
from pathlib import Path
from typing import cast

from convention_docs.build import FORMATS, build_all
from convention_docs.convert import Converter
from convention_docs.errors import ConventionDocsError, ConversionError, SpecError
from convention_docs.spec import load
from convention_docs.validate import Report

__all__ = ["BatchResult", "batch"]


@dataclass
class BatchResult:
    """The outcome for one spec of a batch: outputs written, or the error that stopped it."""

    spec: Path
    outputs: list[Path] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    error: ConventionDocsError | None = None
    pid: int = field(default_factory=os.getpid)  # the process that did the work

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


@dataclass(frozen=True)
class _Job:
    outdir: Path
    formats: tuple[str, ...]
    pdfa: bool
    template: str | None


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


def _one(spec: Path, problem: str | None, job: _Job,
         converter: Callable[[], Converter | None]) -> BatchResult:
    result = BatchResult(spec)
    try:
        if problem:
            raise SpecError([("", problem)], spec)
        model = load(spec)
        outcomes = build_all(model, [job.outdir / f"{spec.stem}.{fmt}" for fmt in job.formats],
                             template=job.template, pdfa=job.pdfa, converter=converter())
        result.outputs.extend(outcome.path for outcome in outcomes)
        result.reports.extend(outcome.report for outcome in outcomes)
    except ConventionDocsError as exc:
        result.error = exc
    return result


class _LazyConverter:
    """One warm Converter, started at the first PDF (a .docx-only batch never starts one)."""

    def __init__(self, job: _Job) -> None:
        self._wanted = "pdf" in job.formats
        self._converter: Converter | None = None

    def __call__(self) -> Converter | None:
        if self._wanted and self._converter is None:
            self._converter = Converter()
        return self._converter

    def close(self) -> None:
        if self._converter is not None:
            self._converter.close()


def batch(specs: Iterable[str | Path], outdir: str | Path, *,
          formats: Iterable[str] = FORMATS, pdfa: bool = False, jobs: int = 1,
          template: str | Path | None = None,
          on_result: Callable[[BatchResult], None] | None = None) -> list[BatchResult]:
    """Render every spec into ``outdir`` (``conv-07.yaml`` → ``conv-07.pdf``), going on past
    failures; return one ``BatchResult`` per spec, in the order given.

    ``jobs`` is the number of worker processes (each with its own LibreOffice); with 1 the work
    is done in this process.
    """
    job = _Job(Path(outdir), tuple(formats), pdfa, str(template) if template else None)
    for fmt in job.formats:
        if fmt not in FORMATS:
            raise ConventionDocsError(f"format « {fmt} » inconnu, attendu : docx, pdf")
    items = list(_targets(specs))
    if jobs <= 1 or len(items) <= 1:
        return _in_process(items, job, on_result)
    return _in_workers(items, job, min(jobs, len(items)), on_result)


def _in_process(items: list[tuple[Path, str | None]], job: _Job,
                on_result: Callable[[BatchResult], None] | None) -> list[BatchResult]:
    converter = _LazyConverter(job)
    results = []
    try:
        for spec, problem in items:
            results.append(_one(spec, problem, job, converter))
            if on_result is not None:
                on_result(results[-1])
    finally:
        converter.close()
    return results


@dataclass
class _Worker:
    """A worker process, the connections to it and the index of the spec it is working on."""

    process: subprocess.Popen[bytes]
    inbox: Connection  # we send on it
    outbox: Connection  # we receive on it
    current: int | None = None
    ready: bool = False


def _start_worker(job: _Job, scratch: str) -> _Worker:
    """Start a worker (:mod:`convention_docs._batch_worker`) with this process's ``sys.path``,
    in its own session (a Ctrl-C in the terminal reaches this process, which stops it), with
    ``scratch`` as its temporary folder: what a killed worker leaves there (its LibreOffice
    profile) is removed with it at the end of the batch."""
    bootstrap = (f"import sys; sys.path[:] = {sys.path!r}; "
                 "from convention_docs._batch_worker import main; sys.exit(main())")
    process = subprocess.Popen([get_executable(), "-c", bootstrap], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, start_new_session=True,
                               env={**os.environ, "TMPDIR": scratch})
    assert process.stdin is not None and process.stdout is not None
    worker = _Worker(process, Connection(os.dup(process.stdin.fileno()), readable=False),
                     Connection(os.dup(process.stdout.fileno()), writable=False))
    process.stdin.close()
    process.stdout.close()
    worker.inbox.send(job)
    return worker


def _stop_worker(worker: _Worker, grace: float) -> None:
    with contextlib.suppress(OSError):
        worker.inbox.send(None)
    worker.inbox.close()
    try:
        worker.process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        worker.process.kill()
        worker.process.wait()
    worker.outbox.close()


def _in_workers(items: list[tuple[Path, str | None]], job: _Job, jobs: int,
                on_result: Callable[[BatchResult], None] | None) -> list[BatchResult]:
    results: list[BatchResult | None] = [None] * len(items)
    pending = collections.deque(range(len(items)))
    workers: dict[Connection, _Worker] = {}
    retired: list[_Worker] = []
    remaining = len(items)
    started_any = False  # a worker that dies before it is ready cannot be helped by a new one
    deaths = 0
    scratch = tempfile.mkdtemp(prefix="convention-docs-batch-")

    def finish(index: int, result: BatchResult) -> None:
        nonlocal remaining
        if results[index] is None:
            results[index] = result
            remaining -= 1
            if on_result is not None:
                on_result(result)

    def give(worker: _Worker) -> None:
        """Send ``worker`` the next spec, or tell it to stop when none is left."""
        if not pending:  # it stops once its LibreOffice is closed; waited for at the end
            del workers[worker.outbox]
            retired.append(worker)
            with contextlib.suppress(OSError):
                worker.inbox.send(None)
            return
        index = pending.popleft()
        spec, problem = items[index]
        try:
            worker.inbox.send((index, spec, problem))
        except OSError:  # it died before getting the spec: another worker will do it
            pending.appendleft(index)
        else:
            worker.current = index

    def died(worker: _Worker) -> None:
        nonlocal deaths
        del workers[worker.outbox]
        _stop_worker(worker, grace=5)
        deaths += 1
        lost = worker.current
        if lost is not None:
            spec = items[lost][0]
            finish(lost, BatchResult(spec, error=ConversionError(
                f"{spec} : le processus de travail s'est arrêté (code "
                f"{worker.process.returncode}) pendant cette convention"),
                pid=worker.process.pid))
        if pending and (started_any or deaths < jobs):
            start()

    def start() -> None:
        try:
            worker = _start_worker(job, scratch)
        except OSError:
            return
        workers[worker.outbox] = worker

    for _ in range(jobs):
        start()
    try:
        while remaining:
            if not workers:
                # workers cannot run here: do what is left in this process rather than lose it
                left = [i for i, r in enumerate(results) if r is None]
                for i, result in zip(left, _in_process([items[i] for i in left], job, None),
                                     strict=True):
                    finish(i, result)
                break
            for connection in wait(list(workers)):
                worker = workers[cast(Connection, connection)]
                try:
                    message = worker.outbox.recv()
                except (EOFError, OSError):
                    died(worker)
                    continue
                if message[0] == "ready":
                    started_any = worker.ready = True
                else:
                    _, index, result = message
                    worker.current = None
                    finish(index, result)
                give(worker)
    finally:
        for worker in [*workers.values(), *retired]:
            _stop_worker(worker, grace=30)
        shutil.rmtree(scratch, ignore_errors=True)
    return [r for r in results if r is not None]
