"""The .docx package side of rendering and reading: the template read once, parts parsed only
when used, parts deflated and inflated once, the archive written as python-docx writes it.

What depends only on content is kept in small bounded LRU caches shared by threads under a
lock: python-docx's reading of the template file (keyed by the file's bytes, so an edited
template is read again), what a part nobody changes is written as (``_WRITTEN``), the
``[Content_Types].xml`` and ``.rels`` parts of a set of parts and relationships, the deflated
form of each part content and the inflated form of each archive member (most parts are the
template's, unchanged). Only immutable values are kept: every render and every reading has its
own parts, parsing from the bytes what it uses. A part whose content was never met is parsed
at once, so that malformed XML fails where python-docx fails. The .docx is written by
:class:`_Archive`, byte for byte the archive python-docx writes through ``zipfile`` (a test
compares them), except that a part already deflated in this process is not deflated again;
where ``zipfile`` would need ZIP64, python-docx's own ``save`` is used.

This leans on python-docx internals (``PackageReader``, ``Unmarshaller``, ``PackageWriter``,
``_ContentTypeMap``, ``_SerializedRelationships``), pinned below python-docx 2.
"""
from __future__ import annotations

import functools
import io
import struct
import sys
import time
import zipfile
import zlib
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import IO, Any

from docx.opc.constants import CONTENT_TYPE
from docx.opc.oxml import serialize_part_xml
from docx.opc.package import Unmarshaller
from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
from docx.opc.part import Part, PartFactory, XmlPart
from docx.opc.pkgreader import (
    PackageReader,
    _ContentTypeMap,
    _SerializedPart,
    _SerializedRelationships,
)
from docx.opc.pkgwriter import _ContentTypesItem
from docx.oxml.parser import parse_xml
from docx.package import Package
from docx.parts.hdrftr import FooterPart, HeaderPart
from docx.parts.numbering import NumberingPart
from docx.parts.settings import SettingsPart
from docx.parts.styles import StylesPart

from convention_docs._cache import BoundedCache
from convention_docs._confidential import clean_template

__all__ = ["open_archive", "open_document", "parsed_when_used", "save"]

_READERS: BoundedCache[bytes, Any] = BoundedCache(8)
"""Template file content → python-docx's read-only view of it (parts as bytes, relationships)."""

_DEFLATED: BoundedCache[bytes, bytes] = BoundedCache(32)
"""Part content → the same deflated, for parts of at most ``_DEFLATED_MAX`` bytes."""

_DEFLATED_MAX = 256 * 1024


def open_document(path: Path, *, clean: bool = False) -> Any:
    """Return a new python-docx ``Document`` of the template at ``path`` (same checks as
    ``docx.Document``); with ``clean``, without what tells where the template came from
    (:mod:`._confidential`).

    Only the reading of the file (unzipping, content types, relationships) is shared between
    renders, keyed by the file's content; every part is parsed anew from its bytes, when used
    (see ``_ParsedWhenUsed``).
    """
    content = path.read_bytes()

    def read() -> Any:
        source = clean_template(content) if clean else content
        return PackageReader.from_file(io.BytesIO(source))  # type: ignore[no-untyped-call]

    reader = _READERS.get_or_compute(b"clean\0" + content if clean else content, read)
    package = Package()
    Unmarshaller.unmarshal(reader, package, _new_part)  # type: ignore[no-untyped-call]
    document_part = package.main_document_part
    if document_part.content_type != CONTENT_TYPE.WML_DOCUMENT_MAIN:
        raise ValueError(f"pas un document Word (type {document_part.content_type})")
    return document_part.document


_WRITTEN: BoundedCache[bytes, bytes] = BoundedCache(32)
"""XML part content → the same parsed and written back by python-docx (blank text dropped):
what a part nobody changed is saved as."""


