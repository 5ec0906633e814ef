"""Pillow helpers shared by both readers: decode bytes, normalise modes, a placeholder.

An embedded picture that cannot be decoded (EMF/WMF outside Windows, a corrupt stream, a
missing part) is still reported, as a 1×1 transparent :data:`placeholder`, so that a rule can
say "an image is here but could not be examined" instead of acting as if nothing were there.
The readers count these in the ``undecoded_images`` metadata entry.
"""

from __future__ import annotations

from io import BytesIO

from PIL import Image

__all__ = ["decode_bytes", "normalize", "placeholder"]

_WITH_ALPHA = {"RGBA", "LA", "PA", "RGBa", "La"}


def placeholder() -> Image.Image:
    """Return a new 1×1 fully transparent RGBA image (stands for an undecodable picture)."""
    return Image.new("RGBA", (1, 1), (0, 0, 0, 0))


def normalize(image: Image.Image) -> Image.Image:
    """Return ``image`` in mode RGB, or RGBA when it carries transparency."""
    if image.mode in ("RGB", "RGBA"):
        return image
    if image.mode in _WITH_ALPHA or "transparency" in image.info:
        return image.convert("RGBA")
    return image.convert("RGB")


def decode_bytes(blob: bytes) -> Image.Image | None:
    """Decode an image file's bytes into an RGB/RGBA image; ``None`` when Pillow cannot."""
    try:
        with Image.open(BytesIO(blob)) as opened:
            opened.load()
            image = normalize(opened)
            return image.copy() if image is opened else image
    except Exception:  # Pillow raises many types (OSError, SyntaxError, ValueError, struct.error)
        return None
