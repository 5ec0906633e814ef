"""PDF metadata from the model: the Info dictionary and the XMP packet, in agreement.

What LibreOffice 7.4 writes by itself from a .docx (measured): ``/Title``, ``/Author``,
``/Subject`` from the core properties, right in the Info dictionary; ``/Keywords`` split on
spaces and separators (``insertion, clauses sociales`` → ``insertion, clauses, sociales``);
``/Lang`` from the ``docDefaults`` language; ``/Creator`` ``Writer``, ``/Producer``
``LibreOffice 7.4``, a creation date; nothing from the machine (no user name, and no file name
even when the title is empty). An XMP packet only for PDF/A, where ``dc:title`` and
``dc:creator`` are escaped twice (``d&amp;apos;insertion``), so the Info dictionary and XMP
disagree, which PDF/A forbids; the keywords are split there too, and there is no language.

``set_metadata`` therefore writes the Info entries, the catalog ``/Lang`` and, when the PDF has
one, a rebuilt XMP packet: the PDF/A identification, the producer, the creator tool and the dates
are kept; everything else comes from the arguments, so nothing machine-specific survives.

How: LibreOffice's own output (one revision, a classic cross-reference table, already the right
``/Lang``) gets an incremental update appended to its bytes: the new Info dictionary and XMP
stream under their old object numbers, a cross-reference section for them and a trailer with
the same ``/ID``. The old revision stays in the file, so this is done only when every string of
the old Info dictionary and XMP packet is also in the new metadata (LibreOffice's keywords split
on spaces and its twice-escaped XMP included); when something else is there (a user name, a
temporary path), and for any other PDF, pypdf rewrites the whole file instead.
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping, Sequence
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax.saxutils import escape, unescape

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import (
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
    create_string_object,
)

from convention_docs._pypdf_fast import FastPdfReader
from convention_docs._pypdf_fast import install as _install_hex_reader
from convention_docs.errors import DocumentError

__all__ = ["read_metadata", "set_metadata"]

_install_hex_reader()  # LibreOffice writes the Info strings in hexadecimal

_NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Simple XMP properties carried over from LibreOffice's packet, by namespace.
_KEPT = {
    "pdfaid": ("part", "amd", "conformance"),
    "pdf": ("Producer",),
    "xmp": ("CreatorTool", "CreateDate", "ModifyDate", "MetadataDate"),
}
_INFO_KEPT = ("/Creator", "/Producer", "/CreationDate", "/ModDate")
_PACKET_ID = "W5M0MpCehiHzreSzNTczkc9d"
_PADDING = ("\n" + " " * 99) * 20
# What an incremental update accepts to find in the old Info dictionary and XMP stream.
_INFO_KNOWN = {"/Title", "/Author", "/Subject", "/Keywords", *_INFO_KEPT}
_STREAM_KNOWN = {"/Type", "/Subtype", "/Length"}
_WORDS = re.compile(r"[^\s,;]+")
_PROCESSING = re.compile(rb"<\?(.*?)\?>", re.DOTALL)
_XPACKET = re.compile(rb'xpacket (?:begin="(?:\xef\xbb\xbf)?" id="W5M0MpCehiHzreSzNTczkc9d"'
                      rb'|end="[rw]")')
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*\Z")
_OBJECT = re.compile(rb"\s*(\d+)\s+(\d+)\s+obj\b")
# How pypdf writes each byte of a literal string: letters, digits and spaces as they are.
_ESCAPED = [bytes([code]) if bytes([code]).isalnum() or code == 0x20 else b"\\%03o" % code
            for code in range(256)]
_RDF_ABOUT = f"{{{_NS['rdf']}}}about"
_KEYWORD_TAGS = {f"{{{_NS['pdf']}}}Keywords", f"{{{_NS['dc']}}}subject"}


def _check_text(field: str, value: str) -> None:
    bad = [c for c in value if (ord(c) < 0x20 and c not in "\t\n\r") or c in "\ufffe\uffff"]
    if bad:
        raise ValueError(f"métadonnée {field} : caractère de contrôle interdit {bad[0]!r}")


def _open(pdf: Path) -> PdfReader:
    try:
        reader = PdfReader(pdf)
        if reader.is_encrypted:
            raise DocumentError("PDF chiffré, métadonnées inaccessibles", path=pdf)
        _ = reader.root_object  # parses the catalog: a broken PDF fails here
    except (OSError, PyPdfError, KeyError, ValueError) as exc:
        raise DocumentError(f"PDF illisible ({exc})", path=pdf) from exc
    return reader


def _xmp_bytes(catalog: Mapping[str, Any]) -> bytes | None:
    stream = catalog.get("/Metadata")
    if stream is None:
        return None
    stream = stream.get_object()
    return stream.get_data() if isinstance(stream, StreamObject) else None


@functools.lru_cache(maxsize=4)
def _tree(packet: bytes) -> ET.Element | None:
    """The XML tree of an XMP packet, ``None`` when it is not well-formed. Kept by content:
    an update reads the old packet three times (read only, never changed)."""
    try:
        return ET.fromstring(packet)
    except ET.ParseError:
        return None


def _descriptions(packet: bytes) -> list[ET.Element]:
    root = _tree(packet)
    if root is None:
        return []
    return list(root.iter(f"{{{_NS['rdf']}}}Description"))


def _simple(descriptions: list[ET.Element], prefix: str, name: str) -> str | None:
    """A simple property, written as an element or as an attribute of rdf:Description."""
    tag = f"{{{_NS[prefix]}}}{name}"
    for description in descriptions:
        if tag in description.attrib:
            return description.attrib[tag]
        element = description.find(tag)
        if element is not None:
            return element.text or ""
    return None


def _items(descriptions: list[ET.Element], name: str) -> list[str] | None:
    """The items of a dc: container (Alt: the x-default one first)."""
    for description in descriptions:
        element = description.find(f"dc:{name}", _NS)
        if element is not None:
            items = element.findall("*/rdf:li", _NS)
            items.sort(key=lambda li: li.get(_XML_LANG) != "x-default")
            return [li.text or "" for li in items]
    return None


def _packet(kept: Mapping[str, Mapping[str, str]], dc: Mapping[str, str | list[str]]) -> bytes:
    def description(prefix: str, body: str) -> str:
        return (f'  <rdf:Description rdf:about="" xmlns:{prefix}="{_NS[prefix]}">\n{body}'
                "  </rdf:Description>\n")

    def simple(prefix: str, values: Mapping[str, str]) -> str:
        return "".join(f"   <{prefix}:{name}>{escape(value)}</{prefix}:{name}>\n"
                       for name, value in values.items())

    def container(name: str, kind: str, values: list[str]) -> str:
        lang = ' xml:lang="x-default"' if kind == "Alt" else ""
        items = "".join(f"     <rdf:li{lang}>{escape(v)}</rdf:li>\n" for v in values)
        return f"   <dc:{name}>\n    <rdf:{kind}>\n{items}    </rdf:{kind}>\n   </dc:{name}>\n"

    kinds = {"title": "Alt", "description": "Alt", "creator": "Seq", "subject": "Bag",
             "language": "Bag"}
    dc_body = "".join(container(name, kinds[name], [v] if isinstance(v, str) else v)
                      for name, v in dc.items() if v)
    parts = [description(prefix, simple(prefix, kept[prefix]))
             for prefix in ("pdfaid", "pdf", "xmp") if kept.get(prefix)]
    if dc_body:
        parts.insert(1 if kept.get("pdfaid") else 0, description("dc", dc_body))
    text = (f'<?xpacket begin="\ufeff" id="{_PACKET_ID}"?>\n'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
            f' <rdf:RDF xmlns:rdf="{_NS["rdf"]}">\n{"".join(parts)} </rdf:RDF>\n'
            f'</x:xmpmeta>{_PADDING}\n<?xpacket end="w"?>')
    return text.encode("utf-8")


def _facts(reader: PdfReader) -> dict[str, bool]:
    """What the metadata rewrite must not lose (the header, e.g. ``%PDF-1.6``, included)."""
    catalog = reader.root_object
    names = catalog.get("/Names")
    packet = _xmp_bytes(catalog)
    descriptions = _descriptions(packet) if packet else []
    return {
        reader.pdf_header: True,
        "identification PDF/A": _simple(descriptions, "pdfaid", "part") is not None,
        "/MarkInfo": "/MarkInfo" in catalog,
        "/StructTreeRoot": "/StructTreeRoot" in catalog,
        "/OutputIntents": "/OutputIntents" in catalog,
        "/ID": "/ID" in reader.trailer,
        "destinations nommées": "/Dests" in catalog or (
            names is not None and "/Dests" in names.get_object()),
    }


def set_metadata(pdf: Path, *, title: str, author: str, subject: str,
                 keywords: Sequence[str], language: str = "fr-FR") -> None:
    """Make ``pdf``'s Info dictionary, XMP packet (if any) and ``/Lang`` carry these values.

    Empty values are left out of both. The file is rewritten atomically (temporary file, then
    rename) and only after checking that PDF/A identification, tagging, structure tree, output
    intent and named destinations survived; otherwise ``DocumentError`` and ``pdf`` unchanged.
    """
    pdf = Path(pdf)
    keyword_text = ", ".join(k.strip() for k in keywords if k.strip())
    for field, value in (("title", title), ("author", author), ("subject", subject),
                         ("keywords", keyword_text), ("language", language)):
        _check_text(field, value)
    values = (title, author, subject, keywords, language)
    if _set_incrementally(pdf, *values):
        return
    reader = _open(pdf)
    before = _facts(reader)
    info, new_packet, _ = _new_metadata(reader, *values)
    writer = PdfWriter(clone_from=reader)
    writer.pdf_header = reader.pdf_header  # pypdf would write %PDF-1.3
    writer.metadata = info
    if language:
        writer.root_object[NameObject("/Lang")] = TextStringObject(language)
    elif "/Lang" in writer.root_object:
        del writer.root_object["/Lang"]
    if new_packet is not None:
        writer.xmp_metadata = new_packet
    _write_checked(writer.write, pdf, before, language, _open)


def _new_metadata(reader: PdfReader, title: str, author: str, subject: str,
                  keywords: Sequence[str], language: str
                  ) -> tuple[dict[str, str], bytes | None, set[str]]:
    """The new Info entries, the new XMP packet (``None`` when the PDF has none) and every
    string the two hold."""
    keyword_text = ", ".join(k.strip() for k in keywords if k.strip())
    old_info: Mapping[str, Any] = reader.metadata or {}
    info = {key: str(old_info[key]) for key in _INFO_KEPT if key in old_info}
    info.update({key: value for key, value in (
        ("/Title", title), ("/Author", author), ("/Subject", subject),
        ("/Keywords", keyword_text)) if value})
    strings = {*info.values(), language, keyword_text, *(k.strip() for k in keywords)}
    packet = _xmp_bytes(reader.root_object)
    if packet is None:
        return info, None, strings
    descriptions = _descriptions(packet)
    kept: dict[str, dict[str, str]] = {}
    for prefix, names in _KEPT.items():
        kept[prefix] = {}
        for name in names:
            found = _simple(descriptions, prefix, name)
            if found is not None:
                kept[prefix][name] = found
    # The Info dictionary wins where PDF/A wants both to agree.
    for key, (prefix, name) in (("/Producer", ("pdf", "Producer")),
                                ("/Creator", ("xmp", "CreatorTool"))):
        if key in info:
            kept[prefix][name] = info[key]
    dc: dict[str, str | list[str]] = {
        "title": title, "creator": author, "description": subject,
        "subject": [k.strip() for k in keywords if k.strip()], "language": language,
    }
    if keyword_text:
        kept["pdf"]["Keywords"] = keyword_text
    strings.update(value for values in kept.values() for value in values.values())
    return info, _packet(kept, dc), strings


class _NotIncremental(Exception):
    """The incremental update cannot be done (or checked) the quick way: rewrite the file."""


def _strict_open(pdf: Path) -> PdfReader:
    """Open with pypdf's strict reading, which skips checking every object of the file (the
    update checks what it relies on itself); :class:`_NotIncremental` if that fails."""
    try:
        reader = FastPdfReader(pdf.read_bytes(), strict=True)
        if reader.is_encrypted:
            raise _NotIncremental
        _ = reader.root_object
    except (OSError, PyPdfError, KeyError, ValueError, TypeError, AttributeError) as exc:
        raise _NotIncremental from exc
    return reader


def _set_incrementally(pdf: Path, title: str, author: str, subject: str,
                       keywords: Sequence[str], language: str) -> bool:
    """:func:`set_metadata` by an incremental update, when the PDF lends itself to one (see the
    module's documentation); ``False`` when it does not (nothing done)."""
    try:
        reader = _strict_open(pdf)
        before = _facts(reader)
        info, new_packet, strings = _new_metadata(reader, title, author, subject, keywords,
                                                  language)
        words = {word for keyword in keywords for word in _WORDS.findall(keyword)}
        update = _incremental_update(reader, info, new_packet, language, strings, words)
        original = _bytes(reader)
        if update is None or original is None:
            return False

        def append(out: BinaryIO) -> None:
            out.write(original)
            out.write(update)

        _write_checked(append, pdf, before, language, _strict_open)
    except (_NotIncremental, PyPdfError, KeyError, ValueError, TypeError, AttributeError):
        return False  # DocumentError (something lost) goes through
    return True


def _incremental_update(reader: PdfReader, info: Mapping[str, str], new_packet: bytes | None,
                        language: str, strings: set[str], words: set[str]) -> bytes | None:
    """The bytes to append to the PDF for an incremental update carrying ``info`` and
    ``new_packet``; ``None`` when the PDF does not lend itself to one: anything but a single
    revision with a classic cross-reference table that pypdf read as written, a catalog
    ``/Lang`` other than ``language``, an Info dictionary or XMP stream that is not plain, or old
    metadata with a string the new metadata does not have (``strings``, or for keywords made of
    ``words``), which would stay in the file."""
    data = _bytes(reader)
    end = _STARTXREF.search(data, max(0, len(data) - 1024)) if data is not None else None
    trailer = reader.trailer
    if data is None or end is None or not language or reader.xref_objStm:
        return None
    previous = int(end.group(1))
    root = trailer.raw_get("/Root") if "/Root" in trailer else None
    if (not data.startswith(b"xref", previous) or b"/Prev" in data[previous:end.start()]
            or any(key in trailer for key in ("/Prev", "/XRefStm", "/Encrypt"))
            or not isinstance(root, IndirectObject)
            or reader.root_object.get("/Lang") != language):
        return None
    count = 0
    for generation, offsets in reader.xref.items():  # every object where the table says
        for number, offset in offsets.items():
            if not _object_at(data, offset, number, generation):
                return None
            count += 1
    if data.count(b"endobj") != count:  # no object outside the table: the file keeps them
        return None
    old_info: Mapping[str, Any] = reader.metadata or {}
    for key in old_info:
        value = old_info[key]
        if key not in _INFO_KNOWN or not isinstance(value, str) or not _known(
                value, strings, words if key == "/Keywords" else set()):
            return None
    size = int(trailer.get("/Size", 0))
    info_ref = trailer.raw_get("/Info") if "/Info" in trailer else None
    if info_ref is None:
        info_ref, size = IndirectObject(size, 0, reader), size + 1
    elif not isinstance(info_ref, IndirectObject):
        return None
    objects: list[tuple[IndirectObject, PdfObject]] = [(info_ref, DictionaryObject(
        {NameObject(key): create_string_object(str(value)) for key, value in info.items()}))]
    if new_packet is not None:
        stream_ref = reader.root_object.raw_get("/Metadata")
        old_stream = stream_ref.get_object() if isinstance(stream_ref, IndirectObject) else None
        if (not isinstance(old_stream, StreamObject) or not set(old_stream) <= _STREAM_KNOWN
                or not _xmp_known(old_stream.get_data(), strings, words, language)):
            return None
        stream = DecodedStreamObject()
        stream.update({NameObject(key): value for key, value in old_stream.items()
                       if key != "/Length"})
        stream.set_data(new_packet)
        objects.append((stream_ref, stream))
    trailer_entries: dict[str, PdfObject] = {
        "/Size": NumberObject(max(size, *(ref.idnum + 1 for ref, _ in objects))),
        "/Root": root, "/Info": info_ref, "/Prev": NumberObject(previous)}
    if "/ID" in trailer:
        trailer_entries["/ID"] = trailer.raw_get("/ID")
    return _update_section(len(data), not data.endswith((b"\n", b"\r")), objects,
                           DictionaryObject({NameObject(k): v
                                             for k, v in trailer_entries.items()}))


def _object_at(data: bytes, offset: int, number: int, generation: int) -> bool:
    """Whether :data:`_OBJECT` reads the header of object ``number generation`` at ``offset``
    (first, without it, the header as written: ``12 0 obj``)."""
    if offset >= 0 and number >= 0 and generation >= 0:
        header = b"%d %d obj" % (number, generation)
        if data.startswith(header, offset):
            after = data[offset + len(header):offset + len(header) + 1]
            if not (after.isalnum() or after == b"_"):  # the \b after "obj"
                return True
    found = _OBJECT.match(data, offset)
    return found is not None and (int(found.group(1)), int(found.group(2))) == (number,
                                                                                 generation)


def _bytes(reader: PdfReader) -> bytes | None:
    """The bytes pypdf read the PDF from (it reads a file whole)."""
    stream = reader.stream
    return stream.getvalue() if isinstance(stream, BytesIO) else None


def _known(value: str, strings: set[str], words: set[str]) -> bool:
    """Whether an old metadata string is a new one (XML escaping undone up to twice: LibreOffice
    escapes its XMP twice) or, with ``words``, made of those words only."""
    value = value.strip()
    for _ in range(3):
        if not value or value in strings or (words and set(_WORDS.findall(value)) <= words):
            return True
        value = unescape(value, {"&apos;": "'", "&quot;": '"'}).strip()
    return False


def _xmp_known(packet: bytes, strings: set[str], words: set[str], language: str) -> bool:
    """Whether every text and attribute value of an old XMP packet is :func:`_known`, with no
    comment and no processing instruction but the xpacket wrapper."""
    if b"<!--" in packet or not all(_XPACKET.fullmatch(found.group(1).strip())
                                    for found in _PROCESSING.finditer(packet)):
        return False
    root = _tree(packet)
    if root is None:
        return False

    def texts(element: ET.Element, keywords: bool) -> Iterator[tuple[str, bool]]:
        keywords = keywords or element.tag in _KEYWORD_TAGS
        for name, value in element.attrib.items():
            if not ((name == _RDF_ABOUT and not value)
                    or (name == _XML_LANG and value in ("x-default", language))):
                yield value, False
        yield element.text or "", keywords
        for child in element:
            yield from texts(child, keywords)
            yield child.tail or "", keywords

    return all(_known(text, strings, words if keywords else set())
               for text, keywords in texts(root, False))


def _serialized(obj: PdfObject) -> bytes:
    """What ``obj.write_to_stream`` writes; the text strings of a dictionary (the metadata)
    escaped with a table rather than a byte at a time, and the dictionary written the same
    way pypdf writes it."""
    if obj.__class__ is TextStringObject:
        return b"(" + b"".join(map(_ESCAPED.__getitem__, obj.get_encoded_bytes())) + b")"
    if obj.__class__ is DictionaryObject:
        return b"<<\n" + b"".join(
            _serialized(key) + b" " + _serialized(value) + b"\n"
            for key, value in obj.items()
            if not (len(key) > 2 and key[1] == "%" and key[-1] == "%")) + b">>"
    out = BytesIO()
    obj.write_to_stream(out)
    return out.getvalue()


def _update_section(start: int, newline: bool, objects: list[tuple[IndirectObject, PdfObject]],
                    trailer: DictionaryObject) -> bytes:
    """An update section written at offset ``start`` (after a line feed when ``newline``):
    the objects, their cross-reference table in subsections of consecutive numbers, the
    trailer."""
    out = bytearray(b"\n" if newline else b"")
    entries: dict[int, bytes] = {}
    for ref, obj in sorted(objects, key=lambda item: item[0].idnum):
        entries[ref.idnum] = b"%010d %05d n \n" % (start + len(out), ref.generation)
        out += b"%d %d obj\n%s\nendobj\n" % (ref.idnum, ref.generation, _serialized(obj))
    xref = start + len(out)
    # Object 0 (the head of the free list) first, as in a whole table: pypdf takes a table
    # that starts elsewhere for a misnumbered one, and checks every object of the file again.
    out += b"xref\n0 1\n0000000000 65535 f \n"
    numbers = sorted(entries)
    while numbers:
        run = 1
        while run < len(numbers) and numbers[run] == numbers[0] + run:
            run += 1
        out += b"%d %d\n" % (numbers[0], run) + b"".join(entries[n] for n in numbers[:run])
        numbers = numbers[run:]
    out += b"trailer\n%s\nstartxref\n%d\n%%%%EOF\n" % (_serialized(trailer), xref)
    return bytes(out)


def _write_checked(write: Callable[[BinaryIO], Any], pdf: Path, before: Mapping[str, bool],
                   language: str, reopen: Callable[[Path], PdfReader]) -> None:
    fd, name = tempfile.mkstemp(dir=pdf.parent, prefix=f".{pdf.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
        after_reader = reopen(temporary)
        after = _facts(after_reader)
        lost = [what for what, present in before.items() if present and not after.get(what)]
        lang = after_reader.root_object.get("/Lang")
        if language and lang != language:
            lost.append("/Lang")
        if lost:
            raise DocumentError(
                "réécriture des métadonnées abandonnée, elle perdait : " + ", ".join(lost),
                path=pdf)
        temporary.chmod(pdf.stat().st_mode & 0o7777)
        temporary.replace(pdf)
    finally:
        temporary.unlink(missing_ok=True)


def read_metadata(pdf: Path) -> dict[str, str]:
    """Return the PDF's metadata as plain strings ("" when absent).

    Keys from the Info dictionary and catalog: ``title``, ``author``, ``subject``,
    ``keywords``, ``creator``, ``producer``, ``creation_date``, ``language`` (``/Lang``).
    When the PDF has an XMP packet, also ``xmp_title``, ``xmp_author``, ``xmp_subject``
    (dc:description), ``xmp_keywords`` (pdf:Keywords), ``xmp_dc_subject`` (dc:subject items
    joined by ", "), ``xmp_language``, ``xmp_creator_tool``, ``xmp_producer``,
    ``xmp_create_date``, ``pdfa_part``, ``pdfa_conformance``.
    """
    reader = _open(Path(pdf))
    info: Mapping[str, Any] = reader.metadata or {}
    catalog = reader.root_object
    result = {field: str(info.get(key, "")) for field, key in (
        ("title", "/Title"), ("author", "/Author"), ("subject", "/Subject"),
        ("keywords", "/Keywords"), ("creator", "/Creator"), ("producer", "/Producer"),
        ("creation_date", "/CreationDate"))}
    result["language"] = str(catalog.get("/Lang", ""))
    packet = _xmp_bytes(catalog)
    if packet is not None:
        descriptions = _descriptions(packet)

        def first(name: str) -> str:
            return (_items(descriptions, name) or [""])[0]

        result.update({
            "xmp_title": first("title"),
            "xmp_author": first("creator"),
            "xmp_subject": first("description"),
            "xmp_keywords": _simple(descriptions, "pdf", "Keywords") or "",
            "xmp_dc_subject": ", ".join(_items(descriptions, "subject") or []),
            "xmp_language": first("language"),
            "xmp_creator_tool": _simple(descriptions, "xmp", "CreatorTool") or "",
            "xmp_producer": _simple(descriptions, "pdf", "Producer") or "",
            "xmp_create_date": _simple(descriptions, "xmp", "CreateDate") or "",
            "pdfa_part": _simple(descriptions, "pdfaid", "part") or "",
            "pdfa_conformance": _simple(descriptions, "pdfaid", "conformance") or "",
        })
    return result
