"""batch(): threads sharing LibreOffice instances, or worker processes; failures isolated."""

from __future__ import annotations

import os
import pickle
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml

from convention_docs import _batch_processes, batch
from convention_docs.batching import BatchResult
from convention_docs.errors import (
    AssetError,
    ConventionRejected,
    ConversionError,
    DocumentError,
    SpecError,
    TemplateError,
)
from convention_docs.validate import Report

from .conftest import command_lines, descendants


def spec_file(folder: Path, data: dict[str, Any], name: str) -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("error", [
    SpecError([("parties[0].key", "champ obligatoire manquant")], "a.yaml"),
    TemplateError("variable inconnue", template="t.docx", variable="x"),
    ConversionError("échec", source="a.docx", details="exit 1"),
    DocumentError("illisible", path="a.pdf"),
    ConventionRejected(Report.of("a.pdf", "pdf", ()), destination="a.pdf"),
])
def test_errors_survive_pickling(error: Exception) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert copy.__dict__.keys() >= {k for k in error.__dict__ if not k.startswith("_")}


def test_worker_processes_keep_order_and_isolate_failures(tmp_path: Path,
                                                          minimal: dict[str, Any]) -> None:
    specs = [spec_file(tmp_path, minimal, f"conv-{i}.yaml") for i in range(4)]
    broken = dict(minimal)
    broken.pop("funding")
    specs.insert(2, spec_file(tmp_path, broken, "refused.yaml"))
    seen: list[str] = []
    results = batch(specs, tmp_path / "out", formats=("docx",), jobs=2,
                    on_result=lambda r: seen.append(r.spec.name))
    assert [r.spec for r in results] == specs
    assert sorted(seen) == sorted(s.name for s in specs)
    assert [r.exit_code for r in results] == [0, 0, 1, 0, 0]
    assert isinstance(results[2].error, ConventionRejected)
    assert "FUNDING_MISSING" in results[2].error.report.codes()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        f"conv-{i}.docx" for i in range(4)]


def _worker_pids() -> set[int]:
    """Our children running a batch worker."""
    found = set()
    for pid, command in command_lines().items():
        if b"_batch_processes" in command:
            try:
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == os.getpid():
                found.add(pid)
    return found


def _killer() -> tuple[Callable[[BatchResult], None], list[int]]:
    """An ``on_result`` that SIGKILLs one worker process at the first result, and the list
    where the killed pid goes."""
    killed: list[int] = []

    def kill_one(result: BatchResult) -> None:
        if not killed:
            pid = next(iter(_worker_pids()))
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    return kill_one, killed


