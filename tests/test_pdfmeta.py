"""pdfmeta.py: Info and XMP carry the model's values, in agreement, and nothing else is lost.

The first tests use a small PDF shaped like LibreOffice's PDF/A output (built with pypdf); the
ones marked ``libreoffice`` run the real thing.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from convention_docs import pdfmeta
from convention_docs.convert import Converter, PdfOptions, pdf_destination_name
from convention_docs.errors import DocumentError
from convention_docs.pdfmeta import read_metadata, set_metadata

TITLE = "Convention d'insertion « Lot 3 » & <annexe>"
VALUES = {"title": TITLE, "author": "Maison de l'emploi", "subject": "Clauses sociales",
          "keywords": ["insertion", "clauses sociales"]}
# What LibreOffice 7.4 writes for PDF/A (double escaping included), plus what a careless tool
# could add from the machine (user name, temporary path).
LO_XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">/tmp/tmpk2x9/d&amp;apos;insertion</rdf:li>
   </rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>jdupont</rdf:li></rdf:Seq></dc:creator>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdf:Producer>LibreOffice 7.4</pdf:Producer>
   <pdf:Keywords>insertion, clauses, sociales</pdf:Keywords>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   <xmp:CreatorTool>Writer</xmp:CreatorTool>
   <xmp:CreateDate>2026-11-25T03:06:55Z</xmp:CreateDate>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
   xmpMM:DocumentID="uuid:poste-jdupont"/>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def make_pdf(path: Path, *, xmp: bool = True) -> Path:
    """A one-page PDF with what LibreOffice's PDF/A has in its catalog, and machine leftovers."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    root = writer.root_object
    root[NameObject("/MarkInfo")] = DictionaryObject(
        {NameObject("/Marked"): BooleanObject(True)})
    root[NameObject("/StructTreeRoot")] = writer._add_object(DictionaryObject(
        {NameObject("/Type"): NameObject("/StructTreeRoot")}))
    root[NameObject("/Dests")] = DictionaryObject({NameObject("/signature5Fporteur"): ArrayObject(
        [page.indirect_reference, NameObject("/XYZ"), NumberObject(90), FloatObject(730),
         NumberObject(0)])})
    root[NameObject("/Lang")] = TextStringObject("en-US")
    if xmp:
        root[NameObject("/OutputIntents")] = ArrayObject([DictionaryObject({
            NameObject("/Type"): NameObject("/OutputIntent"),
            NameObject("/S"): NameObject("/GTS_PDFA1"),
            NameObject("/OutputConditionIdentifier"): TextStringObject("sRGB IEC61966-2.1")})])
        writer.xmp_metadata = LO_XMP.encode()
    writer.metadata = {"/Title": "/tmp/tmpk2x9/convention.docx", "/Author": "jdupont",
                       "/Creator": "Writer", "/Producer": "LibreOffice 7.4",
                       "/CreationDate": "D:20261125030655Z'", "/Poste": "/home/jdupont"}
    writer.pdf_header = "%PDF-1.6"
    writer.write(path)
    return path


def xmp_text(pdf: Path) -> str:
    return PdfReader(pdf).root_object["/Metadata"].get_object().get_data().decode()


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    return make_pdf(tmp_path / "convention.pdf")


# -- on a LibreOffice-shaped PDF -------------------------------------------------------------

def test_info_and_xmp_carry_exactly_the_values(pdf: Path) -> None:
    set_metadata(pdf, **VALUES)
    assert read_metadata(pdf) == {
        "title": TITLE, "author": "Maison de l'emploi", "subject": "Clauses sociales",
        "keywords": "insertion, clauses sociales", "creator": "Writer",
        "producer": "LibreOffice 7.4", "creation_date": "D:20261125030655Z'",
        "language": "fr-FR",
        "xmp_title": TITLE, "xmp_author": "Maison de l'emploi",
        "xmp_subject": "Clauses sociales", "xmp_keywords": "insertion, clauses sociales",
        "xmp_dc_subject": "insertion, clauses sociales", "xmp_language": "fr-FR",
        "xmp_creator_tool": "Writer", "xmp_producer": "LibreOffice 7.4",
        "xmp_create_date": "2026-11-25T03:06:55Z", "pdfa_part": "2", "pdfa_conformance": "B",
    }
    xmp = xmp_text(pdf)
    assert ("<rdf:li xml:lang=\"x-default\">Convention d'insertion « Lot 3 » &amp; "
            "&lt;annexe&gt;</rdf:li>") in xmp  # escaped once, and only what XML needs
    assert "&amp;apos;" not in xmp and "&amp;amp;" not in xmp
    assert re.findall(r"<rdf:li>([^<]*)</rdf:li>", xmp) == [
        "Maison de l'emploi", "insertion", "clauses sociales", "fr-FR"]


