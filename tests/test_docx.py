"""The Word document: structure, French formatting, hostile text, templates."""

from __future__ import annotations

import io
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convention_docs.docx import render_docx
from convention_docs.errors import TemplateError
from convention_docs.spec import load, load_data

from .conftest import EXAMPLES

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def paragraphs(path: Path) -> list[tuple[str, str]]:
    document = docx.Document(str(path))
    return [(p.style.name, p.text) for p in document.paragraphs]


def all_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_2026_example_structure(tmp_path: Path) -> None:
    out = tmp_path / "c.docx"
    render_docx(load(EXAMPLES / "paca-2026.yaml"), out)
    paras = paragraphs(out)
    headings = [text for style, text in paras if style == "Heading 1"]
    assert headings[0] == "Article 1er\u00a0: OBJET DE LA CONVENTION"
    assert [h.split("\u00a0")[0] for h in headings] == [
        "Article 1er"] + [f"Article {n}" for n in range(2, len(headings) + 1)]
    texts = [text for _, text in paras]
    assert "Représentée par Mme\u00a0Claire MODÈLE, vice-présidente de la Métropole déléguée " \
           "à l'emploi, à l'insertion et à l'économie sociale et solidaire" in texts
    assert "Ci-après dénommée «\u00a0le facilitateur\u00a0»" in texts
    assert "Ci-après dénommé «\u00a0l'État\u00a0»" in texts
    assert "Fait à Marseille, le 1er\u00a0décembre\u00a02026, en deux exemplaires originaux." \
        in texts
    # the reference {ref: suivi} names the article by its number
    suivi = next(h for h in headings if "SUIVI" in h).split("\u00a0")[0].split()[1]
    assert any(f"définis à l'article\u00a0{suivi}." in t for t in texts)


def test_page_setup_language_and_properties(tmp_path: Path) -> None:
    out = tmp_path / "c.docx"
    convention = load(EXAMPLES / "paca-2026.yaml")
    render_docx(convention, out)
    document = docx.Document(str(out))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    core = document.core_properties
    assert core.author == "Préfecture de la région Provence-Alpes-Côte d'Azur"
    assert core.title.startswith("CONVENTION DE PARTENARIAT relative à")
    assert core.language == "fr-FR"
    assert "python-docx" not in (core.comments + core.author + core.last_modified_by)
    with zipfile.ZipFile(out) as archive:
        styles = archive.read("word/styles.xml").decode()
        footer = "".join(archive.read(n).decode() for n in archive.namelist()
                         if n.startswith("word/footer"))
    assert 'w:lang w:val="fr-FR"' in styles
    assert "PAGE" in footer and "NUMPAGES" in footer and "sur" in footer


def test_signature_blocks_carry_bookmarks(tmp_path: Path) -> None:
    out = tmp_path / "c.docx"
    render_docx(load(EXAMPLES / "paca-2026.yaml"), out)
    with zipfile.ZipFile(out) as archive:
        body = archive.read("word/document.xml").decode()
    assert 'w:name="signature_metropole"' in body
    assert 'w:name="signature_etat"' in body
    assert body.index("signature_metropole") < body.index("signature_etat")


def test_funding_block_fse_plus(tmp_path: Path) -> None:
    out = tmp_path / "c.docx"
    render_docx(load(EXAMPLES / "paca-2026.yaml"), out)
    document = docx.Document(str(out))
    first_table = document.tables[0]
    assert first_table.rows[0].cells[1].text == "Cofinancé par l'Union européenne"
    blips = first_table._tbl.xpath(".//a:blip")
    assert len(blips) == 1
    descr = first_table._tbl.xpath(".//wp:docPr/@descr")
    assert descr == ["Emblème de l'Union européenne"]
    statement_run = first_table.rows[0].cells[1].paragraphs[0]
    assert statement_run.style.font.color.rgb == docx.shared.RGBColor(0x00, 0x33, 0x99)
    assert statement_run.style.font.name == "Arial"


def test_funding_block_fse_2014_2020(tmp_path: Path) -> None:
    out = tmp_path / "c.docx"
    render_docx(load(EXAMPLES / "paca-clause-sociale.yaml"), out)
    document = docx.Document(str(out))
    table = document.tables[0]
    assert table.rows[0].cells[1].text == "UNION EUROPÉENNE"
    assert len(table._tbl.xpath(".//a:blip")) == 2
    assert "Fonds social européen" in all_text(out)


