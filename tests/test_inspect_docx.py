"""read_docx: text, formatting resolved through styles, visibility, images, metadata, errors.

Every fixture is built here with python-docx (plus a little raw XML where python-docx has no
API: anchored picture, VML picture and text box, shading), then read back.
"""

from __future__ import annotations

import copy
import datetime as dt
import doctest
import importlib
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from PIL import Image, ImageDraw

from convention_docs.errors import DocumentError
from convention_docs.inspect import (
    DocumentView,
    Location,
    PlacedImage,
    TextLine,
    read_document,
    read_docx,
)

SPECIAL = ("Article 1er : « Cofinancé par l’Union européenne » 15\u202f000,00\u00a0€ "
           "Dupont & Fils <SARL>")
VML = 'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'


def _logo(path: Path, size: tuple[int, int] = (120, 80), alpha: bool = False) -> Path:
    mode, blue = ("RGBA", (0, 51, 153, 255)) if alpha else ("RGB", (0, 51, 153))
    image = Image.new(mode, size, blue)
    ImageDraw.Draw(image).ellipse((size[0] // 4, 10, 3 * size[0] // 4, size[1] - 10),
                                  fill=(255, 204, 0, 128) if alpha else (255, 204, 0))
    image.save(path)
    return path


def _position(axis: str, base: str, mm: float) -> str:
    return (f'<wp:position{axis} relativeFrom="{base}">'
            f"<wp:posOffset>{round(mm * 36000)}</wp:posOffset></wp:position{axis}>")


def _float(run, path: Path, width, horizontal: str, vertical: str, *, simple: str = "0",
           rotation: int = 0) -> None:
    """Add a picture to ``run`` as a ``wp:anchor`` placed by ``horizontal`` and ``vertical``."""
    run.add_picture(str(path), width=width)
    drawing = run._r.find(qn("w:drawing"))
    inline = drawing[0]
    anchor = parse_xml(
        f'<wp:anchor {nsdecls("wp")} '
        'xmlns:wp14="http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing" '
        f'distT="0" distB="0" distL="0" distR="0" simplePos="{simple}" relativeHeight="2" '
        'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
        f'<wp:simplePos x="0" y="0"/>{horizontal}{vertical}</wp:anchor>')
    for child in inline:
        if child.tag == qn("wp:docPr"):
            anchor.append(parse_xml(f'<wp:wrapNone {nsdecls("wp")}/>'))
        anchor.append(copy.deepcopy(child))
    if rotation:
        anchor.find(f".//{qn('a:xfrm')}").set("rot", str(rotation * 60000))
    drawing.replace(inline, anchor)


def _anchor(run, path: Path, width) -> None:
    """Add a picture to ``run`` as a ``wp:anchor`` 20 mm from the page's top left corner."""
    _float(run, path, width, _position("H", "page", 20), _position("V", "page", 20))
    run._r.find(f".//{qn('wp:docPr')}").set("descr", "Logo ancré")


def _shade(run, fill: str) -> None:
    shading = parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:fill="{fill}"/>')
    run._r.get_or_add_rPr().append(shading)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DocumentView]:
    folder = tmp_path_factory.mktemp("docx")
    logo = _logo(folder / "logo.png")
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    core = doc.core_properties
    core.title, core.author, core.language = "Convention de partenariat", "DREETS PACA", "fr-FR"
    core.created = dt.datetime(2026, 11, 24, 10, 30, tzinfo=dt.UTC)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    defaults.find(f'{qn("w:rPrDefault")}/{qn("w:rPr")}/{qn("w:lang")}').set(qn("w:val"), "fr-FR")

    header = section.header.paragraphs[0]
    header.add_run("En-tête ")
    header.add_run().add_picture(str(logo), width=Mm(30))
    header.runs[1]._r.find(qn("w:drawing"))[0].find(qn("wp:docPr")).set("descr", "Logo de l'État")
    section.footer.paragraphs[0].text = "Pied de page"
    section.first_page_header.paragraphs[0].text = "Première page jamais affichée"

    base = doc.styles.add_style("Bleu", WD_STYLE_TYPE.PARAGRAPH)
    base.font.color.rgb, base.font.size = RGBColor(0x1F, 0x38, 0x64), Pt(12)
    base.font.name = "Arial"
    derived = doc.styles.add_style("Bleu gras", WD_STYLE_TYPE.PARAGRAPH)
    derived.base_style, derived.font.bold = base, True
    hidden_style = doc.styles.add_style("Caché", WD_STYLE_TYPE.CHARACTER)
    hidden_style.font.hidden = True

    doc.add_paragraph(SPECIAL)  # 1
    doc.add_paragraph("Titre hérité", style="Bleu gras")  # 2
    p = doc.add_paragraph("Visible ")  # 3
    p.add_run("secret").font.hidden = True
    p.add_run(" fin")
    p.add_run("blanc").font.color.rgb = RGBColor(255, 255, 255)
    doc.add_paragraph().add_run("tout blanc").font.color.rgb = RGBColor(255, 255, 255)  # 4
    doc.add_paragraph().add_run("minuscule").font.size = Pt(2)  # 5
    doc.add_paragraph().add_run("presque blanc").font.color.rgb = RGBColor(0xF0, 0xF0, 0xF0)  # 6
    doc.add_paragraph().add_run("gris clair").font.color.rgb = RGBColor(0xEF, 0xEF, 0xEF)  # 7
    run = doc.add_paragraph().add_run("blanc sur bleu")  # 8
    run.font.color.rgb, run.font.highlight_color = RGBColor(255, 255, 255), WD_COLOR_INDEX.DARK_BLUE
    run = doc.add_paragraph().add_run("noir sur noir")  # 9
    run.font.color.rgb = RGBColor(0, 0, 0)
    _shade(run, "000000")
    doc.add_paragraph().add_run("style caché", style="Caché")  # 10
    p = doc.add_paragraph("ligne 1")  # 11
    p.runs[0].add_break()
    p.add_run("ligne 2\tcolonne")
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Pour l'État"  # 12
    table.cell(0, 1).text = "Pour la Métropole"  # 13
    inner = table.cell(0, 1).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = "Cellule imbriquée"  # 14, then 15: the cell's closing paragraph
    doc.add_paragraph("Après le tableau")  # 16
    doc.add_paragraph().add_run().add_picture(str(logo), width=Mm(40))  # 17
    doc.add_paragraph().add_run().add_picture(str(logo), width=Mm(2))  # 18
    _anchor(doc.add_paragraph("Ancre").add_run(), logo, Mm(50))  # 19
    hidden_run = doc.add_paragraph().add_run()  # 20
    hidden_run.add_picture(str(logo), width=Mm(30))
    hidden_run.font.hidden = True
    rid, _ = doc.part.get_or_add_image(str(_logo(folder / "vml.png", (60, 60))))
    vml = doc.add_paragraph()  # 21
    vml._p.append(parse_xml(
        f'<w:r {nsdecls("w", "r")} {VML}><w:pict><v:shape style="width:72pt;height:1in">'
        f'<v:imagedata r:id="{rid}" o:title="Logo VML"/></v:shape></w:pict></w:r>'))
    box = doc.add_paragraph("Avant la zone")  # 22, its text box paragraph is 23
    box._p.append(parse_xml(
        f'<w:r {nsdecls("w")} {VML}><w:pict><v:shape style="width:100pt;height:40pt">'
        "<v:textbox><w:txbxContent><w:p><w:r><w:t>Dans la zone de texte</w:t></w:r></w:p>"
        "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"))
    doc.add_paragraph("Dernier")  # 24
    path = folder / "sample.docx"
    doc.save(str(path))
    return path, read_docx(path)


