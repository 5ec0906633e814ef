"""The 2026 PACA convention drafted with the clause library, written out as YAML.

``examples/paca-2026.yaml`` is this convention: a test checks that loading the YAML gives exactly
what ``convention()`` builds, so the two never drift. Run from the repository root:
``.venv/bin/python examples/build_paca_2026.py [OUT.yaml]`` (without OUT, the YAML is printed).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import yaml

from convention_docs import Convention, clauses
from convention_docs.model import (
    Funding,
    FundingPeriod,
    Gender,
    Metadata,
    Party,
    Person,
    Signature,
    SignatureBlock,
)

TERRITORIES = ("Pays d'Aubagne et de l'Étoile", "Pays d'Aix", "Pays salonais",
               "Pays de Martigues")


def convention() -> Convention:
    """Return the 2026 convention between the State and the Métropole Aix-Marseille-Provence."""
    etat = Party(key="etat", name="L'État", gender=Gender.MASCULINE, designation="l'État",
                 representative=Person(
                     civility="M.", first_name="Jean", last_name="Exemple",
                     function="préfet de la région Provence-Alpes-Côte d'Azur, préfet des "
                              "Bouches-du-Rhône"))
    metropole = Party(key="metropole", name="La Métropole Aix-Marseille-Provence",
                      gender=Gender.FEMININE, designation="le facilitateur",
                      representative=Person(
                          civility="Mme", first_name="Claire", last_name="Modèle",
                          function="vice-présidente de la Métropole déléguée à l'emploi, à "
                                   "l'insertion et à l'économie sociale et solidaire"))
    return Convention(
        title="CONVENTION DE PARTENARIAT",
        object="relative à la mise en œuvre des clauses sociales d'insertion dans les marchés "
               "de l'État en région Provence-Alpes-Côte d'Azur",
        parties=(etat, metropole),
        preamble=clauses.preambule(),
        articles=(
            clauses.objet(
                facilitator="la Métropole Aix-Marseille-Provence",
                area="les territoires du Pays d'Aubagne et de l'Étoile, du Pays d'Aix, du Pays "
                     "salonais et du Pays de Martigues",
                scope="les marchés des services de l'État en région Provence-Alpes-Côte "
                      "d'Azur"),
            clauses.engagements(),
            clauses.publics(),
            clauses.suivi(),
            clauses.confidentialite(),
            clauses.donnees_personnelles(),
            clauses.duree(start=dt.date(2027, 1, 1), years=1, renewals=3, notice_months=3),
            clauses.avenants(),
            clauses.resiliation(),
            clauses.financement_europeen(FundingPeriod.FSE_PLUS_2021_2027),
            clauses.litiges("13"),
        ),
        signature=Signature(place="Marseille", date=dt.date(2026, 12, 1), blocks=(
            SignatureBlock(party="metropole",
                           function="La vice-présidente de la Métropole\n"
                                    "déléguée à l'emploi, à l'insertion\n"
                                    "et à l'économie sociale et solidaire"),
            SignatureBlock(party="etat",
                           function="Le préfet de la région\nProvence-Alpes-Côte d'Azur"),
        )),
        funding=Funding(period=FundingPeriod.FSE_PLUS_2021_2027,
                        statement="Cofinancé par l'Union européenne"),
        territories=TERRITORIES,
        metadata=Metadata(
            reference="PACA-CS-2026-01", version="1",
            drafting_organisation="Préfecture de la région Provence-Alpes-Côte d'Azur",
            subject="Clauses sociales d'insertion dans les marchés de l'État",
            keywords=("clause sociale", "insertion", "facilitateur", "FSE+",
                      "Provence-Alpes-Côte d'Azur")),
    )


def to_yaml(value: Convention) -> str:
    """Return the spec of ``value`` as YAML (what ``convention_docs.load`` reads back)."""
    data: dict[str, Any] = value.model_dump(mode="json", exclude_defaults=True)
    data["metadata"] = value.metadata.model_dump(mode="json")  # the version, though default
    if value.preamble is not None:
        data["preamble"] = value.preamble.model_dump(mode="json")
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=96)


def main(argv: list[str]) -> int:
    text = to_yaml(convention())
    if len(argv) > 1:
        Path(argv[1]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
