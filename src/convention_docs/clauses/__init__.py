"""The clause library: the standard articles of a late-2026 convention, parametrised.

Each clause is a plain function returning model objects (an ``Article``, the ``Preamble``), so a
convention is drafted in Python by calling them in order; each carries the texts it rests on in
``legal_basis`` (also in its docstring), and ``CLAUSES`` maps every name to its function.

>>> from convention_docs import clauses
>>> article = clauses.litiges("13")
>>> article.title, article.key
('LITIGES', 'litiges')
>>> "tribunal administratif de Marseille" in article.blocks[0]
True
>>> clauses.litiges.legal_basis[0]
'code de justice administrative, art. R312-11 (tribunal compétent en matière contractuelle)'
>>> sorted(clauses.CLAUSES)[:3]
['avenants', 'confidentialite', 'donnees_personnelles']

Function names are those of the articles in French (``litiges``, ``avenants``), as the
validator names them when a clause is missing (« voir convention_docs.clauses.litiges() »).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from convention_docs.clauses._articles import (
    DEFAULT_INDICATORS,
    DEFAULT_PUBLICS,
    avenants,
    confidentialite,
    donnees_personnelles,
    duree,
    engagements,
    financement_europeen,
    litiges,
    objet,
    preambule,
    publics,
    resiliation,
    suivi,
)
from convention_docs.clauses._clause import REGISTRY, Clause
from convention_docs.clauses.tribunals import Tribunal, tribunal, tribunals

__all__ = [
    "CLAUSES",
    "DEFAULT_INDICATORS",
    "DEFAULT_PUBLICS",
    "Clause",
    "Tribunal",
    "avenants",
    "confidentialite",
    "donnees_personnelles",
    "duree",
    "engagements",
    "financement_europeen",
    "litiges",
    "objet",
    "preambule",
    "publics",
    "resiliation",
    "suivi",
    "tribunal",
    "tribunals",
]

CLAUSES: Mapping[str, Clause[..., Any]] = MappingProxyType(REGISTRY)
"""Every clause function by name, in the usual order of a convention."""
