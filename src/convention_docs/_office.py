"""LibreOffice's processes: stopped as a whole group, leaving nothing behind.

LibreOffice runs as a small launcher and ``soffice.bin`` in a process group of their own
(``start_new_session``). Killed, it leaves files a clean exit removes: its temporary folder
(``lu….tmp``, kept in the folder ``office_env`` gives it) and its named pipes (Unix sockets
``/tmp/OSL_PIPE_…``, always there whatever ``TMPDIR`` says), which ``kill_group`` removes.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

from convention_docs import _reaper

__all__ = ["kill_group", "kill_orphan_group", "kill_orphan_groups", "leaders_naming",
           "office_env"]

_KILL_GRACE = 0.5  # seconds between SIGTERM and SIGKILL
_OSL_PIPE_PREFIX = "/tmp/OSL_PIPE_"
_PROC = Path("/proc")


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def _processes() -> list[tuple[Path, int]]:
    """The ``/proc`` folder and the process group of every live process (Linux; empty
    elsewhere)."""
    found = []
    with contextlib.suppress(OSError):
        for entry in _PROC.iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError, ValueError, IndexError):
                    # after "pid (name)": state, parent, group…
                    fields = (entry / "stat").read_bytes().rsplit(b")", 1)[1].split()
                    found.append((entry, int(fields[2])))
    return found


def _group_members(pgid: int) -> list[Path]:
    """The ``/proc`` folders of the processes of group ``pgid`` (Linux; empty elsewhere)."""
    return [entry for entry, group in _processes() if group == pgid]


def _office_pipes(pgid: int) -> list[Path]:
    """The named pipes the processes of group ``pgid`` listen on: Unix sockets
    ``/tmp/OSL_PIPE_…`` that LibreOffice removes when it quits, but not when it is killed."""
    inodes = set()
    for process in _group_members(pgid):
        with contextlib.suppress(OSError):
            for fd in (process / "fd").iterdir():
                with contextlib.suppress(OSError):
                    link = str(fd.readlink())
                    if link.startswith("socket:["):
                        inodes.add(link[len("socket:["):-1])
    if not inodes:
        return []
    pipes = []
    with contextlib.suppress(OSError):
        for line in (_PROC / "net" / "unix").read_text(errors="replace").splitlines():
            fields = line.split()  # Num RefCount Protocol Flags Type St Inode [Path]
            if (len(fields) == 8 and fields[6] in inodes
                    and fields[7].startswith(_OSL_PIPE_PREFIX)):
                pipes.append(Path(fields[7]))
    return pipes


def _remove(pipes: list[Path]) -> None:
    for pipe in pipes:
        with contextlib.suppress(OSError):  # gone already: LibreOffice quit in between
            pipe.unlink()


def kill_group(proc: subprocess.Popen[bytes], grace: float = _KILL_GRACE) -> None:
    """Stop the process group led by ``proc`` (SIGTERM, SIGKILL after ``grace``) and reap it;
    remove the named pipes its LibreOffice leaves behind when killed."""
    pipes = _office_pipes(proc.pid)
    if proc.poll() is None:
        _signal_group(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(grace)
    _signal_group(proc.pid, signal.SIGKILL)  # also what outlived its leader (soffice.bin)
    proc.wait()
    _remove(pipes)
    _reaper.forget_group(proc.pid)


def kill_orphan_group(pgid: int, wait: float = 2.0) -> None:
    """Kill process group ``pgid`` that is not our child (e.g. the LibreOffice of a worker that
    died), wait up to ``wait`` s for its processes to be gone, and remove its named pipes."""
    kill_orphan_groups([pgid], wait)


def kill_orphan_groups(pgids: list[int], wait: float = 2.0) -> None:
    """``kill_orphan_group`` for several groups at once (one wait for all)."""
    pipes = [pipe for pgid in pgids for pipe in _office_pipes(pgid)]
    for pgid in pgids:
        _signal_group(pgid, signal.SIGKILL)
    deadline = time.monotonic() + wait
    while any(_group_members(pgid) for pgid in pgids) and time.monotonic() < deadline:
        time.sleep(0.02)
    _remove(pipes)


def leaders_naming(folders: list[str]) -> list[int]:
    """The process-group leaders (our LibreOffice launchers: ``start_new_session``) whose
    command line names one of ``folders`` (Linux; empty elsewhere). A LibreOffice started in
    a watched folder but whose group the watcher was not yet told is found this way; a process
    that is not the leader of its group is never returned (its group may be someone else's)."""
    marks = [mark for folder in folders
             for mark in {os.fsencode(folder), os.fsencode(Path(folder).as_uri())}]
    if not marks:
        return []
    leaders = []
    for entry, group in _processes():
        if group == int(entry.name):  # the leader of its group
            with contextlib.suppress(OSError):  # gone meanwhile
                if any(mark in (entry / "cmdline").read_bytes() for mark in marks):
                    leaders.append(group)
    return leaders


def office_env(workdir: Path) -> dict[str, str]:
    """LibreOffice's environment: its temporary files (``lu….tmp``) in ``workdir``, removed
    with it even when LibreOffice is killed."""
    scratch = workdir / "tmp"
    scratch.mkdir(exist_ok=True)
    return {**os.environ, "TMPDIR": str(scratch)}
