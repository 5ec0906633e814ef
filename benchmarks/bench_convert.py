"""LibreOffice conversion, measured side by side: naive, cold batch, warm, two warm in parallel.

    python benchmarks/bench_convert.py [N]        (N documents, 20 by default)

- naive: one ``soffice --convert-to`` process per file (its own profile, created beforehand);
- cold, one call: ``Converter(warm=False).convert``, one process per document;
- cold batch: ``Converter(warm=False).convert_many``: one process for the N files;
- two cold batches in parallel (threads, N/2 each): LibreOffice's floor with both cores;
- warm: ``Converter()`` (one long-lived LibreOffice), its start, then the median per document;
- two warm converters in parallel (threads, N/2 each), once started.

Every PDF is checked (exists, starts with ``%PDF-``). The documents are convention-sized: about
three A4 pages of French text, a table, a logo.
"""

from __future__ import annotations

import io
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from docx import Document
from docx.shared import Mm
from PIL import Image, ImageDraw

from convention_docs.convert import Converter, PdfOptions, find_soffice

PARAGRAPH = ("La structure s'engage à réserver au moins 7\u202f% des heures travaillées à des "
             "personnes éloignées de l'emploi, soit 1\u202f250\u00a0heures, « clause sociale "
             "d'insertion » comprise ; le facilitateur accompagne l'entreprise attributaire. ")


def make_docx(path: Path, number: int) -> Path:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    document.core_properties.title = f"Convention d'insertion n° {number}"
    logo = Image.new("RGB", (300, 120), "white")
    ImageDraw.Draw(logo).rectangle((10, 10, 110, 110), fill=(0, 51, 153))
    buffer = io.BytesIO()
    logo.save(buffer, format="PNG")
    buffer.seek(0)
    document.add_picture(buffer, width=Mm(50))
    document.add_heading(f"CONVENTION DE PARTENARIAT n° {number}", level=1)
    for article in range(1, 9):
        document.add_heading(f"Article {article}", level=2)
        for _ in range(2):
            document.add_paragraph(PARAGRAPH * 3)
    table = document.add_table(rows=3, cols=2)
    for row, (party, person) in enumerate([("L'État", "M. Durand"),
                                           ("La Maison de l'emploi", "Mme Martin"),
                                           ("Le Département", "M. Petit")]):
        table.cell(row, 0).text, table.cell(row, 1).text = party, person
    document.save(str(path))
    return path


def check(pdfs: list[Path]) -> None:
    for pdf in pdfs:
        with pdf.open("rb") as handle:
            if handle.read(5) != b"%PDF-":
                raise SystemExit(f"{pdf} : pas un PDF")


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main(count: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-convert-"))
    try:
        run(work, count)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(work: Path, count: int) -> None:
    sources = [make_docx(work / f"conv-{n:03d}.docx", n) for n in range(count)]
    soffice, options = find_soffice(), PdfOptions()
    figures: dict[str, float] = {}

    # naive: one process per file, a profile of its own (created first, not timed)
    profile = f"-env:UserInstallation={(work / 'naive-profile').as_uri()}"
    naive_out = work / "naive"

    def naive_one(source: Path) -> None:
        subprocess.run([soffice, profile, "--headless", "--convert-to", options.filter_string(),
                        "--outdir", str(naive_out), str(source)],
                       check=True, capture_output=True, timeout=120)

    naive_one(sources[0])
    naive = [timed(lambda s=source: naive_one(s)) for source in sources]
    check([naive_out / f"{s.stem}.pdf" for s in sources])
    figures["naive, per document"] = statistics.median(naive)
    figures["naive, total"] = sum(naive)

    with Converter(warm=False) as cold:
        singles = [timed(lambda s=source: cold.convert(s, work / "cold" / f"{s.stem}.pdf"))
                   for source in sources[:5]]
        figures["cold Converter.convert, per document"] = statistics.median(singles)
        batch = timed(lambda: cold.convert_many(
            [(s, work / "batch" / f"{s.stem}.pdf") for s in sources]))
        check([work / "batch" / f"{s.stem}.pdf" for s in sources])
    figures["cold batch, total"] = batch
    figures["cold batch, per document"] = batch / count

    halves = [sources[: count // 2], sources[count // 2:]]
    with Converter(warm=False) as first, Converter(warm=False) as second, \
            ThreadPoolExecutor(2) as pool:
        def cold_half(conv: Converter, part: list[Path]) -> None:
            conv.convert_many([(s, work / "batch2" / f"{s.stem}.pdf") for s in part])

        for conv in (first, second):  # profiles created beforehand, as for the others
            conv.convert(sources[0], work / "batch2" / "profile.pdf")
        floor = timed(lambda: list(pool.map(cold_half, [first, second], halves)))
        check([work / "batch2" / f"{s.stem}.pdf" for s in sources])
    figures["two cold batches in parallel, total (floor)"] = floor

    started = time.perf_counter()
    with Converter() as warm:
        if warm.mode != "warm":
            raise SystemExit(f"mode chaud indisponible : {warm.mode_reason}")
        figures["warm start (Converter(), pipe connected)"] = time.perf_counter() - started
        warm_times = [timed(lambda s=source: warm.convert(s, work / "warm" / f"{s.stem}.pdf"))
                      for source in sources]
        check([work / "warm" / f"{s.stem}.pdf" for s in sources])
    figures["warm, per document (median)"] = statistics.median(warm_times)
    figures["warm, per document (max)"] = max(warm_times)
    figures["warm, total"] = sum(warm_times)

    with Converter() as first, Converter() as second, ThreadPoolExecutor(2) as pool:
        def warm_half(conv: Converter, part: list[Path]) -> None:
            for s in part:
                conv.convert(s, work / "warm2" / f"{s.stem}.pdf")

        parallel = timed(lambda: list(pool.map(warm_half, [first, second], halves)))
        check([work / "warm2" / f"{s.stem}.pdf" for s in sources])
    figures["two warm in parallel, total"] = parallel
    figures["two warm in parallel, per document"] = parallel / count

    print(f"{count} documents, LibreOffice at {soffice}")
    for name, seconds in figures.items():
        print(f"  {name:<48} {seconds:8.3f} s")
    warm_doc = figures["warm, per document (median)"]
    ratios = {
        "naive per document / warm per document": figures["naive, per document"] / warm_doc,
        "cold convert per document / warm per document":
            figures["cold Converter.convert, per document"] / warm_doc,
        "cold batch per document / warm per document":
            figures["cold batch, per document"] / warm_doc,
        "naive total / cold batch total": figures["naive, total"] / batch,
        "naive total / two warm in parallel": figures["naive, total"] / parallel,
        "two warm in parallel / two cold batches (floor)": parallel / floor,
    }
    for name, ratio in ratios.items():
        print(f"  {name:<48} {ratio:8.2f} ×")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
