"""``convention-docs new OUT.yaml [--from EXEMPLE]``: a commented spec to start from."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from convention_docs.cli._common import EXIT_BAD_INPUT, EXIT_OK, error

if TYPE_CHECKING:
    from rich.console import Console

NAME = "new"
HELP = "crée une spécification commentée à compléter"

EXAMPLES = ("paca-2026", "paca-clause-sociale")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("output", metavar="SPEC.yaml", help="fichier de spécification à créer")
    parser.add_argument("--from", dest="example", choices=EXAMPLES,
                        help="partir d'un exemple livré (défaut : un modèle vierge commenté)")
    parser.add_argument("--force", action="store_true", help="remplace le fichier s'il existe")


def starter_text(example: str | None = None) -> str:
    """Return the text of a starting spec: the blank one, or a shipped example, with the
    yaml-language-server modeline first."""
    import importlib.resources

    from convention_docs.schema import MODELINE

    package = importlib.resources.files("convention_docs")
    resource = (package / "starters" / "convention.yaml" if example is None
                else package / "examples" / f"{example}.yaml")
    return f"{MODELINE}\n{resource.read_text(encoding='utf-8')}"


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    from convention_docs.cli._files import write_text_atomically
    from convention_docs.errors import os_reason
    from convention_docs.schema import SCHEMA_FILE_NAME, schema_text

    output = Path(args.output)
    if output.suffix.lower() not in (".yaml", ".yml"):
        error(err, f"{args.output} : extension « {output.suffix or '(aucune)'} » non prise en "
                   "charge, attendu : .yaml ou .yml")
        return EXIT_BAD_INPUT
    try:
        write_text_atomically(output, starter_text(args.example), overwrite=args.force)
    except FileExistsError:
        error(err, f"{args.output} : le fichier existe déjà (--force pour le remplacer)")
        return EXIT_BAD_INPUT
    except OSError as exc:
        error(err, f"{args.output} : écriture impossible ({os_reason(exc)})")
        return EXIT_BAD_INPUT
    out.print(f"écrit : {args.output}")
    schema = output.parent / SCHEMA_FILE_NAME
    if not schema.exists():  # what the modeline points at, so that the editor finds it
        try:
            write_text_atomically(schema, schema_text(), overwrite=False)
            out.print(f"écrit : {schema} (schéma pour l'éditeur)")
        except OSError:
            pass  # the spec is written; the schema is a convenience (convention-docs schema)
    out.print(f"à compléter, puis : convention-docs render {args.output} -o "
              f"{output.with_suffix('.pdf').name}", soft_wrap=True)
    return EXIT_OK
