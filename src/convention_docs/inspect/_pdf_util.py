"""Small helpers over pypdf objects and PDF matrices (row-vector convention, as in the spec),
and what the caches shared by documents need: :func:`fingerprint` (what a PDF object holds,
whatever its object number), :class:`RawDigests` (the same idea read straight from the file's
bytes, without parsing the objects); the caches themselves are :mod:`convention_docs._cache`'s.

>>> from pypdf.generic import ArrayObject, NameObject, NumberObject
>>> fingerprint(ArrayObject([NameObject("/A"), NumberObject(1)])) == fingerprint(
...     ArrayObject([NameObject("/A"), NumberObject(1)]))
True
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Hashable
from hashlib import blake2b
from typing import Any

from pypdf.generic import (
    BooleanObject,
    IndirectObject,
    NullObject,
    StreamObject,
)

from convention_docs.inspect._pdf_tokens import UnsupportedStreamError, _string

__all__ = ["IDENTITY", "Matrix", "RawDigests", "apply", "fingerprint", "get",
           "identify", "mult", "number", "resolve", "scale_of", "to_matrix"]

_MAX_DEPTH = 24  # a font or an image is a few objects deep; deeper is not worth a digest

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def resolve(value: Any) -> Any:
    """Return the object behind an indirect reference (anything else unchanged)."""
    return value.get_object() if hasattr(value, "get_object") else value


def get(mapping: Any, key: str, default: Any = None) -> Any:
    """Return ``mapping[key]`` resolved, or ``default`` (also when ``mapping`` is no dict)."""
    mapping = resolve(mapping)
    if not isinstance(mapping, dict):
        return default
    value = resolve(mapping.get(key))
    return default if value is None else value


def number(value: Any, default: float) -> float:
    """Return ``value`` as a float, or ``default`` when it is no number."""
    try:
        result = float(resolve(value))
    except (TypeError, ValueError):
        return default
    return result if math.isfinite(result) else default


def identify(ref: Any) -> Hashable:
    """Return a key naming a PDF object: its object number, else its Python identity."""
    if isinstance(ref, IndirectObject):
        return ("ref", ref.idnum, ref.generation)
    indirect = getattr(ref, "indirect_reference", None)
    if indirect is not None:
        return ("ref", indirect.idnum, indirect.generation)
    return ("id", id(ref))


def to_matrix(values: Any) -> Matrix | None:
    """Return six numbers as a matrix, ``None`` unless there are exactly six numbers."""
    if not isinstance(values, list) or len(values) != 6:
        return None
    a, b, c, d, e, f = (number(v, math.nan) for v in values)
    return None if any(math.isnan(v) for v in (a, b, c, d, e, f)) else (a, b, c, d, e, f)


def mult(m: Matrix, n: Matrix) -> Matrix:
    """Return ``m × n`` (apply ``m`` first, then ``n``)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s,
            e * p + f * r + t, e * q + f * s + u)


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    """Return the point ``(x, y)`` transformed by ``m``."""
    return x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5]


def scale_of(m: Matrix) -> tuple[float, float]:
    """Return the lengths of the images of the unit x and y vectors."""
    return math.hypot(m[0], m[1]), math.hypot(m[2], m[3])


class _NotFingerprinted(Exception):
    """An object :func:`fingerprint` does not describe (a cycle, too deep, an unknown type)."""


def fingerprint(value: Any) -> bytes | None:
    """Return a digest of what a PDF object holds: the same for objects with the same content
    in two files, whatever their object numbers (references are followed); ``None`` for a
    cyclic or very deep structure, one holding an object of an unknown type, or one pypdf
    cannot read all of (the caller then reads what it needs, as it would without a digest).

    Dictionaries count by their entries (in any order), streams also by their encoded bytes
    and their class (encoded or not); every value counts with its type (``1`` is not ``1.0``,
    a name is not a string).
    """
    digest = blake2b(digest_size=20)
    try:
        _feed(digest.update, value, 0, set())
    except Exception:  # _NotFingerprinted, RecursionError, and the many types pypdf raises
        return None
    return digest.digest()