def test_what_pdfa_and_accessibility_need_is_kept(pdf: Path) -> None:
    set_metadata(pdf, **VALUES)
    reader = PdfReader(pdf)
    root = reader.root_object
    assert reader.pdf_header == "%PDF-1.6"
    assert root["/MarkInfo"]["/Marked"].value is True
    assert root["/StructTreeRoot"]["/Type"] == "/StructTreeRoot"
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    assert {name: reader.get_destination_page_number(dest)
            for name, dest in reader.named_destinations.items()} == {"/signature5Fporteur": 0}
    assert root["/Lang"] == "fr-FR"
    assert "/Filter" not in root["/Metadata"].get_object()  # PDF/A: not compressed
    assert xmp_text(pdf).startswith('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>')
    assert xmp_text(pdf).endswith('<?xpacket end="w"?>')


def test_nothing_from_the_machine_survives(pdf: Path) -> None:
    set_metadata(pdf, **VALUES)
    data = pdf.read_bytes()
    for leftover in (b"jdupont", b"/tmp/", b"/home/", b"tmpk2x9", b"convention.docx"):
        assert leftover not in data
    assert sorted(PdfReader(pdf).metadata or {}) == [
        "/Author", "/CreationDate", "/Creator", "/Keywords", "/Producer", "/Subject", "/Title"]


def test_empty_values_are_left_out_of_both(pdf: Path) -> None:
    set_metadata(pdf, title="Convention", author="", subject="", keywords=[" "])
    meta = read_metadata(pdf)
    assert (meta["title"], meta["xmp_title"]) == ("Convention", "Convention")
    for field in ("author", "subject", "keywords", "xmp_author", "xmp_subject",
                  "xmp_keywords", "xmp_dc_subject"):
        assert meta[field] == "", field
    assert sorted(PdfReader(pdf).metadata or {}) == [
        "/CreationDate", "/Creator", "/Producer", "/Title"]


def test_a_pdf_without_xmp_gets_info_and_lang_only(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "plain.pdf", xmp=False)
    set_metadata(pdf, **VALUES, language="fr-FR")
    meta = read_metadata(pdf)
    assert (meta["title"], meta["keywords"], meta["language"]) == (
        TITLE, "insertion, clauses sociales", "fr-FR")
    assert not any(key.startswith(("xmp_", "pdfa_")) for key in meta)
    assert "/Metadata" not in PdfReader(pdf).root_object


def test_rewrite_is_atomic_and_keeps_the_file_mode(pdf: Path) -> None:
    pdf.chmod(0o640)
    set_metadata(pdf, **VALUES)
    set_metadata(pdf, **VALUES)  # twice: same result
    assert stat.S_IMODE(pdf.stat().st_mode) == 0o640
    assert [p.name for p in pdf.parent.iterdir()] == ["convention.pdf"]
    assert read_metadata(pdf)["xmp_title"] == TITLE


def test_unreadable_pdf_is_a_document_error(tmp_path: Path) -> None:
    path = tmp_path / "abime.pdf"
    path.write_bytes(b"ceci n'est pas un PDF")
    with pytest.raises(DocumentError) as caught:
        set_metadata(path, **VALUES)
    assert str(caught.value).startswith(f"{path} : PDF illisible (")
    assert caught.value.path == str(path)
    assert path.read_bytes() == b"ceci n'est pas un PDF"


def test_control_characters_are_refused(pdf: Path) -> None:
    original = pdf.read_bytes()
    with pytest.raises(ValueError) as caught:
        set_metadata(pdf, **{**VALUES, "title": "Convention\x0b"})
    assert str(caught.value) == "métadonnée title : caractère de contrôle interdit '\\x0b'"
    assert pdf.read_bytes() == original