HOSTILE = [
    "Dupont & Fils",
    "R&D",
    "a < b > c",
    "<b>gras</b>",
    "<SARL> sans fin",
    "l'apostrophe \"droite\" et « chevrons »",
    "{{ convention.title }}",
    "{% for x in y %}boucle{% endfor %}",
    "{_{ x }_} {_% y %_}",
    "{{r x }} {%p if %}",
    "emoji 🇪🇺 ✅",
    "mixte \u200fעברית\u200f et arabe \u202bعربي\u202c",
    "  espaces  multiples  ",
    "combinés : e\u0301 a\u0300",
    "x" * 5000,
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_round_trips_exactly(tmp_path: Path, minimal: dict[str, Any],
                                          text: str) -> None:
    minimal["typography"] = {"non_breaking_spaces": False}
    minimal["articles"][0]["blocks"] = [text, {"paragraph": [{"bold": text}, text]}]
    minimal["parties"][1]["name"] = "La " + text.strip() if text.strip() else "La X"
    out = tmp_path / "c.docx"
    render_docx(load_data(minimal), out)
    texts = [t for _, t in paragraphs(out)]
    assert text in texts
    assert text + text in texts
    assert f"La {text.strip()}," in texts
    # nothing was evaluated: the article count is unchanged and no stray template text appears
    assert sum(1 for style, _ in paragraphs(out) if style == "Heading 1") == 2


def test_line_breaks_and_tabs_are_kept(tmp_path: Path, minimal: dict[str, Any]) -> None:
    minimal["articles"][0]["blocks"] = ["ligne 1\nligne 2\tcolonne"]
    out = tmp_path / "c.docx"
    render_docx(load_data(minimal), out)
    assert "ligne 1\nligne 2\tcolonne" in [t for _, t in paragraphs(out)]


safe_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"),
                           blacklist_characters="\ufffe\uffff"),
    min_size=1, max_size=60,
).filter(lambda s: s.strip() != "")


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=safe_text)
def test_any_accepted_text_round_trips(tmp_path: Path, text: str) -> None:
    import copy

    from .conftest import MINIMAL
    spec = copy.deepcopy(MINIMAL)
    spec["typography"] = {"non_breaking_spaces": False}
    spec["articles"][0]["blocks"] = [text]
    out = tmp_path / "h.docx"
    render_docx(load_data(spec), out)
    assert text in [t for _, t in paragraphs(out)]


def test_unknown_variable_in_user_template(tmp_path: Path, minimal: dict[str, Any]) -> None:
    template = tmp_path / "mine.docx"
    document = docx.Document()
    document.add_paragraph("{{ title }} {{ budget_total }}")
    document.save(str(template))
    with pytest.raises(TemplateError) as info:
        render_docx(load_data(minimal), tmp_path / "out.docx", template=template)
    assert info.value.variable == "budget_total"
    assert "mine.docx" in str(info.value) and "budget_total" in str(info.value)
    assert not (tmp_path / "out.docx").exists()


def test_sandbox_blocks_internals(tmp_path: Path, minimal: dict[str, Any]) -> None:
    template = tmp_path / "evil.docx"
    document = docx.Document()
    document.add_paragraph("{{ title.__class__.__mro__[1].__subclasses__() }}")
    document.save(str(template))
    with pytest.raises(TemplateError, match=r"opération interdite|variable inconnue"):
        render_docx(load_data(minimal), tmp_path / "out.docx", template=template)


def test_template_syntax_error(tmp_path: Path, minimal: dict[str, Any]) -> None:
    template = tmp_path / "broken.docx"
    document = docx.Document()
    document.add_paragraph("{% for x in %}")
    document.save(str(template))
    with pytest.raises(TemplateError, match="erreur de syntaxe Jinja"):
        render_docx(load_data(minimal), tmp_path / "out.docx", template=template)


def test_missing_and_unreadable_templates(tmp_path: Path, minimal: dict[str, Any]) -> None:
    with pytest.raises(TemplateError, match="modèle introuvable"):
        render_docx(load_data(minimal), tmp_path / "o.docx", template=tmp_path / "none.docx")
    bad = tmp_path / "bad.docx"
    bad.write_text("pas un docx", encoding="utf-8")
    with pytest.raises(TemplateError,
                       match=r"modèle illisible \(ce n'est pas un fichier \.docx\)"):
        render_docx(load_data(minimal), tmp_path / "o.docx", template=bad)


