"""``convention-docs check FILES…``: validate conventions, ours or received."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from convention_docs.cli._common import EXIT_BAD_INPUT, EXIT_OK, EXIT_REFUSED, error, print_report

if TYPE_CHECKING:
    from rich.console import Console

NAME = "check"
HELP = "vérifie des conventions (.docx, .odt ou .pdf)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FICHIER",
                        help="documents .docx, .odt ou .pdf à vérifier")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="présentation du rapport (défaut : text)")


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    from convention_docs.errors import ConventionDocsError
    from convention_docs.validate import validate

    worst = EXIT_OK
    reports = []
    for name in args.files:
        try:
            report = validate(Path(name))
        except ConventionDocsError as exc:
            error(err, exc)
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
