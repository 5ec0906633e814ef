"""Every ```python block of README.md and docs/*.md runs (docs that run)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCKS = [(page, index, code) for page in PAGES
          for index, code in enumerate(re.findall(r"```python\n(.*?)```", page.read_text(
              encoding="utf-8"), flags=re.DOTALL))]


def test_docs_have_snippets() -> None:
    assert len(BLOCKS) >= 3


@pytest.mark.libreoffice
@pytest.mark.parametrize(("page", "index", "code"), BLOCKS,
                         ids=[f"{p.name}-{i}" for p, i, _ in BLOCKS])
def test_snippet_runs(page: Path, index: int, code: str, tmp_path: Path,
                      monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": f"snippet_{page.stem}_{index}"}
    exec(compile(code, f"{page.name}[{index}]", "exec"), namespace)
    assert Path.cwd() == tmp_path


@pytest.mark.libreoffice
def test_example_script_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import runpy
    import sys

    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["render_convention.py", "examples/paca-2026.yaml", "out"])
    with pytest.raises(SystemExit) as done:
        runpy.run_path(str(ROOT / "examples" / "render_convention.py"), run_name="__main__")
    assert done.value.code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "paca-2026.docx", "paca-2026.pdf"]
