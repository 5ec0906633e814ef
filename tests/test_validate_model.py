"""validate(Convention): findings of a model, located by field path; and the model's period
when a document is checked against the convention it was rendered from."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from PIL import Image, ImageDraw

from convention_docs.docx import render_docx
from convention_docs.model import Convention
from convention_docs.spec import load, load_data
from convention_docs.validate import Finding, Report, Severity, validate

from .conftest import EXAMPLES


@pytest.fixture(scope="module")
def new_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / "paca-2026.yaml").read_text("utf-8"))
    return data


def _convention(data: dict[str, Any], **changes: Any) -> Convention:
    """The model of ``data`` with top-level ``changes`` (None deletes the key)."""
    data = copy.deepcopy(data)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return load_data(data)


def _only(report: Report, code: str) -> Finding:
    [finding] = [f for f in report.findings if f.code == code]
    return finding


def test_2026_example_has_no_finding_at_all() -> None:
    report = validate(load(EXAMPLES / "paca-2026.yaml"))
    assert report.kind == "model" and report.source is None
    assert report.findings == ()
    assert report.ok


def test_funding_absent(new_data: dict[str, Any]) -> None:
    report = validate(_convention(new_data, funding=None))
    assert not report.ok
    assert report.codes() == {"FUNDING_MISSING"}
    finding = _only(report, "FUNDING_MISSING")
    assert finding.severity is Severity.ERROR
    assert finding.location.field == "funding"
    assert finding.message == (
        "financement européen non déclaré : indiquez la période (« FSE+ 2021-2027 » ou "
        "« FSE 2014-2020 ») pour que l'emblème et la mention obligatoires soient placés")
    assert str(report).endswith(f"({finding.location.field})")


def test_fse_2014_2020_on_a_2026_convention(new_data: dict[str, Any]) -> None:
    report = validate(_convention(new_data, funding={"period": "FSE 2014-2020"}))
    assert report.ok  # a warning: the drafter decides
    assert report.codes() == {"OUTDATED_FSE_2014_2020"}
    finding = _only(report, "OUTDATED_FSE_2014_2020")
    assert finding.severity is Severity.WARNING
    assert finding.location.field == "funding.period"
    assert finding.message.startswith("convention datée du 01/12/2026 avec les logos du FSE "
                                      "2014-2020 : depuis 2021 s'applique le FSE+ 2021-2027")


def test_fse_2014_2020_before_2021_or_undated_is_not_outdated(new_data: dict[str, Any]) -> None:
    signature = {**new_data["signature"], "date": "2020-12-31"}
    before = _convention(new_data, funding={"period": "FSE 2014-2020"}, signature=signature)
    assert "OUTDATED_FSE_2014_2020" not in validate(before).codes()
    seed = validate(load(EXAMPLES / "paca-clause-sociale.yaml"))  # no date: to be handwritten
    assert "OUTDATED_FSE_2014_2020" not in seed.codes()


def test_outdated_text_is_located_by_field_path() -> None:
    report = validate(load(EXAMPLES / "paca-clause-sociale.yaml"))
    assert report.ok  # the seed reproduced faithfully: warnings only
    where = {f.code: f.location.field for f in report.findings
             if f.code.startswith("OUTDATED_")}
    assert where == {
        "OUTDATED_POLE_EMPLOI": "articles[1].blocks[1]",
        "OUTDATED_ORDONNANCE_2015": "preamble.blocks[2].bullets[0]",
        "OUTDATED_DECRET_2016": "preamble.blocks[2].bullets[0]",
        "OUTDATED_PLAN_2015_2020": "preamble.blocks[2].bullets[1]",
        "OUTDATED_CIRCULAIRE_2008": "preamble.blocks[2].bullets[2]",
    }
    pole = _only(report, "OUTDATED_POLE_EMPLOI")
    assert "France Travail" in pole.message
    assert pole.location.page is None and pole.location.paragraph is None
    typo = {f.location.field for f in report.findings if f.code == "TYPO_UNACCENTED_CAPITAL"}
    assert "signature.blocks[0].function" in typo  # « l'Economie collaborative »
    clauses = {f.code for f in report.findings if f.code.startswith("CLAUSE_")}
    assert clauses == {"CLAUSE_TERM_MISSING", "CLAUSE_INDICATORS_MISSING",
                       "CLAUSE_AMENDMENT_MISSING", "CLAUSE_DISPUTES_MISSING",
                       "CLAUSE_GDPR_MISSING"}
    assert all(f.location.field is None for f in report.findings if f.code.startswith("CLAUSE_"))


def test_outdated_text_in_a_rich_paragraph(new_data: dict[str, Any]) -> None:
    articles = copy.deepcopy(new_data["articles"])
    articles[1]["blocks"][2] = {"paragraph": ["Pour les marchés retenus, ",
                                              {"bold": "Pôle emploi"}, " est associé."]}
    report = validate(_convention(new_data, articles=articles))
    assert _only(report, "OUTDATED_POLE_EMPLOI").location.field == "articles[1].blocks[2].paragraph"


@pytest.mark.parametrize("content", [None, b"ceci n'est pas une image"])
def test_unreadable_fse_logo(content: bytes | None, new_data: dict[str, Any],
                             tmp_path: Path) -> None:
    logo = tmp_path / "logo-fse-officiel.png"
    if content is not None:
        logo.write_bytes(content)
    funding = {"period": "FSE 2014-2020", "fse_logo": {"path": str(logo), "alt": "Logo FSE"}}
    report = validate(_convention(new_data, funding=funding))
    finding = _only(report, "LOGO_FILE_UNREADABLE")
    assert finding.severity is Severity.ERROR
    assert finding.location.field == "funding.fse_logo.path"
    assert finding.message == f"fichier de logo introuvable ou illisible : {logo}"
    assert not report.ok


def test_unreadable_partner_logo(new_data: dict[str, Any], tmp_path: Path) -> None:
    missing = tmp_path / "absent.png"
    funding = {**new_data["funding"], "partner_logos": [{"path": str(missing), "alt": "x"}]}
    finding = _only(validate(_convention(new_data, funding=funding)), "LOGO_FILE_UNREADABLE")
    assert finding.location.field == "funding.partner_logos[0].path"


# -- a document checked against its model --------------------------------------------------------

def test_the_model_period_is_the_one_checked(new_data: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "convention.docx"
    render_docx(load(EXAMPLES / "paca-2026.yaml"), path)
    assert validate(path).findings == ()
    # the same document declared FSE 2014-2020 lacks that period's FSE logo, and its text
    # names the FSE+ (« Fonds social européen plus »), not the 2014-2020 fund
    declared = _convention(new_data, funding={"period": "FSE 2014-2020"})
    report = validate(path, convention=declared)
    assert {f.code for f in report.errors} == {"FSE_LOGO_MISSING", "FUNDING_MENTION_MISSING"}
    assert "OUTDATED_FSE_2014_2020" in report.codes()  # dated 1 December 2026


def _seed_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        (EXAMPLES / "paca-clause-sociale.yaml").read_text("utf-8"))
    return data


def _official_logo(path: Path) -> Path:
    """A stand-in for the official « L'Europe s'engage » file: not the project's drawing."""
    image = Image.new("RGB", (900, 600), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 860, 380), fill=(0, 51, 153))
    draw.ellipse((320, 90, 580, 330), fill=(255, 204, 0))
    draw.rectangle((40, 430, 860, 560), fill=(230, 0, 40))
    image.save(path)
    return path