def _body(view: DocumentView, index: int) -> list[TextLine]:
    return [line for line in view.lines
            if line.region in ("body", "table") and line.location.paragraph == index]


def test_text_is_exact_with_typographic_characters(sample: tuple[Path, DocumentView]) -> None:
    path, view = sample
    (line,) = _body(view, 1)
    assert line.text == SPECIAL
    assert line.location == Location(file=str(path), paragraph=1)
    assert str(line.location) == "paragraphe 1"
    assert view.kind == "docx" and view.pages is None and view.source == str(path)


def test_style_chain_gives_colour_size_font_bold(sample: tuple[Path, DocumentView]) -> None:
    (line,) = _body(sample[1], 2)
    assert (line.text, line.color, line.font_size, line.font, line.bold, line.italic) == (
        "Titre hérité", (0x1F, 0x38, 0x64), 12.0, "Arial", True, False)
    (plain,) = _body(sample[1], 1)
    assert (plain.color, plain.font_size, plain.bold) == ((0, 0, 0), 11.0, False)


def test_hidden_and_white_runs_are_split_out_of_a_visible_paragraph(
        sample: tuple[Path, DocumentView]) -> None:
    lines = _body(sample[1], 3)
    assert [(line.text, line.visible, line.invisible_reason) for line in lines] == [
        ("Visible  fin", True, None),
        ("secret", False, "texte masqué"),
        ("blanc", False, "texte blanc"),
    ]
    assert "secret" not in sample[1].text()
    assert "secret" in sample[1].text(include_hidden=True)


@pytest.mark.parametrize(("index", "text", "visible", "reason"), [
    (4, "tout blanc", False, "texte blanc"),
    (5, "minuscule", False, "corps de 2 pt"),
    (6, "presque blanc", False, "texte blanc"),
    (7, "gris clair", True, None),
    (8, "blanc sur bleu", True, None),
    (9, "noir sur noir", False, "texte de la couleur du fond"),
    (10, "style caché", False, "texte masqué"),
])
def test_visibility_of_whole_paragraphs(sample: tuple[Path, DocumentView], index: int, text: str,
                                        visible: bool, reason: str | None) -> None:
    (line,) = _body(sample[1], index)
    assert (line.text, line.visible, line.invisible_reason) == (text, visible, reason)


