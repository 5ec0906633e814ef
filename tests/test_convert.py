"""convert.py: LibreOffice found, run, isolated, killed and cleaned up; the PDFs checked.

Tests marked ``libreoffice`` run the real LibreOffice; the others use the fake ``soffice`` and
fake UNO Python scripts of ``tests/fakes`` (selected through the environment variables).
"""

from __future__ import annotations

import io
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from convention_docs.convert import (
    INSTALL_HINT,
    SOFFICE_ENV,
    UNO_PYTHON_ENV,
    Converter,
    PdfOptions,
    find_soffice,
    pdf_destination_name,
)
from convention_docs.errors import ConversionError, ConversionTimeout, LibreOfficeNotFound

from .conftest import command_lines

FAKES = Path(__file__).parent / "fakes"
TEXT = ("Article 1 – Objet : la présente convention « clauses sociales d'insertion » "
        "prévoit 15\u202f000,00\u00a0€ ; numéro\u00a0: 42, façade, œuvre, élève.")
TITLE = "Convention d'insertion"
BOOKMARK = "signature_porteur"
ALT = "Logo du porteur de projet"
IMAGE_SIZE = (600, 300)  # photo-like noise: LibreOffice would make it a 300 dpi JPEG by default


# -- helpers ------------------------------------------------------------------------------------

def noise_image() -> Image.Image:
    data = random.Random(7).randbytes(IMAGE_SIZE[0] * IMAGE_SIZE[1] * 3)
    return Image.frombytes("RGB", IMAGE_SIZE, data)


def make_docx(path: Path, *, text: str = TEXT) -> Path:
    """An A4 French .docx: text with « », U+00A0, U+202F; a PNG with alt text; a bookmark."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    props = document.core_properties
    props.title, props.author = TITLE, "Maison de l'emploi"
    props.subject, props.keywords, props.comments = "Clauses sociales", "insertion", ""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang")).set(
        qn("w:val"), "fr-FR")
    document.styles["Normal"].font.name = "Arial"
    document.add_paragraph(text)
    buffer = io.BytesIO()
    noise_image().save(buffer, format="PNG")
    buffer.seek(0)
    document.add_picture(buffer, width=Mm(20))  # 600 px on 20 mm: 762 dpi
    document.inline_shapes[0]._inline.docPr.set("descr", ALT)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    paragraph = document.add_paragraph("Pour le porteur de projet")
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), "0")
    start.set(qn("w:name"), BOOKMARK)
    end.set(qn("w:id"), "0")
    paragraph._p.insert(0, start)
    paragraph._p.append(end)
    document.save(str(path))
    return path


def plain(text: str) -> str:
    """Collapse ASCII spaces and line breaks only (U+00A0 and U+202F must stay)."""
    return re.sub(r"[ \n]+", " ", text).strip()


def fonts(reader: PdfReader) -> dict[str, bool]:
    """Every font used by a page: its name → whether its program is embedded."""
    found: dict[str, bool] = {}
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", DictionaryObject()).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2",
                                                           "/FontFile3"))
            found[str(font["/BaseFont"])] = embedded
    return found


def drawn_images(reader: PdfReader, page_index: int) -> list[Any]:
    """Image XObjects the page's content stream actually draws (not only lists)."""
    page = reader.pages[page_index]
    content = page.get_contents()
    drawn = set(re.findall(rb"/(\S+)\s+Do", b"" if content is None else content.get_data()))
    xobjects = page["/Resources"].get("/XObject", DictionaryObject())
    return [xobjects[f"/{name.decode()}"].get_object() for name in drawn
            if xobjects[f"/{name.decode()}"].get_object().get("/Subtype") == "/Image"]


def struct_alts(node: Any) -> list[str]:
    """/Alt texts of the /Figure elements of a structure tree."""
    node = node.get_object()
    found: list[str] = []
    if isinstance(node, DictionaryObject):
        if node.get("/S") == "/Figure" and "/Alt" in node:
            found.append(str(node["/Alt"]))
        kids = node.get("/K")
        if kids is not None:
            for kid in kids if isinstance(kids, ArrayObject) else [kids]:
                found.extend(struct_alts(kid))
    return found


def destinations(reader: PdfReader) -> dict[str, int]:
    """Named destinations → 1-based page numbers."""
    return {name.lstrip("/"): reader.get_destination_page_number(dest) + 1
            for name, dest in reader.named_destinations.items()}


