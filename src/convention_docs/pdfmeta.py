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

How: the file is written again with one revision and none of the earlier metadata (an
incremental update would leave LibreOffice's Info dictionary and XMP packet readable behind the
new ones). LibreOffice's own output (one revision, a classic cross-reference table, already the
right ``/Lang``) is rewritten byte for byte but for its Info dictionary and XMP stream, which are
replaced where they stand, the cross-reference table being written again for the objects'
new offsets; any other PDF is rewritten whole by pypdf (public API only), which costs several
times more. When LibreOffice was given the keywords whole (``PdfOptions.keywords``: it cuts the
.docx's at spaces), a PDF without XMP already says everything right, and is left as it is.
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import (
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
    create_string_object,
)

from convention_docs.errors import DocumentError

__all__ = ["read_metadata", "set_metadata", "written_keywords"]

_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*\Z")
_OBJECT = re.compile(rb"\s*(\d+)\s+(\d+)\s+obj\b")
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


def written_keywords(keywords: Sequence[str]) -> tuple[str, ...]:
    """The keywords as the metadata hold them: each stripped, the empty ones left out."""
    return tuple(k.strip() for k in keywords if k.strip())


def set_metadata(pdf: Path, *, title: str, author: str, subject: str,
                 keywords: Sequence[str], language: str = "fr-FR") -> None:
    """Make ``pdf``'s Info dictionary, XMP packet (if any) and ``/Lang`` carry these values.

    Empty values are left out of both. The file is rewritten atomically (temporary file, then
    rename) and only after checking that PDF/A identification, tagging, structure tree, output
    intent and named destinations survived; otherwise ``DocumentError`` and ``pdf`` unchanged.
    A single-revision PDF without XMP whose Info dictionary and ``/Lang`` already say exactly
    this (LibreOffice given the keywords, ``PdfOptions.keywords``) is left as it is.
    """
    pdf = Path(pdf)
    keyword_text = ", ".join(written_keywords(keywords))
    for field, value in (("title", title), ("author", author), ("subject", subject),
                         ("keywords", keyword_text), ("language", language)):
        _check_text(field, value)
    values = (title, author, subject, keywords, language)
    if _set_in_place(pdf, *values):
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
    keyword_text = ", ".join(written_keywords(keywords))
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
        "subject": list(written_keywords(keywords)), "language": language,
    }
    if keyword_text:
        kept["pdf"]["Keywords"] = keyword_text
    strings.update(value for values in kept.values() for value in values.values())
    return info, _packet(kept, dc), strings


class _NotInPlace(Exception):
    """The PDF does not lend itself to the in-place rewrite: rewrite it whole with pypdf."""


def _strict_open(pdf: Path) -> PdfReader:
    """pypdf's strict reading (it does not check every object header of the file first)."""
    try:
        reader = PdfReader(BytesIO(pdf.read_bytes()), strict=True)
        if reader.is_encrypted:
            raise _NotInPlace
        _ = reader.root_object
    except (OSError, PyPdfError, KeyError, ValueError, TypeError, AttributeError) as exc:
        raise _NotInPlace from exc
    return reader


def _set_in_place(pdf: Path, title: str, author: str, subject: str, keywords: Sequence[str],
                  language: str) -> bool:
    """:func:`set_metadata` for a single-revision PDF with a classic cross-reference table:
    Info and XMP replaced where they stand; ``False`` (nothing done) for any other PDF."""
    try:
        reader = _strict_open(pdf)
        info, new_packet, _ = _new_metadata(reader, title, author, subject, keywords, language)
        data = reader.stream.getvalue() if isinstance(reader.stream, BytesIO) else None
        if data is None:
            return False
        if _already_set(reader, data, info, new_packet, language):
            return True  # e.g. the keywords given to LibreOffice (PdfOptions.keywords)
        before = _facts(reader)
        rewritten = _rewritten(reader, data, info, new_packet, language)

        def write(out: BinaryIO) -> None:
            out.write(rewritten)

        _write_checked(write, pdf, before, language, _strict_open)
    except (_NotInPlace, PyPdfError, KeyError, ValueError, TypeError, AttributeError):
        return False  # DocumentError (something lost) goes through
    return True


def _already_set(reader: PdfReader, data: bytes, info: Mapping[str, str],
                 new_packet: bytes | None, language: str) -> bool:
    """Whether the file holds exactly ``info`` as its only Info dictionary, the catalog
    ``language``, and no XMP packet (which would be rebuilt): nothing left to rewrite."""
    if new_packet is not None or not language or _single_revision(reader, data) is None:
        return False
    old: Mapping[str, Any] = reader.metadata or {}
    return (reader.root_object.get("/Lang") == language
            and {key: str(value) for key, value in old.items()} == dict(info))


def _single_revision(reader: PdfReader, data: bytes) -> int | None:
    """The offset of the file's only cross-reference table (classic, no earlier revision, no
    object stream), or ``None``."""
    end = _STARTXREF.search(data, max(0, len(data) - 1024))
    trailer = reader.trailer
    if end is None or reader.xref_objStm:
        return None
    previous = int(end.group(1))
    if (not data.startswith(b"xref", previous) or b"/Prev" in data[previous:end.start()]
            or any(key in trailer for key in ("/Prev", "/XRefStm", "/Encrypt"))):
        return None
    return previous


