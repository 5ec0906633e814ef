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

How: pypdf (public API only) rewrites the whole file with the new Info dictionary, XMP packet
and ``/Lang``: the result holds one revision, and none of the earlier metadata (an incremental
update would leave LibreOffice's Info dictionary and XMP packet readable behind the new ones).
"""

from __future__ import annotations

import functools
import os
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import (
    NameObject,
    StreamObject,
    TextStringObject,
)

from convention_docs.errors import DocumentError

__all__ = ["read_metadata", "set_metadata"]

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