def test_small_run_reports_its_size(sample: tuple[Path, DocumentView]) -> None:
    (line,) = _body(sample[1], 5)
    assert line.font_size == 2.0


def test_breaks_tabs_tables_and_text_boxes_in_reading_order(
        sample: tuple[Path, DocumentView]) -> None:
    view = sample[1]
    assert _body(view, 11)[0].text == "ligne 1\nligne 2\tcolonne"
    texts = [(line.location.paragraph, line.text, line.region) for line in view.lines
             if line.location.paragraph in (12, 13, 14, 15, 16, 22, 23, 24)
             and line.region != "header"
             and line.region != "footer"]
    assert texts == [
        (12, "Pour l'État", "table"), (13, "Pour la Métropole", "table"),
        (14, "Cellule imbriquée", "table"), (15, "", "table"), (16, "Après le tableau", "body"),
        (22, "Avant la zone", "body"), (23, "Dans la zone de texte", "body"),
        (24, "Dernier", "body"),
    ]


def test_headers_and_footers_are_numbered_apart(sample: tuple[Path, DocumentView]) -> None:
    view = sample[1]
    headers = [line for line in view.lines if line.region == "header"]
    footers = [line for line in view.lines if line.region == "footer"]
    assert [(h.text, h.location.paragraph, h.visible) for h in headers] == [
        ("En-tête ", 1, True), ("Première page jamais affichée", 1, False)]
    assert headers[1].invisible_reason == "en-tête non affiché"
    assert [(f.text, f.visible) for f in footers] == [("Pied de page", True)]
    assert view.lines[0].region == "header" and view.lines[-1].region == "footer"


def _images(view: DocumentView) -> dict[tuple[str, int | None], PlacedImage]:
    return {(image.region, image.location.paragraph): image for image in view.images}


def test_images_with_size_alt_and_location(sample: tuple[Path, DocumentView]) -> None:
    images = _images(sample[1])
    assert set(images) == {("header", 1), ("body", 17), ("body", 18), ("body", 19),
                           ("body", 20), ("body", 21)}
    header = images["header", 1]
    assert (header.width_mm, header.height_mm, header.alt, header.visible) == (
        30.0, 20.0, "Logo de l'État", True)
    assert header.image.mode == "RGB" and header.image.size == (120, 80)
    assert header.image.getpixel((60, 40)) == (255, 204, 0)
    body = images["body", 17]
    assert body.width_mm == pytest.approx(40, abs=0.5)
    assert body.height_mm == pytest.approx(26.67, abs=0.5)
    anchored = images["body", 19]
    assert (anchored.width_mm, anchored.alt, anchored.visible) == (50.0, "Logo ancré", True)
    vml = images["body", 21]
    assert (vml.width_mm, vml.height_mm, vml.alt) == (pytest.approx(25.4), pytest.approx(25.4),
                                                      "Logo VML")
    assert vml.image.size == (60, 60)


def test_tiny_and_hidden_images_do_not_count(sample: tuple[Path, DocumentView]) -> None:
    images = _images(sample[1])
    tiny = images["body", 18]
    assert (tiny.visible, tiny.invisible_reason) == (False, "image trop petite (2 × 1,33 mm)")
    hidden = images["body", 20]
    assert (hidden.visible, hidden.invisible_reason) == (False, "image masquée")


def test_metadata(sample: tuple[Path, DocumentView]) -> None:
    metadata = sample[1].metadata
    assert metadata["title"] == "Convention de partenariat"
    assert metadata["author"] == "DREETS PACA"
    assert metadata["language"] == "fr-FR"
    assert metadata["default_language"] == "fr-FR"
    assert metadata["created"] == "2026-11-24T10:30:00+00:00"
    assert "application" in metadata  # from docProps/app.xml
    assert "undecoded_images" not in metadata
    with pytest.raises(TypeError):
        metadata["title"] = "autre"  # type: ignore[index]


def add_article_list(doc, num_id: int = 90) -> None:
    """Define list ``num_id``: « Article %1 – » (ordinals: 1er) then « %1.%2) » (letters)."""
    numbering = doc.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{num_id}">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="ordinal"/>'
        '<w:suff w:val="space"/><w:lvlText w:val="Article %1 –"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
        '<w:lvlText w:val="%1.%2)"/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}">'
                               f'<w:abstractNumId w:val="{num_id}"/></w:num>'))


def numbered(doc, text: str, level: int = 0, num_id: int = 90) -> None:
    paragraph = doc.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/>'
        "</w:numPr>"))


