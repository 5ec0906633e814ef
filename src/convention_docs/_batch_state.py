"""What a batch remembers in its output folder: which outputs are up to date, and what dead runs
left behind.

- **Up to date**: after each convention written, one line is appended to the output folder's
  record, kept out of it (the folder holds conventions only) in the user's cache:
  ``$XDG_CACHE_HOME/convention-docs/batches/<hash of the folder's path>.jsonl`` (default
  ``~/.cache``): the output's name, its size and modification time,
  and a key made of the spec's bytes, the template's bytes, the logo files' sizes and times, the
  options and the library's version. The next run skips a convention whose every output is
  still exactly what that line describes (``force=True`` rebuilds). Appending is atomic for
  such short lines, from threads and from worker processes alike; a line cut by a crash is
  ignored; the file is rewritten compactly (temporary file, rename) at the end of a batch.
- **Left behind**: a run killed without warning leaves its working folders
  ``.convention-docs-<pid>-…`` in the output folder; the next run removes those whose process
  is gone (those of a live run are left alone). LibreOffice's own processes and folders are
  handled at once by :mod:`._reaper`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from convention_docs.model import Convention

__all__ = ["BatchState", "remove_dead_workdirs", "state_file"]

_WORKDIR_PREFIX = ".convention-docs-"


def state_file(outdir: Path) -> Path:
    """Where the record of ``outdir`` is kept (see the module's documentation)."""
    cache = os.environ.get("XDG_CACHE_HOME")
    if not cache:
        try:
            cache = str(Path.home() / ".cache")
        except (RuntimeError, KeyError):  # no home folder: the record is kept for this boot
            cache = tempfile.gettempdir()
    name = hashlib.sha256(str(outdir.absolute()).encode("utf-8", "surrogateescape"))
    return Path(cache) / "convention-docs" / "batches" / f"{name.hexdigest()[:32]}.jsonl"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def remove_dead_workdirs(outdir: Path) -> int:
    """Remove the working folders that runs now dead left in ``outdir``; return how many."""
    removed = 0
    with contextlib.suppress(OSError):
        for entry in outdir.iterdir():
            name = entry.name
            if not name.startswith(_WORKDIR_PREFIX):
                continue
            pid_text = name[len(_WORKDIR_PREFIX):].split("-", 1)[0]
            if not pid_text.isdigit() or _alive(int(pid_text)):
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    entry.unlink()
            removed += 1
    return removed


def _digest(path: Path | None) -> str:
    if path is None:
        return "-"
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return "?"
    return digest.hexdigest()


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


class BatchState:
    """The up-to-date record of one output folder (see the module's documentation)."""

    def __init__(self, outdir: Path, *, template: Path | None, options: str) -> None:
        from convention_docs import __version__

        self.outdir = outdir
        self.path = state_file(outdir)
        self._lock = threading.Lock()
        if template is None:
            from convention_docs.docx import template_file

            with template_file() as default:
                template_digest = _digest(Path(default))
        else:
            template_digest = _digest(template)
        self._common = f"{__version__}|{options}|{template_digest}"
        self._known: dict[str, dict[str, Any]] = {}
        with contextlib.suppress(OSError):
            for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
                with contextlib.suppress(ValueError, TypeError, KeyError):
                    entry = json.loads(line)
                    self._known[str(entry["output"])] = entry

    def key(self, spec: Path, model: Convention) -> str:
        """The key of ``spec`` rendered now: what its outputs depend on."""
        logos: list[str] = []
        funding = model.funding
        if funding is not None:
            files = [funding.fse_logo, *funding.partner_logos] if funding.fse_logo else \
                list(funding.partner_logos)
            logos = [f"{logo.path}:{_stamp(Path(logo.path))}" for logo in files]
        parts = [self._common, _digest(spec), *logos]
        return hashlib.sha256("|".join(parts).encode("utf-8", "surrogateescape")).hexdigest()

    def up_to_date(self, outputs: Iterable[Path], key: str) -> bool:
        """Whether every output exists exactly as recorded under ``key``."""
        for output in outputs:
            entry = self._known.get(output.name)
            stamp = _stamp(output)
            if entry is None or stamp is None or entry.get("key") != key \
                    or [entry.get("size"), entry.get("mtime_ns")] != list(stamp):
                return False
        return True

    def record(self, outputs: Iterable[Path], key: str) -> None:
        """Remember that ``outputs`` were just written under ``key`` (appended at once)."""
        lines = []
        for output in outputs:
            stamp = _stamp(output)
            if stamp is None:
                continue
            entry = {"output": output.name, "key": key, "size": stamp[0],
                     "mtime_ns": stamp[1]}
            lines.append(json.dumps(entry, ensure_ascii=True) + "\n")
            with self._lock:
                self._known[output.name] = entry
        if lines:
            with contextlib.suppress(OSError):
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self.path.open("a", encoding="utf-8") as handle:
                    handle.write("".join(lines))

    def compact(self) -> None:
        """Rewrite the record with one line per output still present (temporary file, rename).
        Lines appended by other processes (``isolate=True``) are read back first."""
        with contextlib.suppress(OSError):
            for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
                with contextlib.suppress(ValueError, TypeError, KeyError):
                    entry = json.loads(line)
                    self._known[str(entry["output"])] = entry
        entries = [e for name, e in sorted(self._known.items())
                   if (self.outdir / name).exists()]
        if not self.path.parent.is_dir():
            return
        try:
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=self.path.parent,
                                             prefix=f".{os.getpid()}-", suffix=".tmp",
                                             delete=False) as handle:
                handle.write("".join(json.dumps(e, ensure_ascii=True) + "\n" for e in entries))
            Path(handle.name).replace(self.path)
        except OSError:
            with contextlib.suppress(OSError, UnboundLocalError):
                Path(handle.name).unlink()
