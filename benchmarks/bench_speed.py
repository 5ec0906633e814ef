"""The speed work of issue 15's follow-up, before and after, in the same run.

    .venv/bin/python benchmarks/bench_speed.py [--before REV] [-n 20] [--rounds 3]

Alternating the code at ``--before`` (taken from git into a temporary folder) and the current
code, each in its own process:

- ``read_pdf`` and ``validate(pdf)`` on ``n`` distinct conventions (the batch's specs rendered
  by LibreOffice beforehand), CPU time, median over the documents;
- our Python work per convention: ``build_all`` to .docx + PDF with a warm ``Converter``, CPU
  time of the Python process (LibreOffice runs in its own processes), median over ``n``
  distinct specs.

The machine may be shared: compare the ratios measured in one run, not absolute times.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pdf_reader import old_code
from run import make_specs

from convention_docs import Converter, load
from convention_docs.build import build_all

_WORKER = """
import json, statistics, sys, time
from pathlib import Path
from convention_docs import Converter, load, validate
from convention_docs.build import build_all
from convention_docs.inspect import read_pdf
pdfs = [Path(p) for p in json.loads(sys.argv[1])]
specs = [Path(p) for p in json.loads(sys.argv[2])]
out = Path(sys.argv[3])
def cpu(action, items):
    action(items[0])  # caches, imports
    times = []
    for item in items[1:]:
        start = time.process_time()
        action(item)
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000
figures = {"read": cpu(read_pdf, pdfs), "validate": cpu(validate, pdfs)}
with Converter() as converter:
    def build(spec):
        build_all(load(spec), [out / f"{spec.stem}.docx", out / f"{spec.stem}.pdf"],
                  converter=converter)
    figures["build"] = cpu(build, specs)
print(json.dumps(figures))
"""


def measure(pythonpath: Path | None, pdfs: list[Path], specs: list[Path], out: Path
            ) -> dict[str, float]:
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    out.mkdir(parents=True)
    result = subprocess.run(
        [sys.executable, "-c", _WORKER, json.dumps(list(map(str, pdfs))),
         json.dumps(list(map(str, specs))), str(out)],
        env=env, check=True, capture_output=True, text=True)
    figures: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before", default="3e1c873")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "specs").mkdir()
        specs = make_specs(work / "specs", args.n)
        pdfs = []
        with Converter() as converter:
            for spec in specs:
                pdfs.append(work / "pdf" / f"{spec.stem}.pdf")
                build_all(load(spec), [pdfs[-1]], converter=converter)
        old = old_code(args.before, work / "before")
        runs: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
        for round_ in range(args.rounds):
            for name, path in (("before", old), ("after", None)):
                runs[name].append(measure(path, pdfs, specs, work / f"{name}-{round_}"))
            print(f"round {round_ + 1}: " + "  ".join(
                f"{name} " + " ".join(f"{k} {v:.1f}" for k, v in figures[-1].items())
                for name, figures in runs.items()), flush=True)
        print(f"CPU ms, median of rounds (before {args.before} → after), ratio before/after")
        for key in ("read", "validate", "build"):
            before = statistics.median(r[key] for r in runs["before"])
            after = statistics.median(r[key] for r in runs["after"])
            print(f"  {key:9} {before:6.1f} → {after:6.1f}  ({before / after:.2f}×)")


if __name__ == "__main__":
    main()
