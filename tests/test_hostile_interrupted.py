"""Hostile corpus, class « interrupted »: a batch killed without warning leaves nothing behind,
and the next run finishes the job without redoing what was done (issue 17, group 3)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from convention_docs import batch
from convention_docs._batch_state import remove_dead_workdirs

from .conftest import MINIMAL, command_lines, needs_libreoffice
from .hostile import hostile, left_in, spec

pytestmark = hostile("interrupted")

CLI = ("import sys; from convention_docs.cli import main; sys.exit(main())",)


def _cli(*argv: str | Path) -> list[str]:
    return [sys.executable, "-c", *CLI, *map(str, argv)]


def _ours(scratch: Path) -> list[int]:
    """Live processes whose command line names ``scratch`` (our LibreOffice, its UNO worker)."""
    mark = str(scratch).encode()
    return [pid for pid, line in command_lines().items() if mark in line]


@needs_libreoffice
@pytest.mark.slow
@pytest.mark.parametrize("mode", ["threads", "isolate"])
def test_sigkill_of_a_batch_then_rerun(mode: str, tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"  # the batch's TMPDIR: LibreOffice's profiles and files go there
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "COLUMNS": "200"}
    specs = [spec(tmp_path, MINIMAL, name=f"conv-{i:02d}.yaml") for i in range(16)]
    outdir = tmp_path / "out"
    command = _cli("batch", *specs, "--outdir", outdir, "--format", "pdf",
                   "--jobs", "2", *(["--isolate"] if mode == "isolate" else []))
    running = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if outdir.is_dir() and len(list(outdir.glob("*.pdf"))) >= 3:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the batch wrote no PDF in 120 s")
        profiles = [p.name for p in scratch.rglob("convention-docs-lo-*")]
        assert profiles and _ours(scratch)  # LibreOffice is running
        running.send_signal(signal.SIGKILL)
        running.wait(10)
    finally:
        if running.poll() is None:
            running.kill()
            running.wait()

    # LibreOffice (and the isolated workers) died with their parent; their folders, files and
    # named pipes went with them
    deadline = time.monotonic() + 30
    while (_ours(scratch) or list(scratch.iterdir())
           or any(name.startswith(".") for name in left_in(outdir))) \
            and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _ours(scratch) == []
    assert list(scratch.iterdir()) == []  # no profile, no lu*.tmp
    done_before = {p.name for p in outdir.glob("*.pdf")}
    assert left_in(outdir) == sorted(done_before)  # no .convention-docs-<pid>-* folder
    assert not [pipe for pipe in Path("/tmp").glob("OSL_PIPE_*")
                if any(name in pipe.name for name in profiles)]

    # the next run skips what is up to date and makes the rest
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    said = " ".join(again.stdout.split())
    assert again.returncode == 0, said + again.stderr
    skipped = sum(said.count(f"à jour {path}") for path in specs)
    assert 1 <= skipped <= len(done_before)
    assert (f"{16 - skipped}/16 convention(s) produite(s) dans {outdir}, {skipped} déjà à "
            "jour (--force pour les refaire)") in said
    assert sorted(p.name for p in outdir.iterdir()) == [f"conv-{i:02d}.pdf" for i in range(16)]

    # and a third run has nothing to do
    third = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert third.returncode == 0
    assert "0/16 convention(s) produite(s)" in " ".join(third.stdout.split())
    assert "16 déjà à jour" in " ".join(third.stdout.split())


def test_up_to_date_outputs_are_skipped_unless_forced(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    specs = [spec(tmp_path, MINIMAL, name=f"c{i}.yaml") for i in range(3)]
    outdir = tmp_path / "out"
    first = batch(specs, outdir, formats=("docx",))
    assert [r.skipped for r in first] == [False] * 3 and all(r.ok for r in first)
    stamps = {p.name: p.stat().st_mtime_ns for p in outdir.iterdir()}

    second = batch(specs, outdir, formats=("docx",))
    assert [r.skipped for r in second] == [True] * 3
    assert {p.name: p.stat().st_mtime_ns for p in outdir.iterdir()} == stamps

    # a changed spec, a touched output, a deleted output: rebuilt; the rest skipped
    data = dict(MINIMAL, object="relative à une autre clause sociale")
    spec(tmp_path, data, name="c0.yaml")
    (outdir / "c1.docx").write_bytes((outdir / "c1.docx").read_bytes() + b"\0")
    third = batch(specs, outdir, formats=("docx",))
    assert [r.skipped for r in third] == [False, False, True]

    # another option (PDF/A) or --force: rebuilt
    forced = batch(specs, outdir, formats=("docx",), force=True)
    assert [r.skipped for r in forced] == [False] * 3
    assert sorted(p.name for p in outdir.iterdir()) == ["c0.docx", "c1.docx", "c2.docx"]


def test_a_changed_template_rebuilds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from convention_docs.docx import template_file

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    template = tmp_path / "modele.docx"
    with template_file() as default:
        shutil.copyfile(default, template)
    specs = [spec(tmp_path, MINIMAL, name="c.yaml")]
    outdir = tmp_path / "out"
    assert not batch(specs, outdir, formats=("docx",), template=template)[0].skipped
    assert batch(specs, outdir, formats=("docx",), template=template)[0].skipped
    with template.open("ab") as handle:
        handle.write(b"\0")  # a different file (still a valid ZIP: trailing bytes are ignored)
    assert not batch(specs, outdir, formats=("docx",), template=template)[0].skipped


def test_no_home_folder_does_not_stop_a_batch(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("HOME", raising=False)

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", None)
    results = batch([spec(tmp_path, MINIMAL, name="c.yaml")], tmp_path / "out",
                    formats=("docx",))
    assert results[0].ok and not results[0].skipped
    assert batch([spec(tmp_path, MINIMAL, name="c.yaml")], tmp_path / "out",
                 formats=("docx",))[0].skipped


def _dead_pid() -> int:
    pid = 4_000_000
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            pass
        pid -= 1


def test_next_run_removes_what_dead_runs_left(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    outdir = tmp_path / "out"
    outdir.mkdir()
    dead = outdir / f".convention-docs-{_dead_pid()}-abc123"
    (dead / "tmp").mkdir(parents=True)
    (dead / "0.pdf").write_bytes(b"%PDF-1.7 half")
    dead_file = outdir / f".convention-docs-{_dead_pid()}-xyz.tmp"
    dead_file.write_bytes(b"half")
    alive = outdir / f".convention-docs-{os.getpid()}-live"
    alive.mkdir()
    mine = outdir / "notes.txt"  # not ours: never touched
    mine.write_text("à garder")
    assert remove_dead_workdirs(outdir) == 2
    assert sorted(p.name for p in outdir.iterdir()) == [alive.name, "notes.txt"]
    dead.mkdir()
    results = batch([spec(tmp_path, MINIMAL, name="c.yaml")], outdir, formats=("docx",))
    assert results[0].ok
    assert sorted(p.name for p in outdir.iterdir()) == [alive.name, "c.docx", "notes.txt"]
