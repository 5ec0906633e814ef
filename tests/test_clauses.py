"""The clause library: every function, its legal basis, the tribunal table, the 2026 example."""

from __future__ import annotations

import datetime as dt
import re
import runpy
from pathlib import Path
from typing import Any

import pytest

from convention_docs import Convention, clauses, load, validate
from convention_docs.french import find_unaccented_capitals
from convention_docs.model import Article, Bullets, FundingPeriod, Paragraph, Preamble, Ref
from convention_docs.validate.currency import CLAUSE_WRITERS
from convention_docs.validate.model_rules import model_view

from .conftest import EXAMPLES

START = dt.date(2027, 1, 1)
CALLS: dict[str, dict[str, Any]] = {
    "preambule": {},
    "objet": {"facilitator": "la Maison de l'emploi de Rennes",
              "scope": "les marchés des services de l'État en Ille-et-Vilaine"},
    "engagements": {},
    "publics": {},
    "suivi": {},
    "confidentialite": {},
    "donnees_personnelles": {},
    "duree": {"start": START},
    "avenants": {},
    "resiliation": {},
    "financement_europeen": {},
    "litiges": {"departement": "35"},
}
KEYS = {"donnees_personnelles": "donnees", "financement_europeen": "communication"}


def _texts(item: Article | Preamble) -> list[str]:
    out = [item.title]
    for block in item.blocks:
        if isinstance(block, str):
            out.append(block)
        elif isinstance(block, Paragraph):
            out.append("".join(s if isinstance(s, str) else str(s) for s in block.paragraph))
        elif isinstance(block, Bullets):
            out += ["".join(s if isinstance(s, str) else str(s) for s in item)
                    for item in block.bullets]
    return out


def test_every_clause_is_registered_with_its_legal_basis() -> None:
    assert list(clauses.CLAUSES) == list(CALLS)
    for name, function in clauses.CLAUSES.items():
        assert getattr(clauses, name) is function
        assert function.name == name
        assert function.legal_basis and all(isinstance(b, str) and len(b) > 10
                                            for b in function.legal_basis)
        doc = function.__doc__ or ""
        assert "Base légale :" in doc
        for basis in function.legal_basis:
            assert f"- {basis}" in doc
        assert repr(function) == f"<clause convention_docs.clauses.{name}()>"


@pytest.mark.parametrize("name", list(CALLS))
def test_each_clause_returns_a_model_object_in_good_french(name: str) -> None:
    item = clauses.CLAUSES[name](**CALLS[name])
    if name == "preambule":
        assert isinstance(item, Preamble)
    else:
        assert isinstance(item, Article)
        assert item.key == KEYS.get(name, name)
        assert item.title == item.title.upper()
    for text in _texts(item):
        assert "Pôle emploi" not in text and "pôle emploi" not in text.lower()
        assert find_unaccented_capitals(text) == [], text
        assert not re.search(r"\s[;:!?]", text.replace(" :", "").replace(" ;", "")), text


def test_legal_bases_cite_the_texts_of_2026() -> None:
    basis = {name: " | ".join(f.legal_basis) for name, f in clauses.CLAUSES.items()}
    assert "L2112-2-1" in basis["preambule"] and "2021-1104" in basis["preambule"]
    assert "2016/679" in basis["donnees_personnelles"] and "art. 5, 6, 13, 14 et 28" in \
        basis["donnees_personnelles"] and "78-17" in basis["donnees_personnelles"]
    assert "2021/1060" in basis["financement_europeen"] and "annexe IX" in \
        basis["financement_europeen"]
    assert "1303/2013" in basis["financement_europeen"]
    assert "R312-11" in basis["litiges"] and "R221-3" in basis["litiges"]
    assert "1193" in basis["avenants"]


def test_preamble_cites_the_code_not_the_2015_ordinance() -> None:
    text = " ".join(_texts(clauses.preambule()))
    assert "L2111-1" in text and "L2112-2-1" in text and "21 août 2026" in text
    assert "30 %" in text and "2022-2025" in text
    assert "ordonnance" not in text and "2008" not in text
    closing = clauses.preambule(closing=("Autre fin.",))
    assert closing.blocks[-1] == "Autre fin."


def test_objet_with_and_without_area() -> None:
    plain = clauses.objet(facilitator="la Maison de l'emploi", scope="les marchés de l'État")
    assert plain.blocks[0].endswith("facilitateur des clauses sociales d'insertion.")
    wide = clauses.objet(facilitator="le PLIE", scope="x", area="le pays de Brest")
    assert "le PLIE, structure porteuse" in wide.blocks[0]
    assert wide.blocks[0].endswith("d'insertion sur le pays de Brest.")


