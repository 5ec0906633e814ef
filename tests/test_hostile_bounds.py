"""Hostile corpus, class « bounds »: what used to hang, eat memory or run for minutes is refused
quickly with a clear message (issue 17, group 2). Each case also bounds its own time."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from convention_docs import _limits, convert, validate
from convention_docs.errors import LimitExceeded
from convention_docs.inspect import read_pdf

from .conftest import MINIMAL, needs_libreoffice, pdf_file
from .hostile import hostile, left_in, run, spec, template_with, zip_bomb

pytestmark = hostile("bounds")

FAKES = Path(__file__).parent / "fakes"


# -- received documents --------------------------------------------------------------------

def _docx_cases() -> dict[str, tuple[dict[str, int], str]]:
    part = _limits.MAX_PART_BYTES
    return {
        "xml-part-18-MB": ({"word/document.xml": part + (8 << 20)},
                           "partie word/document.xml trop volumineuse une fois décompressée"),
        "inflated-230-MB": ({f"word/media/image{i}.png": 30 << 20 for i in range(1, 9)},
                            "archive .docx trop volumineuse une fois décompressée"),
    }


@pytest.mark.parametrize("case", ["xml-part-18-MB", "inflated-230-MB"])
def test_docx_bomb_is_refused_before_inflating(case: str, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    members, expected = _docx_cases()[case]
    received = tmp_path / "recue.docx"
    received.write_bytes(zip_bomb(members))
    assert received.stat().st_size < 1_000_000  # small on disk, huge once inflated
    started = time.monotonic()
    code, _, err = run(capsys, "check", received)
    assert time.monotonic() - started < 5
    assert code == 2
    assert err.startswith(f"erreur : {received} : {expected}")


def test_docx_with_too_many_members(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import zipfile

    received = tmp_path / "recue.docx"
    with zipfile.ZipFile(received, "w") as archive:
        for i in range(_limits.MAX_ZIP_MEMBERS + 1):
            archive.writestr(f"word/media/{i}.bin", b"")
    code, _, err = run(capsys, "check", received)
    assert code == 2
    assert f"{received} : archive .docx de 2001 éléments (maximum 2000)" in err


@pytest.mark.parametrize("name", ["recue.docx", "recue.pdf", "spec.yaml"])
def test_sparse_file_is_not_read_whole(name: str, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / name
    with path.open("wb") as handle:
        handle.truncate(1_200_000_000)  # 1.2 GB declared, nothing on disk
    started = time.monotonic()
    if name.endswith(".yaml"):
        code, _, err = run(capsys, "render", path, "-o", tmp_path / "out.docx")
    else:
        code, _, err = run(capsys, "check", path)
    assert time.monotonic() - started < 2
    assert code == 2
    assert f"{path} : " in err and "fichier trop volumineux (1200000000 octets ; maximum" in err


@pytest.mark.parametrize("special", ["fifo", "dev-zero", "dev-urandom"])
@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_special_file_as_received_document(special: str, suffix: str, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / f"recue{suffix}"
    if special == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to(f"/dev/{special.removeprefix('dev-')}")
    code, _, err = run(capsys, "check", path)
    assert code == 2
    assert err == (f"erreur : {path} : ce n'est pas un fichier ordinaire (tube, périphérique…), "
                   "attendu : un fichier ordinaire")


def nested_forms_pdf(levels: int = 20, fanout: int = 10) -> bytes:
    """A 5 KB PDF whose page draws a form that draws the previous one ``fanout`` times,
    ``levels`` deep: 10^20 drawings if followed."""
    first_form = 5
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /XObject << /F %d 0 R >> >> >>" % (first_form + levels - 1)]
    content = b"/F Do"
    objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    for level in range(levels):
        body = b"0 0 1 1 re f" if level == 0 else b" ".join([b"q /F Do Q"] * fanout)
        resources = b"" if level == 0 else b"/Resources << /XObject << /F %d 0 R >> >> " % (
            first_form + level - 1)
        objects.append(b"<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] " + resources
                       + b"/Length %d >>\nstream\n" % len(body) + body + b"\nendstream")
    return pdf_file(objects)


def test_pdf_too_complex_to_check(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_limits, "DOCUMENT_SECONDS", 3.0)
    path = tmp_path / "formes.pdf"
    path.write_bytes(nested_forms_pdf())
    assert path.stat().st_size < 6_000
    started = time.monotonic()
    with pytest.raises(LimitExceeded) as caught:
        validate(path)
    assert time.monotonic() - started < 3.0 + 2.0
    # counted before PDFium is asked to build the page (it would take 10^20 drawings, and
    # all the memory there is): refused at once, saying why
    assert str(caught.value) == (f"{path} : document trop complexe pour être vérifié : la page 1 "
                                 "dessine plus de 100000 objets (formulaires imbriqués qui se "
                                 "dessinent les uns les autres), abandonné")
    code, _, err = run(capsys, "check", path)
    assert code == 2
    assert "document trop complexe pour être vérifié" in err


def test_modestly_nested_forms_are_read(tmp_path: Path) -> None:
    from pypdf import PdfReader

    from convention_docs.inspect._complexity import page_draws

    path = tmp_path / "formes.pdf"
    path.write_bytes(nested_forms_pdf(levels=4))  # 10 + 100 + 1,000 drawings: a real page
    assert page_draws(PdfReader(path), 0) == 1 + 10 + 100 + 1_000
    view = read_pdf(path)  # not refused
    assert view.pages == 1


def test_damaged_pdf_is_a_finding_not_english_chatter(
        tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    from convention_docs.cli import main

    data = nested_forms_pdf(levels=2)
    at = data.index(b"xref\n")
    damaged = data[:at] + data[at:].replace(b"00000 n", b"00001 n") + b"\n" * 3
    path = tmp_path / "abimee.pdf"
    path.write_bytes(damaged.replace(b"startxref\n", b"startxref\n1"))
    report = validate(path)
    repaired = [f for f in report.findings if f.code == "PDF_REPAIRED"]
    assert len(repaired) == 1 and repaired[0].message.startswith("PDF endommagé : ")
    capfd.readouterr()
    assert main(["check", str(path), "--format", "json"]) == 1
    err = capfd.readouterr().err
    assert err == ""  # pypdf's English warnings are no longer printed


# -- specs ---------------------------------------------------------------------------------

def test_one_long_string_aliased_many_times(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    text = "texte: &t " + "A" * 1_000_000 + "\n" + "copies: [" + ", ".join(["*t"] * 90) + "]\n"
    path = spec(tmp_path, text=text)
    assert path.stat().st_size < 2_000_000
    started = time.monotonic()
    code, _, err = run(capsys, "render", path, "-o", tmp_path / "out.docx")
    assert time.monotonic() - started < 5
    assert code == 2
    assert ("trop de texte une fois les alias YAML (*ancre) développés (plus de 4000000 "
            "caractères)") in err


def test_billion_laughs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 10)]
    path = spec(tmp_path, text="\n".join(lines) + "\n")
    started = time.monotonic()
    code, _, err = run(capsys, "render", path, "-o", tmp_path / "out.docx")
    assert time.monotonic() - started < 5
    assert code == 2
    assert "alias YAML" in err


# -- templates -----------------------------------------------------------------------------

def test_template_output_is_bounded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = template_with(tmp_path, "{% for i in range(99999) %}{{ 'x' * 99999 }}"
                                       "{% endfor %}")
    started = time.monotonic()
    code, _, err = run(capsys, "render", spec(tmp_path), "-o", tmp_path / "out.docx",
                       "--template", template)
    assert time.monotonic() - started < 20
    assert code == 2
    assert "le modèle produit un document trop volumineux (plus de 50000000 caractères)" in err


def test_template_time_is_bounded(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_limits, "TEMPLATE_SECONDS", 1.5)
    template = template_with(tmp_path, "{% for i in range(99999) %}{% for j in range(99999) %}"
                                       "{% if i == j %}{% endif %}{% endfor %}{% endfor %}")
    started = time.monotonic()
    code, _, err = run(capsys, "render", spec(tmp_path), "-o", tmp_path / "out.docx",
                       "--template", template)
    assert time.monotonic() - started < 1.5 + 3
    assert code == 2
    assert f"{template} : {template} : rendu du modèle : trop long à traiter (plus de 1.5 s)" \
        in err or "rendu du modèle : trop long à traiter (plus de 1.5 s)" in err


# -- LibreOffice that hangs ----------------------------------------------------------------

def _hanging(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "soffice-hang"
    shutil.copyfile(FAKES / "soffice-hang", fake)
    fake.chmod(0o755)
    monkeypatch.setenv("CONVENTION_DOCS_SOFFICE", str(fake))


@needs_libreoffice
def test_render_timeout_option(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                               monkeypatch: pytest.MonkeyPatch) -> None:
    _hanging(tmp_path, monkeypatch)
    out = tmp_path / "out.pdf"
    started = time.monotonic()
    code, _, err = run(capsys, "render", spec(tmp_path), "-o", out, "--timeout", "2")
    assert time.monotonic() - started < 2 + 8
    assert code == 1
    assert err == (f"erreur : {out} : LibreOffice n'a pas terminé la conversion en 2 s ; "
                   "il a été arrêté")
    assert left_in(tmp_path) == []


@needs_libreoffice
def test_batch_gives_up_on_a_hanging_converter(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    _hanging(tmp_path, monkeypatch)
    monkeypatch.setattr(convert, "_MIN_START_TIMEOUT", 1.0)  # LibreOffice's start too
    specs = [spec(tmp_path, MINIMAL, name=f"c{i}.yaml") for i in range(12)]
    outdir = tmp_path / "out"
    started = time.monotonic()
    code, printed, _ = run(capsys, "batch", *specs, "--outdir", outdir, "--timeout", "1",
                           "--jobs", "1", "--format", "pdf")
    elapsed = time.monotonic() - started
    assert code == 1
    assert printed.count("conversion abandonnée : LibreOffice a échoué 2 fois de suite") == 10
    assert elapsed < 12 * 1.0  # two waits, not twelve
    assert not outdir.exists() or left_in(outdir) == []


def test_cli_timeout_must_be_a_duration(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "render", "x.yaml", "-o", "x.pdf", "--timeout", "zéro")
    assert code == 2
    assert "durée en secondes attendue (par exemple 120), pas « zéro »" in err



@pytest.mark.parametrize("side", [12_000, 20_000])
def test_picture_bomb_inside_a_received_docx(side: int, tmp_path: Path,
                                             capfd: pytest.CaptureFixture[str]) -> None:
    import io

    import docx
    from PIL import Image

    picture = io.BytesIO()
    Image.new("1", (side, side)).save(picture, "PNG")  # 144 or 400 million pixels, < 60 KB
    document = docx.Document()
    document.add_paragraph("Convention reçue")
    document.add_picture(picture)
    received = tmp_path / "recue.docx"
    document.save(str(received))
    assert received.stat().st_size < 200_000
    started = time.monotonic()
    report = validate(received)
    assert time.monotonic() - started < 4
    assert "EU_EMBLEM_MISSING" in report.codes()  # the bomb is not looked into
    assert "DecompressionBombWarning" not in capfd.readouterr().err


def many_pages_pdf(pages: int) -> bytes:
    """A PDF of ``pages`` pages sharing one small content stream (about 60 bytes a page)."""
    content = b"BT /F1 12 Tf 72 720 Td (Article) Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
               + b"] /Count %d >>" % pages,
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                b"/Resources << /Font << /F1 3 0 R >> >> >>"] * pages
    return pdf_file(objects)


def test_pdf_of_too_many_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_limits, "DOCUMENT_SECONDS", 2.0)
    path = tmp_path / "pages.pdf"
    path.write_bytes(many_pages_pdf(40_000))
    started = time.monotonic()
    with pytest.raises(LimitExceeded, match="document trop complexe pour être vérifié"):
        validate(path)
    assert time.monotonic() - started < 2.0 + 6.0  # opening the file is not bounded
