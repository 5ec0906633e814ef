"""Run the hostile corpus (tests marked ``@pytest.mark.hostile("<class>")``) and write its table,
class by class (cases tried, held, failed, skipped), into ``docs/reliability.md``.

    python tools/reliability_table.py            # run the corpus, rewrite the table
    python tools/reliability_table.py --collect  # only count the cases (no run), print them

The table sits between the markers ``<!-- reliability-table -->`` and
``<!-- /reliability-table -->`` of the page; the rest of the page is left as written.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "reliability.md"
BEGIN, END = "<!-- reliability-table -->", "<!-- /reliability-table -->"

CLASSES = {
    "errors": "a traceback instead of a clear error: impossible values, deep or huge specs, "
              "hostile templates, bombs, encrypted files, unwritable destinations, a converter "
              "writing junk, bad input in a batch",
    "bounds": "time and memory: special and sparse files, .docx bombs, PDFs too complex to "
              "check, YAML aliases, endless templates, a hanging LibreOffice, pypdf's chatter",
    "interrupted": "a batch killed with SIGKILL: LibreOffice dies with it, nothing is left "
                   "behind, the next run skips what is up to date",
    "confidentiality": "a rendered .docx says nothing of its template (application, rsids)",
}


class _Collector:
    """A pytest plugin noting the class and the outcome of each hostile case."""

    def __init__(self) -> None:
        self.kind: dict[str, str] = {}
        self.outcome: dict[str, str] = {}

    def pytest_collection_modifyitems(self, items: list[Any]) -> None:
        for item in items:
            marker = item.get_closest_marker("hostile")
            if marker is not None:
                self.kind[item.nodeid] = str(marker.args[0])

    def pytest_runtest_logreport(self, report: Any) -> None:
        if report.nodeid not in self.kind:
            return
        if report.failed:
            self.outcome[report.nodeid] = "failed"
        elif report.skipped:
            self.outcome.setdefault(report.nodeid, "skipped")
        elif report.when == "call":
            self.outcome.setdefault(report.nodeid, "held")


def table(kinds: dict[str, str], outcomes: dict[str, str]) -> str:
    """The Markdown table of the corpus (``outcomes`` empty: collected only)."""
    per_class: dict[str, Counter[str]] = defaultdict(Counter)
    for nodeid, kind in kinds.items():
        per_class[kind]["tried"] += 1
        per_class[kind][outcomes.get(nodeid, "not run")] += 1
    lines = ["| class | what is tried | cases | held | failed | skipped |",
             "| --- | --- | ---: | ---: | ---: | ---: |"]
    total: Counter[str] = Counter()
    for kind in [*CLASSES, *sorted(set(per_class) - set(CLASSES))]:
        counts = per_class.get(kind, Counter())
        total.update(counts)
        lines.append(f"| {kind} | {CLASSES.get(kind, '')} | {counts['tried']} | "
                     f"{counts['held']} | {counts['failed']} | {counts['skipped']} |")
    lines.append(f"| **all** | | **{total['tried']}** | **{total['held']}** | "
                 f"**{total['failed']}** | **{total['skipped']}** |")
    return "\n".join(lines)


def write(text: str, page: Path = PAGE) -> None:
    """Put ``text`` between the markers of ``page``."""
    content = page.read_text(encoding="utf-8")
    head, _, rest = content.partition(BEGIN)
    _, _, tail = rest.partition(END)
    page.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--collect", action="store_true", help="count the cases, run nothing")
    args = parser.parse_args(argv)
    collector = _Collector()
    options = ["-q", "-m", "hostile", "-p", "no:cacheprovider", str(ROOT / "tests")]
    code = pytest.main([*options, "--collect-only"] if args.collect else options,
                       plugins=[collector])
    text = table(collector.kind, collector.outcome)
    print(text)
    if not args.collect:
        write(text)
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
