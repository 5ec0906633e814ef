"""argparse in French: the help's fixed words and the usage errors.

argparse writes its own words through gettext, in English unless a catalogue exists for the
user's locale. Rather than touching argparse's internals or the process-wide gettext domain,
``FrenchParser`` rewrites what the public methods produce: ``format_usage``/``format_help``
(the section titles, the « usage: » prefix) and ``error`` (each English message argparse
can raise, matched whole; an unknown one is shown as it is).
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any, NoReturn

__all__ = ["FrenchParser", "translate_error"]

_HELP_LINES = {
    "positional arguments:": "arguments :",
    "options:": "options :",
    "optional arguments:": "options :",  # Python < 3.10 said so
}

_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), replacement) for pattern, replacement in (
        (r"the following arguments are required: (.*)", r"arguments obligatoires manquants : \1"),
        (r"unrecognized arguments: (.*)", r"arguments non reconnus : \1"),
        (r"one of the arguments (.*) is required", r"un des arguments \1 est obligatoire"),
        (r"not allowed with argument (.*)", r"incompatible avec l'argument \1"),
        (r"ignored explicit argument (.*)", r"valeur \1 ignorée : cette option n'en prend pas"),
        (r"expected one argument", "une valeur attendue"),
        (r"expected at most one argument", "au plus une valeur attendue"),
        (r"expected at least one argument", "au moins une valeur attendue"),
        (r"expected (\d+) arguments?", r"\1 valeur(s) attendue(s)"),
        (r"ambiguous option: (.*) could match (.*)",
         r"option ambiguë : \1 peut désigner \2"),
        (r"unexpected option string: (.*)", r"option inattendue : \1"),
        (r"invalid choice: (.*) \(choose from (.*)\)", r"choix invalide : \1 (au choix : \2)"),
        (r"invalid (.*) value: (.*)", r"valeur invalide : \2"),
    ))
_ARGUMENT = re.compile(r"argument (.+?): (.*)", re.DOTALL)


def translate_error(message: str) -> str:
    """Return argparse's English usage error ``message`` in French (unknown ones unchanged).

    >>> translate_error("the following arguments are required: spec, -o/--output")
    'arguments obligatoires manquants : spec, -o/--output'
    >>> translate_error("argument --jobs: invalid positive value: 'x'")
    "argument --jobs : valeur invalide : 'x'"
    """
    match = _ARGUMENT.fullmatch(message)
    if match:
        return f"argument {match.group(1)} : {translate_error(match.group(2))}"
    for pattern, replacement in _ERRORS:
        found = pattern.fullmatch(message)
        if found:
            return found.expand(replacement)
    return message


def _translate_help(text: str) -> str:
    if text.startswith("usage: "):
        text = "utilisation : " + text.removeprefix("usage: ")
    lines = [_HELP_LINES.get(line, line) for line in text.split("\n")]
    # a section title of ours (« commandes: ») gets the French space before its colon
    lines = [re.sub(r"^(\S.*\S):$", r"\1 :", line) for line in lines]
    return "\n".join(lines)


class FrenchParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose help and usage errors are in French.

    Its sub-command parsers are of the same class (argparse creates them with the parent's
    class), so they are French too.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        add_help = kwargs.get("add_help", True)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="affiche cette aide et quitte")

    def format_usage(self) -> str:
        return _translate_help(super().format_usage())

    def format_help(self) -> str:
        return _translate_help(super().format_help())

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog} : erreur : {translate_error(message)}\n")
