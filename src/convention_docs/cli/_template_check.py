"""``convention-docs template-check MODELE.docx``: is a custom template usable?"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from convention_docs.cli._common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    EXIT_REFUSED,
    error,
    print_report,
)

if TYPE_CHECKING:
    from rich.console import Console

NAME = "template-check"
HELP = "vérifie un modèle .docx personnalisé (variables, balises, blocs obligatoires)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("template", metavar="MODELE.docx", help="modèle .docx à vérifier")


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    from convention_docs.errors import TemplateError
    from convention_docs.template_check import check_template

    try:
        report = check_template(args.template)
    except TemplateError as exc:
        error(err, exc)
        return EXIT_BAD_INPUT
    print_report(report, out)
    return EXIT_OK if report.ok else EXIT_REFUSED
