"""``convention-docs verify PDF…``: the state of every signature field (0: all intact)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from convention_docs.cli._common import each_file

if TYPE_CHECKING:
    from rich.console import Console

    from convention_docs.signing import Verification

NAME = "verify"
HELP = "vérifie les signatures d'un PDF"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", help="PDF signés")
    parser.add_argument("--trust", action="append", default=[], metavar="CERT",
                        help="certificat racine de confiance (PEM ou DER), répétable")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="présentation (défaut : text)")


def _yes(value: bool | None) -> str:
    return "—" if value is None else ("oui" if value else "[red]non[/]")


def _print(result: Verification, out: Console) -> None:
    from rich.table import Table

    status = "[green]signatures intactes[/]" if result.ok else "[red]signature(s) en défaut[/]"
    out.print(f"[bold]{result.path}[/] : {status} — {len(result.signed)} signé(s) sur "
              f"{len(result.fields)} champ(s)")
    if not result.fields:
        out.print("aucun champ de signature")
        return
    table = Table()
    for column in ("Champ", "Page", "Signé par", "Le", "Intacte", "Modifié après",
                   "De confiance", "Problème"):
        table.add_column(column)
    for state in result.fields:
        if not state.signed:
            table.add_row(state.name, str(state.page or "—"), "(vide)", "", "", "", "", "")
            continue
        when = state.signing_time.strftime("%d/%m/%Y %H:%M %Z") if state.signing_time else "?"
        modified = "—" if state.modified_after is None else (
            "[red]oui[/]" if state.modified_after else "non")
        table.add_row(state.name, str(state.page or "—"), state.signer or "?", when,
                      _yes(state.intact), modified, _yes(state.trusted), state.problem or "")
    out.print(table)


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    from convention_docs.signing import verify

    return each_file(args.files, lambda path: verify(path, trust=args.trust),
                     lambda result: _print(result, out), args.format, out, err)
