"""Decode PDF images (XObjects and inline images) to Pillow, once per image.

pypdf's ``decode_as_image()`` handles Flate, DCT (JPEG), JPX, CCITT, LZW and the usual colour
spaces, and applies ``/SMask`` (and ``/Mask``) as alpha. A picture drawn on several pages (one
shared XObject) is decoded once and drawn with one Pillow image; an image that cannot be
decoded becomes the placeholder of :mod:`._pixels` and is counted.

Between documents, decoded pictures are kept by :func:`._pixels.decode_shared` under a key made
of the image's content: its dictionary, with every object it refers to (colour space, soft
mask …) followed and written out, and its encoded bytes (:func:`fingerprint`).
"""

from __future__ import annotations

import io
from collections.abc import Hashable
from typing import Any

from PIL import Image
from pypdf.generic import BooleanObject, IndirectObject, NullObject, StreamObject

from convention_docs.inspect._pdf_events import ImageDraw
from convention_docs.inspect._pixels import (
    content_key,
    decode_shared,
    normalize,
    placeholder,
    would_keep,
)

__all__ = ["ImageDecoder", "fingerprint"]

_MAX_DEPTH = 32
_MAX_OBJECTS = 10_000  # an image whose description is bigger is decoded, not kept


class ImageDecoder:
    """Decode the images of one document, caching by XObject."""

    def __init__(self) -> None:
        self._cache: dict[Hashable, Image.Image | None] = {}
        self.failed = 0

    def decode(self, draw: ImageDraw) -> Image.Image:
        """Return the pixels of the image ``draw`` paints (RGB or RGBA)."""
        if draw.key not in self._cache:
            stream = draw.stream
            key = fingerprint(stream) if _worth_keeping(stream) else None
            self._cache[draw.key] = _decode(stream) if key is None else decode_shared(
                key, lambda: _decode(stream))
        image = self._cache[draw.key]
        if image is None:
            self.failed += 1
            return placeholder()
        return image


def _worth_keeping(stream: Any) -> bool:
    """Whether the image, by the size its dictionary gives, would be kept between documents
    (a scanned page is not: writing out its bytes would be wasted)."""
    dictionary = stream[0] if isinstance(stream, tuple) else stream
    try:
        width, height = (int(_resolved(dictionary.get(name))) for name in ("/Width", "/Height"))
    except (TypeError, ValueError, AttributeError):
        return True  # let the content decide
    return would_keep(width, height)


def _resolved(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def fingerprint(stream: Any) -> bytes | None:
    """Return a key naming an image by content (:func:`._pixels.content_key`), or ``None``.

    Everything the decoding reads is in it: the dictionary, every object it refers to followed
    (object numbers play no part) and the encoded bytes; for an inline image, its settings and
    data. ``None`` for what is too big or too deep to write out, or of an unexpected type.
    """
    parts: list[bytes] = [b"pdf-image"]
    try:
        written = _write(stream, parts, 0, set())
    except Exception:  # a broken reference: pypdf raises many types; decode without keeping
        return None
    return content_key(*parts) if written else None


def _write(value: Any, parts: list[bytes], depth: int, path: set[int]) -> bool:
    """Append ``value`` to ``parts``, typed and delimited; False when it cannot be written."""
    if depth > _MAX_DEPTH or len(parts) > 4 * _MAX_OBJECTS:
        return False
    value = _resolved(value)
    if isinstance(value, (dict, list, tuple)):
        if id(value) in path:  # a loop (only the objects being written out are in ``path``)
            return False
        path.add(id(value))
        try:
            return _write_container(value, parts, depth, path)
        finally:
            path.discard(id(value))
    kind = type(value).__name__.encode()
    if isinstance(value, BooleanObject):
        parts += [kind, b"1" if value.value else b"0"]
    elif value is None or isinstance(value, NullObject):
        parts += [b"null", b""]
    elif isinstance(value, bytes):
        parts += [kind, value]
    elif isinstance(value, str):
        original = getattr(value, "original_bytes", None)
        raw = original if isinstance(original, bytes) else value.encode("utf-8", "surrogatepass")
        parts += [kind, raw]
    elif isinstance(value, float):  # float's own repr: exact (pypdf's may round)
        parts += [kind, float.__repr__(value).encode()]
    elif isinstance(value, int):
        parts += [kind, int.__repr__(value).encode()]
    else:
        return False
    return True


def _write_container(value: Any, parts: list[bytes], depth: int, path: set[int]) -> bool:
    kind = type(value).__name__.encode()
    if isinstance(value, dict):
        items = sorted(value.items(), key=lambda item: str(item[0]))
        parts += [kind, str(len(items)).encode()]
        for name, item in items:
            parts.append(str(name).encode("utf-8", "surrogatepass"))
            if not _write(item, parts, depth + 1, path):
                return False
        if isinstance(value, StreamObject):
            data = value._data
            if not isinstance(data, bytes):
                return False
            parts += [b"data", data]
        return True
    parts += [kind, str(len(value)).encode()]
    return all(_write(item, parts, depth + 1, path) for item in value)


_SIMPLE_SPACES = {"/DeviceRGB": ("RGB", 3), "/DeviceGray": ("L", 1)}


def _simple_space(stream: Any) -> tuple[str, int] | None:
    space = stream.get("/ColorSpace")
    space = space.get_object() if space is not None else None
    if isinstance(space, str):
        return _SIMPLE_SPACES.get(space)
    if isinstance(space, list) and len(space) == 2 and space[0] == "/ICCBased":
        components = space[1].get_object().get("/N")
        return {3: ("RGB", 3), 1: ("L", 1)}.get(int(components)) if components else None
    return None


def _fast(stream: Any) -> Image.Image | None:
    """Decode the common case ourselves: 8-bit RGB or grey, Flate or JPEG, optional 8-bit grey
    soft mask. pypdf's general path re-encodes every picture as PNG, several times slower."""
    if not isinstance(stream, StreamObject) or stream.get("/Decode") is not None \
            or stream.get("/Mask") is not None or stream.get("/BitsPerComponent") != 8:
        return None
    space = _simple_space(stream)
    filters = stream.get("/Filter")
    filters = [filters] if isinstance(filters, str) else list(filters or [])
    if space is None or filters not in ([], ["/FlateDecode"], ["/DCTDecode"]):
        return None
    width, height = int(stream["/Width"]), int(stream["/Height"])  # type: ignore[call-overload]
    image: Image.Image
    if filters == ["/DCTDecode"]:
        image = Image.open(io.BytesIO(stream._data))
        image.load()
        if image.mode != space[0] or image.size != (width, height):
            return None
    else:
        data = stream.get_data()
        if len(data) != width * height * space[1]:
            return None
        image = Image.frombytes(space[0], (width, height), data)
    smask = stream.get("/SMask")
    if smask is not None:
        mask = _fast(smask.get_object())
        if mask is None or mask.mode != "L":
            return None
        if mask.size != image.size:
            mask = mask.resize(image.size)
        image = image.convert("RGB")
        image.putalpha(mask)
    return image


def _decode(stream: Any) -> Image.Image | None:
    try:
        image = _fast(stream)
    except Exception:  # damaged data: let pypdf's general path decide
        image = None
    if image is not None:
        return normalize(image)
    if isinstance(stream, tuple):  # an inline image: (its dictionary, its bytes)
        settings, data = stream
        stream = StreamObject.initialize_from_dictionary({**settings, "__streamdata__": data})
    try:
        image = stream.decode_as_image()
    except Exception:  # pypdf and Pillow raise many types on damaged or exotic image data
        return None
    return normalize(image) if isinstance(image, Image.Image) else None
