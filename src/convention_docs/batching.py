"""``batch()``: many specs → .docx/.pdf, in parallel worker processes, losing none of the good.

Each worker process owns one warm ``Converter`` (its own LibreOffice and profile) and does the
Python work (load, render, validate, metadata) on its own core, so the Python work of one
convention overlaps LibreOffice's conversion of another. A spec that fails is reported with its
reason and the batch goes on; a worker that dies is replaced and only its current spec is lost
(reported as failed). Results stream back in completion order (``on_result``, for a progress
bar) and are returned in the order given. Nothing is accumulated but the small reports.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.context import SpawnProcess
from pathlib import Path
from typing import Any

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


def _worker(tasks: Any, results: Any, job: _Job) -> None:
    """A worker process: one warm Converter, specs from ``tasks`` until ``None``."""
    converter = _LazyConverter(job)
    try:
        while (task := tasks.get()) is not None:
            index, spec, problem = task
            results.put(("start", index, os.getpid()))
            results.put(("done", index, _one(spec, problem, job, converter)))
    finally:
        converter.close()


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


def _in_workers(items: list[tuple[Path, str | None]], job: _Job, jobs: int,
                on_result: Callable[[BatchResult], None] | None) -> list[BatchResult]:
    context = multiprocessing.get_context("spawn")  # no fork of a threaded parent
    tasks = context.Queue()
    done_queue = context.Queue()
    for index, (spec, problem) in enumerate(items):
        tasks.put((index, spec, problem))
    results: list[BatchResult | None] = [None] * len(items)
    workers: dict[int, SpawnProcess] = {}
    current: dict[int, int] = {}  # worker pid -> index it is working on
    remaining = len(items)
    started_any = False  # a worker that dies before its first spec cannot be helped by a new one
    deaths = 0

    def start() -> None:
        process = context.Process(target=_worker, args=(tasks, done_queue, job), daemon=True)
        process.start()
        assert process.pid is not None
        workers[process.pid] = process

    def finish(index: int, result: BatchResult) -> None:
        nonlocal remaining
        if results[index] is None:
            results[index] = result
            remaining -= 1
            if on_result is not None:
                on_result(result)

    for _ in range(jobs):
        start()
    try:
        while remaining:
            try:
                kind, index, payload = done_queue.get(timeout=0.5)
            except queue.Empty:
                for pid, process in list(workers.items()):
                    if process.is_alive():
                        continue
                    del workers[pid]
                    deaths += 1
                    lost = current.pop(pid, None)
                    if lost is not None:
                        finish(lost, BatchResult(items[lost][0], error=ConversionError(
                            f"{items[lost][0]} : le processus de travail s'est arrêté "
                            f"(code {process.exitcode}) pendant cette convention")))
                    if remaining and (started_any or deaths < jobs):
                        start()
                if remaining and not workers:
                    # workers cannot start here (e.g. a __main__ that cannot be re-imported):
                    # do what is left in this process rather than lose it
                    left = [i for i, r in enumerate(results) if r is None]
                    for i, result in zip(left, _in_process([items[i] for i in left], job, None),
                                         strict=True):
                        finish(i, result)
                continue
            if kind == "start":
                started_any = True
                current[payload] = index
            else:
                for pid, working_on in list(current.items()):
                    if working_on == index:
                        del current[pid]
                finish(index, payload)
    finally:
        for _ in workers:
            tasks.put(None)
        for process in workers.values():
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
                process.join()
        tasks.close()
        done_queue.close()
    return [r for r in results if r is not None]

