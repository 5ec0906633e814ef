"""The administrative court of each département (code de justice administrative, art. R221-3).

The table ships with the package (``tribunaux.csv``, read through ``importlib.resources``): the
101 départements, Corsica (2A, 2B) and the five overseas départements (971 to 976) included.
Overseas courts are named after their territory, not their seat (CJA art. R221-1): the court
sitting at Basse-Terre is the « tribunal administratif de la Guadeloupe ».

>>> tribunal("13").name
'tribunal administratif de Marseille'
>>> tribunal("971").seat
'Basse-Terre'
"""

from __future__ import annotations

import csv
import functools
import io
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType

__all__ = ["SOURCE", "Tribunal", "tribunal", "tribunals"]

SOURCE = ("code de justice administrative, art. R221-3 (siège et ressort des tribunaux "
          "administratifs, version issue du décret n° 2015-1444 du 6 novembre 2015) et "
          "art. R221-1 (dénomination des tribunaux d'outre-mer)")
"""Where the table comes from."""


@dataclass(frozen=True)
class Tribunal:
    """The administrative court competent for a département."""

    code: str
    """Code of the département: « 13 », « 2A », « 971 »."""
    departement: str
    """Name of the département: « Bouches-du-Rhône »."""
    name: str
    """Name of the court, as written in running text: « tribunal administratif de Marseille »."""
    seat: str
    """Town where it sits: « Marseille », « Basse-Terre »."""


@functools.cache
def tribunals() -> Mapping[str, Tribunal]:
    """Return ``{département code: Tribunal}`` for every département, in the table's order."""
    text = resources.files(__package__).joinpath("tribunaux.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO("".join(
        line for line in text.splitlines(keepends=True) if not line.startswith("#"))),
        delimiter=";")
    table = {row["code"]: Tribunal(row["code"], row["departement"], row["tribunal"],
                                   row["siege"]) for row in rows}
    return MappingProxyType(table)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    return "".join(c for c in text if not unicodedata.combining(c)).replace(" ", "-")


def tribunal(departement: str | int) -> Tribunal:
    """Return the court of a département, given by its code (« 13 », 13, « 2A », « 971 ») or
    its name (« Bouches-du-Rhône », accents and capitals optional).

    Raises ``ValueError`` (in French) for an unknown département.

    >>> tribunal("Ille-et-Vilaine").name
    'tribunal administratif de Rennes'
    >>> tribunal(5).departement
    'Hautes-Alpes'
    """
    table = tribunals()
    key = f"{departement:02d}" if isinstance(departement, int) else departement.strip().upper()
    if key in table:
        return table[key]
    if key.isdigit() and len(key) == 1:
        return table.get(f"0{key}") or _unknown(departement)
    folded = _fold(str(departement).strip())
    for entry in table.values():
        if _fold(entry.departement) == folded:
            return entry
    return _unknown(departement)


def _unknown(departement: str | int) -> Tribunal:
    raise ValueError(
        f"département inconnu : {departement!r} (attendu : un code comme « 13 », « 2A », "
        "« 971 », ou un nom comme « Bouches-du-Rhône »)")