def test_a_rewrite_that_would_lose_pdfa_is_abandoned(pdf: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    original = pdf.read_bytes()
    real_packet = pdfmeta._packet

    def without_pdfaid(kept: dict[str, dict[str, str]], dc: dict[str, str]) -> bytes:
        return real_packet({**kept, "pdfaid": {}}, dc)

    monkeypatch.setattr(pdfmeta, "_packet", without_pdfaid)
    with pytest.raises(DocumentError) as caught:
        set_metadata(pdf, **VALUES)
    assert str(caught.value) == (
        f"{pdf} : réécriture des métadonnées abandonnée, elle perdait : identification PDF/A")
    assert pdf.read_bytes() == original
    assert [p.name for p in pdf.parent.iterdir()] == ["convention.pdf"]


# -- on LibreOffice's own output -------------------------------------------------------------

def make_docx(path: Path) -> Path:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    props = document.core_properties
    props.title, props.author, props.subject = ("Convention d'insertion", "Maison de l'emploi",
                                                "Clauses sociales")
    props.keywords, props.comments = "insertion, clauses sociales", ""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang")).set(
        qn("w:val"), "fr-FR")
    document.add_paragraph("Texte « insécable »\u00a0: 15\u202f000\u00a0€.")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    paragraph = document.add_paragraph("Signature")
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), "0")
    start.set(qn("w:name"), "signature_porteur")
    end.set(qn("w:id"), "0")
    paragraph._p.insert(0, start)
    paragraph._p.append(end)
    document.save(str(path))
    return path


def all_fonts_embedded(reader: PdfReader) -> bool:
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            target = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font \
                else font
            descriptor = target["/FontDescriptor"].get_object()
            if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                return False
    return True


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    folder = tmp_path_factory.mktemp("lo")
    docx = make_docx(folder / "convention.docx")
    with Converter(timeout=60) as converter:
        yield {"pdfa": converter.convert(docx, folder / "pdfa.pdf", PdfOptions(pdfa=True)),
               "tagged": converter.convert(docx, folder / "tagged.pdf"),
               "keywords": converter.convert(docx, folder / "keywords.pdf", PdfOptions(
                   keywords=("insertion", "clauses sociales")))}


@pytest.mark.libreoffice
def test_what_libreoffice_74_writes_by_itself(converted: dict[str, Path]) -> None:
    meta = read_metadata(converted["pdfa"])
    assert (meta["title"], meta["author"], meta["subject"], meta["language"]) == (
        "Convention d'insertion", "Maison de l'emploi", "Clauses sociales", "fr-FR")
    assert meta["keywords"] == "insertion, clauses, sociales"  # split on the space
    assert meta["xmp_title"] == "Convention d&apos;insertion"  # escaped twice
    assert meta["xmp_author"] == "Maison de l&apos;emploi"
    assert (meta["xmp_language"], meta["pdfa_part"], meta["pdfa_conformance"]) == ("", "2", "B")
    assert read_metadata(converted["tagged"])["title"] == "Convention d'insertion"
    assert PdfReader(converted["tagged"]).xmp_metadata is None


@pytest.mark.libreoffice
def test_set_metadata_on_libreoffice_pdfa(converted: dict[str, Path], tmp_path: Path) -> None:
    pdf = tmp_path / "pdfa.pdf"
    pdf.write_bytes(converted["pdfa"].read_bytes())
    text_before = PdfReader(pdf).pages[0].extract_text()
    trailer_id = list(PdfReader(pdf).trailer["/ID"])  # PDF/A requires a file identifier
    set_metadata(pdf, **VALUES)
    meta = read_metadata(pdf)
    for field in ("title", "author", "subject", "keywords"):
        assert meta[field] == meta[f"xmp_{field}"], field
    assert (meta["title"], meta["keywords"], meta["language"], meta["xmp_language"]) == (
        TITLE, "insertion, clauses sociales", "fr-FR", "fr-FR")
    assert (meta["pdfa_part"], meta["pdfa_conformance"]) == ("2", "B")
    assert meta["creation_date"] and meta["xmp_create_date"]
    reader = PdfReader(pdf)
    root = reader.root_object
    assert reader.pdf_header == PdfReader(converted["pdfa"]).pdf_header
    assert list(reader.trailer["/ID"]) == trailer_id
    assert root["/MarkInfo"]["/Marked"].value is True
    assert len(root["/StructTreeRoot"]["/K"]) > 0
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    assert {name: reader.get_destination_page_number(dest) + 1
            for name, dest in reader.named_destinations.items()} == {
        "/" + pdf_destination_name("signature_porteur"): 2}
    assert all_fonts_embedded(reader)
    assert reader.pages[0].extract_text() == text_before
    assert "\u202f000\u00a0€" in text_before


@pytest.mark.libreoffice
def test_set_metadata_on_libreoffice_tagged_pdf(converted: dict[str, Path],
                                                tmp_path: Path) -> None:
    pdf = tmp_path / "tagged.pdf"
    pdf.write_bytes(converted["tagged"].read_bytes())
    set_metadata(pdf, **VALUES)
    meta = read_metadata(pdf)
    assert (meta["title"], meta["author"], meta["keywords"], meta["language"]) == (
        TITLE, "Maison de l'emploi", "insertion, clauses sociales", "fr-FR")
    reader = PdfReader(pdf)
    assert reader.xmp_metadata is None
    assert "/StructTreeRoot" in reader.root_object and all_fonts_embedded(reader)


