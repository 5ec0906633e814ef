"""batch(): worker processes, failures isolated, errors that cross process boundaries."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest
import yaml

from convention_docs import batch
from convention_docs.errors import (
    ConventionRejected,
    ConversionError,
    DocumentError,
    SpecError,
    TemplateError,
)
from convention_docs.validate import Report


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
