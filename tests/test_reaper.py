"""The watcher that outlives us: folders watched before they exist, removed when we die."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from convention_docs import _reaper


def test_a_new_folder_is_watched_before_it_exists(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    said: list[tuple[str, bool]] = []
    real = _reaper._send

    def send(line: str) -> None:
        order, _, value = line.partition(" ")
        said.append((order, Path(value).exists()))
        real(line)

    monkeypatch.setattr(_reaper, "_send", send)
    first = _reaper.new_folder("work-", tmp_path)
    second = _reaper.new_folder("work-", tmp_path)
    assert first != second and first.parent == second.parent == tmp_path
    assert first.name.startswith("work-") and first.is_dir()
    assert first.stat().st_mode & 0o777 == 0o700  # private, as mkdtemp makes them
    # told to the watcher while it did not exist yet: no moment where it exists unwatched
    assert said == [("d+", False), ("d+", False)]
    _reaper.forget_folder(first)
    _reaper.forget_folder(second)


def test_a_folder_that_cannot_be_made_is_forgotten(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    said: list[str] = []
    monkeypatch.setattr(_reaper, "_send", said.append)
    with pytest.raises(FileNotFoundError):
        _reaper.new_folder("work-", tmp_path / "missing")
    assert [line.split(" ")[0] for line in said] == ["d+", "d-"]


def test_the_folders_of_a_killed_process_are_removed(tmp_path: Path) -> None:
    code = ("import os, signal, sys; from pathlib import Path; "
            "from convention_docs import _reaper; "
            "folder = _reaper.new_folder('work-', Path(sys.argv[1])); "
            "(folder / 'half-written.pdf').write_bytes(b'%PDF-'); "
            "print(folder, flush=True); os.kill(os.getpid(), signal.SIGKILL)")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == -signal.SIGKILL
    folder = Path(done.stdout.strip())
    assert folder.parent == tmp_path
    deadline = time.monotonic() + 15
    while folder.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not folder.exists()
    assert list(tmp_path.iterdir()) == []
