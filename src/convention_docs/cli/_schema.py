"""``convention-docs schema [-o FILE]``: the JSON Schema of a spec, for editors."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from convention_docs.cli._common import EXIT_BAD_INPUT, EXIT_OK, error

if TYPE_CHECKING:
    from rich.console import Console

NAME = "schema"
HELP = "écrit le schéma JSON des spécifications (complétion et vérification dans l'éditeur)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", help="fichier à écrire (défaut : la sortie standard)")


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    from convention_docs.cli._files import write_text_atomically
    from convention_docs.errors import os_reason
    from convention_docs.schema import schema_text

    text = schema_text()
    if args.output is None:
        out.file.write(text)
        return EXIT_OK
    try:
        write_text_atomically(Path(args.output), text, overwrite=True)
    except OSError as exc:
        error(err, f"{args.output} : écriture impossible ({os_reason(exc)})")
        return EXIT_BAD_INPUT
    out.print(f"écrit : {args.output}")
    return EXIT_OK
