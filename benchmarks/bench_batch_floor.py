"""Speed as users run it: ``convention-docs batch`` of N distinct specs to .docx + PDF, as a
whole process, against LibreOffice's own floor, alternating, in the same run.

    .venv/bin/python benchmarks/bench_batch_floor.py [-n 100] [--rounds 3] [--before REV]

- ours: ``convention-docs batch specs/*.yaml --outdir … --format docx,pdf`` (a new Python
  process: imports, LibreOffice starts, rendering, conversion, metadata, validation of both);
- floor: the same N .docx (rendered beforehand, untimed) converted by two
  ``soffice --convert-to pdf`` processes started at once, each with its own profile (new for
  each round, as a user's first run), N/2 files each;
- with ``--before REV``, also the batch of the code at that commit (taken from git into a
  temporary folder), in the same alternation.

Both trees are byte-compiled first, as an installed package is: otherwise a process started
with ``PYTHONDONTWRITEBYTECODE`` set compiles every module it imports (about 0.1 s each run).

Prints each round and the ratio ours/floor (median of the rounds, and best against best).
The machine may be shared: compare ratios measured in one run, not absolute times.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pdf_reader import old_code
from run import make_specs, soffice_convert

from convention_docs import load
from convention_docs.docx import render_docx

# The command line, then the CPU time of its own process on stderr's last line.
_CLI = ("import resource, sys; from convention_docs.cli import main; code = main(sys.argv[1:]); "
        "usage = resource.getrusage(resource.RUSAGE_SELF); "
        "print(usage.ru_utime + usage.ru_stime, file=sys.stderr); sys.exit(code)")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def ours(specs: list[Path], outdir: Path, pythonpath: Path | None
         ) -> tuple[float, float, float]:
    """Seconds of the whole batch, then CPU seconds of all its processes and of its Python."""
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _CLI, "batch", *map(str, specs), "--outdir",
                           str(outdir), "--format", "docx,pdf"], check=True,
                          capture_output=True, env=env, text=True)
    elapsed = time.perf_counter() - start
    assert len(list(outdir.glob("*.pdf"))) == len(specs), "batch left PDFs out"
    python = float(done.stderr.strip().splitlines()[-1])
    return elapsed, _children_cpu() - cpu, python


def floor(files: list[Path], work: Path) -> tuple[float, float]:
    """Seconds of LibreOffice's own conversion, then its CPU seconds."""
    halves = [files[0::2], files[1::2]]

    def convert(index: int) -> None:
        soffice_convert(halves[index], work / "pdf", work / f"profile-{index}")

    cpu = _children_cpu()
    start = time.perf_counter()
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(convert, range(2)))
    elapsed = time.perf_counter() - start
    assert len(list((work / "pdf").glob("*.pdf"))) == len(files), "LibreOffice left PDFs out"
    return elapsed, _children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before", help="also time the batch of the code at this commit")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "specs").mkdir()
        specs = make_specs(work / "specs", args.n)
        (work / "docx").mkdir()
        files = [work / "docx" / f"{spec.stem}.docx" for spec in specs]
        for spec, docx in zip(specs, files, strict=True):
            render_docx(load(spec), docx)
        old = old_code(args.before, work / "before") if args.before else None
        for tree in (Path(__file__).resolve().parents[1] / "src", old):
            if tree is not None:
                compileall.compile_dir(tree, quiet=1)
        times: dict[str, list[float]] = {"ours": [], "floor": [], "before": []}
        cpu: dict[str, list[tuple[float, ...]]] = {"ours": [], "floor": [], "before": []}
        for round_ in range(args.rounds):
            folder = work / f"round-{round_}"
            elapsed, *used = ours(specs, folder / "ours", None)
            times["ours"].append(elapsed)
            cpu["ours"].append(tuple(used))
            elapsed, *used = floor(files, folder / "floor")
            times["floor"].append(elapsed)
            cpu["floor"].append(tuple(used))
            if old is not None:
                elapsed, *used = ours(specs, folder / "before", old)
                times["before"].append(elapsed)
                cpu["before"].append(tuple(used))
            line = "  ".join(f"{name} {values[-1]:.1f} s" for name, values in times.items()
                             if values)
            print(f"round {round_ + 1}: {line}", flush=True)
        print(f"batch of {args.n} specs to .docx + PDF (whole process) against LibreOffice's "
              f"floor (2 soffice processes, own profiles)")
        for name in ("ours", "before"):
            if times[name]:
                ratios = [a / b for a, b in zip(times[name], times["floor"], strict=True)]
                print(f"  {name}/floor: median of rounds {statistics.median(ratios):.2f}, "
                      f"best/best {min(times[name]) / min(times['floor']):.2f}")
        # Both cores are busy in either (the ratio of times is one of CPU): where it goes.
        print("CPU seconds, median of rounds (all processes; of which our Python process)")
        for name in ("ours", "before", "floor"):
            if cpu[name]:
                total = statistics.median(c[0] for c in cpu[name])
                line = f"  {name:6s} {total:5.1f}"
                if name != "floor":
                    line += f"  (Python {statistics.median(c[1] for c in cpu[name]):.1f})"
                print(line)


if __name__ == "__main__":
    main()
