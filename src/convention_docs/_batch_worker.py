"""A ``batch()`` worker process, started by :mod:`convention_docs.batching` (not for users).

It is a plain ``python -c`` child, not a ``multiprocessing`` one, so it never re-imports the
caller's ``__main__`` (a script without ``if __name__ == "__main__":`` works, and a heavy
notebook or script is not run again in every worker). Messages are pickles framed by
:class:`multiprocessing.connection.Connection` on the worker's original stdin and stdout; the
worker then points its file descriptors 0 and 1 at ``/dev/null`` and stderr, so a stray
``print`` can never corrupt a frame.

Protocol: the parent sends the job, the worker answers ``("ready", pid)``; then for each task
``(index, spec, problem)`` the worker answers ``("done", index, BatchResult)``; ``None`` (or the
parent going away) ends it.
"""

from __future__ import annotations

import os
from multiprocessing.connection import Connection

from convention_docs.batching import _Job, _LazyConverter, _one

__all__ = ["main"]


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
        converter = _LazyConverter(job)
        try:
            while (task := inbox.recv()) is not None:
                index, spec, problem = task
                outbox.send(("done", index, _one(spec, problem, job, converter)))
        finally:
            converter.close()
    except (EOFError, BrokenPipeError, ConnectionResetError):
        return 0  # the parent went away: nothing left to report to
    return 0
