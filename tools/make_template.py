"""Regenerate templates/convention.docx, the default convention template.

The template is a plain .docx a person can open and restyle in Word or LibreOffice: named styles
(Title, Subtitle, Heading 1 for article headings, Heading 2 for the preamble, Body Text justified,
List Bullet, Quote, and the convention's own styles: Partie, Signature, Mention FSE, Bandeau,
Logos parties),
A4 pages, a footer « Page X sur Y ». Its Jinja tags use the variables documented in
docs/templates.md. Run ``make template`` after changing this script and commit both.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt, RGBColor

FONT = "Arial"  # rendered by LibreOffice with Liberation Sans (same metrics)
BLACK = RGBColor(0, 0, 0)
REFLEX_BLUE = RGBColor(0x00, 0x33, 0x99)
OUT = Path(__file__).resolve().parent.parent / "templates" / "convention.docx"


def _style(doc, name, *, base=None, kind=WD_STYLE_TYPE.PARAGRAPH):
    try:
        style = doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, kind)
        if base:
            style.base_style = doc.styles[base]
    return style


def _font(style, *, size=11, bold=None, italic=None, color=BLACK, caps=None, name=FONT):
    font = style.font
    font.name = name
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if rfonts is not None and rfonts.get(qn(attr)) is not None:
            del rfonts.attrib[qn(attr)]
    if rfonts is not None:
        rfonts.set(qn("w:cs"), name)
    font.size = Pt(size)
    font.bold = bold
    font.italic = italic
    font.color.rgb = color
    color_el = rpr.find(qn("w:color"))
    if color_el is not None:
        for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
            if color_el.get(qn(attr)) is not None:
                del color_el.attrib[qn(attr)]
    if caps is not None:
        font.all_caps = caps


def _paragraph_format(style, *, align=None, before=0, after=6, keep_next=None,
                      left_indent=None, line=1.15):
    fmt = style.paragraph_format
    if align is not None:
        fmt.alignment = align
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = line
    if keep_next is not None:
        fmt.keep_with_next = keep_next
    if left_indent is not None:
        fmt.left_indent = left_indent
    ppr = style.element.get_or_add_pPr()
    border = ppr.find(qn("w:pBdr"))
    if border is not None:
        ppr.remove(border)


def _docdefaults_french(doc):
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "fr-FR")
    lang.set(qn("w:eastAsia"), "fr-FR")
    lang.set(qn("w:bidi"), "ar-SA")
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is not None:
        rpr.remove(rfonts)
    rfonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), FONT)
    rpr.insert(0, rfonts)


def _styles(doc):
    _docdefaults_french(doc)
    normal = doc.styles["Normal"]
    _font(normal)
    _paragraph_format(normal, after=0)

    title = _style(doc, "Title")
    _font(title, size=15, bold=True)
    _paragraph_format(title, align=WD_ALIGN_PARAGRAPH.CENTER, before=12, after=4)
    subtitle = _style(doc, "Subtitle")
    _font(subtitle, size=12, bold=False, italic=False)
    spacing = subtitle.element.get_or_add_rPr().find(qn("w:spacing"))
    if spacing is not None:
        spacing.getparent().remove(spacing)
    _paragraph_format(subtitle, align=WD_ALIGN_PARAGRAPH.CENTER, after=18)

    for name, size, before in (("Heading 1", 11, 14), ("Heading 2", 11, 12)):
        style = _style(doc, name)
        _font(style, size=size, bold=True)
        _paragraph_format(style, before=before, after=6, keep_next=True)

    body = _style(doc, "Body Text")
    _font(body)
    _paragraph_format(body, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6)

    bullet = _style(doc, "List Bullet")
    _font(bullet)
    _paragraph_format(bullet, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=4)

    quote = _style(doc, "Quote")
    _font(quote, italic=True)
    _paragraph_format(quote, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6, left_indent=Cm(1))

    party = _style(doc, "Partie", base="Normal")
    _font(party)
    _paragraph_format(party, after=4)
    party_name = _style(doc, "Partie nom", base="Partie")
    _font(party_name, bold=True)
    _paragraph_format(party_name, before=8, after=4)
    party_and = _style(doc, "Partie et", base="Partie")
    _font(party_and)
    _paragraph_format(party_and, before=8, after=4)

    made_at = _style(doc, "Fait a", base="Normal")
    _font(made_at)
    _paragraph_format(made_at, before=18, after=12, keep_next=True)

    signature = _style(doc, "Signature", base="Normal")
    _font(signature)
    _paragraph_format(signature, align=WD_ALIGN_PARAGRAPH.CENTER, after=0, keep_next=True)
    signatory = _style(doc, "Signataire", base="Signature")
    _font(signatory, bold=True)
    _paragraph_format(signatory, align=WD_ALIGN_PARAGRAPH.CENTER, before=0, after=0)

    # A parapheur's text anchor (render(..., anchors=…)): white and 2 pt, read by the
    # platform, never seen; at the top left of the signing area.
    anchor = _style(doc, "Ancre signature", base="Normal")
    _font(anchor, size=2, color=RGBColor(0xFF, 0xFF, 0xFF))
    _paragraph_format(anchor, align=WD_ALIGN_PARAGRAPH.LEFT, after=0, keep_next=True, line=1.0)

    statement = _style(doc, "Bandeau", base="Normal")
    _font(statement, size=11, color=REFLEX_BLUE)
    _paragraph_format(statement, after=0, line=1.0)
    party_logos = _style(doc, "Logos parties", base="Normal")
    _font(party_logos)
    _paragraph_format(party_logos, after=8, line=1.0)
    # two logos: one on the left, one against the right margin (text width 160 mm)
    party_logos.paragraph_format.tab_stops.add_tab_stop(Mm(160), WD_TAB_ALIGNMENT.RIGHT)
    draft = _style(doc, "Projet", base="Normal")
    _font(draft, size=14, bold=True, color=RGBColor(0xC0, 0, 0))
    _paragraph_format(draft, align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
    mention = _style(doc, "Mention FSE", base="Normal")
    _font(mention, size=9)
    _paragraph_format(mention, align=WD_ALIGN_PARAGRAPH.CENTER, before=4, after=12)


def _page(doc):
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.footer_distance = Mm(10)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    small = '<w:rPr><w:sz w:val="18"/></w:rPr>'

    def run_text(text: str) -> str:
        return f'<w:r>{small}<w:t xml:space="preserve">{text}</w:t></w:r>'

    def field(code: str) -> str:
        return f'<w:fldSimple w:instr=" {code} "><w:r>{small}<w:t>1</w:t></w:r></w:fldSimple>'

    for xml in (run_text("Page "), field("PAGE"), run_text(" sur "), field("NUMPAGES")):
        footer._p.append(parse_xml(f"<w:wrapper {nsdecls('w')}>{xml}</w:wrapper>")[0])


def _p(doc, text, style="Normal"):
    return doc.add_paragraph(text, style=style)


def _no_borders(table):
    tbl_pr = table._tbl.tblPr
    borders = parse_xml(
        f'<w:tblBorders {nsdecls("w")}>'
        + "".join(f'<w:{side} w:val="nil"/>' for side in
                  ("top", "left", "bottom", "right", "insideH", "insideV"))
        + "</w:tblBorders>")
    tbl_pr.append(borders)


def _cant_split(row):
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def _cell_paragraph(cell, text, style):
    paragraph = cell.paragraphs[0] if not cell.paragraphs[0].text else cell.add_paragraph()
    paragraph.style = style
    paragraph.add_run(text)
    return paragraph


def _blocks(doc, variable):
    # The last block of the last article keeps with « Fait à … » (keep-with-next as direct
    # formatting): the signatures never stand alone on a page.
    _p(doc, f"{{%p for block in {variable} %}}")
    for keep in (True, False):
        _p(doc, "{%p if block.keep_with_next %}" if keep else "{%p else %}")
        _p(doc, '{%p if block.kind == "bullet" %}')
        _keep(_p(doc, "{{r block.text }}", "List Bullet"), keep)
        _p(doc, '{%p elif block.kind == "quotation" %}')
        _keep(_p(doc, "{{r block.text }}", "Quote"), keep)
        _p(doc, "{%p else %}")
        _keep(_p(doc, "{{r block.text }}", "Body Text"), keep)
        _p(doc, "{%p endif %}")
    _p(doc, "{%p endif %}")
    _p(doc, "{%p endfor %}")


def _keep(paragraph, keep):
    if keep:
        paragraph.paragraph_format.keep_with_next = True


def build(path: Path) -> None:
    doc = Document()
    # python-docx's default template leaks its own metadata (PITFALLS.md): clear it.
    core = doc.core_properties
    core.author = core.comments = core.title = core.subject = core.keywords = ""
    core.last_modified_by = core.category = core.identifier = ""
    core.language = "fr-FR"
    core.revision = 1
    import datetime as dt
    core.created = core.modified = dt.datetime(2026, 1, 1)
    _styles(doc)
    _page(doc)
    body = doc.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)

    _p(doc, "{%p if draft %}")
    _p(doc, "{{ draft_notice }}", "Projet")
    _p(doc, "{%p endif %}")

    # The parties' own logos (bloc-marque of the préfecture, partner's logo): two are spread to
    # the margins, more follow each other.
    _p(doc, "{%p if party_logos %}")
    heading = _p(doc, "{% for logo in party_logos %}{{ logo }}{% if not loop.last %}"
                      "{% if party_logos|length == 2 %}", "Logos parties")
    heading.add_run().add_tab()
    heading.add_run("{% else %} {% endif %}{% endif %}{% endfor %}")
    _p(doc, "{%p endif %}")

    # Funding block: partner logos, then the EU emblem with its statement written next to it.
    _p(doc, "{%p if funding %}")
    partners = _p(doc, "{%p if funding.partner_logos %}")
    del partners
    logos = _p(doc, "{% for logo in funding.partner_logos %}{{ logo }} {% endfor %}", "Bandeau")
    logos.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _p(doc, "{%p endif %}")
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    left, right = table.rows[0].cells
    left.width, right.width = Mm(60), Mm(70)
    logo_par = _cell_paragraph(left, "{% for logo in funding.logos %}{{ logo }} {% endfor %}",
                               "Bandeau")
    logo_par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _cell_paragraph(right, "{{ funding.statement_text }}", "Bandeau")
    for cell in (left, right):
        tc_pr = cell._tc.get_or_add_tcPr()
        tc_pr.append(parse_xml(f'<w:vAlign {nsdecls("w")} w:val="center"/>'))
    _cant_split(table.rows[0])
    _p(doc, "{{ funding.mention }}", "Mention FSE")
    _p(doc, "{%p endif %}")

    _p(doc, "{{ title }}", "Title")
    _p(doc, "{{ object }}", "Subtitle")

    _p(doc, "{%p for party in parties %}")
    _p(doc, "{{ party.name_line }}", "Partie nom")
    _p(doc, "{{ party.represented_by }}", "Partie")
    _p(doc, "{{ party.designation_line }}", "Partie")
    _p(doc, "{%p if not loop.last %}")
    _p(doc, "Et", "Partie et")
    _p(doc, "{%p endif %}")
    _p(doc, "{%p endfor %}")

    _p(doc, "{{ agreement }}", "Partie et")

    _p(doc, "{%p if preamble %}")
    _p(doc, "{{ preamble.title }}", "Heading 2")
    _blocks(doc, "preamble.blocks")
    _p(doc, "{%p endif %}")

    _p(doc, "{%p for article in articles %}")
    _p(doc, "{{r article.heading_runs }}", "Heading 1")
    _blocks(doc, "article.blocks")
    _p(doc, "{%p endfor %}")

    _p(doc, "{{r signature.made_at_runs }}", "Fait a")
    # One column per signatory; three rows so that names line up whatever the length of the
    # functions: label and function, room to sign (where a signature field will go), name.
    table = doc.add_table(rows=3, cols=3)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    contents = (
        (("{{ block.label }}", "Signature"), ("{{r block.function }}", "Signature")),
        (("{{ block.tag }}", "Ancre signature"),),
        (("{{r block.name }}", "Signataire"),),
    )
    for row, paragraphs in zip(table.rows, contents, strict=True):
        first, middle, last = row.cells
        first.paragraphs[0].add_run("{%tc for block in signature.blocks %}")
        for text, style in paragraphs:
            _cell_paragraph(middle, text, style).paragraph_format.keep_with_next = True
        last.paragraphs[0].add_run("{%tc endfor %}")
        _cant_split(row)
        for cell in (first, middle, last):
            cell.width = Mm(80)
    space = table.rows[1]._tr.get_or_add_trPr()
    space.append(parse_xml(f'<w:trHeight {nsdecls("w")} w:val="{int(Mm(28).twips)}" '
                           'w:hRule="exact"/>'))
    name_paragraph = table.rows[2].cells[1].paragraphs[0]
    name_paragraph.paragraph_format.keep_with_next = False
    _trim(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))


def _trim(doc):
    """Drop what python-docx's default template carries and the convention never uses: 800 KB
    of style definitions (parsed and written again at every render), a thumbnail, custom XML."""
    for rel in list(doc.part.rels.values()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml", "/webSettings")):
            del doc.part.rels[rel.rId]
    package_rels = doc.part.package.rels
    for rel in list(package_rels.values()):
        if rel.reltype.endswith("/thumbnail"):
            del package_rels[rel.rId]
    styles = doc.styles.element
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)
    xml = doc.element.xml + "".join(
        s.footer._element.xml + s.header._element.xml for s in doc.sections)
    used = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList"}
    used |= set(re.findall(r'w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"', xml))
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    for style in by_id.values():
        if style.get(qn("w:default")) == "1":
            used.add(style.get(qn("w:styleId")))
    pending = list(used)
    while pending:  # keep what the used styles are based on, linked to, followed by
        style = by_id.get(pending.pop())
        if style is None:
            continue
        for tag in ("w:basedOn", "w:link", "w:next"):
            ref = style.find(qn(tag))
            if ref is not None and ref.get(qn("w:val")) not in used:
                used.add(ref.get(qn("w:val")))
                pending.append(ref.get(qn("w:val")))
    for style_id, style in by_id.items():
        if style_id not in used:
            styles.remove(style)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    build(target)
    print(f"modèle écrit : {target}")