def check_faithful(pdf: Path) -> PdfReader:
    """The checks every converted sample must pass; returns the reader for more."""
    reader = PdfReader(pdf)
    assert len(reader.pages) == 2
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    assert TEXT in plain(reader.pages[0].extract_text())
    images = drawn_images(reader, 0)
    assert [(image["/Width"], image["/Height"], image["/Filter"]) for image in images] == [
        (*IMAGE_SIZE, "/FlateDecode")]
    assert reader.pages[0].images[0].image.convert("RGB").tobytes() == noise_image().tobytes()
    used = fonts(reader)
    assert used and all(used.values()), used
    assert any(name.endswith("+LiberationSans") for name in used), used  # Arial's stand-in
    root = reader.root_object
    assert root["/MarkInfo"]["/Marked"].value is True
    assert struct_alts(root["/StructTreeRoot"]) == [ALT]
    assert root["/Lang"] == "fr-FR"
    assert destinations(reader) == {pdf_destination_name(BOOKMARK): 2}
    return reader


def processes_mentioning(text: str) -> list[str]:
    """Command lines of live processes that contain ``text``."""
    return [f"{pid}: " + cmdline.replace(b"\0", b" ").decode(errors="replace")
            for pid, cmdline in command_lines().items() if text.encode() in cmdline]


def wait_no_process(text: str, within: float = 2.0) -> list[str]:
    """Processes still mentioning ``text`` after ``within`` s (SIGKILL takes a moment)."""
    deadline = time.monotonic() + within
    while (left := processes_mentioning(text)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def wait_processes(text: str, *expected: str, within: float = 10.0) -> str:
    """The command lines mentioning ``text``, once each of ``expected`` is among them (a
    process just started may not be exec'd yet) or ``within`` s have passed."""
    deadline = time.monotonic() + within
    while True:
        running = " ".join(processes_mentioning(text))
        if all(e in running for e in expected) or time.monotonic() > deadline:
            return running
        time.sleep(0.05)


def zombie_children() -> list[str]:
    """Our own children that died and were not reaped."""
    zombies = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] == "Z" and int(fields[1]) == os.getpid():
            zombies.append(stat.parent.name)
    return zombies


def fake(tmp_path: Path, name: str) -> str:
    """A copy of a fake script, executable whatever the checkout did to file modes."""
    copy = tmp_path / name
    shutil.copyfile(FAKES / name, copy)
    copy.chmod(0o755)
    return str(copy)


@pytest.fixture
def docx(tmp_path: Path) -> Path:
    """A small file the fakes never read (real tests use ``sample``)."""
    path = tmp_path / "convention.docx"
    path.write_bytes(b"PK fake")
    return path


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_docx(tmp_path_factory.mktemp("docx") / "convention.docx")


@pytest.fixture(scope="module")
def warm() -> Iterator[Converter]:
    with Converter(timeout=60) as converter:
        yield converter


# -- options and lookup (no LibreOffice) ---------------------------------------------------------

def test_filter_string_is_the_json_lo_74_reads() -> None:
    assert PdfOptions(pdfa=True).filter_string() == (
        'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"},'
        '"UseTaggedPDF":{"type":"boolean","value":"true"},'
        '"UseLosslessCompression":{"type":"boolean","value":"true"},'
        '"ReduceImageResolution":{"type":"boolean","value":"false"},'
        '"ExportBookmarks":{"type":"boolean","value":"true"},'
        '"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}')
    data = PdfOptions().filter_data()
    assert data["SelectPdfVersion"] == {"type": "long", "value": "0"}
    assert PdfOptions(tagged=False).filter_data()["UseTaggedPDF"]["value"] == "false"


@pytest.mark.parametrize(("bookmark", "name"), [
    ("signature_porteur", "signature5Fporteur"),
    ("signature-etat", "signature-etat"),
    ("a b", "a2520b"),
    ("a#b%", "a2523b2525"),
    ("é", "25C325A9"),
    ("œ€", "25C5259325E2258225AC"),
    ("a.b~c/d'e+f:g", "a2Eb7Ec2Fd27e2Bf3Ag"),
])
def test_pdf_destination_name_follows_libreoffice(bookmark: str, name: str) -> None:
    # Pairs read from a PDF that LibreOffice 7.4 exported.
    assert pdf_destination_name(bookmark) == name


