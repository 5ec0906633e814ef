"""The PDF reader before (hand-written interpreter) and after (PDFium), in the same run.

    .venv/bin/python benchmarks/bench_pdf_reader.py [--before REV] [--other PDF] [--repeat N]

- the first ``read_pdf`` in a fresh process (nothing kept yet), then ``read_pdf`` and
  ``validate(pdf)`` on the 2026 example (rendered by LibreOffice here) and on
  a 13-page document written elsewhere (the first 13 pages of ``--other``; by default the
  pdfTeX specification Debian ships with shared-mime-info), median of ``--repeat`` readings of
  the same file in one process. The code before is taken from git (``--before``, by default
  the last commit with the hand-written reader) into a temporary folder and run in its own
  process, alternating with the current code.
- Page rasterising at 150 dpi: PDFium's ``render()`` (in process) against one ``pdftoppm``
  process (poppler), for every page of both documents.

The old reader kept the lines of pages between documents by content (most pages of
conventions from one template are alike), which a file read again hits: its figures on one file
read again are its best case.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader, PdfWriter

ROOT = Path(__file__).resolve().parent.parent
BEFORE = "f68c345"  # the last commit reading PDFs with the hand-written interpreter
OTHER = Path("/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf")

_WORKER = """
import json, statistics, sys, time
from convention_docs import validate
from convention_docs.inspect import read_pdf
path, repeat = sys.argv[1], int(sys.argv[2])
start = time.perf_counter()
read_pdf(path)
first = (time.perf_counter() - start) * 1000
def median(action):
    action()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000
print(json.dumps({"first": first, "read": median(lambda: read_pdf(path)),
                  "validate": median(lambda: validate(path))}))
"""


def old_code(revision: str, folder: Path) -> Path:
    """The source tree of ``revision`` (src, templates, assets) under ``folder``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, "src", "templates",
                              "assets"], check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="tar")
    return folder / "src"


def measure(pythonpath: Path | None, pdf: Path, repeat: int) -> dict[str, float]:
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    result = subprocess.run([sys.executable, "-c", _WORKER, str(pdf), str(repeat)], env=env,
                            check=True, capture_output=True, text=True)
    figures: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def rasterise(pdf: Path, dpi: int, folder: Path) -> tuple[float, float]:
    """Seconds for every page at ``dpi``: PDFium in process, then one pdftoppm process."""
    from convention_docs.inspect.pdf import render_pages

    start = time.perf_counter()
    pages = render_pages(pdf, dpi)
    ours = time.perf_counter() - start
    tool = shutil.which("pdftoppm")
    if tool is None:
        return ours, float("nan")
    start = time.perf_counter()
    subprocess.run([tool, "-r", str(dpi), "-png", str(pdf), str(folder / "page")], check=True,
                   capture_output=True)
    poppler = time.perf_counter() - start
    assert len(pages) == len(list(folder.glob("page-*.png")))
    return ours, poppler


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", default=BEFORE)
    parser.add_argument("--other", type=Path, default=OTHER)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    from convention_docs import load, render

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        example = render(load(ROOT / "examples" / "paca-2026.yaml"), work / "paca-2026.pdf")
        documents = {"2026 example (3 pages)": example}
        if args.other.exists():
            writer = PdfWriter()
            for page in PdfReader(args.other).pages[:13]:
                writer.add_page(page)
            writer.write(work / "elsewhere.pdf")
            documents["written elsewhere (pdfTeX, 13 pages)"] = work / "elsewhere.pdf"
        old = old_code(args.before, work / "before")
        print(f"PDF reader, before ({args.before}) and after, medians of {args.repeat} "
              f"readings, best of {args.rounds} alternating rounds")
        for label, pdf in documents.items():
            before: list[dict[str, float]] = []
            after: list[dict[str, float]] = []
            for _ in range(args.rounds):
                before.append(measure(old, pdf, args.repeat))
                after.append(measure(None, pdf, args.repeat))
            names = {"first": "first read", "read": "read_pdf", "validate": "validate(pdf)"}
            for what, name in names.items():
                b = min(f[what] for f in before)
                a = min(f[what] for f in after)
                print(f"  {label:<38} {name:<14} before {b:7.1f} ms   after {a:7.1f} ms   "
                      f"after/before {a / b:5.2f}")
        print("Page rasterising at 150 dpi, every page")
        for label, pdf in documents.items():
            folder = work / f"raster-{len(label)}"
            folder.mkdir()
            timings = [rasterise(pdf, 150, folder) for _ in range(args.rounds)]
            ours = statistics.median(t[0] for t in timings)
            poppler = statistics.median(t[1] for t in timings)
            print(f"  {label:<38} render() {ours * 1000:7.0f} ms   pdftoppm {poppler * 1000:7.0f}"
                  f" ms   pdftoppm/render {poppler / ours:5.2f}")


if __name__ == "__main__":
    main()
