"""convention-docs render | batch | check: outputs, messages and exit codes (0, 1, 2)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from convention_docs.cli import main

from .conftest import EXAMPLES


def spec_file(folder: Path, data: dict[str, Any], name: str) -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_render_docx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "c.docx"
    assert main(["render", str(EXAMPLES / "paca-2026.yaml"), "-o", str(out)]) == 0
    assert out.is_file()
    printed = capsys.readouterr().out
    assert "conforme" in printed and f"écrit : {out}" in printed


def test_render_bad_spec_exits_2_naming_file_and_field(tmp_path: Path, minimal: dict[str, Any],
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    del minimal["parties"][0]["representative"]["first_name"]
    spec = spec_file(tmp_path, minimal, "bad.yaml")
    assert main(["render", str(spec), "-o", str(tmp_path / "c.docx")]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml" in err
    assert "parties[0].representative.first_name : champ obligatoire manquant" in err
    assert not (tmp_path / "c.docx").exists()


def test_render_refused_exits_1_and_writes_nothing(tmp_path: Path, minimal: dict[str, Any],
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    minimal.pop("funding")
    spec = spec_file(tmp_path, minimal, "nofunding.yaml")
    assert main(["render", str(spec), "-o", str(tmp_path / "c.docx")]) == 1
    captured = capsys.readouterr()
    assert "FUNDING_MISSING" in captured.out
    assert "rien n'a été écrit" in captured.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nofunding.yaml"]


def test_check_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.docx"
    assert main(["render", str(EXAMPLES / "paca-2026.yaml"), "-o", str(good)]) == 0
    capsys.readouterr()
    assert main(["check", str(good)]) == 0
    assert "conforme" in capsys.readouterr().out

    broken = tmp_path / "broken.docx"
    broken.write_text("ceci n'est pas un document", encoding="utf-8")
    assert main(["check", str(broken)]) == 2
    assert "broken.docx" in capsys.readouterr().err

    import docx
    plain = tmp_path / "plain.docx"
    document = docx.Document()
    document.add_paragraph("Article 1er : OBJET")
    document.add_paragraph("Article 3 : DURÉE")
    document.save(str(plain))
    assert main(["check", str(good), str(plain)]) == 1
    out = capsys.readouterr().out
    assert "ARTICLE_NUMBERING_GAP" in out and "EU_EMBLEM_MISSING" in out

    assert main(["check", "--format", "json", str(good), str(plain)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [entry["ok"] for entry in data] == [True, False]
    codes = {f["code"] for f in data[1]["findings"]}
    assert "ARTICLE_NUMBERING_GAP" in codes
    gap = next(f for f in data[1]["findings"] if f["code"] == "ARTICLE_NUMBERING_GAP")
    assert gap["location"]["paragraph"] == 2 and gap["location"]["file"] == str(plain)


def test_batch_goes_on_past_bad_specs(tmp_path: Path, minimal: dict[str, Any],
                                      capsys: pytest.CaptureFixture[str]) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    good = spec_file(specs, minimal, "conv-01.yaml")
    bad_data = dict(minimal, title="")
    bad = spec_file(specs, bad_data, "conv-02.yaml")
    other = specs / "conv-03.yaml"
    shutil.copy(EXAMPLES / "paca-2026.yaml", other)
    outdir = tmp_path / "out"
    code = main(["batch", str(good), str(bad), str(other), "--outdir", str(outdir),
                 "--format", "docx"])
    assert code == 2
    assert sorted(p.name for p in outdir.iterdir()) == ["conv-01.docx", "conv-03.docx"]
    out = capsys.readouterr().out
    assert "conv-02.yaml" in out and "title" in out
    assert "2/3 convention(s) produite(s)" in out


def test_batch_output_names_never_collide(tmp_path: Path, minimal: dict[str, Any]) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = spec_file(tmp_path / "a", minimal, "conv.yaml")
    second = spec_file(tmp_path / "b", minimal, "conv.yaml")
    code = main(["batch", str(first), str(second), "--outdir", str(tmp_path / "out"),
                 "--format", "docx"])
    assert code == 2
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["conv.docx"]


def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render"]) == 2
    assert main(["batch", "x.yaml", "--outdir", "o", "--format", "odt"]) == 2
    assert "format inconnu" in capsys.readouterr().err


@pytest.mark.libreoffice
def test_batch_pdf_with_two_jobs(tmp_path: Path, minimal: dict[str, Any]) -> None:
    specs = [spec_file(tmp_path, minimal, f"conv-{i:02d}.yaml") for i in range(1, 4)]
    outdir = tmp_path / "out"
    code = main(["batch", *map(str, specs), "--outdir", str(outdir), "--jobs", "2"])
    assert code == 0
    assert sorted(p.name for p in outdir.iterdir()) == [
        f"conv-{i:02d}.{ext}" for i in range(1, 4) for ext in ("docx", "pdf")]


def test_console_script_is_installed(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "convention-docs"
    result = subprocess.run([str(script), "check", str(tmp_path / "absent.pdf")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert "absent.pdf" in result.stderr


def test_batch_jobs_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["batch", "x.yaml", "--outdir", "o", "--jobs", "0"]) == 2
    assert "nombre entier positif attendu, pas « 0 »" in capsys.readouterr().err


def test_batch_isolated_workers(tmp_path: Path, minimal: dict[str, Any]) -> None:
    specs = [spec_file(tmp_path, minimal, f"conv-{i}.yaml") for i in range(3)]
    code = main(["batch", *map(str, specs), "--outdir", str(tmp_path / "out"), "--jobs", "2",
                 "--isolate", "--format", "docx"])
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        f"conv-{i}.docx" for i in range(3)]


def test_render_to_an_unknown_format_is_bad_input(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", str(EXAMPLES / "paca-2026.yaml"), "-o",
                 str(tmp_path / "x.odt")]) == 2
    said = " ".join(capsys.readouterr().err.split())  # the console wraps long lines
    assert "format de sortie « .odt » non pris en charge, attendu : .docx ou .pdf" in said
    assert list(tmp_path.iterdir()) == []


def test_check_a_folder_says_so_in_french(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "dossier.pdf"
    folder.mkdir()
    assert main(["check", str(folder)]) == 2
    assert "fichier illisible (c'est un dossier)" in " ".join(capsys.readouterr().err.split())


def test_destination_inside_a_file_is_bad_input(tmp_path: Path, minimal: dict[str, Any],
                                                capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "fichier"
    blocker.write_text("", encoding="utf-8")
    spec = spec_file(tmp_path, minimal, "conv.yaml")
    assert main(["render", str(spec), "-o", str(blocker / "x.docx")]) == 2
    assert main(["batch", str(spec), "--outdir", str(blocker), "--format", "docx"]) == 2
    said = " ".join(capsys.readouterr().err.split())
    assert said.count(f"{blocker} : ce n'est pas un dossier") == 2


def test_check_a_pdf_locked_by_a_password_exits_2_in_french(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password="secret", owner_password="proprietaire", algorithm="AES-256")
    locked = tmp_path / "verrouille.pdf"
    writer.write(locked)
    assert main(["check", str(locked)]) == 2
    captured = capsys.readouterr()
    assert "verrouille.pdf" in captured.err and "mot de passe" in captured.err
    assert "Traceback" not in captured.err + captured.out
