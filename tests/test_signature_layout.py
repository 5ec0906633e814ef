"""The signature page with real LibreOffice: never a page of signatures alone, and the
parapheurs' text anchors (found by text extraction in each block's signing area, never seen)."""

from __future__ import annotations

import copy
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import numpy as np
import pytest
import yaml
from docx.shared import Pt, RGBColor
from PIL import Image
from pypdf import PdfReader

from convention_docs import Converter, render, validate
from convention_docs.anchors import ANCHOR_SYSTEMS, AnchorSystem, anchor_text, is_anchor
from convention_docs.cli import main
from convention_docs.errors import AnchorError
from convention_docs.inspect import read_docx, read_pdf
from convention_docs.inspect.view import DocumentView, TextLine
from convention_docs.spec import load_data

from .conftest import EXAMPLES, needs_libreoffice

pytestmark = [pytest.mark.libreoffice, needs_libreoffice]

SENTENCE = "Les parties se tiennent mutuellement informées de toute difficulté d'exécution. "
NAMES = ("Madame\u00a0Claire MODÈLE", "Monsieur\u00a0Jean EXEMPLE")


def fold(text: str) -> str:
    """The text with no-break spaces as spaces, as PDFium reads them (docs/pdf-reading.md)."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def paca_2026() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / "paca-2026.yaml").read_text("utf-8"))
    return data


def with_last_article(blocks: list[str]) -> dict[str, Any]:
    data = copy.deepcopy(paca_2026())
    data["articles"][-1]["blocks"] = blocks
    return data


@pytest.fixture(scope="module")
def converter() -> Iterator[Converter]:
    with Converter() as conv:
        yield conv


def signature_page(view: DocumentView) -> tuple[int, list[TextLine]]:
    """The page of the signatories' names, and its visible lines."""
    pages = {line.location.page for line in view.lines if fold(line.text) in map(fold, NAMES)}
    assert len(pages) == 1, pages
    page = pages.pop()
    assert page is not None
    return page, [line for line in view.lines_on_page(page) if line.visible and line.text.strip()]


# -- no detached signature page -------------------------------------------------------------------

# Lengths of the last article (in sentences of about a line each): with the template of before,
# « une-phrase », « long », « tres-long » and « vingt-lignes » left « Fait à … » and the blocks
# alone on the last page (measured); the others put the break elsewhere. A last paragraph of
# about 20 lines moves whole; one longer than a page is split by the page break as usual
# (KEEP_WITH_SIGNATURES_CHARS), its heading staying with it.
LAST_ARTICLES = {
    "une-phrase": [SENTENCE],
    "quatre-phrases": [SENTENCE * 1, SENTENCE * 3],
    "moyen": [SENTENCE * 6, SENTENCE * 3],
    "long": [SENTENCE * 16] + [SENTENCE * 3] * 8,
    "tres-long": [SENTENCE * 17] + [SENTENCE * 3] * 9,
    "vingt-lignes": [SENTENCE * 3] * 6 + [SENTENCE * 20],
    "un-paragraphe-geant": [SENTENCE * 90],
}


@pytest.mark.parametrize("name", sorted(LAST_ARTICLES))
def test_signature_blocks_never_stand_alone(tmp_path: Path, converter: Converter,
                                            name: str) -> None:
    pdf = render(load_data(with_last_article(LAST_ARTICLES[name])), tmp_path / f"{name}.pdf",
                 converter=converter)
    view = read_pdf(pdf)
    page, lines = signature_page(view)
    texts = [fold(line.text) for line in lines]
    made_at = next(i for i, text in enumerate(texts) if text.startswith("Fait à Marseille"))
    # the end of the last article stands on the same page, above « Fait à … »
    above = [line for line in lines[:made_at] if line.text != f"Page {page} sur {view.pages}"]
    assert above, f"{name} : page {page} sans texte d'article : {texts}"
    assert any(SENTENCE.strip()[:30] in line.text or "Article" in line.text for line in above)
    # the blocks are whole: labels, functions and names on that page
    for label in ("Pour la Métropole Aix-Marseille-Provence,", "Pour l'État,", *map(fold, NAMES)):
        assert label in texts, (name, texts)
    # and no heading was left alone at the foot of a page
    for number in range(1, view.pages + 1):
        body = [line.text for line in view.lines_on_page(number)
                if line.visible and line.text.strip() and not line.text.startswith("Page ")]
        assert not body[-1].startswith("Article"), (name, number, body[-3:])
    assert validate(pdf).ok


# -- parapheur anchors ----------------------------------------------------------------------------

