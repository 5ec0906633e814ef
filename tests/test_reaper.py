"""The watcher that outlives us: folders watched before they exist, removed when we die."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from convention_docs import _reaper
from convention_docs._office import leaders_naming


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
    folder = Path(_killed_after(
        "folder = _reaper.new_folder('work-', Path(sys.argv[1])); "
        "(folder / 'half-written.pdf').write_bytes(b'%PDF-'); print(folder)", tmp_path))
    assert folder.parent == tmp_path
    deadline = time.monotonic() + 15
    while folder.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not folder.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_libreoffice_started_before_its_group_was_told_dies_with_us(tmp_path: Path) -> None:
    # killed between starting LibreOffice in its private folder and telling its group
    office = int(_killed_after(
        "folder = _reaper.new_folder('convention-docs-lo-', Path(sys.argv[1])); "
        "office = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)', "
        "f'-env:UserInstallation={(folder / \"profile\").as_uri()}'], "
        "start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
        "print(office.pid)", tmp_path))
    deadline = time.monotonic() + 15
    while (_alive(office) or list(tmp_path.iterdir())) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = _alive(office)
    if alive:
        os.kill(office, signal.SIGKILL)
    assert not alive
    assert list(tmp_path.iterdir()) == []


def test_only_group_leaders_naming_the_folder_are_found(tmp_path: Path) -> None:
    folder = tmp_path / "convention-docs-lo-x"
    leader = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)",
                               folder.as_uri()], start_new_session=True)
    member = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)",
                               str(folder)])  # in our own group: never to be killed as one
    try:
        deadline = time.monotonic() + 10
        found: list[int] = []
        while leader.pid not in found and time.monotonic() < deadline:  # its argv, once exec'd
            found = leaders_naming([str(folder)])
            time.sleep(0.02)
        assert found == [leader.pid]
        assert leaders_naming([str(tmp_path / "elsewhere")]) == []
        assert leaders_naming([]) == []
    finally:
        for process in (leader, member):
            process.kill()
            process.wait()


def _killed_after(code: str, folder: Path) -> str:
    """Run ``code`` in a new Python process (``sys.argv[1]`` is ``folder``), which then dies
    by SIGKILL; return what it printed."""
    script = ("import os, signal, subprocess, sys; from pathlib import Path; "
              f"from convention_docs import _reaper; {code}; sys.stdout.flush(); "
              "os.kill(os.getpid(), signal.SIGKILL)")
    done = subprocess.run([sys.executable, "-c", script, str(folder)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == -signal.SIGKILL, done.stderr
    return done.stdout.strip()


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, reaped by nobody yet, counts as dead)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[0]
    except OSError:
        return False
    return state != b"Z"
