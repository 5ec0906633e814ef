"""A watcher that outlives this process: when it dies, however it dies (SIGKILL included), the
LibreOffice process groups it started are killed and its temporary folders removed.

Why not ``PR_SET_PDEATHSIG``: the kernel sends that signal when the *thread* that forked the
child ends, not the process, and batches start LibreOffice from worker threads that end before
the process does (or would, if the pool were resized); and it is Linux only. Instead, one small
helper process per Python process, in a session of its own (a signal sent to our group does not
reach it), reads a pipe whose only write end we hold, never inherited by any other child. We
tell it what to watch (``g+ <pgid>``, ``d+ <folder>``) and what is over (``g- <pgid>``,
``d- <folder>``); when we die the kernel closes our end, the helper reads the end of the pipe,
kills every group still watched (named pipes ``/tmp/OSL_PIPE_…`` included, see
:mod:`._office`) and every group whose leader names a watched folder on its command line (a
LibreOffice started in its private folder, killed before we could say its group: folders are
watched before they exist, :func:`new_folder`), removes every folder still watched, then
exits.

Everything here is best effort: a helper that cannot start leaves things as they were before
(the next ``batch`` also removes what dead runs left in its output folder).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

__all__ = ["forget_folder", "forget_group", "new_folder", "watch_folder", "watch_group"]

_lock = threading.Lock()
_pipe: int | None = None
_owner: int | None = None  # the pid the pipe belongs to (a forked child starts its own)
_helper: subprocess.Popen[bytes] | None = None


def _send(line: str) -> None:
    global _pipe, _owner, _helper
    with _lock:
        if _owner != os.getpid():
            _pipe = None
            try:
                read_end, write_end = os.pipe()  # not inheritable: only the helper gets it
                try:
                    _helper = subprocess.Popen(
                        [sys.executable, "-I", "-m", "convention_docs._reaper"],
                        stdin=read_end, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                        start_new_session=True, close_fds=True)
                finally:
                    os.close(read_end)
            except OSError:
                return
            _pipe, _owner = write_end, os.getpid()
        if _pipe is None:
            return
        with contextlib.suppress(OSError):
            os.write(_pipe, line.encode("utf-8", "surrogateescape") + b"\n")


def _close() -> None:
    """At a normal exit: close our end, so that the helper sees the end of the pipe, does what
    is left to do (nothing, when everything was forgotten) and exits; wait a moment for it."""
    global _pipe
    with _lock:
        if _pipe is None or _owner != os.getpid():
            return
        with contextlib.suppress(OSError):
            os.close(_pipe)
        _pipe = None
        if _helper is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                _helper.wait(timeout=2)


atexit.register(_close)


def watch_group(pgid: int) -> None:
    """Kill process group ``pgid`` if this process dies before :func:`forget_group`."""
    _send(f"g+ {pgid}")


def forget_group(pgid: int) -> None:
    """``pgid`` was stopped by us: no longer watched."""
    _send(f"g- {pgid}")


def watch_folder(folder: Path) -> None:
    """Remove ``folder`` if this process dies before :func:`forget_folder`."""
    _send(f"d+ {folder}")


def new_folder(prefix: str, parent: Path | None = None) -> Path:
    """Create a private folder, as ``tempfile.mkdtemp(prefix=..., dir=parent)`` does, removed if
    this process dies before :func:`forget_folder`.

    Its name is watched *before* the folder is made: a process killed between ``mkdtemp`` and
    :func:`watch_folder` (a thread waiting for the interpreter's lock makes that moment last up
    to milliseconds) left the folder behind, unwatched. Raises ``OSError`` as ``mkdtemp`` does.
    """
    where = Path(parent if parent is not None else tempfile.gettempdir()).absolute()
    for _ in range(100):
        folder = where / f"{prefix}{secrets.token_hex(8)}"
        watch_folder(folder)
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:  # another's, by a chance of one in 2**64: try another name
            forget_folder(folder)
            continue
        except BaseException:
            forget_folder(folder)
            raise
        return folder
    raise FileExistsError(f"{where} : aucun nom de dossier libre")


def forget_folder(folder: Path) -> None:
    """``folder`` was removed by us: no longer watched."""
    _send(f"d- {folder}")


def _serve(stream: object) -> None:
    """The helper: read orders until the end of the pipe, then clean what is still watched."""
    groups: set[int] = set()
    folders: set[str] = set()
    for raw in stream:  # type: ignore[attr-defined]
        line = raw.decode("utf-8", "surrogateescape").rstrip("\n")
        order, _, value = line.partition(" ")
        with contextlib.suppress(ValueError):
            if order == "g+":
                groups.add(int(value))
            elif order == "g-":
                groups.discard(int(value))
            elif order == "d+":
                folders.add(value)
            elif order == "d-":
                folders.discard(value)
    from convention_docs._office import kill_orphan_groups, leaders_naming

    # also a LibreOffice started in a watched folder before we were told its group
    groups.update(leaders_naming(sorted(folders)))
    kill_orphan_groups(sorted(groups), wait=0.0)  # at once, named pipes noted first
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
    kill_orphan_groups(sorted(groups), wait=2.0)  # what a dying process wrote meanwhile
    deadline = time.monotonic() + 10.0  # others (a worker's watcher) may remove inside too
    while True:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
        if not any(os.path.lexists(folder) for folder in folders) \
                or time.monotonic() > deadline:
            return
        time.sleep(0.1)


if __name__ == "__main__":  # pragma: no cover - the helper process
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C in the terminal is for the parent
    _serve(sys.stdin.buffer)
