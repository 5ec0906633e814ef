"""``convention-docs``: render, batch and check conventions from the command line.

One module per command (``_render.py``, ``_batch.py``, ``_check.py`` …), each with ``NAME``,
``HELP``, ``add_arguments(parser)`` and ``run(args, out, err)``; a new command is a new module
added to ``COMMANDS``. Commands import the heavy stages inside ``run`` so that ``--help`` stays
fast.

Exit codes: 0 success, 1 refused by the validator (or conversion failed), 2 bad input
(unreadable spec or document, wrong option). ``main`` is the one funnel for what a command did
not expect: any exception becomes a French message (``_limits.as_error``) and exit 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from convention_docs import __version__
from convention_docs.cli import (
    _batch,
    _check,
    _new,
    _render,
    _schema,
    _sign,
    _template_check,
    _verify,
)
from convention_docs.cli._common import EXIT_BAD_INPUT, Command, console, error, print_report
from convention_docs.cli._french import FrenchParser

__all__ = ["main", "print_report"]

COMMANDS: tuple[Command, ...] = (_render, _batch, _check, _sign, _verify, _new, _schema,
                                 _template_check)


def _parser() -> argparse.ArgumentParser:
    parser = FrenchParser(
        prog="convention-docs",
        description="Produit et vérifie les conventions de partenariat « clauses sociales ».")
    parser.add_argument("--version", action="version", version=f"convention-docs {__version__}",
                        help="affiche la version et quitte")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE",
                                title="commandes")
    for command in COMMANDS:
        command.add_arguments(sub.add_parser(command.NAME, help=command.HELP,
                                             description=command.HELP))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    command = {c.NAME: c for c in COMMANDS}[args.command]
    err = console(sys.stderr)
    try:
        return command.run(args, console(), err)
    except KeyboardInterrupt:
        error(err, "interrompu")
        return 130
    except Exception as exc:  # the one funnel: never a traceback, always a French message
        from convention_docs._limits import as_error

        error(err, as_error(exc))
        return EXIT_BAD_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