def test_automatic_numbering_labels(tmp_path: Path) -> None:
    doc = Document()
    add_article_list(doc)
    numbered(doc, "Objet")
    numbered(doc, "Premier point", 1)
    numbered(doc, "Second point", 1)
    numbered(doc, "Durée")
    numbered(doc, "Reprise", 1)
    doc.add_paragraph("List Number", style="List Number")
    doc.save(str(tmp_path / "numbers.docx"))
    texts = [line.text for line in read_docx(tmp_path / "numbers.docx").lines]
    assert texts[:5] == ["Article 1er – Objet", "1er.a)\tPremier point", "1er.b)\tSecond point",
                         "Article 2e – Durée", "2e.a)\tReprise"]


def test_rgba_images_keep_their_alpha(tmp_path: Path) -> None:
    doc = Document()
    doc.add_paragraph().add_run().add_picture(str(_logo(tmp_path / "a.png", alpha=True)),
                                              width=Mm(20))
    doc.save(str(tmp_path / "a.docx"))
    (image,) = read_docx(tmp_path / "a.docx").images
    assert image.image.mode == "RGBA" and image.image.getpixel((60, 40))[3] == 128


def test_undecodable_picture_is_kept_as_a_placeholder(tmp_path: Path) -> None:
    doc = Document()
    doc.add_paragraph().add_run().add_picture(str(_logo(tmp_path / "a.png")), width=Mm(20))
    doc.save(str(tmp_path / "a.docx"))
    damaged = tmp_path / "damaged.docx"
    with zipfile.ZipFile(tmp_path / "a.docx") as source, zipfile.ZipFile(damaged, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, data[:40] if info.filename.endswith(".png") else data)
    view = read_docx(damaged)
    (image,) = view.images
    assert image.image.size == (1, 1) and view.metadata["undecoded_images"] == "1"


def _rewrite(source: Path, target: Path, name: str, change) -> Path:
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == name:
                data = change(data)
            if data is not None:
                out.writestr(info, data)
    return target


def test_external_entity_is_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("CONTENU-SECRET", encoding="utf-8")
    doc = Document()
    doc.add_paragraph("avant XXE après")
    doc.save(str(tmp_path / "plain.docx"))
    doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'.encode()

    def inject(data: bytes) -> bytes:
        return data.replace(b"?>", b"?>\n" + doctype, 1).replace(b"XXE", b"&xxe;")

    view = read_docx(_rewrite(tmp_path / "plain.docx", tmp_path / "xxe.docx",
                              "word/document.xml", inject))
    assert "CONTENU-SECRET" not in view.text(include_hidden=True)
    assert view.lines[0].text == "avant  après"


@pytest.fixture
def plain_docx(tmp_path: Path) -> Path:
    doc = Document()
    doc.add_paragraph("texte")
    doc.save(str(tmp_path / "plain.docx"))
    return tmp_path / "plain.docx"


def _error(path: Path) -> str:
    with pytest.raises(DocumentError) as caught:
        read_docx(path)
    assert caught.value.path == str(path)
    return str(caught.value)


def test_text_file_renamed_docx(tmp_path: Path) -> None:
    path = tmp_path / "faux.docx"
    path.write_text("ceci n'est pas un document Word", encoding="utf-8")
    assert _error(path) == f"{path} : fichier illisible : ce n'est pas un document Word (.docx)"


def test_zip_without_main_document(tmp_path: Path, plain_docx: Path) -> None:
    path = _rewrite(plain_docx, tmp_path / "vide.docx", "word/document.xml", lambda data: None)
    assert _error(path) == (f"{path} : fichier illisible : archive sans document Word "
                            "(word/document.xml manquant)")


def test_malformed_xml(tmp_path: Path, plain_docx: Path) -> None:
    path = _rewrite(plain_docx, tmp_path / "mal.docx", "word/document.xml", lambda d: d[:300])
    assert _error(path) == f"{path} : fichier illisible : XML mal formé dans le document Word"


@pytest.mark.parametrize(("content", "message"), [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"),
     "document Word protégé par un mot de passe : impossible de le lire"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
     "fichier illisible : document Word 97-2003 (.doc) ou autre format OLE ; "
     "enregistrez-le au format .docx"),
])
def test_ole_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "ole.docx"
    path.write_bytes(content)
    assert _error(path) == f"{path} : {message}"


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.docx"
    assert _error(path) == f"{path} : fichier introuvable"


def test_read_document_recognises_content(plain_docx: Path, tmp_path: Path) -> None:
    assert read_document(plain_docx).kind == "docx"
    other = tmp_path / "notes.txt"
    other.write_text("bonjour", encoding="utf-8")
    with pytest.raises(DocumentError) as caught:
        read_document(other)
    assert str(caught.value) == (
        f"{other} : fichier illisible : ni un document Word (.docx) ni un PDF")