def test_engagements_options() -> None:
    article = clauses.engagements()
    refs = [s for b in article.blocks if isinstance(b, Paragraph) for s in b.paragraph
            if isinstance(s, Ref)]
    assert [r.ref for r in refs] == ["suivi"]
    assert "(France Travail, les missions locales et le PLIE notamment)" in article.blocks[1]
    bare = clauses.engagements(employment_partners=(), indicators_article=None,
                               no_financial_impact=False)
    assert not any(isinstance(s, Ref) for b in bare.blocks if isinstance(b, Paragraph)
                   for s in b.paragraph)
    assert bare.blocks[1].endswith("dispositifs territoriaux de l'emploi.")
    assert len(bare.blocks) == len(article.blocks) - 1


def test_lists_end_with_semicolons_and_a_full_stop() -> None:
    article = clauses.publics(publics=("les jeunes", "les seniors ;", "les autres."))
    bullets = article.blocks[1]
    assert isinstance(bullets, Bullets)
    assert [item[0] for item in bullets.bullets] == ["les jeunes ;", "les seniors ;",
                                                    "les autres."]
    with pytest.raises(ValueError, match="liste vide"):
        clauses.publics(publics=())
    assert len(clauses.suivi(steering_committee=False).blocks) == 2
    assert "au plus tard le 30 avril" in clauses.suivi(report_by="30 avril").blocks[0]


@pytest.mark.parametrize(("kwargs", "expected"), [
    ({}, ["La présente convention prend effet le 1er janvier 2027 pour une durée d'un an. Elle "
          "est ensuite reconduite tacitement chaque année, dans la limite de trois "
          "reconductions.", "trois mois avant"]),
    ({"years": 3, "renewals": 1, "notice_months": 1},
     ["pour une durée de trois ans. Elle est ensuite reconduite tacitement par périodes de "
      "trois ans, dans la limite d'une reconduction.", "au moins un mois avant"]),
    ({"renewals": None}, ["reconduite tacitement chaque année.", "trois mois"]),
    ({"renewals": 0}, ["d'un an. Elle n'est pas reconduite tacitement."]),
])
def test_duree(kwargs: dict[str, Any], expected: list[str]) -> None:
    article = clauses.duree(start=START, **kwargs)
    assert len(article.blocks) == len(expected)
    for block, piece in zip(article.blocks, expected, strict=True):
        assert isinstance(block, str) and piece in block
    assert "le 15 mars 2027" in clauses.duree(start=dt.date(2027, 3, 15)).blocks[0]
    with pytest.raises(ValueError, match="durée invalide"):
        clauses.duree(start=START, years=0)


def test_donnees_personnelles_controller_or_processor() -> None:
    controller = " ".join(_texts(clauses.donnees_personnelles()))
    assert "responsable de traitement" in controller and "anonymisées" in controller
    processor = " ".join(_texts(clauses.donnees_personnelles(role="processor")))
    assert "sous-traitant au sens de l'article 28 du RGPD" in processor
    assert "instruction documentée" in processor
    with pytest.raises(ValueError, match="rôle inconnu"):
        clauses.donnees_personnelles(role="autre")


def test_resiliation_notice() -> None:
    assert "délai d'un mois suivant" in clauses.resiliation().blocks[0]
    assert "délai de deux mois suivant" in clauses.resiliation(notice_months=2).blocks[0]


def test_financement_europeen_by_period() -> None:
    plus = " ".join(_texts(clauses.financement_europeen()))
    assert "« Cofinancé par l'Union européenne »" in plus and "2021/1060" in plus
    assert "FSE+" in plus
    financed = " ".join(_texts(clauses.financement_europeen(
        statement="Financé par l'Union européenne")))
    assert "« Financé par l'Union européenne »" in financed
    old = " ".join(_texts(clauses.financement_europeen("FSE 2014-2020")))
    assert "2014-2020" in old and "1303/2013" in old and "L'Europe s'engage en France" in old
    assert "Cofinancé" not in old
    assert clauses.financement_europeen(FundingPeriod.FSE_2014_2020).title == \
        "COMMUNICATION ET FINANCEMENT EUROPÉEN"


def test_litiges_names_the_court_of_the_departement() -> None:
    assert clauses.litiges("13").blocks[0].endswith(
        "À défaut d'accord, le litige est porté devant le tribunal administratif de Marseille.")
    assert clauses.litiges(971, amicable=False).blocks == (
        "Tout litige relatif à l'interprétation ou à l'exécution de la présente convention est "
        "porté devant le tribunal administratif de la Guadeloupe.",)
    with pytest.raises(ValueError, match=r"département inconnu : '99'"):
        clauses.litiges("99")


# --- the table ---------------------------------------------------------------------------