def test_workers_never_run_the_callers_main_again(tmp_path: Path,
                                                  minimal: dict[str, Any]) -> None:
    """A script without ``if __name__ == "__main__":`` works: its body runs once, in the
    parent; the specs are done in other processes; nothing is printed on stderr."""
    specs = [spec_file(tmp_path, minimal, f"conv-{i}.yaml") for i in range(3)]
    script = tmp_path / "unguarded.py"
    script.write_text(
        "import os, sys\n"
        "from convention_docs import batch\n"
        "print('MAIN', file=sys.stderr)\n"
        f"results = batch({[str(s) for s in specs]!r}, {str(tmp_path / 'out')!r},\n"
        "                formats=('docx',), jobs=2, isolate=True)\n"
        "print([r.exit_code for r in results], all(r.pid != os.getpid() for r in results))\n",
        encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[0, 0, 0] True"
    assert done.stderr == "MAIN\n"


def test_a_worker_that_dies_loses_at_most_its_current_spec(tmp_path: Path,
                                                           minimal: dict[str, Any]) -> None:
    specs = [spec_file(tmp_path, minimal, f"conv-{i}.yaml") for i in range(8)]
    kill_one, killed = _killer()

    results = batch(specs, tmp_path / "out", formats=("docx",), jobs=2, isolate=True,
                    on_result=kill_one)
    assert [r.spec for r in results] == specs
    lost = [r for r in results if not r.ok]
    assert len(lost) <= 1
    for result in lost:
        assert result.pid == killed[0]
        assert isinstance(result.error, ConversionError)
        assert "le processus de travail s'est arrêté" in str(result.error)
    # every good output is there, nothing half-made; the lost spec's output may be there too
    # (written and renamed into place just before the kill, which came before its report)
    written = {p.name for p in (tmp_path / "out").iterdir()}
    good = {f"{r.spec.stem}.docx" for r in results if r.ok}
    assert good <= written <= good | {f"{r.spec.stem}.docx" for r in lost}
    assert _worker_pids() == set()  # the dead one reaped, the others stopped


def test_batch_runs_in_process_when_workers_cannot_start(
        tmp_path: Path, minimal: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_batch_processes, "get_executable", lambda: str(tmp_path / "none"))
    specs = [spec_file(tmp_path, minimal, f"conv-{i}.yaml") for i in range(3)]
    results = batch(specs, tmp_path / "out", formats=("docx",), jobs=2, isolate=True)
    assert [r.exit_code for r in results] == [0, 0, 0]
    assert {r.pid for r in results} == {os.getpid()}


def _processes_mentioning(text: bytes) -> set[int]:
    return {pid for pid, command in command_lines().items() if text in command}


@pytest.mark.libreoffice
def test_a_killed_pdf_worker_leaves_no_libreoffice_and_no_profile(
        tmp_path: Path, minimal: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
        new_stale_pipes: Callable[[], set[Path]]) -> None:
    private = tmp_path / "tmp"  # a temporary folder of its own: others may run batches too
    private.mkdir()
    monkeypatch.setenv("TMPDIR", str(private))
    monkeypatch.setattr(tempfile, "tempdir", None)  # recomputed from TMPDIR
    assert Path(tempfile.gettempdir()) == private
    scratch_before = set(private.glob("convention-docs-batch-*"))
    specs = [spec_file(tmp_path, minimal, f"conv-{i}.yaml") for i in range(4)]
    kill_one, killed = _killer()

    results = batch(specs, tmp_path / "out", jobs=2, isolate=True, on_result=kill_one)
    assert sum(not r.ok for r in results) <= 1
    assert all(r.ok or r.pid == killed[0] for r in results)
    assert set(private.glob("convention-docs-batch-*")) == scratch_before
    scratch = f"{private}/convention-docs-batch-".encode()
    deadline = time.monotonic() + 20
    while _processes_mentioning(scratch) and time.monotonic() < deadline:
        time.sleep(0.2)  # the dead worker's UNO bridge sees the end of its input, stops soffice
    assert _processes_mentioning(scratch) == set()
    assert new_stale_pipes() == set()


def test_threads_report_in_the_calling_thread_and_keep_order(
        tmp_path: Path, minimal: dict[str, Any]) -> None:
    specs = [spec_file(tmp_path, minimal, f"conv-{i}.yaml") for i in range(7)]
    specs.insert(3, spec_file(tmp_path, {"title": "incomplet"}, "bad.yaml"))
    callers: set[str] = set()
    results = batch(specs, tmp_path / "out", formats=("docx",), jobs=3,
                    on_result=lambda r: callers.add(threading.current_thread().name))
    assert callers == {threading.current_thread().name}
    assert [r.spec for r in results] == specs
    assert [r.exit_code for r in results] == [0, 0, 0, 2, 0, 0, 0, 0]
    assert {r.pid for r in results} == {os.getpid()}


def test_a_bug_in_one_spec_does_not_stop_the_batch(
        tmp_path: Path, minimal: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    from convention_docs import batching

    real_load = batching.load

    def flaky_load(path: Any) -> Any:
        if Path(path).name == "conv-1.yaml":
            raise RuntimeError("boom")
        return real_load(path)

    monkeypatch.setattr(batching, "load", flaky_load)
    specs = [spec_file(tmp_path, minimal, f"conv-{i}.yaml") for i in range(3)]
    results = batch(specs, tmp_path / "out", formats=("docx",), jobs=2)
    # issue 17: in a batch too, what was not expected is an error of the input (exit 2)
    assert [r.exit_code for r in results] == [0, 2, 0]
    assert str(results[1].error) == (f"{specs[1]} : erreur inattendue (RuntimeError : boom) ; "
                                     "si les données sont correctes, merci de la signaler")


def _instances() -> set[bytes]:
    """The private LibreOffice profiles (one per instance) named on the command lines of this
    test process's descendants (other processes on the machine may run LibreOffice too)."""
    ours = descendants(os.getpid())
    return {name for pid, command in command_lines().items() if pid in ours
            for name in re.findall(rb"convention-docs-lo-\w+", command)}


@pytest.mark.libreoffice
def test_threads_share_at_most_jobs_libreoffice_instances(
        tmp_path: Path, minimal: dict[str, Any]) -> None:
    specs = [spec_file(tmp_path, minimal, f"conv-{i}.yaml") for i in range(5)]
    before = _instances()  # other tests' still exiting
    seen: list[int] = []

    def count(result: BatchResult) -> None:
        seen.append(len(_instances() - before))

    results = batch(specs, tmp_path / "out", jobs=2, on_result=count)
    assert all(r.ok for r in results), [str(r.error) for r in results if not r.ok]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        f"conv-{i}.{ext}" for i in range(5) for ext in ("docx", "pdf"))
    assert 0 < max(seen) <= 2
    deadline = time.monotonic() + 10
    while _instances() - before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _instances() - before == set()


def test_converter_pool_refuses_misuse(tmp_path: Path) -> None:
    from convention_docs.pool import ConverterPool

    with pytest.raises(ValueError, match="au moins 1 convertisseur, pas 0"):
        ConverterPool(0)
    pool = ConverterPool(1)
    pool.close()
    with pytest.raises(ConversionError, match="ce groupe de convertisseurs est fermé"):
        pool.convert(tmp_path / "a.docx", tmp_path / "a.pdf")
    assert pool.started == 0  # nothing was started for nothing


class _FakeInstance:
    """Stands for a LibreOffice instance in the pool's own logic (the real ones are tested
    above): starts in ``delay`` s, ``close`` waits at ``barrier`` when one is given."""

    made: ClassVar[list[_FakeInstance]] = []
    delay: ClassVar[float] = 0.1
    barrier: ClassVar[threading.Barrier | None] = None
    mode: ClassVar[str] = "warm"  # "cold": LibreOffice started anew for each conversion

    def __init__(self, timeout: float) -> None:
        time.sleep(self.delay)
        self.closed = False
        self.converted: list[str] = []  # the names of the documents it converted
        self.workdir = Path(tempfile.mkdtemp(prefix="fake-instance-"))
        _FakeInstance.made.append(self)

    def convert(self, docx: Path, pdf: Path, options: object = None) -> Path:
        self.converted.append(docx.name)
        pdf.write_bytes(b"%PDF-fake")
        return pdf

    def close(self) -> None:
        if self.barrier is not None:
            self.barrier.wait()  # times out unless every instance is being closed at once
        self.closed = True
        shutil.rmtree(self.workdir, ignore_errors=True)


@pytest.fixture
def fake_instances(monkeypatch: pytest.MonkeyPatch) -> type[_FakeInstance]:
    from convention_docs import pool

    monkeypatch.setattr(_FakeInstance, "made", [])
    monkeypatch.setattr(pool, "Converter", _FakeInstance)
    return _FakeInstance


def test_pool_starts_its_instances_ahead_and_stops_them_all_at_once(
        tmp_path: Path, fake_instances: type[_FakeInstance],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from convention_docs.pool import ConverterPool

    pool = ConverterPool(2)
    pool.start()
    pool.start()  # nothing more: both are already starting
    assert pool.convert(tmp_path / "a.docx", tmp_path / "a.pdf").read_bytes() == b"%PDF-fake"
    deadline = time.monotonic() + 10
    while pool.started < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert pool.started == 2
    pool.start()
    monkeypatch.setattr(_FakeInstance, "barrier", threading.Barrier(2, timeout=5))
    pool.close()
    assert len(fake_instances.made) == 2
    assert all(instance.closed for instance in fake_instances.made)


def test_pool_warms_up_the_instances_it_starts_ahead_only(
        tmp_path: Path, fake_instances: type[_FakeInstance]) -> None:
    from convention_docs.docx import DEFAULT_TEMPLATE
    from convention_docs.pool import ConverterPool

    with ConverterPool(2) as ahead:
        ahead.start()
        deadline = time.monotonic() + 10
        while (len(fake_instances.made) < 2 or not all(i.converted for i in fake_instances.made)
               ) and time.monotonic() < deadline:
            time.sleep(0.01)
        # each converted the built-in template before anything was asked of it
        assert [i.converted for i in fake_instances.made] == [[DEFAULT_TEMPLATE]] * 2
        ahead.convert(tmp_path / "a.docx", tmp_path / "a.pdf")
        assert sorted(i.converted for i in fake_instances.made) == [
            [DEFAULT_TEMPLATE], [DEFAULT_TEMPLATE, "a.docx"]]
    with ConverterPool(1) as on_demand:  # started for a conversion waiting: no warm-up
        on_demand.convert(tmp_path / "b.docx", tmp_path / "b.pdf")
        assert fake_instances.made[-1].converted == ["b.docx"]


def test_pool_does_not_warm_up_a_cold_converter(
        tmp_path: Path, fake_instances: type[_FakeInstance],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from convention_docs.pool import ConverterPool

    monkeypatch.setattr(_FakeInstance, "mode", "cold")  # no UNO bridge on this machine
    with ConverterPool(1) as pool:
        pool.start()
        pool.convert(tmp_path / "a.docx", tmp_path / "a.pdf")  # waits for the one started
        assert [i.converted for i in fake_instances.made] == [["a.docx"]]


def test_pool_lends_an_instance_whose_warm_up_failed(
        tmp_path: Path, fake_instances: type[_FakeInstance],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from convention_docs import docx
    from convention_docs.pool import ConverterPool

    def missing(name: str = docx.DEFAULT_TEMPLATE) -> Any:
        raise AssetError("ressource introuvable dans le paquet : templates/convention.docx")

    monkeypatch.setattr(docx, "template_file", missing)  # a damaged installation
    with ThreadPoolExecutor(1) as threads, ConverterPool(1) as pool:  # closed first
        pool.start()
        converting = threads.submit(pool.convert, tmp_path / "a.docx", tmp_path / "a.pdf")
        assert converting.result(timeout=10).read_bytes() == b"%PDF-fake"  # not left waiting
        assert fake_instances.made[0].converted == ["a.docx"]


def test_pool_closed_while_instances_start_stops_them_too(
        tmp_path: Path, fake_instances: type[_FakeInstance],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from convention_docs.pool import ConverterPool

    monkeypatch.setattr(_FakeInstance, "delay", 0.3)
    pool = ConverterPool(3)
    pool.start()
    pool.close()  # waits for the three starting, then stops them
    assert len(fake_instances.made) == 3
    assert all(instance.closed for instance in fake_instances.made)
    with pytest.raises(ConversionError, match="ce groupe de convertisseurs est fermé"):
        pool.convert(tmp_path / "a.docx", tmp_path / "a.pdf")


def test_pool_leaves_no_thread_waiting_for_an_instance_that_failed_to_start(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from convention_docs import pool

    class Failing:
        def __init__(self, timeout: float) -> None:
            time.sleep(0.2)
            raise ConversionError("LibreOffice n'a pas démarré")

    monkeypatch.setattr(pool, "Converter", Failing)
    converters = pool.ConverterPool(2)
    converters.start()  # fails in the background, silently: the conversions say why
    errors: list[str] = []

    def use() -> None:
        try:
            converters.convert(tmp_path / "a.docx", tmp_path / "a.pdf")
        except ConversionError as exc:
            errors.append(str(exc))

    threads = [threading.Thread(target=use) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert not any(thread.is_alive() for thread in threads)  # none left waiting forever
    assert errors == ["LibreOffice n'a pas démarré"] * 4
    converters.close()
    assert converters.started == 0


def test_threads_start_once_the_first_spec_filled_the_caches(
        tmp_path: Path, minimal: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """The first spec goes alone until it is rendered and checked (here: done, .docx only):
    threads starting together would each fill the same caches at the same time."""
    from convention_docs import batching

    real_build = batching._build_all
    events: list[tuple[str, str]] = []

    def recording_build(model: Any, destinations: Any, **options: Any) -> Any:
        name = Path(destinations[0]).stem
        events.append(("start", name))
        try:
            return real_build(model, destinations, **options)
        finally:
            events.append(("end", name))

    monkeypatch.setattr(batching, "_build_all", recording_build)
    specs = [spec_file(tmp_path, minimal, f"conv-{i}.yaml") for i in range(6)]
    results = batch(specs, tmp_path / "out", formats=("docx",), jobs=2)
    assert all(r.ok for r in results)
    assert events[:2] == [("start", "conv-0"), ("end", "conv-0")]
    assert sorted(name for kind, name in events if kind == "end") == [s.stem for s in specs]