def test_anchor_syntaxes() -> None:
    assert [anchor_text("iparapheur", n) for n in (1, 2)] == ["#signature_1#", "#signature_2#"]
    assert anchor_text("yousign", 1) == "{{s1|signature|150|65}}"
    assert anchor_text("docusign", 2) == "\\s2\\"
    assert all(is_anchor(anchor_text(system, n)) for system in ANCHOR_SYSTEMS for n in (1, 9, 12))
    for text in ("#signature#x", "{{s1|signature}}", "s1", "\\s1", "#signature_0#",
                 "signez ici #signature_1#", "{{s1|text|85|37}}"):
        assert not is_anchor(text), text


def test_unknown_anchor_system_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    with pytest.raises(AnchorError, match="système d'ancres inconnu « adobe », attendu : "
                                          "iparapheur, yousign ou docusign"):
        render(EXAMPLES / "paca-2026.yaml", tmp_path / "c.docx",
               anchors="adobe")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def anchored(tmp_path_factory: pytest.TempPathFactory,
             converter: Converter) -> dict[str | None, Path]:
    folder = tmp_path_factory.mktemp("anchors")
    convention = load_data(paca_2026())
    outputs: dict[str | None, Path] = {}
    for system in (None, *ANCHOR_SYSTEMS):
        outputs[system] = render(convention, folder / f"{system or 'sans'}.pdf",
                                 converter=converter, anchors=system)  # type: ignore[arg-type]
    return outputs


def _inside(inner: tuple[float, float, float, float],
            outer: tuple[float, float, float, float]) -> bool:
    return outer[0] <= inner[0] and inner[2] <= outer[2]


@pytest.mark.parametrize("system", ANCHOR_SYSTEMS)
def test_anchor_lies_in_each_signing_area(system: AnchorSystem,
                                          anchored: dict[str | None, Path]) -> None:
    pdf = anchored[system]
    view = read_pdf(pdf)
    page, lines = signature_page(view)
    columns = {  # block order: the Métropole first, then the State
        1: ("La vice-présidente de la Métropole", "et à l'économie sociale et solidaire",
            NAMES[0]),
        2: ("Le préfet de la région", "Provence-Alpes-Côte d'Azur", NAMES[1]),
    }
    for position, (first, last, name) in columns.items():
        tag = anchor_text(system, position)
        [anchor] = [line for line in view.lines if line.text == tag]
        assert anchor.location.page == page
        assert not anchor.visible and anchor.invisible_reason  # white, 2 pt
        assert anchor.font_size is not None and anchor.font_size < 4
        by_text = {fold(line.text): line for line in lines}
        function_top, function_end, signatory = by_text[first], by_text[last], by_text[fold(name)]
        assert anchor.bbox_mm and function_end.bbox_mm and signatory.bbox_mm
        assert function_top.bbox_mm
        # between the function and the name, in the column of its block
        assert function_end.bbox_mm[3] <= anchor.bbox_mm[1] < anchor.bbox_mm[3] \
            <= signatory.bbox_mm[1]
        column = (min(function_top.bbox_mm[0], signatory.bbox_mm[0]) - 20, 0,
                  max(function_top.bbox_mm[2], signatory.bbox_mm[2]) + 20, 0)
        assert _inside(anchor.bbox_mm, column), (anchor.bbox_mm, column)
        # leaves a blank of at least 25 mm below it for the signature
        assert signatory.bbox_mm[1] - anchor.bbox_mm[3] >= 25
    # an ordinary text extraction finds each tag once, on that page only
    reader = PdfReader(pdf)
    for index, pdf_page in enumerate(reader.pages, start=1):
        found = [anchor_text(system, n) in pdf_page.extract_text() for n in (1, 2)]
        assert found == ([True, True] if index == page else [False, False])


def _pixels(pdf: Path, page: int, folder: Path) -> np.ndarray[Any, Any]:
    prefix = folder / pdf.stem
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", str(page), "-l", str(page),
                    str(pdf), str(prefix)], check=True)
    [png] = folder.glob(f"{pdf.stem}-*.png")
    with Image.open(png) as picture:
        return np.asarray(picture.convert("L"), dtype=np.int16)


@pytest.mark.parametrize("system", ANCHOR_SYSTEMS)
def test_anchors_are_never_seen(tmp_path: Path, system: AnchorSystem,
                                anchored: dict[str | None, Path]) -> None:
    plain = read_pdf(anchored[None])
    page, _ = signature_page(plain)
    assert plain.pages == read_pdf(anchored[system]).pages  # the layout did not move
    without = _pixels(anchored[None], page, tmp_path)
    with_anchors = _pixels(anchored[system], page, tmp_path)
    assert without.shape == with_anchors.shape
    difference = np.abs(without - with_anchors)
    assert int(difference.max()) <= 8 and int((difference > 0).sum()) <= 20, (
        int(difference.max()), int((difference > 0).sum()))
    # and the tags really are in the file: the same comparison without them would be void
    assert anchor_text(system, 1) in PdfReader(anchored[system]).pages[page - 1].extract_text()


