"""``convention-docs sign PDF -o OUT --field KEY --p12 CERT``: sign one signature field.

The passphrase comes from an environment variable (``--passphrase-env VAR``), a file
(``--passphrase-file``) or, only when a terminal is attached, a prompt that does not echo; it
is never printed.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from convention_docs.cli._common import EXIT_BAD_INPUT, EXIT_OK, error

if TYPE_CHECKING:
    from rich.console import Console

NAME = "sign"
HELP = "signe un champ de signature d'un PDF (PAdES)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("pdf", help="PDF à signer (produit avec --signable)")
    parser.add_argument("-o", "--output", required=True, help="PDF signé à écrire")
    parser.add_argument("--field", required=True, help="champ à signer (clé de la partie)")
    parser.add_argument("--p12", required=True, help="certificat et clé du signataire (.p12)")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--passphrase-env", metavar="VAR",
                        help="variable d'environnement contenant la phrase de passe")
    source.add_argument("--passphrase-file", metavar="FICHIER",
                        help="fichier contenant la phrase de passe (première ligne)")
    parser.add_argument("--reason", help="motif de la signature")
    parser.add_argument("--location", help="lieu de la signature")
    parser.add_argument("--tsa", metavar="URL",
                        help="autorité d'horodatage (PAdES B-T au lieu de B-B)")
    parser.add_argument("--new-field", metavar="PAGE,X1,Y1,X2,Y2",
                        help="crée le champ avant de signer (points depuis le coin inférieur "
                             "gauche), pour un PDF qui n'en a pas")


def _passphrase(args: argparse.Namespace) -> str | None:
    """The passphrase from the variable, the file or a prompt; ``ValueError`` (French) when
    the source named cannot give it. Never echoed, never in a message."""
    if args.passphrase_env:
        value = os.environ.get(args.passphrase_env)
        if value is None:
            raise ValueError(f"variable d'environnement « {args.passphrase_env} » absente")
        return value
    if args.passphrase_file:
        try:
            text = Path(args.passphrase_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "pas du texte UTF-8"
            raise ValueError(f"{args.passphrase_file} : fichier de phrase de passe illisible "
                             f"({reason})") from None
        return text.splitlines()[0] if text else ""
    if sys.stdin is not None and sys.stdin.isatty():
        import getpass

        return getpass.getpass(f"Phrase de passe de {args.p12} : ")
    return None


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    from convention_docs.errors import ConventionDocsError, SigningError

    try:
        passphrase = _passphrase(args)
    except ValueError as exc:
        error(err, exc)
        return EXIT_BAD_INPUT
    from convention_docs.signing import sign

    try:
        written = sign(Path(args.pdf), Path(args.output), field=args.field, pkcs12=args.p12,
                       passphrase=passphrase, reason=args.reason, location=args.location,
                       tsa=args.tsa, new_field=args.new_field)
    except SigningError as exc:
        error(err, exc)
        if passphrase is None and "phrase de passe" in str(exc):
            err.print("indiquez la phrase de passe par --passphrase-env VAR ou "
                      "--passphrase-file FICHIER")
        err.print(f"rien n'a été écrit à {args.output}")
        return EXIT_BAD_INPUT
    except ConventionDocsError as exc:
        error(err, exc)
        return EXIT_BAD_INPUT
    out.print(f"signé : champ « {args.field} » → {written}")
    return EXIT_OK
