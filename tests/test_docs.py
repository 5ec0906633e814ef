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
