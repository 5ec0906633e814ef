"""Decode PDF images (XObjects and inline images) to Pillow, once per image.

pypdf's ``decode_as_image()`` handles Flate, DCT (JPEG), JPX, CCITT, LZW and the usual colour
spaces, and applies ``/SMask`` (and ``/Mask``) as alpha. A picture drawn on several pages (one
shared XObject) is decoded once; an image that cannot be decoded becomes the placeholder of
:mod:`._pixels` and is counted.
"""

from __future__ import annotations

import io
from collections.abc import Hashable
from typing import Any

from PIL import Image
from pypdf.generic import StreamObject

from convention_docs.inspect._pdf_interp import ImageDraw
from convention_docs.inspect._pixels import normalize, placeholder

__all__ = ["ImageDecoder"]


class ImageDecoder:
    """Decode the images of one document, caching by XObject."""

    def __init__(self) -> None:
        self._cache: dict[Hashable, Image.Image | None] = {}
        self.failed = 0

    def decode(self, draw: ImageDraw) -> Image.Image:
        """Return the pixels of the image ``draw`` paints (RGB or RGBA)."""
        if draw.key not in self._cache:
            self._cache[draw.key] = _decode(draw.stream)
        image = self._cache[draw.key]
        if image is None:
            self.failed += 1
            return placeholder()
        return image


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
