"""``convention-docs check FILES…``: validate conventions, ours or received."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from convention_docs.cli._common import each_file, print_report

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
    from convention_docs.validate import validate

    return each_file(args.files, validate, lambda report: print_report(report, out),
                     args.format, out, err)