def _rewritten(reader: PdfReader, data: bytes, info: Mapping[str, str],
               new_packet: bytes | None, language: str) -> bytes:
    """``data`` with its Info dictionary and XMP stream replaced, a new cross-reference table
    and trailer; :class:`_NotInPlace` when the file is not a single revision with a classic
    table that pypdf read as written and every object where the table says, or when its
    ``/Lang`` is not ``language``."""
    previous = _single_revision(reader, data)
    trailer = reader.trailer
    if previous is None or not language:
        raise _NotInPlace
    root = trailer.raw_get("/Root") if "/Root" in trailer else None
    if (not isinstance(root, IndirectObject)
            or reader.root_object.get("/Lang") != language or set(reader.xref) - {0, 65535}):
        raise _NotInPlace
    offsets = dict(reader.xref[0])
    for number, offset in offsets.items():
        if not _object_at(data, offset, number, 0):
            raise _NotInPlace
    if data.count(b"endobj") != len(offsets):  # no object outside the table
        raise _NotInPlace
    replaced: dict[int, bytes] = {}
    info_ref = trailer.raw_get("/Info") if "/Info" in trailer else None
    size = int(trailer.get("/Size", 0))
    if info_ref is None:
        info_ref = IndirectObject(max(size, max(offsets, default=0) + 1), 0, reader)
    elif not isinstance(info_ref, IndirectObject) or info_ref.generation != 0:
        raise _NotInPlace
    replaced[info_ref.idnum] = _serialized(DictionaryObject(
        {NameObject(key): create_string_object(str(value)) for key, value in info.items()}))
    if new_packet is not None:
        stream_ref = reader.root_object.raw_get("/Metadata")
        old = stream_ref.get_object() if isinstance(stream_ref, IndirectObject) else None
        if not isinstance(old, StreamObject) or stream_ref.generation != 0:
            raise _NotInPlace
        entries = b"".join(_serialized(NameObject(key)) + b" " + _serialized(value) + b" "
                           for key, value in old.items()
                           if key not in ("/Length", "/Filter", "/DecodeParms"))
        replaced[stream_ref.idnum] = (b"<< " + entries + b"/Length %d >>\nstream\n"
                                      % len(new_packet) + new_packet + b"\nendstream")
    # Every object's bytes, in file order; the replaced ones with their new bodies.
    order = sorted(offsets, key=offsets.__getitem__)
    spans = {number: (offsets[number], _object_end(data, offsets[number]))
             for number in order}
    out = bytearray(data[:offsets[order[0]]] if order else data[:previous])
    new_offsets: dict[int, int] = {}
    for index, number in enumerate(order):
        start, stop = spans[number]
        following = spans[order[index + 1]][0] if index + 1 < len(order) else previous
        if stop > following:
            raise _NotInPlace
        new_offsets[number] = len(out)
        if number in replaced:
            out += b"%d 0 obj\n%s\nendobj" % (number, replaced.pop(number))
        else:
            out += data[start:stop]
        out += data[stop:following]  # what lay between two objects (white space)
    for number, body in replaced.items():  # a new Info dictionary
        new_offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    count = max(size, max(new_offsets) + 1)
    xref = len(out)
    out += b"xref\n0 %d\n" % count
    out += b"".join(b"%010d 00000 n \n" % new_offsets[n] if n in new_offsets
                    else b"0000000000 65535 f \n" for n in range(count))
    entries_: dict[str, PdfObject] = {"/Size": NumberObject(count), "/Root": root,
                                      "/Info": info_ref}
    if "/ID" in trailer:
        entries_["/ID"] = trailer.raw_get("/ID")
    out += b"trailer\n%s\nstartxref\n%d\n%%%%EOF\n" % (
        _serialized(DictionaryObject({NameObject(k): v for k, v in entries_.items()})), xref)
    return bytes(out)


def _object_end(data: bytes, start: int) -> int:
    """The offset just after the ``endobj`` of the object starting at ``start``."""
    end = data.find(b"endobj", start)
    if end == -1:
        raise _NotInPlace
    # looked for before ``end`` only: searching on would cross every object up to the next
    # stream, for each object (a quadratic cost on files of many small objects)
    stream = data.find(b"stream", start, end)
    if stream != -1:  # the stream's data may hold anything: skip it whole
        finish = data.find(b"endstream", stream)
        end = data.find(b"endobj", finish) if finish != -1 else -1
        if end == -1:
            raise _NotInPlace
    return end + len(b"endobj")


def _object_at(data: bytes, offset: int, number: int, generation: int) -> bool:
    """Whether the header of object ``number generation`` is at ``offset``."""
    if offset < 0:
        return False
    found = _OBJECT.match(data, offset)
    return found is not None and (int(found.group(1)), int(found.group(2))) == (number,
                                                                                 generation)


def _serialized(obj: PdfObject) -> bytes:
    """What ``obj.write_to_stream`` writes (pypdf's public API)."""
    out = BytesIO()
    obj.write_to_stream(out)
    return out.getvalue()


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