def test_user_template_with_its_own_letterhead(tmp_path: Path, minimal: dict[str, Any]) -> None:
    template = tmp_path / "letterhead.docx"
    document = docx.Document()
    document.add_paragraph("Préfecture — papier à en-tête")
    document.add_paragraph("{{ title }}")
    document.add_paragraph("{%p for article in articles %}")
    document.add_paragraph("{{ article.heading }}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{{ signature.made_at }}")
    document.save(str(template))
    out = tmp_path / "o.docx"
    render_docx(load_data(minimal), out, template=template)
    texts = [t for _, t in paragraphs(out)]
    assert texts[0] == "Préfecture — papier à en-tête"
    assert "Article 1er\u00a0: OBJET" in texts and "Article 2\u00a0: DURÉE" in texts


# ------------------------------------------------------------------------------------------
# Speed: what renders share, and the shortcuts (docx.py's docstring), change no output
# ------------------------------------------------------------------------------------------


def docx_parts(data: bytes) -> dict[str, bytes]:
    """The parts of a .docx, creation and modification times of docProps/core.xml blanked."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["docProps/core.xml"] = re.sub(rb"<dcterms:(created|modified)[^<]*</dcterms:\1>", b"",
                                        parts["docProps/core.xml"])
    return parts


def test_plain_text_values_keep_tabs_and_line_breaks(tmp_path: Path,
                                                     minimal: dict[str, Any]) -> None:
    # A plain text value (not runs) holding tabs and line breaks: docxtpl's resolve_listing
    # must still turn them into <w:tab/> and <w:br/>.
    mention = "Cofinancé\tpar l'UE & <la Région>\nligne {{ 2 }}"
    minimal["funding"]["mention"] = mention
    out = tmp_path / "c.docx"
    render_docx(load_data(minimal), out)
    assert mention in [t for _, t in paragraphs(out)]
    body = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert "<w:tab/>" in body and "<w:br/>" in body


FRAGMENTS = ["<w:p>", '<w:p w:rsidR="1">', "</w:p>", "<w:pPr><w:jc/></w:pPr>", "<w:r>",
             "</w:r>", "<w:rPr><w:b/></w:rPr>", "<w:t>", '<w:t xml:space="preserve">',
             '<w:t xml:space="preserve"/>', "</w:t>", "<w:tab/>", "<w:tbl>", "<wp:x>", "a",
             "é", " ", "\t", "\n", "\a", "\f"]
xml_noise = st.sampled_from(FRAGMENTS)
xml_run = st.builds("<w:r>{}{}{}</w:t></w:r>".format,
                    st.sampled_from(["", "<w:rPr><w:b/></w:rPr>"]),
                    st.sampled_from(["<w:t>", '<w:t xml:space="preserve">', "<w:tab/><w:t>"]),
                    st.text(alphabet="a \t\n\a\f", max_size=4))
xml_paragraph = st.lists(st.one_of(xml_run, xml_noise), max_size=4).map(
    lambda items: '<w:p w:rsidR="1"><w:pPr><w:jc/></w:pPr>' + "".join(items) + "</w:p>")
word_xml = st.lists(st.one_of(xml_paragraph, xml_noise), max_size=12).map("".join)


@settings(max_examples=500, deadline=None)
@given(xml=word_xml)
def test_listing_shortcut_changes_nothing(xml: str) -> None:
    from docxtpl import DocxTemplate

    from convention_docs.docx import _StrictTemplate
    assert _StrictTemplate("unused.docx").resolve_listing(xml) == \
        DocxTemplate("unused.docx").resolve_listing(xml)


def _listing_reference(xml: str) -> bool:
    """The plain statement of ``_listing_in_text``: a special character after the last
    opening, with no closing in between."""
    for char in "\t\a\n\f":
        at = xml.find(char)
        while at != -1:
            opening = max(xml.rfind("<w:t ", 0, at), xml.rfind("<w:t>", 0, at))
            if opening != -1 and xml.find("</w:t>", opening, at) == -1:
                return True
            at = xml.find(char, at + 1)
    return False


@settings(max_examples=500, deadline=None)
@given(xml=word_xml)
def test_listing_check_is_its_plain_statement(xml: str) -> None:
    from convention_docs.docx import _listing_in_text
    assert _listing_in_text(xml) == _listing_reference(xml)


@given(text=st.text(alphabet="{}%_ a"))
def test_escaped_delimiter_check(text: str) -> None:
    from convention_docs.docx import _escaped_delimiter
    assert _escaped_delimiter(text) == any(d in text for d in ("{_{", "}_}", "{_%", "%_}"))


def test_archive_is_zipfiles_byte_for_byte(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from convention_docs import _docx_package as package
    from convention_docs import docx as module
    monkeypatch.setattr(time, "time", lambda: 1_795_000_000.0)
    with module.template_file() as path:
        document = docx.Document(str(path))
    document.add_paragraph("Emblème : " + "x" * 300_000)  # a part too large to be kept
    with module.logo_file("eu-emblem.png") as logo:
        document.add_picture(str(logo))
    expected = io.BytesIO()
    document.save(expected)
    for _ in range(2):  # the second time, deflated parts come from the cache
        ours = io.BytesIO()
        package.save(document, ours)
        assert ours.getvalue() == expected.getvalue()
    monkeypatch.setattr(package, "_ZIP32_LIMIT", 1000)  # zipfile would need ZIP64 records
    fallback = io.BytesIO()
    package.save(document, fallback)
    assert fallback.getvalue() == expected.getvalue()


def test_edited_template_is_read_again(tmp_path: Path, minimal: dict[str, Any]) -> None:
    template = tmp_path / "mine.docx"
    convention = load_data(minimal)
    for version in ("version A", "version B"):  # same path, same length, rewritten at once
        document = docx.Document()
        document.add_paragraph(f"{version} {{{{ title }}}}")
        document.save(str(template))
        out = tmp_path / f"{version}.docx"
        render_docx(convention, out, template=template)
        assert paragraphs(out)[0][1] == f"{version} CONVENTION DE PARTENARIAT"


def test_renders_in_threads_share_nothing(minimal: dict[str, Any]) -> None:
    conventions = [load(EXAMPLES / "paca-2026.yaml"), load(EXAMPLES / "paca-clause-sociale.yaml"),
                   load_data(minimal)]

    def render(index: int) -> dict[str, bytes]:
        out = io.BytesIO()
        render_docx(conventions[index % 3], out, draft=index % 2 == 1)
        return docx_parts(out.getvalue())

    alone = [render(index) for index in range(6)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(render, list(range(6)) * 4))
    assert together == alone * 4
    assert render(0) == alone[0]


@given(text=st.text(alphabet="&<>\"'{}%aé\u00a0 "))
def test_escape_replaces_each_character(text: str) -> None:
    from convention_docs.wordml import escape
    entities = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
                "{": "&#123;", "}": "&#125;", "%": "&#37;"}
    assert escape(text) == "".join(entities.get(char, char) for char in text)


@given(text=st.text(alphabet=" 12%€‰n°art.LRDxéb'’\n"))
def test_typography_shortcuts_change_nothing(text: str) -> None:
    from convention_docs import french
    assert french._unit_spaces(text) == french._UNIT_SPACE.sub(french.NBSP, text)
    assert french.typographic_apostrophe(text) == french._STRAIGHT_APOSTROPHE.sub("’", text)


def _docxtpl_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make renders take docxtpl's and python-docx's own steps instead of the shortcuts."""
    from docx.opc.part import PartFactory
    from docxtpl import DocxTemplate, InlineImage
    from lxml import etree

    from convention_docs import _docx_package as package
    from convention_docs import docx as module
    from convention_docs import wordml

    def fix_tables(self: Any, xml: str) -> Any:
        try:
            etree.fromstring(xml.encode("utf-8"), parser=module._STRICT_PARSER)
        except etree.XMLSyntaxError as exc:
            raise TemplateError(f"XML invalide : {exc}") from exc
        return DocxTemplate.fix_tables(self, xml)

    def insert_image(self: Any) -> str:
        xml: str = InlineImage._insert_image(self)
        alt = wordml.escape(self.spec.alt)
        return xml.replace("<wp:docPr ", f'<wp:docPr descr="{alt}" title="{alt}" ', 1)

    for name in ("get_part_xml", "map_headers_footers_xml", "render_properties",
                 "render_footnotes", "render_xml_part"):
        monkeypatch.setattr(module._StrictTemplate, name, getattr(DocxTemplate, name))
    monkeypatch.setattr(module._StrictTemplate, "fix_tables", fix_tables)
    monkeypatch.setattr(module._Image, "_insert_image", insert_image)
    monkeypatch.setattr(package, "_new_part", PartFactory)