def test_find_soffice_honours_the_environment(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    path = fake(tmp_path, "soffice-exit1")
    monkeypatch.setenv(SOFFICE_ENV, path)
    assert find_soffice() == path


def test_missing_soffice_named_by_the_environment(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "absent" / "soffice"
    monkeypatch.setenv(SOFFICE_ENV, str(missing))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(LibreOfficeNotFound) as caught:
        Converter()
    assert str(caught.value) == (
        f"LibreOffice est introuvable : CONVENTION_DOCS_SOFFICE désigne « {missing} », qui "
        "n'existe pas ou n'est pas exécutable. Corrigez cette variable, ou installez "
        "LibreOffice avec « apt-get install libreoffice-writer-nogui fonts-liberation2 ».")


def test_missing_soffice_on_the_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SOFFICE_ENV, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(LibreOfficeNotFound) as caught:
        find_soffice()
    assert str(caught.value) == (
        "LibreOffice est introuvable : ni « soffice » ni « libreoffice » dans le PATH. "
        "Installez-le avec « apt-get install libreoffice-writer-nogui fonts-liberation2 » "
        "(ou indiquez le chemin de soffice dans CONVENTION_DOCS_SOFFICE).")
    assert INSTALL_HINT in str(caught.value)
    assert isinstance(caught.value, ConversionError)


# -- faults, with fake soffice -------------------------------------------------------------------

def test_hanging_soffice_is_killed_with_its_group(tmp_path: Path, docx: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SOFFICE_ENV, fake(tmp_path, "soffice-hang"))
    destination = tmp_path / "out" / "convention.pdf"
    with Converter(timeout=1.0, warm=False) as converter:
        started = time.monotonic()
        with pytest.raises(ConversionTimeout) as caught:
            converter.convert(docx, destination)
        elapsed = time.monotonic() - started
        assert wait_no_process(converter.workdir.name) == []
    assert 1.0 <= elapsed < 3.5  # timeout + SIGTERM grace (ignored) + SIGKILL
    assert str(caught.value) == (
        f"{docx} : LibreOffice n'a pas terminé la conversion en 1 s ; il a été arrêté")
    assert caught.value.source == str(docx)
    assert not destination.exists()
    assert not destination.parent.exists()
    assert zombie_children() == []


def test_silent_exit_1_is_an_error(tmp_path: Path, docx: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SOFFICE_ENV, fake(tmp_path, "soffice-exit1"))
    destination = tmp_path / "convention.pdf"
    with Converter(warm=False) as converter, pytest.raises(ConversionError) as caught:
        converter.convert(docx, destination)
    assert type(caught.value) is ConversionError
    assert str(caught.value) == (
        f"{docx} : LibreOffice n'a produit aucun PDF (code de sortie 1)")
    assert not destination.exists()


def test_exit_0_without_pdf_is_an_error(tmp_path: Path, docx: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SOFFICE_ENV, fake(tmp_path, "soffice-nopdf"))
    destination = tmp_path / "convention.pdf"
    with Converter(warm=False) as converter, pytest.raises(ConversionError) as caught:
        converter.convert(docx, destination)
    assert str(caught.value) == (
        f"{docx} : LibreOffice n'a produit aucun PDF (code de sortie 0)")
    assert "using filter" in caught.value.details  # soffice's output, for diagnosis
    assert not destination.exists()


def test_a_file_that_is_not_a_pdf_is_refused(tmp_path: Path, docx: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SOFFICE_ENV, fake(tmp_path, "soffice-notpdf"))
    destination = tmp_path / "convention.pdf"
    with Converter(warm=False) as converter, pytest.raises(ConversionError) as caught:
        converter.convert(docx, destination)
    assert str(caught.value) == (
        f"{docx} : LibreOffice a produit un fichier qui n'est pas un PDF")
    assert not destination.exists()


def test_convert_many_gives_one_error_per_document(tmp_path: Path, docx: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SOFFICE_ENV, fake(tmp_path, "soffice-exit1"))
    missing = tmp_path / "absent.docx"
    pairs = [(docx, tmp_path / "a.pdf"), (missing, tmp_path / "b.pdf"),
             (docx, tmp_path / "c.pdf")]
    with Converter(warm=False) as converter:
        results = converter.convert_many(pairs)
    assert [str(result) for result in results] == [
        f"{docx} : LibreOffice n'a produit aucun PDF (code de sortie 1)",
        f"{missing} : fichier introuvable",
        f"{docx} : LibreOffice n'a produit aucun PDF (code de sortie 1)",
    ]
    assert all(isinstance(result, ConversionError) for result in results)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["convention.docx", "soffice-exit1"]


@pytest.mark.parametrize(("then", "message"), [
    ("crash", "LibreOffice n'a produit aucun PDF (code de sortie 139)"),
    ("hang", "LibreOffice n'a pas terminé la conversion en 1 s ; il a été arrêté"),
])
def test_a_batch_survives_a_crash_or_a_hang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            then: str, message: str) -> None:
    monkeypatch.setenv(SOFFICE_ENV, fake(tmp_path, "soffice-first-only"))
    monkeypatch.setenv("FAKE_SOFFICE_THEN", then)
    sources = []
    for name in "abc":
        sources.append(tmp_path / f"{name}.docx")
        sources[-1].write_bytes(b"PK fake")
    pairs = [(source, tmp_path / "out" / f"{source.stem}.pdf") for source in sources]
    with Converter(warm=False, timeout=1.0) as converter:
        results = converter.convert_many(pairs)
        assert wait_no_process(converter.workdir.name) == []
    # a: converted before the fault; b: blamed for it; c: converted by a fresh soffice.
    assert results[0] == pairs[0][1] and results[2] == pairs[2][1]
    assert str(results[1]) == f"{sources[1]} : {message}"
    assert type(results[1]) is (ConversionTimeout if then == "hang" else ConversionError)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.pdf", "c.pdf"]


def test_profile_removed_on_close_and_closed_converter_refuses(
        tmp_path: Path, docx: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SOFFICE_ENV, fake(tmp_path, "soffice-nopdf"))
    converter = Converter(warm=False)
    with pytest.raises(ConversionError):
        converter.convert(docx, tmp_path / "x.pdf")
    assert (converter.workdir / "profile").as_uri() in (
        converter.workdir / "soffice-cold.log").read_text()
    converter.close()
    converter.close()
    assert converter.closed
    assert not converter.workdir.exists()
    with pytest.raises(ConversionError) as caught:
        converter.convert(docx, tmp_path / "x.pdf")
    assert str(caught.value) == "ce convertisseur est fermé (close() a déjà été appelé)"


def test_without_uno_the_converter_goes_cold_and_says_why(
        tmp_path: Path, docx: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SOFFICE_ENV, fake(tmp_path, "soffice-nopdf"))
    python = tmp_path / "no-python"
    monkeypatch.setenv(UNO_PYTHON_ENV, str(python))
    with Converter() as converter:
        assert converter.mode == "cold"
        assert converter.mode_reason == (
            f"mode chaud indisponible : « {python} -c 'import uno' » a échoué (No such file "
            "or directory) ; installez python3-uno ou indiquez un autre Python dans "
            "CONVENTION_DOCS_UNO_PYTHON")
        assert converter.startup_seconds is None


def test_warm_start_failure_falls_back_to_cold(tmp_path: Path, docx: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # The real UNO worker waits for a pipe that the fake soffice never opens.
    monkeypatch.setenv(SOFFICE_ENV, fake(tmp_path, "soffice-exit1"))
    monkeypatch.delenv(UNO_PYTHON_ENV, raising=False)
    with Converter() as converter:
        assert converter.mode == "cold"
        assert converter.mode_reason == (
            "démarrage du mode chaud impossible, LibreOffice n'a pas démarré (soffice s'est "
            "arrêté, code de sortie 1)")
        with pytest.raises(ConversionError, match="code de sortie 1"):
            converter.convert(docx, tmp_path / "x.pdf")


def test_soffice_that_cannot_be_executed(tmp_path: Path, docx: Path) -> None:
    broken = tmp_path / "soffice"
    broken.write_text("#!/nonexistent/interpreter\n")
    broken.chmod(0o755)
    with Converter(str(broken)) as converter:
        assert converter.mode == "cold"
        assert converter.mode_reason == (
            "démarrage du mode chaud impossible, soffice n'a pas pu être lancé ([Errno 2] No "
            f"such file or directory: '{broken}')")
        results = converter.convert_many([(docx, tmp_path / "a.pdf")])
    assert [str(result) for result in results] == [
        f"{docx} : soffice n'a pas pu être lancé ([Errno 2] No such file or directory: "
        f"'{broken}')"]
    with pytest.raises(LibreOfficeNotFound) as caught:
        Converter(str(tmp_path / "absent"))
    assert str(caught.value) == (
        f"LibreOffice est introuvable : « {tmp_path / 'absent'} » n'existe pas ou n'est pas "
        "exécutable. Installez-le avec « apt-get install libreoffice-writer-nogui "
        "fonts-liberation2 ».")


def test_warm_worker_crash_is_an_error_then_a_restart(
        tmp_path: Path, docx: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "starts.log"
    monkeypatch.setenv(SOFFICE_ENV, fake(tmp_path, "soffice-hang"))
    monkeypatch.setenv(UNO_PYTHON_ENV, fake(tmp_path, "uno-python"))
    monkeypatch.setenv("FAKE_UNO_WORKER", "crash")
    monkeypatch.setenv("FAKE_UNO_LOG", str(log))
    destination = tmp_path / "convention.pdf"
    with Converter(timeout=5) as converter:
        assert converter.mode == "warm"
        for _ in range(2):
            with pytest.raises(ConversionError) as caught:
                converter.convert(docx, destination)
            assert str(caught.value) == (
                f"{docx} : LibreOffice s'est arrêté pendant la conversion (le pont UNO s'est "
                "arrêté) ; il sera relancé pour le document suivant")
        assert log.read_text().splitlines() == ["started"] * 2
        name = converter.workdir.name
    assert not destination.exists()
    assert wait_no_process(name) == []  # the fake soffice ignores SIGTERM: SIGKILL it was


def test_warm_hang_is_a_timeout_and_kills_everything(
        tmp_path: Path, docx: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SOFFICE_ENV, fake(tmp_path, "soffice-hang"))
    monkeypatch.setenv(UNO_PYTHON_ENV, fake(tmp_path, "uno-python"))
    monkeypatch.setenv("FAKE_UNO_WORKER", "hang")
    destination = tmp_path / "convention.pdf"
    with Converter(timeout=0.5) as converter:
        assert converter.mode == "warm"
        running = wait_processes(converter.workdir.name, "soffice-hang --child", "uno-python -I")
        assert "soffice-hang --child" in running and "uno-python -I" in running
        started = time.monotonic()
        with pytest.raises(ConversionTimeout) as caught:
            converter.convert(docx, destination)
        assert time.monotonic() - started < 10  # killed after 0.5 s, not left to hang
        assert wait_no_process(converter.workdir.name) == []
    assert str(caught.value) == (
        f"{docx} : LibreOffice n'a pas terminé la conversion en 0.5 s ; il a été arrêté")
    assert not destination.exists()
    assert zombie_children() == []


def test_interpreter_exit_cleans_up_an_open_converter(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SOFFICE_ENV, fake(tmp_path, "soffice-hang"))
    monkeypatch.setenv(UNO_PYTHON_ENV, fake(tmp_path, "uno-python"))
    code = ("from convention_docs.convert import Converter\n"
            "converter = Converter()\n"
            "print(converter.mode, converter.workdir, flush=True)\n")  # no close()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    mode, workdir = done.stdout.split()
    assert mode == "warm"
    assert not Path(workdir).exists()
    assert wait_no_process(Path(workdir).name) == []


# -- the real LibreOffice ------------------------------------------------------------------------

@pytest.mark.libreoffice
def test_warm_conversion_is_faithful(warm: Converter, sample: Path, tmp_path: Path) -> None:
    assert warm.mode == "warm", warm.mode_reason
    assert warm.startup_seconds is not None and warm.startup_seconds < 30
    destination = tmp_path / "sub" / "convention.pdf"
    assert warm.convert(sample, destination) == destination
    reader = check_faithful(destination)
    assert "/OutputIntents" not in reader.root_object  # not PDF/A unless asked
    assert reader.xmp_metadata is None
    assert sorted(p.name for p in destination.parent.iterdir()) == ["convention.pdf"]


@pytest.mark.libreoffice
def test_pdfa_2b_identification(warm: Converter, sample: Path, tmp_path: Path) -> None:
    destination = warm.convert(sample, tmp_path / "archive.pdf", PdfOptions(pdfa=True))
    reader = check_faithful(destination)
    packet = reader.root_object["/Metadata"].get_object()
    assert "/Filter" not in packet  # PDF/A: metadata stream not compressed
    xmp = packet.get_data().decode()
    assert "<pdfaid:part>2</pdfaid:part>" in xmp
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    [intent] = reader.root_object["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFA1"
    assert intent["/DestOutputProfile"].get_object().get_data()[36:40] == b"acsp"  # ICC
    assert reader.trailer["/ID"]


@pytest.mark.libreoffice
def test_warm_batch_isolates_a_bad_document(warm: Converter, sample: Path,
                                            tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_text("ceci n'est pas un .docx")  # LibreOffice would happily print it as text
    results = warm.convert_many([(sample, tmp_path / "a.pdf"), (bad, tmp_path / "b.pdf"),
                                 (sample, tmp_path / "c.pdf")])
    assert results[0] == tmp_path / "a.pdf" and results[2] == tmp_path / "c.pdf"
    assert str(results[1]) == (f"{bad} : LibreOffice n'a pas pu convertir le document "
                               "(document illisible, ce n'est pas un .docx valide)")
    assert not (tmp_path / "b.pdf").exists()
    check_faithful(tmp_path / "c.pdf")


@pytest.mark.libreoffice
def test_cold_conversion_and_batch(sample: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_text("ceci n'est pas un .docx")
    (tmp_path / "deux").mkdir()
    other = make_docx(tmp_path / "deux" / "convention.docx", text="Autre « texte »")
    with Converter(warm=False, timeout=60) as converter:
        assert converter.mode == "cold"
        check_faithful(converter.convert(sample, tmp_path / "single.pdf"))
        pairs = [(sample, tmp_path / "a.pdf"), (bad, tmp_path / "b.pdf"),
                 (other, tmp_path / "c.pdf")]  # same file name as sample: no collision
        results = converter.convert_many(pairs)
        workdir = converter.workdir
        assert sorted(p.name for p in workdir.iterdir()) == ["profile", "soffice-cold.log",
                                                             "tmp"]
        assert list((workdir / "tmp").iterdir()) == []  # LibreOffice's own, emptied on exit
    assert results[0] == tmp_path / "a.pdf" and results[2] == tmp_path / "c.pdf"
    assert str(results[1]) == f"{bad} : LibreOffice n'a produit aucun PDF (code de sortie 0)"
    check_faithful(tmp_path / "a.pdf")
    assert "Autre « texte »" in PdfReader(tmp_path / "c.pdf").pages[0].extract_text()
    assert not workdir.exists()
    assert processes_mentioning(workdir.name) == []


@pytest.mark.libreoffice
def test_real_timeout_then_restart(sample: Path, tmp_path: Path,
                                   new_stale_pipes: Callable[[], set[Path]]) -> None:
    with Converter(timeout=60) as converter:
        assert converter.mode == "warm", converter.mode_reason
        before = processes_mentioning(converter.workdir.name)
        assert len(before) == 3  # oosplash, soffice.bin, worker
        # LibreOffice's own temporary folder is in the converter's, gone with it when killed
        assert list((converter.workdir / "tmp").glob("lu*.tmp"))
        converter.timeout = 0.001
        with pytest.raises(ConversionTimeout) as caught:
            converter.convert(sample, tmp_path / "late.pdf")
        assert str(caught.value) == (f"{sample} : LibreOffice n'a pas terminé la conversion "
                                     "en 0.001 s ; il a été arrêté")
        assert wait_no_process(converter.workdir.name) == []
        assert not (tmp_path / "late.pdf").exists()
        assert new_stale_pipes() == set()  # the killed one's pipes were removed
        converter.timeout = 60
        check_faithful(converter.convert(sample, tmp_path / "again.pdf"))
        after = processes_mentioning(converter.workdir.name)
        assert len(after) == 3 and not set(after) & set(before)
        workdir = converter.workdir
    assert not workdir.exists()
    assert processes_mentioning(workdir.name) == []
    assert zombie_children() == []


@pytest.mark.libreoffice
def test_four_processes_in_parallel(sample: Path, tmp_path: Path) -> None:
    code = ("import sys\n"
            "from pathlib import Path\n"
            "from convention_docs.convert import Converter\n"
            "with Converter(timeout=90) as converter:\n"
            "    converter.convert(Path(sys.argv[1]), Path(sys.argv[2]))\n"
            "    print(converter.mode)\n")
    outputs = [tmp_path / f"parallel-{n}.pdf" for n in range(4)]
    procs = [subprocess.Popen([sys.executable, "-c", code, str(sample), str(output)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for output in outputs]
    results = [proc.communicate(timeout=120) for proc in procs]
    assert [(proc.returncode, out.strip()) for proc, (out, _) in zip(procs, results,
                                                                     strict=True)] == [
        (0, "warm")] * 4, [err for _, err in results]
    for output in outputs:
        check_faithful(output)
