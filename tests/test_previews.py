"""preview(): page pictures rendered by PDFium, from a PDF, a .docx or a Convention; checked by
decoding the pictures (size, colours, not blank) and parsing the notebook HTML."""

from __future__ import annotations

import base64
import io
import threading
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from convention_docs import Convention, DocumentError, load, preview, render
from convention_docs.previews import THUMBNAIL_DPI, Preview

from .conftest import EXAMPLES, needs_libreoffice
from .test_notebook import Tree

RED, GREEN = (220, 20, 20), (20, 160, 40)


@pytest.fixture(scope="module")
def two_pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2-page PDF, 4 × 6 inches each: page 1 red with a white square, page 2 green."""
    path = tmp_path_factory.mktemp("pdf") / "deux-pages.pdf"
    first = Image.new("RGB", (400, 600), RED)
    first.paste((255, 255, 255), (100, 100, 300, 300))
    second = Image.new("RGB", (400, 600), GREEN)
    first.save(path, save_all=True, append_images=[second], resolution=100.0)
    return path


def share(image: Image.Image, colour: tuple[int, int, int], tolerance: int = 40) -> float:
    """The share of the picture's pixels close to ``colour``."""
    colours = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
    close = sum(n for n, c in colours
                if all(abs(a - b) <= tolerance for a, b in zip(c, colour, strict=True)))
    return close / (image.width * image.height)


def test_pdf_pages_as_thumbnails(two_pages: Path) -> None:
    pages = preview(two_pages)
    assert isinstance(pages, Preview)
    assert pages.pages == (1, 2) and pages.page_count == 2 and len(pages) == 2
    assert pages.dpi == THUMBNAIL_DPI == 40
    assert [image.size for image in pages.images] == [(160, 240), (160, 240)]  # 4 × 6 in
    assert share(pages.images[0], RED) == pytest.approx(0.83, abs=0.03)
    assert share(pages.images[0], (255, 255, 255)) == pytest.approx(0.17, abs=0.03)
    assert share(pages.images[1], GREEN) > 0.97
    assert repr(pages) == f"<Preview {two_pages} : pages 1 à 2 sur 2, 40 dpi>"


def test_png_bytes_are_the_same_pages(two_pages: Path) -> None:
    pages = preview(two_pages, dpi=72)
    for image, data in zip(pages.images, pages.png, strict=True):
        decoded = Image.open(io.BytesIO(data))
        assert decoded.format == "PNG" and decoded.size == image.size == (288, 432)
        assert decoded.convert("RGB").tobytes() == image.tobytes()


def test_dpi_and_pages_choose_what_is_rendered(two_pages: Path) -> None:
    second = preview(two_pages, dpi=144, pages=2)
    assert second.pages == (2,) and second.images[0].size == (576, 864)
    assert share(second.images[0], GREEN) > 0.97
    assert repr(second) == f"<Preview {two_pages} : page 2 sur 2, 144 dpi>"
    both = preview(two_pages, pages=[2, 1])
    assert both.pages == (2, 1)
    assert share(both.images[0], GREEN) > 0.97 and share(both.images[1], RED) > 0.8
    assert repr(both) == f"<Preview {two_pages} : pages 2, 1 sur 2, 40 dpi>"


@pytest.mark.parametrize("pages", [0, 3, -1, True, [1, 5]])
def test_a_page_that_does_not_exist_is_refused(two_pages: Path, pages: Any) -> None:
    bad = pages[-1] if isinstance(pages, list) else pages
    with pytest.raises(ValueError, match=rf"^{two_pages} : page {bad!r} inexistante, le "
                                         r"document a 2 pages \(numérotées à partir de 1\)$"):
        preview(two_pages, pages=pages)


@pytest.mark.parametrize("dpi", [0, -5, 601, True, "50"])
def test_a_bad_dpi_is_refused(two_pages: Path, dpi: Any) -> None:
    with pytest.raises(ValueError, match=r"^dpi : attendu un nombre entre 1 et 600, reçu "):
        preview(two_pages, dpi=dpi)


