"""What every command shares: exit codes, the consoles, the report table.

Kept light: nothing here imports the rendering or validating stages, so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from rich.console import Console

    from convention_docs.validate import Report

EXIT_OK, EXIT_REFUSED, EXIT_BAD_INPUT = 0, 1, 2


class Command(Protocol):
    """A sub-command: a module with ``NAME``, ``HELP``, ``add_arguments`` and ``run``."""

    NAME: str
    HELP: str

    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace, out: Console, err: Console) -> int: ...


def console(stream: object = None) -> Console:
    """A rich console on ``stream`` (stdout by default), no colour guessing in the text."""
    from rich.console import Console

    return Console(file=stream or sys.stdout, highlight=False, soft_wrap=False,  # type: ignore[arg-type]
                   width=120)


def print_report(report: Report, out: Console) -> None:
    """Print ``report`` as a readable table (code, severity, message, where)."""
    from rich.table import Table

    from convention_docs.validate import Severity

    severity = {Severity.ERROR: "[red]erreur[/]", Severity.WARNING: "[yellow]avertissement[/]",
                Severity.INFO: "[blue]information[/]"}
    status = "[green]conforme[/]" if report.ok else "[red]refusée[/]"
    out.print(f"[bold]{report.source or '(modèle)'}[/] : {status} — "
              f"{len(report.errors)} erreur(s), {len(report.warnings)} avertissement(s)",
              soft_wrap=True)
    if not report.findings:
        return
    table = Table(show_lines=False, expand=False)
    table.add_column("Règle", no_wrap=True)
    table.add_column("Gravité", no_wrap=True)
    table.add_column("Message")
    table.add_column("Où", no_wrap=True)
    for finding in report.findings:
        table.add_row(finding.code, severity[finding.severity], finding.message,
                      str(finding.location))
    out.print(table)


def error(err: Console, exc: BaseException | str) -> None:
    """Print one error line, French, on the error console."""
    err.print(f"[red]erreur :[/] {exc}", markup=True, highlight=False, soft_wrap=True)


def seconds(text: str) -> float:
    """argparse type: a duration in seconds, more than 0 (``90`` or ``2.5``)."""
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        value = 0.0
    if not 0 < value < 1e6:
        raise argparse.ArgumentTypeError(f"durée en secondes attendue (par exemple 120), "
                                         f"pas « {text} »")
    return value


def positive(text: str) -> int:
    """argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"nombre entier positif attendu, pas « {text} »")
    return value


def each_file(files: Sequence[str], judge: Callable[[Path], Any], show: Callable[[Any], None],
              fmt: str, out: Console, err: Console) -> int:
    """Judge every file (``judge`` returns something with ``.ok`` and ``.as_dict()``), show
    each result as text or all of them as JSON, and return the exit code: 2 when a file could
    not be read, else 1 when one is not ``ok``, else 0."""
    from convention_docs.errors import ConventionDocsError

    worst = EXIT_OK
    results = []
    for name in files:
        try:
            result = judge(Path(name))
        except ConventionDocsError as exc:
            error(err, exc)
            worst = EXIT_BAD_INPUT
            continue
        results.append(result)
        if not result.ok:
            worst = max(worst, EXIT_REFUSED)
        if fmt == "text":
            show(result)
    if fmt == "json":
        import json
        out.print_json(json.dumps([r.as_dict() for r in results], ensure_ascii=False))
    return worst
