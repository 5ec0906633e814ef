"""docs/reliability.md: its table is the hostile corpus, as tools/reliability_table.py writes it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from .conftest import tool

ROOT = Path(__file__).resolve().parent.parent


def _tool() -> ModuleType:
    return tool("reliability_table")


def test_table_counts_outcomes_per_class() -> None:
    tool = _tool()
    text = tool.table({"a": "errors", "b": "errors", "c": "bounds", "d": "other"},
                      {"a": "held", "b": "failed", "c": "skipped"})
    assert "| errors | " in text and " | 2 | 1 | 1 | 0 |" in text
    assert "| bounds | " in text and " | 1 | 0 | 0 | 1 |" in text
    assert "| other |  | 1 | 0 | 0 | 0 |" in text
    assert text.endswith("| **all** | | **4** | **1** | **1** | **1** |")


def test_write_replaces_only_the_table(tmp_path: Path) -> None:
    tool = _tool()
    page = tmp_path / "page.md"
    page.write_text(f"avant\n{tool.BEGIN}\nancien\n{tool.END}\naprès\n", encoding="utf-8")
    tool.write("| nouveau |", page)
    assert page.read_text(encoding="utf-8") == (
        f"avant\n{tool.BEGIN}\n| nouveau |\n{tool.END}\naprès\n")


def test_page_lists_every_case_of_the_corpus() -> None:
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "--collect-only", "-m",
                           "hostile", "-p", "no:cacheprovider", str(ROOT / "tests")],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    collected = re.search(r"(\d+)/\d+ tests collected", done.stdout)
    assert collected, done.stdout[-500:]
    page = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    total = re.search(r"\| \*\*all\*\* \| \| \*\*(\d+)\*\* \| \*\*(\d+)\*\* \| \*\*0\*\* \|", page)
    assert total, "run: python tools/reliability_table.py"
    assert int(total.group(1)) == int(collected.group(1))
