"""convention-docs new | schema, French help and usage errors, --version, spec errors with
line and column, exit 2 for every bad input, a --help that imports none of the stages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import convention_docs
from convention_docs import SpecError, load
from convention_docs.cli import main
from convention_docs.schema import MODELINE, SCHEMA_FILE_NAME

from .conftest import EXAMPLES

HEAVY = ("pydantic", "docxtpl", "docx", "pypdf", "numpy", "PIL", "lxml", "jinja2", "babel",
         "yaml", "rich", "convention_docs.model", "convention_docs.build")


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).parent / "convention-docs"  # the installed entry point
    return subprocess.run([str(script), *args], capture_output=True, text=True, check=False)


def test_help_imports_no_stage() -> None:
    code = ("import sys; from convention_docs.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            f"print([m for m in {HEAVY!r} if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_import_convention_docs_is_lazy() -> None:
    code = ("import sys, convention_docs; "
            f"print([m for m in {HEAVY!r} if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


def test_help_is_french() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    out = result.stdout
    assert out.startswith("utilisation : convention-docs")
    assert "options :" in out and "commandes :" in out
    assert "affiche cette aide et quitte" in out
    for english in ("usage:", "positional arguments", "show this help", "options:"):
        assert english not in out
    for name in ("render", "batch", "check", "new", "schema", "template-check"):
        assert name in out


@pytest.mark.parametrize("command", ["render", "batch", "check", "new", "schema",
                                     "template-check"])
def test_every_command_help_is_french(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"utilisation : convention-docs {command}")
    assert "affiche cette aide et quitte" in out
    assert "usage:" not in out and "show this help" not in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"convention-docs {convention_docs.__version__}\n"


@pytest.mark.parametrize(("argv", "message"), [
    ([], "arguments obligatoires manquants : COMMANDE"),
    (["render"], "arguments obligatoires manquants : SPEC, -o/--output"),
    (["frob"], "argument COMMANDE : choix invalide : 'frob'"),
    (["check", "a.pdf", "--format", "xml"], "argument --format : choix invalide : 'xml'"),
    (["batch", "a.yaml", "--outdir", "o", "--jobs", "x"],
     "argument --jobs : nombre entier positif attendu, pas « x »"),
    (["check", "a.pdf", "--couleur"], "arguments non reconnus : --couleur"),
    (["render", "a.yaml", "-o"], "argument -o/--output : une valeur attendue"),
])
def test_usage_errors_are_french_and_exit_2(argv: list[str], message: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("utilisation : convention-docs")
    assert " : erreur : " in err and message in err


# -- new ---------------------------------------------------------------------------------


def test_new_writes_a_commented_spec_that_loads(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "ma-convention.yaml"
    assert main(["new", str(spec)]) == 0
    text = spec.read_text(encoding="utf-8")
    assert text.splitlines()[0] == MODELINE
    comments = [line for line in text.splitlines() if line.startswith("#")]
    assert len(comments) > 15 and any("articles" in c.lower() for c in comments)
    convention = load(spec)
    assert convention.parties[0].gender.value == "masculine"  # written « masculin »
    schema = tmp_path / SCHEMA_FILE_NAME
    assert json.loads(schema.read_text(encoding="utf-8"))["$defs"]["Party"]
    out = capsys.readouterr().out
    assert f"écrit : {spec}" in out
    assert f"à compléter, puis : convention-docs render {spec} -o ma-convention.pdf" in out

    assert main(["new", str(spec)]) == 2
    assert "existe déjà (--force pour le remplacer)" in capsys.readouterr().err
    assert spec.read_text(encoding="utf-8") == text
    assert main(["new", str(spec), "--from", "paca-2026", "--force"]) == 0
    assert load(spec) == load(EXAMPLES / "paca-2026.yaml")


@pytest.mark.parametrize("example", ["paca-2026", "paca-clause-sociale"])
def test_new_from_an_example(example: str, tmp_path: Path) -> None:
    spec = tmp_path / "c.yaml"
    assert main(["new", str(spec), "--from", example]) == 0
    assert spec.read_text(encoding="utf-8") == (
        MODELINE + "\n" + (EXAMPLES / f"{example}.yaml").read_text(encoding="utf-8"))


def test_new_refuses_bad_destinations(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", str(tmp_path / "c.txt")]) == 2
    assert "attendu : .yaml ou .yml" in capsys.readouterr().err
    assert main(["new", str(tmp_path / "absent" / "c.yaml")]) == 2
    assert "écriture impossible" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


# -- spec errors -------------------------------------------------------------------------


def spoil(tmp_path: Path, old: str, new: str, name: str = "paca.yaml") -> Path:
    text = (EXAMPLES / "paca-2026.yaml").read_text(encoding="utf-8")
    assert old in text
    spec = tmp_path / name
    spec.write_text(text.replace(old, new, 1), encoding="utf-8")
    return spec


def line_of(spec: Path, needle: str) -> int:
    return next(i for i, line in enumerate(spec.read_text(encoding="utf-8").splitlines(), 1)
                if needle in line)


def test_errors_point_at_line_and_column(tmp_path: Path) -> None:
    spec = spoil(tmp_path, "      civility: Mme", "      civility: Mlle")
    with pytest.raises(SpecError) as info:
        load(spec)
    line = line_of(spec, "civility: Mlle")
    assert str(info.value) == (
        f"{spec}, ligne {line}, colonne 7 : spécification invalide, "
        "parties[1].representative.civility : valeur non reconnue 'Mlle', "
        "attendu : « M. » ou « Mme »")
    assert info.value.locations == ((line, 7),)
    import pickle  # batch(isolate=True) sends errors between processes
    again = pickle.loads(pickle.dumps(info.value))
    assert (str(again), again.issues, again.locations) == (
        str(info.value), info.value.issues, info.value.locations)


def test_unknown_key_suggests_the_closest(tmp_path: Path) -> None:
    spec = spoil(tmp_path, "    designation: le facilitateur", "    designaton: le facilitateur")
    with pytest.raises(SpecError) as info:
        load(spec)
    issues = dict(info.value.issues)
    assert issues["parties[1].designaton"] == (
        "champ inconnu « designaton » : vouliez-vous dire « designation » ?")
    assert "parties[1].designation" in issues  # and the real one is missing
    line = line_of(spec, "designaton:")
    assert f"ligne {line}, colonne 5 : parties[1].designaton : champ inconnu" in str(info.value)


def test_unknown_key_in_a_block_suggests_from_that_block(tmp_path: Path) -> None:
    spec = spoil(tmp_path, "  blocks:\n    - party: metropole",
                 "  blocks:\n    - party: metropole\n      labell: Pour la Métropole,")
    with pytest.raises(SpecError) as info:
        load(spec)
    assert info.value.issues == (("signature.blocks[0].labell",
                                  "champ inconnu « labell » : vouliez-vous dire « label » ?"),)


def test_enums_accept_and_show_french_words(tmp_path: Path) -> None:
    spec = spoil(tmp_path, "    gender: feminine", "    gender: féminin")
    assert load(spec).parties[1].gender.value == "feminine"
    spec = spoil(tmp_path, "    gender: feminine", "    gender: femme")
    with pytest.raises(SpecError, match="valeur non reconnue 'femme', attendu : « masculin » "
                                        "ou « féminin »"):
        load(spec)
    spec = spoil(tmp_path, "    gender: feminine", "    gender: feminin")
    with pytest.raises(SpecError, match="« féminin » \\(vouliez-vous dire « féminin » \\?\\)"):
        load(spec)
    spec = spoil(tmp_path, "      civility: Mme", "      civility: Mm")
    with pytest.raises(SpecError, match="« Mme » \\(vouliez-vous dire « Mme » \\?\\)"):
        load(spec)
    spec = spoil(tmp_path, "funding:\n", "typography:\n  apostrophe: courbe\nfunding:\n")
    with pytest.raises(SpecError, match="attendu : « inchangée » ou « typographique »"):
        load(spec)


@pytest.mark.parametrize("written", ["2026-02-30", '"2026-02-30"'])
def test_impossible_date_is_bad_input(written: str, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    spec = spoil(tmp_path, "  date: 2026-12-01", f"  date: {written}")
    with pytest.raises(SpecError) as info:
        load(spec)
    [(path, message)] = info.value.issues
    assert path == "signature.date"
    assert "« 2026-02-30 »" in message and "AAAA-MM-JJ" in message
    assert info.value.locations[0] is not None
    assert info.value.locations[0][0] == line_of(spec, "date: ")
    out = tmp_path / "c.docx"
    assert main(["render", str(spec), "-o", str(out)]) == 2
    assert "signature.date" in capsys.readouterr().err
    assert not out.exists()


def test_missing_logo_file_is_bad_input(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    spec = spoil(tmp_path, "  period: FSE+ 2021-2027\n",
                 "  period: FSE+ 2021-2027\n  partner_logos:\n"
                 "    - {path: logos/absent.png, alt: Logo de la Métropole}\n")
    with pytest.raises(SpecError) as info:
        load(spec)
    assert info.value.issues == (("funding.partner_logos[0].path",
                                  f"fichier de logo introuvable : {tmp_path}/logos/absent.png"),)
    out = tmp_path / "c.docx"
    assert main(["render", str(spec), "-o", str(out)]) == 2
    assert not out.exists()


def test_json_specs_give_path_line_and_column(tmp_path: Path, minimal: dict[str, Any]) -> None:
    minimal["parties"][0]["gendre"] = "masculin"
    minimal["title"] = "Sourire \U0001f600 / « é »"
    spec = tmp_path / "c.json"
    spec.write_text(json.dumps(minimal, indent=2), encoding="utf-8")  # \\ud83d\\ude00 escapes
    with pytest.raises(SpecError) as info:
        load(spec)
    assert info.value.issues == (
        ("parties[0].gendre", "champ inconnu « gendre » : vouliez-vous dire « gender » ?"),)
    line = line_of(spec, '"gendre"')
    assert info.value.locations == ((line, 7),)
    assert f"c.json, ligne {line}, colonne 7 : " in str(info.value)


def test_unreadable_logo_file_is_bad_input(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "logo.png").write_text("pas une image", encoding="utf-8")
    spec = spoil(tmp_path, "  period: FSE+ 2021-2027\n",
                 "  period: FSE+ 2021-2027\n  partner_logos:\n"
                 "    - {path: logo.png, alt: Logo de la Métropole}\n")
    out = tmp_path / "c.docx"
    assert main(["render", str(spec), "-o", str(out)]) == 2
    assert ("funding.partner_logos[0].path : fichier de logo illisible (ce n'est pas une image "
            f"PNG ou JPEG valide) : {tmp_path}/logo.png") in capsys.readouterr().err
    assert not out.exists()
    assert main(["batch", str(spec), "--outdir", str(tmp_path / "lot"), "--format", "docx"]) == 2
    assert "invalide" in capsys.readouterr().out
