"""Hostile corpus, class « errors »: what used to end in a traceback ends in a clear French
error, exit 2, nothing written (issue 17, group 1)."""

from __future__ import annotations

import copy
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from convention_docs import SpecError, _limits, render

from .conftest import EXAMPLES, MINIMAL, needs_libreoffice
from .hostile import encrypted_zip, hostile, is_root, left_in, run, spec, template_with

pytestmark = hostile("errors")


def minimal() -> dict[str, Any]:
    return copy.deepcopy(MINIMAL)


# -- specs ---------------------------------------------------------------------------------

SPEC_CASES = {
    "impossible-date": ("spec.yaml", "title: CONVENTION\nsignature:\n  date: 2026-02-30\n",
                        "ligne 3, colonne 9 : spécification invalide, signature.date : date "
                        "impossible « 2026-02-30 »"),
    "integer-5000-digits-yaml": ("spec.yaml", "title: " + "9" * 5000 + "\n",
                                 "nombre de plus de 100 chiffres"),
    "integer-5000-digits-json": ("spec.json", '{"title": ' + "9" * 5000 + "}",
                                 "nombre de plus de 100 chiffres"),
    "json-nested-600": ("spec.json", "[" * 600 + "]" * 600,
                        "données trop imbriquées (plus de 64 niveaux)"),
    "json-nested-100000": ("spec.json", "[" * 100_000 + "]" * 100_000,
                           "données trop imbriquées"),
    "yaml-flow-nested-600": ("spec.yaml", "a: " + "[" * 600 + "]" * 600,
                             "données trop imbriquées (plus de 64 niveaux)"),
    "yaml-block-nested-600": ("spec.yaml", "".join(f"{' ' * i}k{i}:\n" for i in range(600)),
                              "données trop imbriquées (plus de 64 niveaux)"),
    "not-utf8": ("spec.yaml", None, "le fichier n'est pas en UTF-8"),
}


@pytest.mark.parametrize("case", list(SPEC_CASES))
def test_hostile_spec_is_a_clear_error(case: str, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    name, text, expected = SPEC_CASES[case]
    path = tmp_path / name
    if text is None:
        path.write_bytes("title: é".encode("latin-1"))
    else:
        path.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "render", path, "-o", tmp_path / "out.docx")
    assert code == 2
    assert err.startswith(f"erreur : {path}")  # then its line and column, when known
    assert "spécification invalide" in err
    assert expected in err
    assert left_in(tmp_path) == []


LONG_OBJECT = ("relative à la mise en œuvre des clauses sociales d'insertion dans les marchés de "
               "l'État et de ses établissements publics en région Provence-Alpes-Côte d'Azur, "
               "dans les départements des Bouches-du-Rhône, du Var, de Vaucluse et des "
               "Alpes-Maritimes")