def test_html_shows_every_page_inline(two_pages: Path) -> None:
    tree = Tree(preview(two_pages)._repr_html_())
    images = tree.find("img")
    assert [img["attrs"]["alt"] for img in images] == ["page 1 / 2", "page 2 / 2"]
    assert [f["text"] for f in tree.find("figcaption")] == ["page 1 / 2", "page 2 / 2"]
    for img, colour in zip(images, (RED, GREEN), strict=True):
        head, _, data = img["attrs"]["src"].partition(",")
        assert head == "data:image/png;base64"
        picture = Image.open(io.BytesIO(base64.b64decode(data)))
        assert picture.size == (160, 240) and share(picture, colour) > 0.8
        assert "width:220px" in img["attrs"]["style"]
    assert tree.find("p")[0]["text"] == f"{two_pages} — pages 1 à 2 sur 2"
    full = Tree(preview(two_pages, dpi=60, pages=1)._repr_html_())
    assert "max-width:100%" in full.find("img")[0]["attrs"]["style"]


def test_html_escapes_the_file_name(two_pages: Path, tmp_path: Path) -> None:
    odd = tmp_path / "<b>a&b<i>.pdf"
    odd.write_bytes(two_pages.read_bytes())
    markup = preview(odd, pages=1)._repr_html_()
    assert "<b>a&b" not in markup
    assert "&lt;b&gt;a&amp;b&lt;i&gt;.pdf" in markup


def test_files_that_cannot_be_previewed(tmp_path: Path, two_pages: Path) -> None:
    with pytest.raises(DocumentError, match=r"absent\.pdf : fichier introuvable$"):
        preview(tmp_path / "absent.pdf")
    spec = EXAMPLES / "paca-2026.yaml"
    with pytest.raises(DocumentError, match=r"paca-2026\.yaml : format non reconnu : attendu "
                                            r"un fichier \.pdf \(ou \.docx, converti par "
                                            r"LibreOffice\)$"):
        preview(spec)
    folder = tmp_path / "dossier.pdf"
    folder.mkdir()
    with pytest.raises(DocumentError, match=r"dossier\.pdf : ce n'est pas un fichier$"):
        preview(folder)
    # the validator's own words (inspect.pdf.open_pdf)
    cut = tmp_path / "coupe.pdf"
    cut.write_bytes(two_pages.read_bytes()[:600])
    with pytest.raises(DocumentError, match=r"coupe\.pdf : fichier PDF tronqué \(marqueur de "
                                            r"fin %%EOF absent\)"):
        preview(cut)
    broken = tmp_path / "casse.pdf"
    broken.write_bytes(b"%PDF-1.7\nceci n'est pas un PDF\n%%EOF\n")
    with pytest.raises(DocumentError, match=r"casse\.pdf : fichier PDF endommagé ou tronqué : "
                                            r"impossible de le lire$"):
        preview(broken)
    text = tmp_path / "texte.pdf"
    text.write_text("bonjour", encoding="utf-8")
    with pytest.raises(DocumentError, match=r"texte\.pdf : fichier illisible : ce n'est pas un "
                                            r"document PDF$"):
        preview(text)


def test_a_pdf_with_a_password_is_refused(tmp_path: Path, two_pages: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(two_pages))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    locked = tmp_path / "protege.pdf"
    with locked.open("wb") as stream:
        writer.write(stream)
    with pytest.raises(DocumentError, match=r"protege\.pdf : PDF protégé par un mot de passe : "
                                            r"impossible de le lire$"):
        preview(locked)


def test_a_pdf_protected_without_a_user_password_opens(tmp_path: Path,
                                                       two_pages: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(two_pages))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-256")
    protected = tmp_path / "aes.pdf"
    with protected.open("wb") as stream:
        writer.write(stream)
    pages = preview(protected, pages=2)
    assert pages.page_count == 2 and share(pages.images[0], GREEN) > 0.97


def test_threads_get_the_same_pictures(two_pages: Path) -> None:
    expected = [image.tobytes() for image in preview(two_pages, dpi=30).images]
    results: list[list[bytes]] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            for _ in range(5):
                results.append([i.tobytes() for i in preview(two_pages, dpi=30).images])
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == 20 and all(r == expected for r in results)


# --- real documents (LibreOffice) ----------------------------------------------------------


@pytest.fixture(scope="module")
def paca() -> Convention:
    return load(EXAMPLES / "paca-2026.yaml")