@pytest.mark.libreoffice
def test_keywords_given_to_libreoffice_leave_nothing_to_rewrite(converted: dict[str, Path],
                                                               tmp_path: Path) -> None:
    """A warm converter sets the keywords whole (PdfOptions.keywords): the metadata are then
    right as LibreOffice wrote them, and set_metadata leaves the file as it is."""
    pdf = tmp_path / "keywords.pdf"
    pdf.write_bytes(converted["keywords"].read_bytes())
    assert read_metadata(pdf)["keywords"] == "insertion, clauses sociales"  # not cut at spaces
    before, stamp = pdf.read_bytes(), pdf.stat().st_mtime_ns
    lo_values = {"title": "Convention d'insertion", "author": "Maison de l'emploi",
                 "subject": "Clauses sociales", "keywords": ["insertion", "clauses sociales"]}
    set_metadata(pdf, **lo_values)  # type: ignore[arg-type]
    assert pdf.read_bytes() == before and pdf.stat().st_mtime_ns == stamp
    set_metadata(pdf, **{**lo_values, "subject": "Autre objet"})  # type: ignore[arg-type]
    meta = read_metadata(pdf)
    assert (meta["subject"], meta["keywords"], meta["title"]) == (
        "Autre objet", "insertion, clauses sociales", "Convention d'insertion")
    assert b"Clauses sociales" not in pdf.read_bytes()  # one revision: the old one is gone


# -- the incremental update ------------------------------------------------------------------

# What LibreOffice 7.4 writes for PDF/A when the .docx holds the model's values: the same
# strings, its keywords split on spaces, its XMP escaped twice; nothing from the machine.
CLEAN_XMP = LO_XMP.replace(
    '  <rdf:Description rdf:about="" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"\n'
    '   xmpMM:DocumentID="uuid:poste-jdupont"/>\n', "").replace(
    "/tmp/tmpk2x9/d&amp;apos;insertion", "Convention d&amp;apos;insertion « Lot 3 » "
    "&amp;amp; &amp;lt;annexe&amp;gt;").replace("jdupont", "Maison de l&amp;apos;emploi")
CLEAN_INFO = {"/Title": TITLE, "/Author": "Maison de l'emploi", "/Subject": "Clauses sociales",
              "/Keywords": "insertion, clauses, sociales", "/Creator": "Writer",
              "/Producer": "LibreOffice 7.4", "/CreationDate": "D:20261125030655Z'"}


def make_clean_pdf(path: Path, *, xmp: bool = True, info: bool = True) -> Path:
    """A PDF shaped like LibreOffice's, whose metadata holds only what VALUES hold."""
    make_pdf(path, xmp=xmp)
    writer = PdfWriter(clone_from=PdfReader(path))
    writer.pdf_header = "%PDF-1.6"
    writer.root_object[NameObject("/Lang")] = TextStringObject("fr-FR")
    writer.metadata = CLEAN_INFO if info else None
    if xmp:
        writer.xmp_metadata = CLEAN_XMP.encode()
    writer.generate_file_identifiers()  # as LibreOffice (PDF/A requires one)
    writer.write(path)
    assert b"jdupont" not in path.read_bytes() and b"DocumentID" not in path.read_bytes()
    return path


def well_formed(pdf: Path) -> None:
    """Every entry of the (single) cross-reference table points at its object's header, and
    pypdf reads every object without a warning."""
    data = pdf.read_bytes()
    reader = PdfReader(pdf, strict=True)
    for number, offset in reader.xref[0].items():
        assert data.startswith(b"%d 0 obj" % number, offset)
        assert reader.get_object(number) is not None


def every_object(pdf: Path) -> str:
    """The text of every object of the file, streams decoded (old revisions included)."""
    reader = PdfReader(pdf)
    parts = []
    for number in sorted({int(n) for n in re.findall(rb"(\d+) 0 obj", pdf.read_bytes())}):
        obj = reader.get_object(number)
        if obj is None:
            continue
        parts.append(obj.get_data().decode("utf-8", "replace") if isinstance(obj, StreamObject)
                     else str(obj))
    return "\n".join(parts)


