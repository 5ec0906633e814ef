"""OpenDocument texts (.odt): LibreOffice's own format, judged by the same rules (issue 16)."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pytest

from convention_docs.convert import find_soffice
from convention_docs.errors import DocumentError
from convention_docs.validate import validate

from .test_validate_drafts import _with
from .test_validate_received import _convention, _emblem, needs_libreoffice


def _to_odt(docx: Path) -> Path:
    """Save ``docx`` as .odt with LibreOffice (as a drafter's « Enregistrer sous »)."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([find_soffice(), f"-env:UserInstallation={Path(profile).as_uri()}",
                        "--headless", "--convert-to", "odt", "--outdir", str(docx.parent),
                        str(docx)], check=True, capture_output=True, timeout=180)
    odt = docx.with_suffix(".odt")
    assert odt.read_bytes()[:2] == b"PK"
    return odt


@pytest.fixture(scope="module")
def odts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("odt")
    accepted = _with(folder / "accepted.docx")
    alone = _convention(folder / "alone.docx", picture=_emblem(folder / "e.png"), width_mm=30,
                        statement=False)
    draft = _with(folder / "draft.docx", first="PROJET – document non validé, à ne pas signer")
    return {key: _to_odt(path) for key, path in
            (("accepted", accepted), ("alone", alone), ("draft", draft))}


@pytest.mark.libreoffice
@needs_libreoffice
def test_odt_compliant_convention_is_accepted(odts: dict[str, Path]) -> None:
    report = validate(odts["accepted"])
    assert report.ok and report.findings == (), str(report)
    assert report.source == str(odts["accepted"]) and report.kind == "odt"


@pytest.mark.libreoffice
@needs_libreoffice
def test_odt_gets_the_same_rules(odts: dict[str, Path]) -> None:
    alone = validate(odts["alone"])
    assert {f.code for f in alone.errors} == {"FUNDING_STATEMENT_MISSING"}, str(alone)
    assert alone.errors[0].location.file == str(odts["alone"])
    draft = validate(odts["draft"])
    assert {f.code for f in draft.errors} == {"DRAFT_NOT_FOR_SIGNATURE"}, str(draft)


def test_a_file_named_odt_that_is_not_one_is_a_clear_error(tmp_path: Path) -> None:
    fake = tmp_path / "convention.odt"
    fake.write_text("pas un document", encoding="utf-8")
    with pytest.raises(DocumentError, match=r"convention\.odt : fichier illisible : ce n'est "
                                            r"pas un document OpenDocument texte"):
        validate(fake)


@pytest.mark.libreoffice
@needs_libreoffice
def test_cli_check_accepts_odt(odts: dict[str, Path]) -> None:
    from convention_docs.cli import main

    assert main(["check", str(odts["accepted"])]) == 0
    assert main(["check", str(odts["alone"])]) == 1