def test_tribunal_table_has_every_departement_once() -> None:
    table = clauses.tribunals()
    metropolitan = {f"{n:02d}" for n in range(1, 96) if n != 20} | {"2A", "2B"}
    assert set(table) == metropolitan | {"971", "972", "973", "974", "976"}
    assert len(table) == 101
    names = [t.departement for t in table.values()]
    assert len(set(names)) == len(names)
    for code, court in table.items():
        assert court.code == code
        assert re.fullmatch(r"\d{2}|2[AB]|97[1-46]", code)
        assert re.fullmatch(r"tribunal administratif (de |d'|de la |de La )\S.*", court.name)
        assert court.seat and court.departement
        if not code.startswith("97"):
            assert court.name.endswith(court.seat), code  # named after their seat
    seats = {t.seat for t in table.values()}
    assert len(seats) == 36  # the 31 seats of metropolitan France (Bastia included), 5 overseas


@pytest.mark.parametrize(("code", "name", "seat"), [
    ("13", "tribunal administratif de Marseille", "Marseille"),
    ("35", "tribunal administratif de Rennes", "Rennes"),
    ("75", "tribunal administratif de Paris", "Paris"),
    ("2A", "tribunal administratif de Bastia", "Bastia"),
    ("2B", "tribunal administratif de Bastia", "Bastia"),
    ("971", "tribunal administratif de la Guadeloupe", "Basse-Terre"),
    ("974", "tribunal administratif de La Réunion", "Saint-Denis"),
    ("976", "tribunal administratif de Mayotte", "Mamoudzou"),
    ("93", "tribunal administratif de Montreuil", "Montreuil"),
    ("92", "tribunal administratif de Cergy-Pontoise", "Cergy-Pontoise"),
    ("83", "tribunal administratif de Toulon", "Toulon"),
    ("84", "tribunal administratif de Nîmes", "Nîmes"),
    ("45", "tribunal administratif d'Orléans", "Orléans"),
])
def test_known_courts(code: str, name: str, seat: str) -> None:
    court = clauses.tribunal(code)
    assert (court.name, court.seat) == (name, seat)


def test_tribunal_lookup_by_number_and_name() -> None:
    assert clauses.tribunal(5) == clauses.tribunal("05") == clauses.tribunal("5")
    assert clauses.tribunal("2a").code == "2A"
    assert clauses.tribunal("bouches-du-rhone").code == "13"
    assert clauses.tribunal("Val d'Oise").code == "95"
    assert clauses.tribunal(" La Réunion ").code == "974"
    for bad in ("20", "975", "Atlantide", ""):
        with pytest.raises(ValueError, match="département inconnu"):
            clauses.tribunal(bad)


# --- the 2026 example --------------------------------------------------------------------

BUILD = EXAMPLES / "build_paca_2026.py"


def _built() -> Convention:
    convention = runpy.run_path(str(BUILD))["convention"]()
    assert isinstance(convention, Convention)
    return convention


def test_committed_example_equals_the_clause_built_convention() -> None:
    assert load(EXAMPLES / "paca-2026.yaml") == _built()


def test_build_script_writes_a_yaml_that_loads_back(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    module = runpy.run_path(str(BUILD))
    out = tmp_path / "paca.yaml"
    assert module["main"](["build_paca_2026.py", str(out)]) == 0
    assert load(out) == _built()
    assert module["main"](["build_paca_2026.py"]) == 0
    assert capsys.readouterr().out == out.read_text(encoding="utf-8")


def test_clause_built_convention_validates_without_missing_clause() -> None:
    report = validate(_built())
    assert not report.errors, report
    assert not [f for f in report.findings if f.code.startswith("CLAUSE_")]
    keys = [a.key for a in _built().articles]
    assert keys == ["objet", "engagements", "publics", "suivi", "confidentialite", "donnees",
                    "duree", "avenants", "resiliation", "communication", "litiges"]


def test_every_missing_clause_names_the_function_that_writes_it() -> None:
    for code, name in CLAUSE_WRITERS.items():
        assert code.startswith("CLAUSE_") and name in clauses.CLAUSES
    bare = _built().model_copy(update={"articles": (_built().articles[0],)})
    report = validate(bare)
    missing = {f.code: f.message for f in report.findings if f.code.startswith("CLAUSE_")}
    assert set(missing) == set(CLAUSE_WRITERS)
    assert missing["CLAUSE_DISPUTES_MISSING"] == (
        "clause absente : règlement des litiges (tribunal administratif compétent) : voir "
        "convention_docs.clauses.litiges()")
    assert model_view(bare).lines  # the view still reads


def test_docs_page_lists_every_clause() -> None:
    page = (EXAMPLES.parent / "docs" / "clauses.md").read_text(encoding="utf-8")
    for name in clauses.CLAUSES:
        assert f"| `{name}(" in page, name
    assert "R221-3" in page and "2015-1444" in page