class _ParsedWhenUsed:
    """Mixin for a python-docx XML part whose XML is parsed the first time it is used.

    A render leaves most parts of the template as they are (styles, numbering, settings) and
    replaces its headers and footers with rendered ones; a reader needs the styles of a
    document only when it has not met them yet. Until its element is asked for, such a part is
    written as ``_WRITTEN`` keeps it: the same bytes parsing and writing would give. Content met
    for the first time is parsed at once, so that malformed XML fails where python-docx fails.
    """

    def __init__(self, partname: Any, content_type: str, blob: bytes, package: Any) -> None:
        Part.__init__(self, partname, content_type, package=package)  # type: ignore[arg-type]
        self._unparsed = blob
        self._parsed: Any = None
        unchanged = _WRITTEN.get(blob)
        if unchanged is None:  # content not met yet: parsed now (errors come at opening)
            self._parsed = parse_xml(blob)
            unchanged = serialize_part_xml(self._parsed)
            _WRITTEN.put(blob, unchanged)
        self._unchanged = unchanged

    @cached_property
    def _element(self) -> Any:
        return parse_xml(self._unparsed) if self._parsed is None else self._parsed

    @cached_property
    def _settings(self) -> Any:  # SettingsPart keeps its element under this name too
        return self._element

    @property
    def blob(self) -> bytes:
        if "_element" in self.__dict__:
            return serialize_part_xml(self._element)
        return self._unchanged


_PARSED_WHEN_USED: dict[type[Part], Any] = {
    base: type(f"Lazy{base.__name__}", (_ParsedWhenUsed, base), {})
    for base in (XmlPart, StylesPart, NumberingPart, SettingsPart, HeaderPart, FooterPart)
}


def parsed_when_used(partname: Any, content_type: str, blob: bytes, package: Any) -> Any:
    """Return python-docx's ``XmlPart.load(…)``, its XML parsed only when used (it is checked
    at once: ``XMLSyntaxError`` when ``blob`` is not XML)."""
    return _PARSED_WHEN_USED[XmlPart](partname, content_type, blob, package)


def _new_part(partname: Any, content_type: str, reltype: str, blob: bytes,
              package: Any) -> Any:
    """python-docx's ``PartFactory``, with the parts of ``_PARSED_WHEN_USED`` parsed when
    used."""
    selector = PartFactory.part_class_selector
    chosen = None if selector is None else selector(content_type, reltype)
    lazy = None if chosen is not None else _PARSED_WHEN_USED.get(
        PartFactory._part_cls_for(content_type))
    if lazy is None:
        return PartFactory(partname, content_type, reltype, blob, package)
    return lazy(partname, content_type, blob, package)


# ------------------------------------------------------------------------------------------
# Reading a .docx
# ------------------------------------------------------------------------------------------

_INFLATED: BoundedCache[tuple[Any, ...], bytes] = BoundedCache(32)
"""Everything ``ZipFile.read`` reads of a member (its directory entry's fields, its local
header and its compressed bytes) → what it returned. The parts a template gives every document
of a batch are not inflated again. Members of at most ``_INFLATED_MAX`` bytes, compressed and
inflated (``ZipFile.read`` never returns more than the declared size): 16 MiB at worst."""

_CONTENT_TYPE_MAPS: BoundedCache[bytes, Any] = BoundedCache(8)
"""``[Content_Types].xml`` → python-docx's reading of it (only looked up)."""

_RELATIONSHIPS_READ: BoundedCache[tuple[str, bytes | None], Any] = BoundedCache(32)
"""(base URI, relationships XML) → python-docx's reading of it (only iterated)."""

_INFLATED_MAX = 256 * 1024
_LOCAL_HEADER_SIZE = 30


@functools.lru_cache(maxsize=256)
def _rels_uri(source_uri: Any) -> Any:
    """python-docx's ``PackURI.rels_uri`` (which only reads the name) of ``source_uri``."""
    return source_uri.rels_uri