def test_location_and_view_helpers() -> None:
    assert str(Location(page=2)) == "page 2"
    assert str(Location(paragraph=14)) == "paragraphe 14"
    assert str(Location(page=2, paragraph=3)) == "page 2, paragraphe 3"
    assert str(Location(field="parties[1].name")) == "parties[1].name"
    assert Location(file="c.pdf", page=2).describe() == "c.pdf, page 2"
    assert str(Location(file="c.pdf", page=2)) == "page 2"
    lines = (TextLine("a", Location(page=1)), TextLine("b", Location(page=2)),
             TextLine("c", Location(page=2), visible=False, invisible_reason="texte blanc"))
    image = PlacedImage(Image.new("RGB", (2, 2)), 10.0, 5.0, Location(page=2))
    view = DocumentView("pdf", "c.pdf", lines, (image,), 2, {"pages": "2"})
    assert view.text() == "a\nb"
    assert view.lines_on_page(2) == lines[1:] and view.images_on_page(1) == ()
    assert image == PlacedImage(Image.new("RGB", (9, 9)), 10.0, 5.0, Location(page=2))
    assert "image=" not in repr(image)
    assert hash(view) == hash(DocumentView("pdf", "c.pdf", lines, (image,), 2, {}))


@pytest.mark.parametrize("module", [
    "view", "_visibility", "_pdf_events", "_docx_numbering", "_pixels", "__init__",
    "_docx_anchor",
])
def test_docstring_examples(module: str) -> None:
    name = "convention_docs.inspect" + ("" if module == "__init__" else f".{module}")
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0