@pytest.fixture(scope="module")
def paca_pdf(paca: Convention, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render(paca, tmp_path_factory.mktemp("paca") / "paca-2026.pdf")


def ink(image: Image.Image) -> float:
    """The share of pixels that are not (nearly) white: text, logos."""
    return 1 - share(image, (255, 255, 255), tolerance=30)


@needs_libreoffice
@pytest.mark.libreoffice
def test_a_rendered_convention_shows_its_pages(paca_pdf: Path) -> None:
    pages = preview(paca_pdf)
    assert pages.page_count == len(PdfReader(paca_pdf).pages) == len(pages.images)
    assert all(image.size == (331, 468) for image in pages.images)  # A4 at 40 dpi
    assert all(0.02 < ink(image) < 0.5 for image in pages.images[:-1])
    top = pages.images[0].crop((0, 0, 331, 60))
    assert share(top, (0, 51, 153), tolerance=50) > 0.01  # the emblem's Reflex Blue


@needs_libreoffice
@pytest.mark.libreoffice
def test_a_docx_is_converted_first(paca: Convention, paca_pdf: Path, tmp_path: Path) -> None:
    docx = render(paca, tmp_path / "paca-2026.docx")
    from_docx = preview(docx, pages=1)
    from_pdf = preview(paca_pdf, pages=1)
    assert from_docx.page_count == from_pdf.page_count
    assert from_docx.source == str(docx)
    import numpy as np

    one, other = (np.asarray(p.images[0].convert("L"), dtype=np.int16)
                  for p in (from_docx, from_pdf))
    assert float(np.abs(one - other).mean()) < 8  # the same page, up to anti-aliasing
    assert list(tmp_path.iterdir()) == [docx]  # the temporary PDF is gone


@needs_libreoffice
@pytest.mark.libreoffice
def test_a_convention_is_rendered_for_the_preview(paca: Convention) -> None:
    pages = preview(paca, pages=1)
    assert pages.source == "(convention)" and pages.pages == (1,)
    assert pages.report is not None and pages.report.ok and pages.report.kind == "pdf"
    assert share(pages.images[0].crop((0, 0, 331, 40)), RED, tolerance=80) == 0
    refused = preview(paca.replace(funding=None), pages=1)
    assert refused.source == "(convention, projet)"
    assert refused.report is not None and "FUNDING_MISSING" in refused.report.codes()
    assert refused.report.source == "(convention, projet)"
    assert all(f.location.file is None for f in refused.report.findings)
    # the draft notice, in red, at the top of the first page
    assert share(refused.images[0].crop((0, 0, 331, 40)), (192, 0, 0), tolerance=80) > 0.001


def test_a_docx_without_libreoffice_says_to_preview_a_pdf(
        paca: Convention, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from convention_docs.errors import LibreOfficeNotFound

    docx = render(paca, tmp_path / "c.docx")  # no LibreOffice needed for a .docx
    monkeypatch.setenv("CONVENTION_DOCS_SOFFICE", str(tmp_path / "pas-de-soffice"))
    with pytest.raises(LibreOfficeNotFound) as caught:
        preview(docx)
    message = str(caught.value)
    assert message.startswith("LibreOffice est introuvable : CONVENTION_DOCS_SOFFICE désigne")
    assert message.endswith("; pour prévisualiser un .docx il faut LibreOffice : sinon rendez "
                            "la convention en PDF (render(convention, « c.pdf »)) et "
                            "prévisualisez ce PDF")
    assert caught.value.source == str(docx)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.docx"]


@needs_libreoffice
@pytest.mark.libreoffice
def test_a_template_the_validator_refuses_is_previewed_as_a_draft(
        paca: Convention, tmp_path: Path) -> None:
    import docx

    from convention_docs import ConventionRejected

    template = tmp_path / "sans-bandeau.docx"  # a letterhead that forgot the funding block
    document = docx.Document()
    document.add_paragraph("{{ title }}")
    document.add_paragraph("{{ object }}")
    document.save(str(template))
    pages = preview(paca, template=template)
    assert pages.source == "(convention, projet)" and pages.page_count == 1
    assert pages.report is not None and not pages.report.ok
    assert {f.code for f in pages.report.errors} >= {"EU_EMBLEM_MISSING",
                                                     "FUNDING_STATEMENT_MISSING"}
    assert 0.001 < ink(pages.images[0]) < 0.2  # the two lines of text
    with pytest.raises(ConventionRejected):
        preview(paca, template=template, draft=False)
    assert list(tmp_path.iterdir()) == [template]
