"""``batch(isolate=True)``: the specs done in worker processes, each with its own LibreOffice.

The workers are plain ``python -c`` children, not ``multiprocessing`` ones, so they never
re-import the caller's ``__main__`` (a script without ``if __name__ == "__main__":`` works, and
a heavy notebook or script is not run again in every worker). Messages are pickles framed by
:class:`multiprocessing.connection.Connection` on the worker's original stdin and stdout; the
worker then points its file descriptors 0 and 1 at ``/dev/null`` and stderr, so a stray
``print`` can never corrupt a frame.

Protocol: the parent sends the job, the worker answers ``("ready", pid)``; then for each task
``(index, spec, problem)`` the worker answers ``("done", index, BatchResult)``; ``None`` (or the
parent going away) ends it. Workers are given one spec at a time, the next as soon as they
report. A worker that dies is replaced and only its current spec is lost (reported as failed);
its temporary folder (LibreOffice profile) is removed at the end. When no worker can start at
all, the batch is done in this process.
"""

from __future__ import annotations

import collections
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.spawn import get_executable
from pathlib import Path
from typing import cast

from convention_docs import _reaper
from convention_docs._office import kill_orphan_group
from convention_docs.batching import BatchResult, _GivingUp, _in_process, _Job, _one
from convention_docs.build import WORKDIR_PREFIX
from convention_docs.errors import ConversionError
from convention_docs.pool import ConverterPool

__all__ = ["main", "run"]


@dataclass
class _Worker:
    """A worker process, the connections to it and the index of the spec it is working on."""

    process: subprocess.Popen[bytes]
    inbox: Connection  # we send on it
    outbox: Connection  # we receive on it
    scratch: Path  # its temporary folder
    current: int | None = None
    ready: bool = False


def _start_worker(job: _Job, scratch: Path) -> _Worker:
    """Start a worker (this module's :func:`main`) with this process's ``sys.path``,
    in its own session (a Ctrl-C in the terminal reaches this process, which stops it), with
    ``scratch`` as its temporary folder: what a killed worker leaves (its LibreOffice, its
    profile) is found there (:func:`_kill_leftovers`) and removed."""
    bootstrap = (f"import sys; sys.path[:] = {sys.path!r}; "
                 "from convention_docs._batch_processes import main; sys.exit(main())")
    process = subprocess.Popen([get_executable(), "-c", bootstrap], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, start_new_session=True,
                               env={**os.environ, "TMPDIR": str(scratch)})
    assert process.stdin is not None and process.stdout is not None
    _reaper.watch_group(process.pid)  # killed with us, even by SIGKILL (then its own watcher
    # stops its LibreOffice)
    worker = _Worker(process, Connection(os.dup(process.stdin.fileno()), readable=False),
                     Connection(os.dup(process.stdout.fileno()), writable=False), scratch)
    process.stdin.close()
    process.stdout.close()
    worker.inbox.send(job)
    return worker


def _kill_leftovers(scratch: Path) -> None:
    """Kill the processes a dead worker started (its LibreOffice and UNO bridge, each in its
    own process group), found by the folder names on their command lines (Linux ``/proc``)."""
    names = [str(scratch).encode(),
             *(path.name.encode() for path in scratch.glob("convention-docs-lo-*"))]
    groups = set()
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            command = (entry / "cmdline").read_bytes()
            if any(name in command for name in names):
                groups.add(os.getpgid(int(entry.name)))
        except (OSError, ValueError):
            continue  # gone meanwhile
    for group in groups - {os.getpgrp()}:  # never our own
        kill_orphan_group(group)


def _stop_worker(worker: _Worker, grace: float) -> None:
    with contextlib.suppress(OSError):
        worker.inbox.send(None)
    worker.inbox.close()
    try:
        worker.process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        worker.process.kill()
        worker.process.wait()
    _reaper.forget_group(worker.process.pid)
    worker.outbox.close()


def _remove_tree(folder: Path, patience: float = 15.0) -> None:
    """Remove ``folder``, trying again while something else (a dead worker's
    :mod:`._reaper`) is removing inside it at the same time."""
    deadline = time.monotonic() + patience
    while True:
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists() or time.monotonic() > deadline:
            return
        time.sleep(0.05)


def run(items: list[tuple[Path, str | None]], job: _Job, jobs: int,
        on_result: Callable[[BatchResult], None] | None) -> list[BatchResult]:
    """``batch(isolate=True)``: the items done by ``jobs`` worker processes."""
    results: list[BatchResult | None] = [None] * len(items)
    pending = collections.deque(range(len(items)))
    workers: dict[Connection, _Worker] = {}
    retired: list[_Worker] = []
    remaining = len(items)
    started_any = False  # a worker that dies before it is ready cannot be helped by a new one
    deaths = 0
    scratch = _reaper.new_folder("convention-docs-batch-")  # removed if we die, even by SIGKILL

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
        _kill_leftovers(worker.scratch)
        for unfinished in job.outdir.glob(f"{WORKDIR_PREFIX}{worker.process.pid}-*"):
            shutil.rmtree(unfinished, ignore_errors=True)
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
            folder = Path(tempfile.mkdtemp(prefix="worker-", dir=scratch))
            worker = _start_worker(job, folder)
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
        _remove_tree(scratch)
        _reaper.forget_folder(scratch)
    return [r for r in results if r is not None]


def main() -> int:
    """Serve tasks on the inherited stdin/stdout until told to stop; return the exit code."""
    inbox = Connection(os.dup(0), writable=False)
    outbox = Connection(os.dup(1), readable=False)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.dup2(2, 1)
    try:
        job = inbox.recv()
        if not isinstance(job, _Job):
            return 2
        outbox.send(("ready", os.getpid()))
        pool = ConverterPool(1, timeout=job.timeout)
        converter = _GivingUp(pool)
        try:
            while (task := inbox.recv()) is not None:
                index, spec, problem = task
                outbox.send(("done", index, _one(spec, problem, job, converter)))
        finally:
            pool.close()
    except (EOFError, BrokenPipeError, ConnectionResetError):
        return 0  # the parent went away: nothing left to report to
    return 0