def _feed(update: Callable[[bytes], object], value: Any, depth: int,
          path: set[tuple[int, int]]) -> None:
    """Feed ``update`` with an unambiguous encoding of ``value`` (each part typed, sized)."""
    if depth > _MAX_DEPTH:
        raise _NotFingerprinted
    if isinstance(value, IndirectObject):
        key = (value.idnum, value.generation)
        if key in path:
            raise _NotFingerprinted  # a cycle
        path.add(key)
        _feed(update, value.get_object(), depth + 1, path)
        path.discard(key)
        return
    kind = value.__class__.__name__.encode()
    if isinstance(value, dict):
        update(b"%s{%d" % (kind, len(value)))
        for key in sorted(value, key=str):
            if not isinstance(key, str):
                raise _NotFingerprinted
            encoded = key.encode("utf-8", "surrogatepass")
            update(b"%d:%s" % (len(encoded), encoded))
            _feed(update, value[key], depth + 1, path)
        if isinstance(value, StreamObject):
            data = value._data
            if not isinstance(data, bytes):
                raise _NotFingerprinted
            update(b"stream%d:" % len(data))
            update(data)
    elif isinstance(value, list):
        update(b"%s[%d" % (kind, len(value)))
        for item in value:
            _feed(update, item, depth + 1, path)
    elif isinstance(value, str):
        raw = getattr(value, "original_bytes", None)
        encoded = raw if isinstance(raw, bytes) else value.encode("utf-8", "surrogatepass")
        update(b"%s%d:%s" % (kind, len(encoded), encoded))
    elif isinstance(value, (bytes, int, float, BooleanObject)):
        if isinstance(value, bytes):
            encoded = bytes(value)
        elif isinstance(value, float):  # exactly: pypdf's repr rounds to 8 digits
            encoded = float.__repr__(value).encode()
        elif isinstance(value, int) and not isinstance(value, bool):
            encoded = int.__repr__(value).encode()
        else:
            encoded = repr(value).encode()
        update(b"%s%d:%s" % (kind, len(encoded), encoded))
    elif isinstance(value, NullObject) or value is None:
        update(b"null;")
    else:
        raise _NotFingerprinted


_WS = rb"[\x00\t\n\f\r ]"  # white space, as the PDF syntax (and pypdf) has it
_REGULAR = rb"[^\x00\t\n\f\r ()<>\[\]{}/%]"
_HEADER = re.compile(_WS + rb"*+(\d+)" + _WS + rb"++(\d+)" + _WS + rb"++obj(?!" + _REGULAR + b")")
# One token a match: 1 a reference, 2 an opening, 3 a closing, 4 a literal string, 5 the keyword
# ending the object's text, 6 another token (or numbers in a row); 7 anything else (the digest
# gives up).
_TOKEN = re.compile(
    _WS + rb"*+(?:%[^\r\n]*+" + _WS + rb"*+)*+"
    rb"(?:(\d++" + _WS + rb"++\d++" + _WS + rb"++R)(?!" + _REGULAR + b")"
    rb"|(<<|\[)|(>>|\])|(\()"
    rb"|(stream|endobj)(?!" + _REGULAR + b")"
    rb"|([0-9.+-]++(?:" + _WS + rb"++[0-9.+-]++)*+(?!" + _REGULAR + rb")"
    rb"|/" + _REGULAR + rb"*+|<[0-9A-Fa-f\x00\t\n\f\r ]*+>|[{}]|" + _REGULAR + rb"++)"
    rb"|([\s\S]|\Z))"
)
# Every "n g R" however it is written (a superset of what pypdf takes for a reference).
_ANY_REFERENCE = re.compile(rb"(\d+)[\x00\s]+(\d+)[\x00\s]+R")
_STREAM_START = re.compile(b" *+(?:\r\n?|\n)")
_STREAM_END = re.compile(_WS + rb"*+endstream")
_INTEGER_OBJECT = re.compile(_WS + rb"*+(\d+)" + _WS + rb"*+endobj")