def test_the_official_fse_logo_of_the_model_is_the_reference(tmp_path: Path) -> None:
    data = _seed_data()
    data["funding"]["fse_logo"] = {"path": str(_official_logo(tmp_path / "fse.png")),
                                   "alt": "L'Europe s'engage en France"}
    model = load_data(data)
    path = tmp_path / "convention.docx"
    render_docx(model, path)
    assert validate(path, convention=model).ok
    # without the model, only the project's drawing is known: this logo is not recognised
    assert {f.code for f in validate(path).errors} == {"FSE_LOGO_MISSING"}


def test_unreadable_official_logo_is_a_finding_when_checking_a_document(tmp_path: Path) -> None:
    path = tmp_path / "convention.docx"
    render_docx(load(EXAMPLES / "paca-clause-sociale.yaml"), path)
    data = _seed_data()
    missing = tmp_path / "absent.png"
    data["funding"]["fse_logo"] = {"path": str(missing), "alt": "Logo FSE"}
    report = validate(path, convention=load_data(data))  # no AssetError
    finding = _only(report, "LOGO_FILE_UNREADABLE")
    assert finding.location.field == "funding.fse_logo.path"
    assert finding.message == f"fichier de logo introuvable ou illisible : {missing}"
    assert {f.code for f in report.errors} == {"LOGO_FILE_UNREADABLE"}  # the drawing still counts


def test_the_official_logo_is_read_again_when_its_file_changes(tmp_path: Path) -> None:
    # The library built from the official file is kept for the next conventions of a batch,
    # by the file's content: a file replaced under the same name is read again.
    data = _seed_data()
    official = _official_logo(tmp_path / "fse.png")
    data["funding"]["fse_logo"] = {"path": str(official), "alt": "L'Europe s'engage en France"}
    model = load_data(data)
    path = tmp_path / "convention.docx"
    render_docx(model, path)
    assert validate(path, convention=model).ok
    assert validate(path, convention=model).ok  # the kept library
    other = Image.new("RGB", (900, 600), (0, 128, 0))
    ImageDraw.Draw(other).ellipse((100, 100, 500, 400), fill="white")
    other.save(official)  # another picture under the same name
    assert "FSE_LOGO_MISSING" in validate(path, convention=model).codes()
