"""Decode PDF images (XObjects and inline images) to Pillow, once per image.

pypdf's ``decode_as_image()`` handles Flate, DCT (JPEG), JPX, CCITT, LZW and the usual colour
spaces, and applies ``/SMask`` (and ``/Mask``) as alpha. A picture drawn on several pages (one
shared XObject) is decoded once; an image that cannot be decoded becomes the placeholder of
:mod:`._pixels` and is counted.
"""

from __future__ import annotations

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


def _decode(stream: Any) -> Image.Image | None:
    if isinstance(stream, tuple):  # an inline image: (its dictionary, its bytes)
        settings, data = stream
        stream = StreamObject.initialize_from_dictionary({**settings, "__streamdata__": data})
    try:
        image = stream.decode_as_image()
    except Exception:  # pypdf and Pillow raise many types on damaged or exotic image data
        return None
    return normalize(image) if isinstance(image, Image.Image) else None
