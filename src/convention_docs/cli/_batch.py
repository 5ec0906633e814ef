"""``convention-docs batch SPECS… --outdir DIR``: many conventions, LibreOffice kept warm."""

from __future__ import annotations

import argparse
import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from convention_docs.cli._common import EXIT_BAD_INPUT, EXIT_OK, error, positive, seconds

if TYPE_CHECKING:
    from rich.console import Console

    from convention_docs.batching import BatchResult
    from convention_docs.pool import ConverterPool

NAME = "batch"
HELP = "produit plusieurs conventions"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("specs", nargs="+", metavar="SPEC", help="spécifications YAML ou JSON")
    parser.add_argument("--outdir", required=True, metavar="DOSSIER", help="dossier de sortie")
    parser.add_argument("--format", default="docx,pdf", metavar="FORMATS",
                        help="docx, pdf ou docx,pdf")
    parser.add_argument("--pdfa", action="store_true", help="PDF/A-2b pour l'archivage")
    parser.add_argument("--jobs", type=positive, metavar="N", default=os.cpu_count() or 1,
                        help="LibreOffice en parallèle (défaut : le nombre de cœurs)")
    parser.add_argument("--isolate", action="store_true",
                        help="un processus Python par LibreOffice (plus lent à démarrer, mais "
                             "un plantage de Python ne perd que la convention en cours)")
    parser.add_argument("--template", metavar="MODELE", help="modèle .docx (papier à en-tête)")
    parser.add_argument("--anchors", choices=("iparapheur", "yousign", "docusign"),
                        help="ancres de texte invisibles d'un parapheur dans chaque bloc de "
                             "signature")
    parser.add_argument("--signable", action="store_true",
                        help="PDF : un champ de signature vide par signataire")
    parser.add_argument("--force", action="store_true",
                        help="refait aussi les conventions déjà à jour (même spécification, "
                             "même modèle, même version)")
    parser.add_argument("--timeout", type=seconds, default=120.0,
                        help="secondes accordées à LibreOffice par conversion (défaut : 120) ; "
                             "après 2 échecs de suite, le lot cesse de l'attendre")


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    unknown = [f for f in formats if f not in ("docx", "pdf")]
    if unknown or not formats:
        error(err, f"format inconnu : {', '.join(unknown) or '(vide)'} (attendu : docx, pdf)")
        return EXIT_BAD_INPUT
    outdir = Path(args.outdir)
    if "pdf" not in formats or args.isolate or (outdir.exists() and not outdir.is_dir()):
        return _run(args, formats, None, out, err)
    # LibreOffice starts first (0.2-0.3 s, then it warms up on the template: see pool.py),
    # while the rendering stages are imported (a third of a second): they no longer come one
    # after the other.
    from convention_docs.pool import ConverterPool

    with ConverterPool(max(1, min(args.jobs, len(args.specs))),
                       timeout=args.timeout) as converters:
        converters.start()
        return _run(args, formats, converters, out, err)


def _run(args: argparse.Namespace, formats: list[str], converters: ConverterPool | None,
         out: Console, err: Console) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from convention_docs.batching import batch
    from convention_docs.errors import ConventionDocsError

    worst = EXIT_OK
    with _frozen(), Progress(TextColumn("{task.description}"), BarColumn(),
                             MofNCompleteColumn(), console=err, transient=True) as progress:
        task = progress.add_task("conventions", total=len(args.specs))

        def report_line(result: BatchResult) -> None:
            progress.advance(task)
            if result.skipped:
                out.print(f"[blue]à jour[/]  {result.spec}")
            elif result.ok:
                names = ", ".join(p.name for p in result.outputs)
                warnings = sum(len(r.warnings) for r in result.reports)
                out.print(f"[green]ok[/]      {result.spec} → {names}"
                          + (f" ({warnings} avertissement(s))" if warnings else ""))
            else:
                label = "[red]refusé[/]" if result.exit_code == 1 else "[red]invalide[/]"
                message = str(result.error).replace("\n", " ")
                out.print(f"{label}  {result.spec} : {message}")

        try:
            results = batch(args.specs, Path(args.outdir), formats=formats, pdfa=args.pdfa,
                            jobs=args.jobs, isolate=args.isolate, template=args.template,
                            on_result=report_line, anchors=args.anchors, signable=args.signable,
                            timeout=args.timeout, force=args.force,
                            converters=converters)
        except ConventionDocsError as exc:  # the arguments themselves (e.g. --outdir)
            error(err, exc)
            return EXIT_BAD_INPUT
    for result in results:
        worst = max(worst, result.exit_code)
    done = sum(1 for r in results if r.ok and not r.skipped)
    skipped = sum(1 for r in results if r.skipped)
    out.print(f"{done}/{len(results)} convention(s) produite(s) dans {args.outdir}"
              + (f", {skipped} déjà à jour (--force pour les refaire)" if skipped else ""))
    return worst


@contextmanager
def _frozen() -> Iterator[None]:
    """What is imported lives as long as the batch: out of the garbage collector's sight, its
    full collections (which stop every thread) no longer walk it again and again. Undone at the
    end (``main()`` may run inside a longer process); left alone if someone froze already."""
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    try:
        yield
    finally:
        if freeze:
            gc.unfreeze()
