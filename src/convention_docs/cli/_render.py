"""``convention-docs render SPEC -o OUT``: one convention, .docx or .pdf."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from convention_docs.cli._common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    EXIT_REFUSED,
    error,
    print_report,
    seconds,
)

if TYPE_CHECKING:
    from rich.console import Console

NAME = "render"
HELP = "produit une convention (.docx ou .pdf)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spec", metavar="SPEC", help="spécification YAML ou JSON")
    parser.add_argument("-o", "--output", required=True, metavar="SORTIE",
                        help="fichier de sortie .docx ou .pdf")
    parser.add_argument("--pdfa", action="store_true", help="PDF/A-2b pour l'archivage")
    parser.add_argument("--template", metavar="MODELE", help="modèle .docx (papier à en-tête)")
    parser.add_argument("--timeout", type=seconds, default=120.0,
                        help="secondes accordées à LibreOffice pour la conversion (défaut : 120)")
    parser.add_argument("--draft", action="store_true",
                        help="écrit même si la validation échoue, marqué « PROJET »")
    parser.add_argument("--anchors", choices=("iparapheur", "yousign", "docusign"),
                        help="ancres de texte invisibles d'un parapheur dans chaque bloc de "
                             "signature")
    parser.add_argument("--signable", action="store_true",
                        help="PDF : un champ de signature vide par signataire")


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    from convention_docs.build import build
    from convention_docs.errors import (
        ConventionDocsError,
        ConventionRejected,
        ConversionError,
    )

    output = Path(args.output)
    if output.suffix.lower() not in (".docx", ".pdf"):
        error(err, f"{args.output} : format de sortie « {output.suffix or '(aucun)'} » non pris "
                   "en charge, attendu : .docx ou .pdf")
        return EXIT_BAD_INPUT
    existing = next(p for p in output.absolute().parents if p.exists())
    if not existing.is_dir():
        error(err, f"{existing} : ce n'est pas un dossier")
        return EXIT_BAD_INPUT
    if output.is_dir():
        error(err, f"{args.output} : c'est un dossier, attendu : un fichier .docx ou .pdf")
        return EXIT_BAD_INPUT
    if not os.access(existing, os.W_OK | os.X_OK):
        error(err, f"{existing} : dossier en lecture seule, impossible d'y écrire")
        return EXIT_BAD_INPUT
    try:
        result = build(Path(args.spec), output, template=args.template,
                       pdfa=args.pdfa, draft=args.draft, anchors=args.anchors,
                       signable=args.signable, timeout=args.timeout)
    except ConventionRejected as exc:
        print_report(exc.report, out)
        err.print(f"[red]refusé :[/] rien n'a été écrit à {args.output}")
        return EXIT_REFUSED
    except ConversionError as exc:
        error(err, exc)
        return EXIT_REFUSED
    except ConventionDocsError as exc:  # the spec, the template, a bound, the destination
        error(err, exc)
        return EXIT_BAD_INPUT
    print_report(result.report, out)
    out.print(f"écrit : {result.path}")
    return EXIT_OK