def _letterhead(path: Path, *, title: str = "", footnote: str | None = None,
                drop_core: bool = False) -> Path:
    """A user template: header and footer with variables, a table docxtpl must fix, a core
    title, optionally a footnotes part and core properties without their elements."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.shared import Mm

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "En-tête {{ title }} & Cie"
    section.footer.paragraphs[0].text = "Pied {{ signature.made_at }}"
    document.add_paragraph("{{ title }}")
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).text = "{% for article in articles %}"  # fewer cells than columns
    table.cell(0, 1).text = "{{ article.heading }}{% endfor %}"
    table.rows[1]._tr.getparent().remove(table.rows[1]._tr)
    table.rows[0]._tr.remove(table.rows[0].cells[2]._tc)
    document.add_picture(io.BytesIO(LOGO), width=Mm(20))
    document.core_properties._element.get_or_add_title().text = title  # even over 255 characters
    if drop_core:
        core = document.core_properties._element
        for child in list(core):
            core.remove(child)
    if footnote is not None:
        blob = (f'<w:footnotes xmlns:w="{W[1:-1]}"><w:footnote w:id="1"><w:p><w:r>'
                f"<w:t>{footnote}</w:t></w:r></w:p></w:footnote></w:footnotes>").encode()
        part = Part(PackURI("/word/footnotes.xml"), docxtpl_footnotes(), blob,
                    document.part.package)
        document.part.relate_to(part, "http://schemas.openxmlformats.org/officeDocument/2006/"
                                      "relationships/footnotes")
    document.save(str(path))
    return path


def docxtpl_footnotes() -> str:
    return "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def _logo_png() -> bytes:
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (60, 30), (0, 51, 153)).save(out, "PNG")
    return out.getvalue()


LOGO = _logo_png()


@pytest.mark.parametrize("variant", [
    {}, {"title": "Titre {{ object }}"}, {"drop_core": True},
    {"footnote": "Note {{ title }}"}, {"title": "x" * 300},
])
def test_shortcuts_render_what_docxtpl_renders(tmp_path: Path, minimal: dict[str, Any],
                                               monkeypatch: pytest.MonkeyPatch,
                                               variant: dict[str, Any]) -> None:
    import time
    monkeypatch.setattr(time, "time", lambda: 1_795_000_000.0)
    template = _letterhead(tmp_path / "letterhead.docx", **variant)
    cases = [(load(EXAMPLES / "paca-2026.yaml"), None), (load_data(minimal), template),
             (load(EXAMPLES / "paca-clause-sociale.yaml"), None)]

    def render_all() -> list[dict[str, bytes] | str]:
        outputs: list[dict[str, bytes] | str] = []
        for convention, chosen in cases:
            out = io.BytesIO()
            try:
                render_docx(convention, out, template=chosen)
            except Exception as exc:  # the same failure both ways
                outputs.append(f"{type(exc).__name__}: {exc}")
                continue
            outputs.append(docx_parts(out.getvalue()))
        return outputs

    fast, again = render_all(), render_all()  # the second time from the caches
    with monkeypatch.context() as slow:
        _docxtpl_paths(slow)
        assert render_all() == fast == again
    parts = fast[1]
    if len(variant.get("title", "")) > 255:  # python-docx refuses to set it back
        assert isinstance(parts, str) and parts.startswith("TemplateError: ")
        assert "(ValueError : exceeded 255 char" in parts
        return
    assert isinstance(parts, dict)
    if variant.get("footnote"):
        assert b"Note CONVENTION DE PARTENARIAT" in parts["word/footnotes.xml"]
    assert b"En-t\xc3\xaate CONVENTION DE PARTENARIAT &amp; Cie" in parts["word/header1.xml"]


@given(grid=st.lists(st.one_of(st.none(), st.integers(0, 5000)), max_size=4),
       rows=st.lists(st.lists(st.one_of(st.none(), st.integers(1, 3)), max_size=5),
                     max_size=4))
def test_table_fix_is_docxtpls(grid: list[int | None], rows: list[list[int | None]]) -> None:
    from docxtpl import DocxTemplate
    from lxml import etree

    from convention_docs.docx import _fix_tables, _StrictTemplate

    def column(width: int | None) -> str:
        return "<w:gridCol/>" if width is None else f'<w:gridCol w:w="{width}"/>'

    def cell(span: int | None) -> str:
        span_xml = "" if span is None else f'<w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>'
        return f"<w:tc>{span_xml}<w:p/></w:tc>"

    xml = (f'<w:body xmlns:w="{W[1:-1]}"><w:tbl><w:tblGrid>{"".join(map(column, grid))}'
           "</w:tblGrid>" + "".join(f"<w:tr>{''.join(map(cell, row))}</w:tr>" for row in rows)
           + "</w:tbl></w:body>")

    def outcome(fix: Any) -> str:
        try:
            return etree.tostring(fix()).decode()
        except Exception as exc:
            return type(exc).__name__

    def ours() -> Any:
        tree = etree.fromstring(xml.encode())
        _fix_tables(tree)
        return tree

    assert outcome(ours) == outcome(lambda: DocxTemplate.fix_tables(_StrictTemplate("x"), xml))


def test_parts_nobody_changes_are_written_as_python_docx_writes_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from convention_docs import _docx_package as package
    monkeypatch.setattr(time, "time", lambda: 1_795_000_000.0)
    template = _letterhead(tmp_path / "t.docx")
    for use in (False, True):
        ours = package.open_document(template)
        theirs = docx.Document(str(template))
        for document in (ours, theirs) if use else ():  # parsed when used, then changed
            document.styles["Normal"].font.bold = True
            document.settings.odd_and_even_pages_header_footer = True
            document.sections[0].header.paragraphs[0].text = "changé"
        mine, expected = io.BytesIO(), io.BytesIO()
        package.save(ours, mine)
        theirs.save(expected)
        assert mine.getvalue() == expected.getvalue()


def test_edited_styles_are_not_served_stale(tmp_path: Path, minimal: dict[str, Any]) -> None:
    template = tmp_path / "mine.docx"
    for size in (11, 14):  # same path, rewritten: only styles.xml changes
        document = docx.Document()
        document.styles["Normal"].font.size = docx.shared.Pt(size)
        document.add_paragraph("{{ title }}")
        document.save(str(template))
        out = tmp_path / f"{size}.docx"
        render_docx(load_data(minimal), out, template=template)
        assert docx.Document(str(out)).styles["Normal"].font.size.pt == size


def test_pictures_of_other_content_are_not_served_stale(tmp_path: Path) -> None:
    from PIL import Image

    from convention_docs.context import ImageSpec
    from convention_docs.docx import _Image, _StrictTemplate, template_file
    with template_file() as path:
        tpl = _StrictTemplate(str(path))
        tpl.init_docx()
    tpl.current_rendering_part = tpl.docx.part
    extents = []
    for size in ((200, 100), (100, 200), (200, 100)):
        logo = tmp_path / f"logo-{size[1]}.png"
        Image.new("RGB", size, (200, 0, 0)).save(logo)
        xml = _Image(tpl, ImageSpec(logo, 40, 40, "Logo", "logo"))._insert_image()
        extents.append(re.search(r'<wp:extent cx="(\d+)" cy="(\d+)"', xml).groups())
    blobs = [part.blob for part in tpl.docx.part.package.image_parts]
    assert len(blobs) == 2 and all(b.startswith(b"\x89PNG") for b in blobs)
    assert extents[0] == extents[2] == tuple(reversed(extents[1]))


@given(text=st.text(alphabet="ab \t\n&<{é"), bold=st.booleans(), italic=st.booleans(),
       color=st.sampled_from([None, "", "C00000", 'a"b']))
def test_run_xml_shortcut_changes_nothing(text: str, bold: bool, italic: bool,
                                          color: str | None) -> None:
    from convention_docs.wordml import Run, _pieces, escape
    props = ("<w:b/><w:bCs/>" if bold else "") + ("<w:i/><w:iCs/>" if italic else "") + (
        f'<w:color w:val="{escape(color)}"/>' if color else "")
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    # the shortcut for text without line feed or tab gives what the general path gives
    assert Run(text, bold, italic, color).xml() == f"<w:r>{rpr}{_pieces(text)}</w:r>"


def test_template_errors_keep_docxtpls_context(tmp_path: Path, minimal: dict[str, Any],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    template = tmp_path / "broken.docx"
    document = docx.Document()
    for index in range(12):
        document.add_paragraph(f"ligne {index}")
    document.add_paragraph("{{ title }")
    document.save(str(template))

    def failure() -> tuple[str, list[str]]:
        with pytest.raises(TemplateError) as caught:
            render_docx(load_data(minimal), tmp_path / "o.docx", template=template)
        cause = caught.value.__cause__
        return str(caught.value), list(getattr(cause, "docx_context", []))

    ours = failure()
    with monkeypatch.context() as slow:
        _docxtpl_paths(slow)
        assert failure() == ours
    assert "{{ title }" in ours[1]
