"""The .docx package side of rendering: the template read once, parts deflated once, the
archive written as python-docx writes it.

What depends only on the template is kept in small bounded LRU caches shared by threads under a
lock: python-docx's reading of the template file (keyed by the file's bytes, so an edited
template is read again) and the deflated form of each part content (most parts are the
template's, unchanged). Only immutable values are kept: every render parses its own document
from the bytes. The .docx is written by :class:`_Archive`, byte for byte the archive python-docx
writes through ``zipfile`` (a test compares them), except that a part already deflated in this
process is not deflated again; where ``zipfile`` would need ZIP64, python-docx's own ``save``
is used.

This leans on python-docx internals (``PackageReader``, ``Unmarshaller``, ``PackageWriter``),
pinned below python-docx 2.
"""

from __future__ import annotations

import io
import struct
import sys
import time
import zipfile
import zlib
from pathlib import Path
from typing import IO, Any

from docx.opc.constants import CONTENT_TYPE
from docx.opc.package import Unmarshaller
from docx.opc.part import PartFactory
from docx.opc.pkgreader import PackageReader
from docx.opc.pkgwriter import PackageWriter
from docx.package import Package

from convention_docs._cache import BoundedCache

__all__ = ["open_document", "save"]





_READERS: BoundedCache[bytes, Any] = BoundedCache(8)
"""Template file content → python-docx's read-only view of it (parts as bytes, relationships)."""

_DEFLATED: BoundedCache[bytes, bytes] = BoundedCache(32)
"""Part content → the same deflated, for parts of at most ``_DEFLATED_MAX`` bytes."""

_DEFLATED_MAX = 256 * 1024


def open_document(path: Path) -> Any:
    """Return a new python-docx ``Document`` of the template at ``path`` (same checks as
    ``docx.Document``).

    Only the reading of the file (unzipping, content types, relationships) is shared between
    renders, keyed by the file's content; every part is parsed anew from its bytes.
    """
    content = path.read_bytes()

    def read() -> Any:
        return PackageReader.from_file(io.BytesIO(content))  # type: ignore[no-untyped-call]

    reader = _READERS.get_or_compute(content, read)
    package = Package()
    Unmarshaller.unmarshal(reader, package, PartFactory)  # type: ignore[no-untyped-call]
    document_part = package.main_document_part
    if document_part.content_type != CONTENT_TYPE.WML_DOCUMENT_MAIN:
        raise ValueError(f"pas un document Word (type {document_part.content_type})")
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


def save(document: Any, destination: str | Path | IO[bytes]) -> None:
    """Write ``document`` as its ``save(destination)`` does (``Package.save``), faster."""
    package = document.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    archive = _Archive()
    try:  # the steps of PackageWriter.write, with our archive
        PackageWriter._write_content_types_stream(archive, parts)  # type: ignore[no-untyped-call]
        PackageWriter._write_pkg_rels(archive, package.rels)  # type: ignore[no-untyped-call]
        PackageWriter._write_parts(archive, parts)  # type: ignore[arg-type]
        data = archive.getvalue()
    except OverflowError:
        document.save(destination)
        return
    if isinstance(destination, str | Path):
        Path(destination).write_bytes(data)
    else:
        destination.write(data)