@pytest.mark.parametrize("xmp", [True, False])
def test_the_pdf_keeps_one_revision_of_its_metadata(tmp_path: Path, xmp: bool) -> None:
    pdf = make_clean_pdf(tmp_path / "convention.pdf", xmp=xmp)
    assert TITLE in every_object(pdf)
    values: dict[str, object] = {**VALUES, "title": "Une autre convention"}
    set_metadata(pdf, **values)  # type: ignore[arg-type]
    data = pdf.read_bytes()
    assert data.count(b"%%EOF") == 1 and b"/Prev" not in data
    well_formed(pdf)
    assert TITLE not in every_object(pdf)  # the old title is nowhere, not even unreachable
    assert read_metadata(pdf)["title"] == "Une autre convention"
    if xmp:
        assert read_metadata(pdf)["xmp_title"] == "Une autre convention"
    assert [p.name for p in pdf.parent.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(("info", "xmp"), [
    ({"/Author": "jdupont"}, None),  # a user name in the Info dictionary
    ({"/Poste": "Maison de l'emploi"}, None),  # an entry nobody asked for
    (None, CLEAN_XMP.replace(' rdf:about=""', ' rdf:about="uuid:poste-jdupont"', 1)),
    (None, CLEAN_XMP.replace("<pdf:Producer>", "<!-- /home/jdupont --><pdf:Producer>")),
    (None, CLEAN_XMP.replace("<pdf:Keywords>insertion", "<pdf:Keywords>jdupont, insertion")),
])
def test_anything_else_in_the_old_metadata_means_a_whole_rewrite(
        tmp_path: Path, info: dict[str, str] | None, xmp: str | None) -> None:
    pdf = make_clean_pdf(tmp_path / "convention.pdf")
    writer = PdfWriter(clone_from=PdfReader(pdf))
    writer.pdf_header = "%PDF-1.6"
    writer.metadata = {**CLEAN_INFO, **(info or {})}
    writer.xmp_metadata = (xmp or CLEAN_XMP).encode()
    writer.write(pdf)
    original = pdf.read_bytes()
    set_metadata(pdf, **VALUES)
    data = pdf.read_bytes()
    assert not data.startswith(original) and data.count(b"%%EOF") == 1
    assert b"jdupont" not in data and b"/Poste" not in data
    assert read_metadata(pdf)["xmp_title"] == TITLE


def test_a_failed_check_after_an_update_leaves_the_pdf_unchanged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = make_clean_pdf(tmp_path / "convention.pdf")
    original = pdf.read_bytes()
    real_packet = pdfmeta._packet

    def without_pdfaid(kept: dict[str, dict[str, str]], dc: dict[str, str]) -> bytes:
        return real_packet({**kept, "pdfaid": {}}, dc)

    monkeypatch.setattr(pdfmeta, "_packet", without_pdfaid)
    with pytest.raises(DocumentError, match="elle perdait : identification PDF/A"):
        set_metadata(pdf, **VALUES)
    assert pdf.read_bytes() == original
    assert [p.name for p in pdf.parent.iterdir()] == ["convention.pdf"]


@pytest.mark.libreoffice
@pytest.mark.parametrize("kind", ["pdfa", "tagged"])
def test_libreoffice_metadata_leaves_no_earlier_revision(converted: dict[str, Path],
                                                         tmp_path: Path, kind: str) -> None:
    pdf = tmp_path / f"{kind}.pdf"
    original = converted[kind].read_bytes()
    pdf.write_bytes(original)
    before = PdfReader(pdf).pages[0].extract_text()
    assert "Convention d'insertion" in every_object(pdf)  # LibreOffice's own Info and XMP
    set_metadata(pdf, title="Convention de partenariat", author="DREETS",
                 subject="Clauses sociales", keywords=["insertion"])
    data = pdf.read_bytes()
    assert data.count(b"%%EOF") == 1 and b"/Prev" not in data.split(b"trailer")[-1]
    well_formed(pdf)
    # rewritten in place: LibreOffice's bytes kept up to its Info dictionary or XMP stream
    source = PdfReader(converted[kind])
    replaced = [source.trailer.raw_get("/Info").idnum]
    if "/Metadata" in source.root_object:
        replaced.append(source.root_object.raw_get("/Metadata").idnum)
    start = min(original.index(b"\n%d 0 obj" % number) for number in replaced)
    assert data[:start] == original[:start] and abs(len(data) - len(original)) < 8192
    text = every_object(pdf)
    assert "Convention d'insertion" not in text and "Maison de l'emploi" not in text
    assert "&amp;apos;" not in text  # nor LibreOffice's twice-escaped XMP (PDF/A)
    assert PdfReader(pdf).pages[0].extract_text() == before
    assert all_fonts_embedded(PdfReader(pdf))
