"""Benchmarks of convention_docs against the naive pipeline, measured side by side in one run.

    .venv/bin/python benchmarks/run.py            # N=100 conventions, memory on 500
    .venv/bin/python benchmarks/run.py --quick    # N=20, memory on 100

Figures (medians unless said): in-process .docx render; our Python work per convention (model,
render, validation, metadata); validation of a .docx and of a PDF; one conversion through a warm
Converter vs a cold one; a batch of N conventions to .docx + PDF, validated (``batch``, 2 jobs)
vs the naive pipeline (docxtpl render, then one ``soffice --convert-to`` process per file) and
vs LibreOffice's own floor (its batch conversion of the same N .docx files, one process per
core; ours and the floor alternate for ``--rounds`` rounds, best of each); the peak memory of a
Python process running a batch.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

from convention_docs import Converter, batch, load
from convention_docs.build import _pdf_metadata, build_all
from convention_docs.convert import PdfOptions, find_soffice
from convention_docs.docx import render_docx
from convention_docs.pdfmeta import set_metadata
from convention_docs.validate import validate

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "paca-2026.yaml"


def median_ms(action: Callable[[], object], repeat: int,
              clock: Callable[[], float] = time.perf_counter) -> float:
    """Median of ``repeat`` timings of ``action`` after one warm-up, in ms: wall time, or with
    ``clock=time.process_time`` the CPU time of this process (not of its children)."""
    action()  # warm-up
    times = []
    for _ in range(repeat):
        start = clock()
        action()
        times.append(clock() - start)
    return statistics.median(times) * 1000


def make_specs(folder: Path, count: int) -> list[Path]:
    """``count`` conventions from the 2026 example, each with its own reference, facilitator,
    representative and first article, as a batch for many facilitators would be (the other
    articles, boilerplate, stay the same)."""
    base = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    specs = []
    for index in range(count):
        data = copy.deepcopy(base)
        data["metadata"]["reference"] = f"PACA-CS-2026-{index:03d}"
        facilitator = data["parties"][1]
        facilitator["name"] = f"La Communauté d'agglomération n° {index}"
        facilitator["representative"]["last_name"] = f"Modèle-{index}"
        data["articles"][0]["blocks"][0] += f" (convention n° {index})"
        path = folder / f"conv-{index:03d}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        specs.append(path)
    return specs


def soffice_convert(files: list[Path], outdir: Path, profile: Path,
                    target: str = "pdf") -> None:
    subprocess.run([find_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", target, "--outdir", str(outdir), *map(str, files)],
                   check=True, capture_output=True, timeout=600)


def naive(specs: list[Path], work: Path) -> float:
    """docxtpl render, then one soffice process per file (no validation)."""
    out = work / "naive"
    out.mkdir()
    profile = work / "naive-profile"
    start = time.perf_counter()
    for spec in specs:
        docx_path = out / f"{spec.stem}.docx"
        render_docx(load(spec), docx_path)
        soffice_convert([docx_path], out, profile)
    return time.perf_counter() - start


def floor(specs: list[Path], work: Path, cores: int, target: str = "pdf") -> float:
    """LibreOffice alone: the .docx already made, one batch conversion process per core, each
    with a profile LibreOffice has already initialised (its first start in a new profile costs
    more, and a user's own soffice has one), so the floor is as low as LibreOffice gets.
    ``target`` is the ``--convert-to`` argument: plain ``pdf`` (LibreOffice's defaults: not
    tagged, images recompressed) or our export options (tagged, lossless, bookmarks)."""
    work = work / ("floor-plain" if target == "pdf" else "floor-options")
    work.mkdir()
    source = work / "floor-docx"
    source.mkdir()
    files = []
    for spec in specs:
        files.append(source / f"{spec.stem}.docx")
        render_docx(load(spec), files[-1])
    chunks = [files[i::cores] for i in range(cores)]
    profiles = [work / f"floor-profile-{i}" for i in range(cores)]
    with ThreadPoolExecutor(cores) as pool:  # initialise the profiles, untimed
        list(pool.map(lambda i: soffice_convert(files[:1], work / "floor-init", profiles[i],
                                                target), range(cores)))
    start = time.perf_counter()
    with ThreadPoolExecutor(cores) as pool:
        list(pool.map(lambda i: soffice_convert(chunks[i], work / "floor-pdf", profiles[i],
                                                target), range(cores)))
    return time.perf_counter() - start


def ours(specs: list[Path], work: Path, jobs: int, isolate: bool = False) -> float:
    start = time.perf_counter()
    results = batch(specs, work / ("ours-isolated" if isolate else "ours"),
                    formats=("docx", "pdf"), jobs=jobs, isolate=isolate)
    elapsed = time.perf_counter() - start
    failed = [r for r in results if not r.ok]
    if failed:
        raise SystemExit(f"batch failed: {failed[0].spec}: {failed[0].error}")
    return elapsed


def peak_memory(count: int, work: Path) -> float:
    """Peak RSS (MiB) of a fresh Python process running a batch of ``count`` conventions."""
    folder = work / "memory"
    folder.mkdir()
    make_specs(folder, count)
    code = (
        "import resource, sys; from pathlib import Path; from convention_docs import batch;"
        f"r = batch(sorted(Path({str(folder)!r}).glob('*.yaml')), Path({str(work)!r}) / 'mem',"
        " jobs=2); assert all(x.ok for x in r), [x.error for x in r if not x.ok][:1];"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    result = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                            text=True)
    return int(result.stdout.strip().splitlines()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("-n", type=int)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--rounds", type=int, default=2,
                        help="rounds of (ours, floor) for the batch figures, best of each")
    args = parser.parse_args()
    count = args.n or (20 if args.quick else 100)
    memory_count = 100 if args.quick else 500
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        model = load(EXAMPLE)
        docx_path, pdf_path = work / "one.docx", work / "one.pdf"
        render_docx(model, docx_path)
        with Converter() as warm:
            warm.convert(docx_path, pdf_path)
            figures["warm_convert_ms"] = median_ms(
                lambda: warm.convert(docx_path, work / "w.pdf", PdfOptions()), 20)
        with Converter(warm=False) as cold:
            figures["cold_convert_ms"] = median_ms(
                lambda: cold.convert(docx_path, work / "c.pdf", PdfOptions()), 5)
        set_metadata(pdf_path, **_pdf_metadata(model))
        figures["render_docx_ms"] = median_ms(lambda: render_docx(model, work / "r.docx"), 50)
        figures["validate_docx_ms"] = median_ms(lambda: validate(docx_path), 30)
        figures["validate_pdf_ms"] = median_ms(lambda: validate(pdf_path), 30)

        # Our Python work per convention, as the pipeline does it: load the spec, check the
        # model, render, validate the .docx, ask the warm LibreOffice for the PDF, write its
        # metadata, validate it, move both into place. LibreOffice runs in other processes, so
        # this process's CPU time is our work alone (waiting for the conversion costs none).
        with Converter() as warm:
            figures["python_work_ms"] = median_ms(
                lambda: build_all(load(EXAMPLE), [work / "b.docx", work / "b.pdf"],
                                  converter=warm), 30, clock=time.process_time)

        specs_dir = work / "specs"
        specs_dir.mkdir()
        specs = make_specs(specs_dir, count)
        # Ours and LibreOffice's floor alternate, best of the rounds for each: this machine's
        # speed drifts over minutes (shared host), which one round at a time would blame on
        # whichever ran in a slow moment.
        ours_times, floor_times, same_times = [], [], []
        same_options = PdfOptions().filter_string()
        for round_ in range(args.rounds):
            folder = work / f"round-{round_}"
            folder.mkdir()
            ours_times.append(ours(specs, folder, jobs=2))
            floor_times.append(floor(specs, folder, cores=2))
            same_times.append(floor(specs, folder, cores=2, target=same_options))
        figures["ours_batch_s"], figures["floor_s"] = min(ours_times), min(floor_times)
        figures["floor_same_options_s"] = min(same_times)
        figures["ours_isolated_s"] = ours(specs, work, jobs=2, isolate=True)
        figures["naive_s"] = naive(specs, work)
        figures["peak_rss_mib"] = peak_memory(memory_count, work)

    ratios = {
        "naive / ours (target >= 10)": figures["naive_s"] / figures["ours_batch_s"],
        "ours / floor (target <= 1.5)": figures["ours_batch_s"] / figures["floor_s"],
        "ours / floor with our PDF options": (figures["ours_batch_s"]
                                              / figures["floor_same_options_s"]),
        "cold / warm (target >= 4)": figures["cold_convert_ms"] / figures["warm_convert_ms"],
    }
    print(f"convention_docs benchmarks — N={count}, memory batch={memory_count}")
    rows = [
        ("render .docx, in process (median)", f"{figures['render_docx_ms']:.1f} ms"),
        ("our Python work per convention (median; target <= 50 ms)",
         f"{figures['python_work_ms']:.1f} ms"),
        ("validate .docx (median; target <= 50 ms)", f"{figures['validate_docx_ms']:.1f} ms"),
        ("validate PDF (median; target <= 100 ms)", f"{figures['validate_pdf_ms']:.1f} ms"),
        ("warm Converter, one conversion (median; target <= 200 ms)",
         f"{figures['warm_convert_ms']:.0f} ms"),
        ("cold conversion (median)", f"{figures['cold_convert_ms']:.0f} ms"),
        (f"batch of {count} to .docx + PDF, validated (jobs=2, threads; best of "
         f"{args.rounds})",
         f"{figures['ours_batch_s']:.1f} s"),
        ("same, isolate=True (2 worker processes)", f"{figures['ours_isolated_s']:.1f} s"),
        (f"LibreOffice floor: {count} .docx → PDF, 2 processes (best of {args.rounds})",
         f"{figures['floor_s']:.1f} s"),
        ("same, with our PDF options (tagged, lossless images, bookmarks)",
         f"{figures['floor_same_options_s']:.1f} s"),
        (f"naive pipeline: {count} × (docxtpl + soffice)", f"{figures['naive_s']:.1f} s"),
        (f"peak RSS of a Python process, batch of {memory_count} (target < 150 MiB)",
         f"{figures['peak_rss_mib']:.0f} MiB"),
    ]
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")
    for label, value in ratios.items():
        print(f"  {label:<{width}}  {value:.2f}")
    if args.json:
        args.json.write_text(json.dumps({**figures, **ratios}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