class RawDigests:
    """Digests of a document's indirect objects read from the bytes of the file, without pypdf
    parsing them: an object's text (references replaced by the digests of what they point to,
    whatever their numbers), and a stream's bytes. Two objects with the same digest are read
    alike by pypdf, in this file or another.

    Only what is simple to read exactly is digested: an object at the offset the cross-reference
    table gives, in an unencrypted file, not in an object stream, with balanced brackets, a
    ``/Length`` that is a number (or a reference to one) and ``endstream`` where it says.
    Anything else gives ``None`` (and the caller reads the object with pypdf).
    """

    def __init__(self, reader: Any, data: bytes | None) -> None:
        xref = getattr(reader, "xref", None)
        try:
            usable = (data is not None and isinstance(xref, dict)
                      and not reader.is_encrypted)
        except Exception:  # a damaged trailer: let pypdf say so
            usable = False
        self._data = data if usable else None
        self._xref: dict[Any, Any] = xref if usable and isinstance(xref, dict) else {}
        self._compressed: Any = getattr(reader, "xref_objStm", {})
        self._free: Any = getattr(reader, "xref_free_entry", {})
        self._known: dict[tuple[int, int], bytes | None] = {}

    def digest(self, ref: Any) -> bytes | None:
        """Return the digest of the object ``ref`` refers to (an :class:`IndirectObject`)."""
        if self._data is None or not isinstance(ref, IndirectObject):
            return None
        try:
            return self._digest(ref.idnum, ref.generation, set())
        except (_NotFingerprinted, RecursionError, TypeError, ValueError, AttributeError):
            return None

    def _digest(self, number: int, generation: int, path: set[tuple[int, int]]) -> bytes | None:
        key = (number, generation)
        if key in self._known:
            return self._known[key]
        if key in path or len(path) > _MAX_DEPTH:
            raise _NotFingerprinted  # a cycle, or too deep
        path.add(key)
        text, stream = self._read(number, generation)
        digest = blake2b(digest_size=20)
        # The text with each reference replaced by where it was and the digest of its object.
        kept, start = [], 0
        for match in _ANY_REFERENCE.finditer(text):
            kept.append(text[start:match.start()])
            start = match.end()
            child = self._digest(int(match.group(1)), int(match.group(2)), path)
            if child is None:
                raise _NotFingerprinted
            kept.append(b"\x00R%d:" % len(child) + child)
        kept.append(text[start:])
        body = b"".join(kept)
        digest.update(b"%d:" % len(body))
        digest.update(body)
        if stream is not None:
            digest.update(b"stream%d:" % len(stream))
            digest.update(stream)
        path.discard(key)
        value = self._known[key] = digest.digest()
        return value

    def _read(self, number: int, generation: int) -> tuple[bytes, bytes | None]:
        """The object's text (up to ``stream`` or ``endobj``), and its stream's bytes (with
        what surrounds them up to ``endstream``: all pypdf may read)."""
        data = self._data
        offset = self._xref.get(generation, {}).get(number)
        if (data is None or not isinstance(offset, int) or number in self._compressed
                or self._free.get(generation, {}).get(number, False)):
            raise _NotFingerprinted
        header = _HEADER.match(data, offset)
        if header is None or (int(header.group(1)), int(header.group(2))) != (number, generation):
            raise _NotFingerprinted
        position, depth, length, previous = header.end(), 0, None, b""
        while True:
            match = _TOKEN.match(data, position)
            if match is None or match.lastindex in (None, 7):
                raise _NotFingerprinted
            kind, position = match.lastindex, match.end()
            if kind == 2:
                depth += 1
            elif kind == 3:
                depth -= 1
                if depth < 0:
                    raise _NotFingerprinted
            elif kind == 4:
                position = _string_end(data, position)
            elif kind == 5:
                break
            elif depth == 1:  # an entry of the object's dictionary: is it /Length?
                token = match.group(kind)
                if previous == b"/Length" and length is None:
                    length = token
                previous = token
        if depth != 0:
            raise _NotFingerprinted
        text = data[header.end():match.start(5)]
        if match.group(5) == b"endobj":
            return text, None
        start = _STREAM_START.match(data, position)
        size = self._length(length)
        if start is None or size is None:
            raise _NotFingerprinted
        end = _STREAM_END.match(data, start.end() + size)
        if end is None:
            raise _NotFingerprinted
        return text, data[position:end.end()]  # from the end of line to "endstream"

    def _length(self, token: bytes | None) -> int | None:
        """The value of ``/Length``: a whole number, or a reference to an object that is one."""
        if token is None:
            return None
        if token.isdigit():
            return int(token)
        reference = _ANY_REFERENCE.fullmatch(token)
        if reference is None or self._data is None:
            return None
        number, generation = int(reference.group(1)), int(reference.group(2))
        offset = self._xref.get(generation, {}).get(number)
        if not isinstance(offset, int) or number in self._compressed:
            return None
        header = _HEADER.match(self._data, offset)
        if header is None or (int(header.group(1)), int(header.group(2))) != (number, generation):
            return None
        value = _INTEGER_OBJECT.match(self._data, header.end())
        return int(value.group(1)) if value is not None else None


def _string_end(data: bytes, position: int) -> int:
    """Where the literal string opened just before ``position`` ends (the tokenizer's scan)."""
    try:
        return _string(data, position)[1]
    except UnsupportedStreamError:
        raise _NotFingerprinted from None