def _render_long(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> Path:
    """A realistic 248-character object line and 40 keywords, rendered to ``name``."""
    data = minimal()
    data["object"] = LONG_OBJECT
    data["metadata"] = {"keywords": [f"mot-clé numéro {i}" for i in range(40)]}
    out = tmp_path / name
    code, printed, _ = run(capsys, "render", spec(tmp_path, data), "-o", out)
    assert code == 0, printed
    return out


@needs_libreoffice
def test_long_title_object_and_keywords_in_a_pdf(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """The PDF's metadata has no such limit: it keeps the whole title."""
    from pypdf import PdfReader

    out = _render_long(tmp_path, capsys, "out.pdf")
    info = PdfReader(out).metadata
    assert info is not None and info.title == f"CONVENTION DE PARTENARIAT {LONG_OBJECT}"


def test_long_title_object_and_keywords_are_written(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """A realistic 248-character object line and 40 keywords: the .docx core properties (255
    characters at most) are shortened at a word, the document itself keeps every word."""
    import docx

    out = _render_long(tmp_path, capsys, "out.docx")
    core = docx.Document(str(out)).core_properties
    assert len(core.title) <= 255 and core.title.endswith("…")
    assert core.title.startswith("CONVENTION DE PARTENARIAT relative à la mise en œuvre")
    assert len(core.keywords) <= 255 and core.keywords.endswith("…")
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "Alpes-Maritimes" in text


@pytest.mark.parametrize("side", [9_000, 20_000])  # 81 and 400 million pixels in about 50 KB
def test_logo_decompression_bomb(side: int, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    bomb = tmp_path / "logo.png"
    Image.new("1", (side, side)).save(bomb)
    assert bomb.stat().st_size < 200_000
    data = minimal()
    data["funding"]["fse_logo"] = {"path": str(bomb), "alt": "Logo FSE+"}
    path = spec(tmp_path, data)
    # an unusable logo file is bad input, found when the spec is read: exit 2, nothing written
    reason = "image trop grande (plus de 60000000 pixels), refusée"  # Pillow's bound, ours
    code, _, err = run(capsys, "render", path, "-o", tmp_path / "out.docx")
    assert code == 2
    assert "funding.fse_logo.path" in err and reason in err
    assert left_in(tmp_path) == [path.name] or left_in(tmp_path) == []
    with pytest.raises(SpecError) as caught:
        render(path, tmp_path / "out.docx")
    assert caught.value.issues == (("funding.fse_logo.path", f"{reason} : {bomb}"),)


def test_picture_bound_without_pillows(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Our own check holds even when Pillow's is lifted (``Image.MAX_IMAGE_PIXELS = None``)."""
    from convention_docs.errors import AssetError
    from convention_docs.logos import LogoLibrary

    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)
    bomb = tmp_path / "logo.png"
    Image.new("1", (9_000, 9_000)).save(bomb)
    with pytest.raises(AssetError) as caught:
        LogoLibrary.default().register("fse", bomb)
    assert str(caught.value) == (f"logo « fse » illisible ({bomb}) : image de 9000 × 9000 "
                                 "pixels refusée (maximum 60000000 pixels)")


def test_logo_that_is_a_fifo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "logo.png"
    os.mkfifo(fifo)
    data = minimal()
    data["funding"]["fse_logo"] = {"path": str(fifo), "alt": "Logo FSE+"}
    path = spec(tmp_path, data)
    code, _, err = run(capsys, "render", path, "-o", tmp_path / "out.docx")
    assert code == 2  # bad input, refused when the spec is read, before anyone opens the pipe
    assert "funding.fse_logo.path" in err and "pas un fichier ordinaire" in err
    with pytest.raises(SpecError) as caught:
        render(path, tmp_path / "out.docx")
    assert caught.value.issues == (("funding.fse_logo.path", (
        "ce n'est pas un fichier ordinaire (tube, périphérique…), attendu : un fichier de "
        f"logo ordinaire : {fifo}")),)


# -- templates -----------------------------------------------------------------------------

TEMPLATE_CASES = {
    "include": ("{% include 'autre.docx' %}", "ne peut inclure aucun autre fichier"),
    "import": ("{% import 'macros.xml' as m %}", "ne peut inclure aucun autre fichier"),
    "extends": ("{% extends '/etc/passwd' %}", "ne peut inclure aucun autre fichier"),
    "recursive-macro": ("{% macro m(n) %}{{ m(n) }}{% endmacro %}{{ m(1) }}",
                        "modèle trop récursif"),
    "range-10-9": ("{% for i in range(10**9) %}x{% endfor %}",
                   "nombre trop grand pour un modèle"),
    "nested-loops": ("{% for i in range(99999) %}{% for j in range(99999) %}"
                     "{% for k in range(99999) %}x{% endfor %}{% endfor %}{% endfor %}",
                     "rendu du modèle : trop long à traiter"),
    "huge-string-product": ("{{ 'x' * 10**9 }}", "texte trop long pour un modèle"),
    "huge-power": ("{{ 2 ** 100000000 }}", "puissance trop grande dans le modèle"),
    "huge-filter-width": ("{{ 'x'|center(10**9) }}", "nombre trop grand pour un modèle"),
    "huge-replace": ("{{ ('x' * 99999)|replace('x', 'y' * 99999) }}",
                     "texte trop long pour un modèle"),
    "huge-indent": ("{{ ('\\n' * 99999)|indent(99999) }}", "texte trop long pour un modèle"),
    "huge-ljust-method": ("{{ 'x'.ljust(10**9) }}", "nombre trop grand pour un modèle"),
    "huge-method-replace": ("{{ ('x' * 99999).replace('x', 'y' * 99999) }}",
                            "texte trop long pour un modèle"),
    "lipsum": ("{{ lipsum(99999) }}", "variable inconnue du modèle : 'lipsum' is undefined"),
    "doubling-macro": ("{% macro d(s) %}{{ d(s ~ s) }}{% endmacro %}{{ d('xxxxxxxx') }}",
                       "texte trop long pour un modèle"),
}


@pytest.mark.parametrize("case", list(TEMPLATE_CASES))
def test_hostile_template_is_a_clear_error(case: str, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_limits, "TEMPLATE_SECONDS", 2.0)
    text, expected = TEMPLATE_CASES[case]
    template = template_with(tmp_path, text)
    code, _, err = run(capsys, "render", spec(tmp_path), "-o", tmp_path / "out.docx",
                       "--template", template)
    assert code == 2
    assert err.startswith(f"erreur : {template} : ")
    assert expected in err
    assert left_in(tmp_path) == [template.name]


@pytest.mark.parametrize("special", ["fifo", "dev-zero"])
def test_special_file_as_template(special: str, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    template = tmp_path / "modele.docx"
    if special == "fifo":
        os.mkfifo(template)
    else:
        template.symlink_to("/dev/zero")
    code, _, err = run(capsys, "render", spec(tmp_path), "-o", tmp_path / "out.docx",
                       "--template", template)
    assert code == 2
    assert err == (f"erreur : {template} : ce n'est pas un fichier ordinaire (tube, "
                   "périphérique…), attendu : un modèle ordinaire")


def test_encrypted_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = template_with(tmp_path, "{{ title }}")
    template.write_bytes(encrypted_zip(template.read_bytes()))
    code, _, err = run(capsys, "render", spec(tmp_path), "-o", tmp_path / "out.docx",
                       "--template", template)
    assert code == 2
    assert f"{template} : modèle chiffré (protégé par mot de passe)" in err


def test_encrypted_received_docx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    received = template_with(tmp_path, "Convention reçue", name="recue.docx")
    received.write_bytes(encrypted_zip(received.read_bytes()))
    code, _, err = run(capsys, "check", received)
    assert code == 2
    assert f"{received} : fichier chiffré (protégé par mot de passe)" in err


# -- destinations --------------------------------------------------------------------------


def test_output_naming_an_existing_folder_fails_at_once(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "dossier.pdf"
    folder.mkdir()
    code, _, err = run(capsys, "render", spec(tmp_path), "-o", folder)
    assert code == 2
    assert err == (f"erreur : {folder} : c'est un dossier, attendu : un fichier .docx ou .pdf")
    assert list(folder.iterdir()) == []


@pytest.mark.skipif(is_root(), reason="root writes in a read-only folder")
def test_read_only_output_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "lecture-seule"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        code, _, err = run(capsys, "render", spec(tmp_path), "-o", folder / "out.docx")
    finally:
        folder.chmod(0o755)
    assert code == 2
    assert "lecture seule" in err
    assert list(folder.iterdir()) == []


def test_full_disk(tmp_path: Path) -> None:
    """The file size limit of the process (``RLIMIT_FSIZE``, as a full disk: writes fail)."""
    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    out = tmp_path / "out.docx"
    done = subprocess.run([sys.executable, "-c", "import sys; from convention_docs.cli import "
                           "main; sys.exit(main())", "render",
                           str(EXAMPLES / "paca-2026.yaml"), "-o", str(out)],
                          capture_output=True, text=True, timeout=120, preexec_fn=small_files,
                          env={**os.environ, "COLUMNS": "300"})
    err = " ".join(done.stderr.split())
    assert done.returncode == 2, err
    assert "Traceback" not in err
    assert "écriture ou lecture impossible (fichier trop grand)" in err
    assert left_in(tmp_path) == []


# -- a converter that writes junk ----------------------------------------------------------

JUNK_SOFFICE = """#!/bin/sh
outdir=.
while [ $# -gt 0 ]; do
    case "$1" in
        --outdir) outdir=$2; shift ;;
        *.docx) printf '%%PDF-1.7\\nn\\x27importe quoi\\n%%%%EOF\\n' \
                    > "$outdir/$(basename "$1" .docx).pdf" ;;
    esac
    shift
done
exit 0
"""


@needs_libreoffice
def test_converter_writing_junk(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "soffice"
    fake.write_text(JUNK_SOFFICE)
    fake.chmod(0o755)
    monkeypatch.setenv("CONVENTION_DOCS_SOFFICE", str(fake))
    out = tmp_path / "out.pdf"
    code, _, err = run(capsys, "render", spec(tmp_path), "-o", out)
    assert code in (1, 2)
    assert f"{out} : LibreOffice a produit un PDF illisible (conversion ratée)" in err
    assert ".convention-docs-" not in err and "/tmp" not in err.replace(str(tmp_path), "")
    assert left_in(tmp_path) == []


# -- special files as specs, in render and in batch ----------------------------------------


@pytest.mark.parametrize("special", ["fifo", "dev-zero", "dev-urandom", "folder"])
def test_special_file_as_spec(special: str, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "spec.yaml"
    if special == "fifo":
        os.mkfifo(path)
    elif special == "folder":
        path.mkdir()
    else:
        path.symlink_to(f"/dev/{special.removeprefix('dev-')}")
    code, _, err = run(capsys, "render", path, "-o", tmp_path / "out.docx")
    assert code == 2
    expected = ("c'est un dossier, pas un fichier de spécification" if special == "folder" else
                "ce n'est pas un fichier ordinaire (tube, périphérique…)")
    assert f"{path} : spécification invalide, (racine) : {expected}" in err


def test_batch_reports_bad_input_as_bad_input(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """In a batch too: exit 2, the reason in French, never « erreur interne »."""
    bad = [spec(tmp_path, name="date.yaml", text="signature:\n  date: 2026-02-30\n"),
           spec(tmp_path, name="profond.json", text="[" * 5000 + "]" * 5000)]
    zero = tmp_path / "zero.yaml"
    zero.symlink_to("/dev/zero")
    outdir = tmp_path / "out"
    code, printed, _ = run(capsys, "batch", *bad, zero, "--outdir", outdir, "--format", "docx")
    assert code == 2
    assert "erreur interne" not in printed
    assert sum(printed.count(f"invalide {path} :") for path in (*bad, zero)) == 3
    assert "date impossible" in printed and "trop imbriquées" in printed
    assert "pas un fichier ordinaire" in printed
    assert not outdir.exists() or left_in(outdir) == []


def test_unexpected_exception_becomes_a_french_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The funnel itself: whatever escapes a command (here a MemoryError from the reading of
    the spec) is one French line and exit 2."""
    import convention_docs.spec as spec_module

    def exhausted(*args: object, **kwargs: object) -> bytes:
        raise MemoryError

    monkeypatch.setattr(spec_module._limits, "read_regular", exhausted)
    code, _, err = run(capsys, "render", spec(tmp_path), "-o", tmp_path / "out.docx")
    assert code == 2
    assert err == "erreur : mémoire insuffisante : données trop volumineuses"
    assert isinstance(_limits.as_error(RecursionError()), Exception)
    assert str(_limits.as_error(OSError(28, "No space left", "x.pdf"))) == (
        "x.pdf : écriture ou lecture impossible (disque plein)")