@pytest.mark.parametrize("system", ANCHOR_SYSTEMS)
def test_check_does_not_flag_anchors(system: AnchorSystem, anchored: dict[str | None, Path],
                                     capsys: pytest.CaptureFixture[str]) -> None:
    report = validate(anchored[system])
    assert report.findings == (), str(report)
    assert main(["check", str(anchored[system])]) == 0
    assert "HIDDEN_TEXT" not in capsys.readouterr().out


def test_docx_anchors_between_function_and_name(tmp_path: Path) -> None:
    path = render(load_data(paca_2026()), tmp_path / "c.docx", anchors="iparapheur")
    view = read_docx(path)
    texts = [line.text for line in view.lines]
    first, second = texts.index("#signature_1#"), texts.index("#signature_2#")
    state_function = "Le préfet de la région\nProvence-Alpes-Côte d'Azur"
    assert texts.index(state_function) < first < second < texts.index(NAMES[0])
    anchor = view.lines[first]
    assert not anchor.visible and anchor.region == "table" and anchor.color == (255, 255, 255)
    assert validate(path).findings == ()


@pytest.mark.parametrize(("starts", "text"), [
    ("Les parties s'efforcent", "#signature_1#"),  # an anchor's syntax outside the blocks
    ("Article 11", "{{s1|signature|150|65}}"),
])
def test_hidden_text_elsewhere_is_reported(tmp_path: Path, starts: str, text: str) -> None:
    path = render(load_data(paca_2026()), tmp_path / "c.docx")
    document = docx.Document(str(path))
    paragraph = next(p for p in document.paragraphs if p.text.startswith(starts))
    hidden = paragraph.insert_paragraph_before().add_run(text)
    hidden.font.size = Pt(2)
    hidden.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    document.save(str(path))
    [finding] = [f for f in validate(path).findings if f.code == "HIDDEN_TEXT"]
    assert finding.message == f"texte invisible pour le lecteur (corps de 2 pt) : « {text} »"
    assert finding.location.paragraph is not None


def test_hidden_text_in_the_signing_area_that_is_no_anchor_is_reported(tmp_path: Path) -> None:
    path = render(load_data(paca_2026()), tmp_path / "c.docx", anchors="yousign")
    assert validate(path).findings == ()
    document = docx.Document(str(path))
    [cell_paragraph] = [p for t in document.tables for c in t._cells for p in c.paragraphs
                        if p.text == "{{s1|signature|150|65}}"]
    cell_paragraph.runs[0].text = "signez ici sans regarder"
    document.save(str(path))
    [finding] = [f for f in validate(path).findings if f.code == "HIDDEN_TEXT"]
    assert "« signez ici sans regarder »" in finding.message


def test_cli_render_and_batch_with_anchors(tmp_path: Path) -> None:
    out = tmp_path / "c.pdf"
    assert main(["render", str(EXAMPLES / "paca-2026.yaml"), "-o", str(out),
                 "--anchors", "docusign"]) == 0
    assert "\\s1\\" in "".join(page.extract_text() for page in PdfReader(out).pages)
    assert main(["batch", str(EXAMPLES / "paca-2026.yaml"), "--outdir", str(tmp_path / "lot"),
                 "--format", "docx", "--anchors", "yousign", "--jobs", "1"]) == 0
    texts = [line.text for line in read_docx(tmp_path / "lot" / "paca-2026.docx").lines]
    assert "{{s2|signature|150|65}}" in texts


def test_batch_in_worker_processes_passes_the_anchors(tmp_path: Path) -> None:
    from convention_docs import batch

    specs = []
    for name in ("a", "b"):
        spec = tmp_path / f"{name}.yaml"
        spec.write_text((EXAMPLES / "paca-2026.yaml").read_text("utf-8"), encoding="utf-8")
        specs.append(spec)
    results = batch(specs, tmp_path / "lot", formats=["docx"], jobs=2, isolate=True,
                    anchors="iparapheur")
    assert all(result.ok for result in results), [str(r.error) for r in results]
    for name in ("a", "b"):
        texts = [line.text for line in read_docx(tmp_path / "lot" / f"{name}.docx").lines]
        assert [t for t in texts if is_anchor(t)] == ["#signature_1#", "#signature_2#"]
