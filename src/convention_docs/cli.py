"""``convention-docs``: render, batch and check conventions from the command line.

Exit codes: 0 success, 1 refused by the validator (or conversion failed), 2 bad input
(unreadable spec or document, wrong option).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from convention_docs.batching import BatchResult, batch
from convention_docs.build import build
from convention_docs.errors import (
    ConventionDocsError,
    ConventionRejected,
    DocumentError,
    SpecError,
    TemplateError,
)
from convention_docs.validate import Report, Severity, validate

__all__ = ["main"]

EXIT_OK, EXIT_REFUSED, EXIT_BAD_INPUT = 0, 1, 2

_SEVERITY = {Severity.ERROR: "[red]erreur[/]", Severity.WARNING: "[yellow]avertissement[/]",
             Severity.INFO: "[blue]information[/]"}


def _console(stream: object = None) -> Console:
    return Console(file=stream or sys.stdout, highlight=False, soft_wrap=False, width=120)  # type: ignore[arg-type]


def print_report(report: Report, console: Console) -> None:
    """Print ``report`` as a readable table (code, severity, message, where)."""
    status = "[green]conforme[/]" if report.ok else "[red]refusée[/]"
    console.print(f"[bold]{report.source or '(modèle)'}[/] : {status} — "
                  f"{len(report.errors)} erreur(s), {len(report.warnings)} avertissement(s)")
    if not report.findings:
        return
    table = Table(show_lines=False, expand=False)
    table.add_column("Règle", no_wrap=True)
    table.add_column("Gravité", no_wrap=True)
    table.add_column("Message")
    table.add_column("Où", no_wrap=True)
    for finding in report.findings:
        table.add_row(finding.code, _SEVERITY[finding.severity], finding.message,
                      str(finding.location))
    console.print(table)


def _error(console: Console, exc: BaseException) -> None:
    console.print(f"[red]erreur :[/] {exc}", markup=True, highlight=False)


def _render(args: argparse.Namespace, out: Console, err: Console) -> int:
    if Path(args.output).suffix.lower() not in (".docx", ".pdf"):
        err.print(f"[red]erreur :[/] {args.output} : format de sortie « "
                  f"{Path(args.output).suffix or '(aucun)'} » non pris en charge, attendu : "
                  ".docx ou .pdf")
        return EXIT_BAD_INPUT
    existing = next(p for p in Path(args.output).absolute().parents if p.exists())
    if not existing.is_dir():
        err.print(f"[red]erreur :[/] {existing} : ce n'est pas un dossier")
        return EXIT_BAD_INPUT
    try:
        result = build(Path(args.spec), Path(args.output), template=args.template,
                       pdfa=args.pdfa, draft=args.draft)
    except ConventionRejected as exc:
        print_report(exc.report, out)
        err.print(f"[red]refusé :[/] rien n'a été écrit à {args.output}")
        return EXIT_REFUSED
    except (SpecError, TemplateError, DocumentError) as exc:
        _error(err, exc)
        return EXIT_BAD_INPUT
    except ConventionDocsError as exc:
        _error(err, exc)
        return EXIT_REFUSED
    print_report(result.report, out)
    out.print(f"écrit : {result.path}")
    return EXIT_OK


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"nombre entier positif attendu, pas « {text} »")
    return value


def _batch(args: argparse.Namespace, out: Console, err: Console) -> int:
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    unknown = [f for f in formats if f not in ("docx", "pdf")]
    if unknown or not formats:
        err.print(f"[red]erreur :[/] format inconnu : {', '.join(unknown) or '(vide)'} "
                  "(attendu : docx, pdf)")
        return EXIT_BAD_INPUT
    worst = EXIT_OK
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=err, transient=True) as progress:
        task = progress.add_task("conventions", total=len(args.specs))

        def report_line(result: BatchResult) -> None:
            progress.advance(task)
            if result.ok:
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
                            on_result=report_line)
        except ConventionDocsError as exc:  # the arguments themselves (e.g. --outdir)
            _error(err, exc)
            return EXIT_BAD_INPUT
    for result in results:
        worst = max(worst, result.exit_code)
    done = sum(1 for r in results if r.ok)
    out.print(f"{done}/{len(results)} convention(s) produite(s) dans {args.outdir}")
    return worst


def _check(args: argparse.Namespace, out: Console, err: Console) -> int:
    worst = EXIT_OK
    reports = []
    for name in args.files:
        try:
            report = validate(Path(name))
        except ConventionDocsError as exc:
            _error(err, exc)
            worst = EXIT_BAD_INPUT
            continue
        reports.append(report)
        if not report.ok:
            worst = max(worst, EXIT_REFUSED)
        if args.format == "text":
            print_report(report, out)
    if args.format == "json":
        import json
        out.print_json(json.dumps([r.as_dict() for r in reports], ensure_ascii=False))
    return worst


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="convention-docs",
        description="Produit et vérifie les conventions de partenariat « clauses sociales ».")
    sub = parser.add_subparsers(dest="command", required=True)
    render = sub.add_parser("render", help="produit une convention (.docx ou .pdf)")
    render.add_argument("spec", help="spécification YAML ou JSON")
    render.add_argument("-o", "--output", required=True, help="fichier de sortie .docx ou .pdf")
    render.add_argument("--pdfa", action="store_true", help="PDF/A-2b pour l'archivage")
    render.add_argument("--template", help="modèle .docx (papier à en-tête)")
    render.add_argument("--draft", action="store_true",
                        help="écrit même si la validation échoue, marqué « PROJET »")
    many = sub.add_parser("batch", help="produit plusieurs conventions")
    many.add_argument("specs", nargs="+", help="spécifications YAML ou JSON")
    many.add_argument("--outdir", required=True, help="dossier de sortie")
    many.add_argument("--format", default="docx,pdf", help="docx, pdf ou docx,pdf")
    many.add_argument("--pdfa", action="store_true")
    many.add_argument("--jobs", type=_positive, default=os.cpu_count() or 1,
                      help="LibreOffice en parallèle (défaut : le nombre de cœurs)")
    many.add_argument("--isolate", action="store_true",
                      help="un processus Python par LibreOffice (plus lent à démarrer, mais "
                           "un plantage de Python ne perd que la convention en cours)")
    many.add_argument("--template")
    check = sub.add_parser("check", help="vérifie des conventions (.docx ou .pdf)")
    check.add_argument("files", nargs="+")
    check.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    out, err = _console(), _console(sys.stderr)
    handler = {"render": _render, "batch": _batch, "check": _check}[args.command]
    return handler(args, out, err)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