def test_run_formatting_is_resolved_once_per_kind_of_run(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # Runs with the same direct formatting under the same paragraph style share one resolution;
    # what comes out is what resolving every run on its own gives.
    from convention_docs.inspect._docx_styles import StyleResolver

    doc = Document()
    emphasis = doc.styles.add_style("Accent", WD_STYLE_TYPE.CHARACTER)
    emphasis.font.color.rgb, emphasis.font.italic = RGBColor(0x1F, 0x38, 0x64), True
    shaded = doc.styles.add_style("Encadre", WD_STYLE_TYPE.PARAGRAPH)
    shaded.base_style = doc.styles["Heading 2"]
    shaded.element.get_or_add_pPr().append(
        parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:fill="1F3864"/>'))
    for style in (None, "Heading 1", "Encadre", "Quote"):
        paragraph = doc.add_paragraph(style=style)
        for index in range(12):
            run = paragraph.add_run(f"mot{index} ")
            run.bold = index % 3 == 0 or None
            run.font.size = Pt(8 + index % 2) if index % 4 else None
            if index % 5 == 1:
                run.style = emphasis
            if index % 6 == 2:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
            if index % 7 == 3:
                run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
            if index == 9:
                run.font.hidden = True
            if index == 10:
                _shade(run, "000000")
    doc.save(str(tmp_path / "runs.docx"))
    cached = read_docx(tmp_path / "runs.docx")
    monkeypatch.setattr(StyleResolver, "run", StyleResolver._resolve)
    assert read_docx(tmp_path / "runs.docx").lines == cached.lines
    assert len(cached.lines) > 4 and not all(line.visible for line in cached.lines)


def test_text_around_a_comment_inside_w_t(tmp_path: Path, plain_docx: Path) -> None:
    def comment(xml: bytes) -> bytes:
        assert b"<w:t>texte</w:t>" in xml
        return xml.replace(b"<w:t>texte</w:t>", b"<w:t>tex<!-- note -->te</w:t>", 1)

    path = _rewrite(plain_docx, tmp_path / "comment.docx", "word/document.xml", comment)
    assert read_docx(path).lines[0].text == "texte"


def test_documents_sharing_a_style_id_but_not_its_formatting_are_read_apart(
        tmp_path: Path) -> None:
    # Style resolutions are kept for the next document with the same styles part (a batch):
    # a document whose « Encadre » is another colour must not get the first one's.
    paths = {}
    for name, colour in (("rouge", RGBColor(0xC0, 0, 0)), ("bleu", RGBColor(0, 0, 0xC0))):
        doc = Document()
        style = doc.styles.add_style("Encadre", WD_STYLE_TYPE.PARAGRAPH)
        style.font.color.rgb = colour
        doc.add_paragraph("texte encadré", style="Encadre").add_run(" et souligné").bold = True
        paths[name] = tmp_path / f"{name}.docx"
        doc.save(str(paths[name]))
    for name in ("rouge", "bleu", "rouge", "bleu"):
        [line] = read_docx(paths[name]).lines
        assert line.color == ((0xC0, 0, 0) if name == "rouge" else (0, 0, 0xC0))


def test_each_reading_has_its_own_pictures(tmp_path: Path) -> None:
    # Decoded pictures are kept between readings, but each view gets a copy: painting on one
    # changes neither the next reading nor what recognition finds in it.
    doc = Document()
    doc.add_picture(str(_logo(tmp_path / "logo.png")), width=Mm(30))
    doc.save(str(tmp_path / "logo.docx"))
    first = read_docx(tmp_path / "logo.docx").images[0].image
    pixels = first.tobytes()
    first.paste((255, 0, 0), (0, 0, 120, 80))
    second = read_docx(tmp_path / "logo.docx").images[0].image
    assert second is not first and second.tobytes() == pixels
    assert second.getpixel((60, 40)) == (255, 204, 0)


# -- floating pictures off the page ---------------------------------------------------------------

FLOATING = [
    # id, horizontal, vertical, visible (A4, margins 25.4 mm; the picture is 30 x 20 mm)
    ("on-page", _position("H", "page", 150), _position("V", "page", 20), True),
    ("right-of-page", _position("H", "page", 250), _position("V", "page", 20), False),
    ("below-page", _position("H", "page", 20), _position("V", "page", 300), False),
    ("negative-offset", _position("H", "page", -40), _position("V", "page", 20), False),
    ("above-page", _position("H", "page", 20), _position("V", "page", -25), False),
    ("overlap-under-1-mm", _position("H", "page", -29.5), _position("V", "page", 20), False),
    ("overlap-2-mm", _position("H", "page", -28), _position("V", "page", 20), True),
    ("right-of-margin", _position("H", "margin", 190), _position("V", "margin", 0), False),
    ("right-margin-area", _position("H", "rightMargin", 30), _position("V", "page", 0), False),
    ("in-right-margin-area", _position("H", "rightMargin", 5), _position("V", "page", 0), True),
    ("bottom-margin-area", _position("H", "page", 0), _position("V", "bottomMargin", 30), False),
    # the column may start anywhere in the text area: 170 mm from it may still be on the page
    ("column-maybe-on", _position("H", "column", 170), _position("V", "paragraph", 0), True),
    ("column-always-off", _position("H", "column", 190), _position("V", "paragraph", 0), False),
    ("paragraph-maybe-on", _position("H", "column", 0), _position("V", "paragraph", 250), True),
    ("line-always-off", _position("H", "character", 0), _position("V", "line", 280), False),
    ("inside-margin", _position("H", "insideMargin", 190), _position("V", "page", 0), True),
    ("aligned", '<wp:positionH relativeFrom="page"><wp:align>right</wp:align></wp:positionH>',
     _position("V", "page", 20), True),
    ("aligned-but-below", '<wp:positionH relativeFrom="page"><wp:align>left</wp:align>'
     "</wp:positionH>", _position("V", "page", 400), False),
    ("percent-offset", '<wp:positionH relativeFrom="page"><wp14:pctPosHOffset>120000'
     "</wp14:pctPosHOffset></wp:positionH>", _position("V", "page", 20), True),
    ("unknown-base", _position("H", "elsewhere", 400), _position("V", "page", 20), True),
    ("malformed-offset", '<wp:positionH relativeFrom="page"><wp:posOffset>loin</wp:posOffset>'
     "</wp:positionH>", _position("V", "page", 20), True),
]


@pytest.mark.parametrize(("horizontal", "vertical", "visible"),
                         [case[1:] for case in FLOATING], ids=[case[0] for case in FLOATING])
def test_floating_picture_off_the_page_is_invisible(tmp_path: Path, horizontal: str,
                                                   vertical: str, visible: bool) -> None:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(25.4))
    doc.add_paragraph("Avant")
    _float(doc.add_paragraph("Ancre").add_run(), _logo(tmp_path / "logo.png"), Mm(30),
           horizontal, vertical)
    doc.save(str(tmp_path / "float.docx"))
    (image,) = read_docx(tmp_path / "float.docx").images
    assert (image.width_mm, image.height_mm, image.location.paragraph) == (30.0, 20.0, 2)
    assert (image.visible, image.invisible_reason) == (
        (True, None) if visible else (False, "hors de la page"))


def test_simple_position_and_rotation_are_given_the_benefit_of_the_doubt(tmp_path: Path) -> None:
    logo = _logo(tmp_path / "logo.png")
    doc = Document()
    off = _position("H", "page", -29.5), _position("V", "page", 20)
    _float(doc.add_paragraph().add_run(), logo, Mm(30), *off)  # control: off the page
    _float(doc.add_paragraph().add_run(), logo, Mm(30), *off, simple="1")
    _float(doc.add_paragraph().add_run(), logo, Mm(30), *off, rotation=90)
    doc.save(str(tmp_path / "doubt.docx"))
    assert [image.visible for image in read_docx(tmp_path / "doubt.docx").images] == [
        False, True, True]


def test_each_paragraph_is_placed_on_its_own_section_page(tmp_path: Path) -> None:
    logo = _logo(tmp_path / "logo.png")
    doc = Document()
    first = doc.sections[0]  # A5: 148 x 210 mm
    first.page_width, first.page_height = Mm(148), Mm(210)
    at_160 = _position("H", "page", 160), _position("V", "page", 20)
    _float(doc.add_paragraph("A5").add_run(), logo, Mm(30), *at_160)
    second = doc.add_section()
    second.page_width, second.page_height = Mm(210), Mm(297)  # A4: 160 mm is on the page
    _float(doc.add_paragraph("A4").add_run(), logo, Mm(30), *at_160)
    doc.save(str(tmp_path / "sections.docx"))
    assert [(image.location.paragraph, image.visible)
            for image in read_docx(tmp_path / "sections.docx").images] == [(1, False), (3, True)]


def test_table_cells_and_headers_may_lie_anywhere_on_the_page(tmp_path: Path) -> None:
    logo = _logo(tmp_path / "logo.png")
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    column_190 = _position("H", "column", 190), _position("V", "paragraph", 0)
    header = section.header.paragraphs[0]
    _float(header.add_run(), logo, Mm(30), *column_190)  # a header paragraph: maybe at 0
    _float(header.add_run(), logo, Mm(30), _position("H", "page", 20),
           _position("V", "page", -30))  # above the page, in every section
    cell = doc.add_table(rows=1, cols=1).cell(0, 0).paragraphs[0]
    _float(cell.add_run(), logo, Mm(30), *column_190)  # the cell may reach into the margin
    _float(doc.add_paragraph().add_run(), logo, Mm(30), *column_190)  # a body paragraph: off
    doc.save(str(tmp_path / "loose.docx"))
    assert [(image.region, image.visible) for image in read_docx(tmp_path / "loose.docx").images
            ] == [("header", True), ("header", False), ("table", True), ("body", False)]


@pytest.mark.parametrize(("style", "visible"), [
    ("position:absolute;margin-left:-100pt;margin-top:10pt;"
     "mso-position-horizontal-relative:page;mso-position-vertical-relative:page", False),
    ("position:absolute;margin-left:100pt;margin-top:900pt;"
     "mso-position-horizontal-relative:page;mso-position-vertical-relative:page", False),
    ("position:absolute;margin-left:100pt;margin-top:10pt;"
     "mso-position-horizontal-relative:page;mso-position-vertical-relative:page", True),
    ("position:absolute;margin-left:-100pt;margin-top:10pt;mso-position-horizontal:center;"
     "mso-position-horizontal-relative:page;mso-position-vertical-relative:page", True),
    ("position:absolute;margin-left:200mm;margin-top:0", False),  # from the column
    ("position:absolute;margin-left:150mm;margin-top:0", True),
    ("margin-left:-100pt", True),  # inline: margins do not move it off the page
])
def test_vml_picture_off_the_page_is_invisible(tmp_path: Path, style: str,
                                               visible: bool) -> None:
    doc = Document()
    rid, _ = doc.part.get_or_add_image(str(_logo(tmp_path / "vml.png", (60, 60))))
    doc.add_paragraph()._p.append(parse_xml(
        f'<w:r {nsdecls("w", "r")} {VML}><w:pict><v:shape style="width:72pt;height:72pt;{style}">'
        f'<v:imagedata r:id="{rid}" o:title="Logo VML"/></v:shape></w:pict></w:r>'))
    doc.save(str(tmp_path / "vml.docx"))
    (image,) = read_docx(tmp_path / "vml.docx").images
    assert (image.visible, image.invisible_reason) == (
        (True, None) if visible else (False, "hors de la page"))


def _forget_read_caches() -> None:
    from convention_docs import _docx_package
    from convention_docs.inspect import docx as reader
    for cache in (_docx_package._INFLATED, _docx_package._WRITTEN, reader._RESOLVERS,
                  reader._NUMBERINGS, reader._EVEN_ODD):
        cache.clear()


def _seen(view: DocumentView) -> tuple[object, ...]:
    pixels = tuple(image.image.tobytes() for image in view.images)
    return view.lines, view.images, pixels, dict(view.metadata)


def test_shared_reading_gives_what_python_docx_gives(
        tmp_path: Path, sample: tuple[Path, DocumentView], monkeypatch: pytest.MonkeyPatch) -> None:
    from convention_docs.docx import render_docx
    from convention_docs.inspect import docx as reader
    from convention_docs.spec import load

    examples = Path(__file__).resolve().parent.parent / "examples"
    paths = [sample[0]]
    for name in ("paca-2026", "paca-clause-sociale"):
        paths.append(tmp_path / f"{name}.docx")
        render_docx(load(examples / f"{name}.yaml"), paths[-1])
    doc = Document()
    add_article_list(doc)
    for text in ("Objet", "Durée"):
        numbered(doc, text)
    doc.settings.odd_and_even_pages_header_footer = True
    doc.sections[0].even_page_header.paragraphs[0].text = "en-tête pair"
    doc.save(str(tmp_path / "numbered.docx"))
    paths.append(tmp_path / "numbered.docx")

    _forget_read_caches()
    first = [_seen(read_docx(path)) for path in paths]
    again = [_seen(read_docx(path)) for path in paths]  # members and parts met before
    with monkeypatch.context() as plain:
        plain.setattr(reader, "open_archive", lambda archive, data, file: Document(file))
        _forget_read_caches()
        assert [_seen(read_docx(path)) for path in paths] == first == again
    assert any("Article" in line.text for line in first[-1][0])


def test_a_damaged_copy_of_a_member_met_before_is_still_refused(tmp_path: Path,
                                                                 plain_docx: Path) -> None:
    read_docx(plain_docx)  # styles.xml and the others are now kept

    def wrong_crc(data: bytes) -> bytes:  # same compressed bytes, another CRC in the directory
        crc = zipfile.ZipFile(plain_docx).getinfo("word/styles.xml").CRC
        at = data.index(b"word/styles.xml", data.index(b"PK\x01\x02")) - 46 + 16
        assert int.from_bytes(data[at:at + 4], "little") == crc
        return data[:at] + (crc ^ 1).to_bytes(4, "little") + data[at + 4:]

    damaged = tmp_path / "crc.docx"
    damaged.write_bytes(wrong_crc(plain_docx.read_bytes()))
    message = _error(damaged)
    _forget_read_caches()
    assert _error(damaged) == message == (
        f"{damaged} : fichier illisible : archive .docx endommagée")


def test_malformed_styles_after_good_ones(tmp_path: Path, plain_docx: Path) -> None:
    read_docx(plain_docx)
    path = _rewrite(plain_docx, tmp_path / "mal.docx", "word/styles.xml", lambda d: d[:300])
    assert _error(path) == f"{path} : fichier illisible : XML mal formé dans le document Word"


def test_numbering_counters_are_not_shared(tmp_path: Path) -> None:
    from convention_docs.inspect._docx_numbering import Numbering

    doc = Document()
    add_article_list(doc)
    root = doc.part.numbering_part.element
    shared = Numbering(root)
    first, second = shared.fresh(), shared.fresh()
    assert first.label("90", 0) == second.label("90", 0) == "Article 1er – "
    assert first.label("90", 0) == "Article 2e – "
    assert second.label("90", 0) == "Article 2e – "
    assert shared.fresh().label("90", 0) == "Article 1er – "


@pytest.mark.parametrize("text", ["2026-01-01T00:00:00Z", "2003-12-31T10:14:55-08:00", "2003",
                                  "2003-12", "2003-12-31", "hier", "", None])
def test_dates_are_read_as_python_docx_reads_them(text: str | None) -> None:
    from convention_docs.inspect.docx import _date

    doc = Document()
    core = doc.core_properties
    created = core._element.get_or_add_created()
    created.text = text
    core._element.remove(core._element.get_or_add_modified())

    def outcome(read: object, name: str) -> object:
        try:
            return read(core, name)  # type: ignore[operator]
        except Exception as exc:
            return type(exc)

    for name in ("created", "modified"):
        assert outcome(_date, name) == outcome(lambda c, n: getattr(c, n, None), name)
    assert _date(None, "created") is None


def test_readings_in_threads_share_nothing(tmp_path: Path,
                                           sample: tuple[Path, DocumentView]) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from convention_docs.docx import render_docx
    from convention_docs.spec import load

    examples = Path(__file__).resolve().parent.parent / "examples"
    paths = [sample[0]]
    for name in ("paca-2026", "paca-clause-sociale"):
        paths.append(tmp_path / f"{name}.docx")
        render_docx(load(examples / f"{name}.yaml"), paths[-1], draft=name.endswith("6"))
    _forget_read_caches()
    alone = [_seen(read_docx(path)) for path in paths]
    _forget_read_caches()
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda path: _seen(read_docx(path)), paths * 6))
    assert together == alone * 6


def test_a_member_that_inflates_big_is_read_but_not_kept(tmp_path: Path) -> None:
    from convention_docs import _docx_package

    doc = Document()
    doc.add_paragraph("x " * 200_000)  # document.xml: 2 MB that deflate to a few KB
    doc.save(str(tmp_path / "big.docx"))
    _forget_read_caches()
    view = read_docx(tmp_path / "big.docx")
    assert view.lines[0].text.startswith("x x x")
    with zipfile.ZipFile(tmp_path / "big.docx") as archive:
        body = archive.getinfo("word/document.xml")
    assert body.compress_size < _docx_package._INFLATED_MAX < body.file_size
    kept = [key for key in _docx_package._INFLATED._entries if key[0] == "word/document.xml"]
    assert kept == []