class _Members:
    """python-docx's physical package reader (``PhysPkgReader``) over an open archive whose
    bytes are ``data``, reading members through ``_INFLATED``."""

    def __init__(self, archive: zipfile.ZipFile, data: bytes) -> None:
        self._archive = archive
        self._data = data

    def blob_for(self, pack_uri: Any) -> bytes:
        """Return the content of the member named by ``pack_uri`` (``KeyError`` if none)."""
        name: str = pack_uri.membername
        info = self._archive.getinfo(name)
        key = self._key(info)
        if key is None:
            return self._archive.read(name)
        return _INFLATED.get_or_compute(key, lambda: self._archive.read(name))

    def _key(self, info: zipfile.ZipInfo) -> tuple[Any, ...] | None:
        """What ``ZipFile.read`` of ``info`` depends on, or None for a member not kept."""
        start = info.header_offset
        header = self._data[start:start + _LOCAL_HEADER_SIZE]
        if (info.compress_size > _INFLATED_MAX or info.file_size > _INFLATED_MAX
                or len(header) < _LOCAL_HEADER_SIZE):
            return None
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        begin = start + _LOCAL_HEADER_SIZE + name_length + extra_length
        end = begin + info.compress_size
        if end > len(self._data):
            return None
        return (info.orig_filename, info.flag_bits, info.compress_type, info.file_size,
                info.CRC, self._data[start:begin], self._data[begin:end])

    def relationships(self, source_uri: Any) -> Any:
        """python-docx's ``PackageReader._srels_for``, each relationships XML parsed once."""
        xml = self.rels_xml_for(source_uri)
        base: str = source_uri.baseURI
        return _RELATIONSHIPS_READ.get_or_compute(
            (base, xml), lambda: _SerializedRelationships.load_from_xml(base, xml))  # type: ignore[no-untyped-call]

    def walk(self, relationships: Any, visited: set[str]) -> Iterator[tuple[Any, bytes, str, Any]]:
        """python-docx's ``PackageReader._walk_phys_parts``: (part name, content, relationship
        type, relationships) of each part reached from ``relationships``, depth first."""
        for relationship in relationships:
            if relationship.is_external or relationship.target_partname in visited:
                continue
            name = relationship.target_partname
            visited.add(name)
            its_relationships = self.relationships(name)
            yield name, self.blob_for(name), relationship.reltype, its_relationships
            yield from self.walk(its_relationships, visited)

    def rels_xml_for(self, source_uri: Any) -> bytes | None:
        """Return the relationships XML of ``source_uri``, or None when it has none."""
        try:
            return self.blob_for(_rels_uri(source_uri))
        except KeyError:
            return None

    @property
    def content_types_xml(self) -> bytes:
        """Return ``[Content_Types].xml``."""
        return self.blob_for(CONTENT_TYPES_URI)


def open_archive(archive: zipfile.ZipFile, data: bytes, file: IO[bytes]) -> Any:
    """Return ``docx.Document(file)`` where ``archive`` is ``file`` opened as a zip archive and
    ``data`` its bytes: the same document, the same exceptions.

    Members met before (compared by content) are not inflated again, and parts whose content
    was parsed before are parsed only when used (see ``_ParsedWhenUsed``).
    """
    members = _Members(archive, data)
    types_xml = members.content_types_xml
    content_types = _CONTENT_TYPE_MAPS.get_or_compute(
        types_xml, lambda: _ContentTypeMap.from_xml(types_xml))  # type: ignore[no-untyped-call]
    relationships = members.relationships(PACKAGE_URI)
    parts = tuple(_SerializedPart(name, content_types[name], reltype, blob, srels)  # type: ignore[no-untyped-call]
                  for name, blob, reltype, srels in members.walk(relationships, set()))
    package = Package()
    Unmarshaller.unmarshal(PackageReader(content_types, relationships, parts),  # type: ignore[no-untyped-call]
                           package, _new_part)
    document_part = package.main_document_part
    if document_part.content_type != CONTENT_TYPE.WML_DOCUMENT_MAIN:
        raise ValueError(f"file '{file}' is not a Word file, content type is "
                         f"'{document_part.content_type}'")
    return document_part.document


# ------------------------------------------------------------------------------------------
# Writing the .docx
# ------------------------------------------------------------------------------------------

_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # zipfile's structFileHeader
_CENTRAL_HEADER = struct.Struct("<4s4B4HL2L5H2L")  # structCentralDir
_END_RECORD = struct.Struct("<4s4H2LH")  # structEndArchive
_ZIP32_LIMIT = (1 << 31) - 1  # zipfile's ZIP64_LIMIT: past it, zipfile writes ZIP64 records


def _deflate(blob: bytes) -> bytes:
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return compressor.compress(blob) + compressor.flush()


class _Archive:
    """The physical writer handed to python-docx's ``PackageWriter``.

    It writes the archive ``zipfile.ZipFile(…, "w", compression=ZIP_DEFLATED)`` writes (what
    python-docx uses), byte for byte, except that a part content already deflated in this
    process is not deflated again. ``write`` and ``getvalue`` raise ``OverflowError`` where
    zipfile would need ZIP64 records.
    """

    def __init__(self) -> None:
        year, month, day, hour, minute, second = time.localtime(time.time())[:6]
        self._time = hour << 11 | minute << 5 | second // 2
        self._date = (year - 1980) << 9 | month << 5 | day
        self._system = 0 if sys.platform == "win32" else 3  # as zipfile.ZipInfo sets it
        self._members: list[bytes] = []
        self._directory: list[bytes] = []
        self._offset = 0

    def write(self, pack_uri: Any, blob: bytes) -> None:
        """Add ``blob`` as the member named by ``pack_uri`` (python-docx's ``PackURI``)."""
        if (len(blob) * 1.05 > _ZIP32_LIMIT or self._offset > _ZIP32_LIMIT
                or len(self._directory) >= 0xFFFF):
            raise OverflowError("archive trop grande sans ZIP64")
        name: str = pack_uri.membername
        encoded = name.encode("utf-8")
        flags = 0 if name.isascii() else 0x800  # 0x800: the name is UTF-8
        data = (_DEFLATED.get_or_compute(blob, lambda: _deflate(blob)) if len(blob) <= _DEFLATED_MAX
                else _deflate(blob))
        fields = (flags, zipfile.ZIP_DEFLATED, self._time, self._date, zlib.crc32(blob),
                  len(data), len(blob), len(encoded))
        local = _LOCAL_HEADER.pack(b"PK\x03\x04", 20, 0, *fields, 0)
        central = _CENTRAL_HEADER.pack(b"PK\x01\x02", 20, self._system, 20, 0, *fields,
                                       0, 0, 0, 0, 0o600 << 16, self._offset)
        self._members += (local, encoded, data)
        self._directory.append(central + encoded)
        self._offset += len(local) + len(encoded) + len(data)

    def getvalue(self) -> bytes:
        """Return the whole archive."""
        directory = b"".join(self._directory)
        if self._offset + len(directory) > _ZIP32_LIMIT:
            raise OverflowError("archive trop grande sans ZIP64")
        count = len(self._directory)
        end = _END_RECORD.pack(b"PK\x05\x06", 0, 0, count, count, len(directory),
                               self._offset, 0)
        return b"".join([*self._members, directory, end])


_CONTENT_TYPES: BoundedCache[tuple[tuple[str, str], ...], bytes] = BoundedCache(32)
"""(part name, content type) of every part → ``[Content_Types].xml``, which they alone make."""


def _content_types(parts: list[Any]) -> bytes:
    """Return the ``[Content_Types].xml`` python-docx's ``PackageWriter`` writes for ``parts``."""
    key = tuple((str(part.partname), str(part.content_type)) for part in parts)
    return _CONTENT_TYPES.get_or_compute(
        key, lambda: _ContentTypesItem.from_parts(parts).blob)  # type: ignore[no-untyped-call]


_RELATIONSHIPS: BoundedCache[tuple[Any, ...], bytes] = BoundedCache(32)
"""Base URI and (id, type, target, external) of each relationship → the ``.rels`` XML."""


def _relationships(rels: Any) -> bytes:
    """Return ``rels.xml``, python-docx's relationships part XML (one parse per relationship).

    A relative target depends only on the target part's name and the base URI, both in the key.
    """
    key = (rels._baseURI, *((rel.rId, rel.reltype, rel.is_external,
                             rel._target if rel.is_external else str(rel._target.partname))
                            for rel in rels.values()))
    return _RELATIONSHIPS.get_or_compute(key, lambda: bytes(rels.xml))


def save(document: Any, destination: str | Path | IO[bytes]) -> None:
    """Write ``document`` as its ``save(destination)`` does (``Package.save``), faster."""
    package = document.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    archive = _Archive()
    try:  # the steps of PackageWriter.write, with our archive
        archive.write(CONTENT_TYPES_URI, _content_types(parts))
        archive.write(PACKAGE_URI.rels_uri, _relationships(package.rels))
        for part in parts:
            archive.write(part.partname, part.blob)
            if len(part.rels):
                archive.write(part.partname.rels_uri, _relationships(part.rels))
        data = archive.getvalue()
    except OverflowError:
        document.save(destination)
        return
    if isinstance(destination, str | Path):
        Path(destination).write_bytes(data)
    else:
        destination.write(data)
