"""Pillow helpers shared by both readers: decode, normalise modes, a placeholder, a cache.

An embedded picture that cannot be decoded (EMF/WMF outside Windows, a corrupt stream, a
missing part) is still reported, as a 1×1 transparent :data:`placeholder`, so that a rule can
say "an image is here but could not be examined" instead of acting as if nothing were there.
The readers count these in the ``undecoded_images`` metadata entry.

The logos of a batch of conventions come back in every document: :func:`decode_shared` keeps
decoded pictures (a small LRU, at most :data:`CACHE_BYTES` of pixels) under a key naming
their encoded bytes and how they are decoded (:func:`content_key`), never an object or an
object number. Each call returns a copy of its own (copying pixels is some 20 times cheaper
than decoding them), so that no document can change what another one sees. The copy knows
the content key of its pixels (:func:`pixel_key`): logo recognition finds its cached results
without hashing the pixels again. Like every picture of a ``PlacedImage``, do not modify it
in place (``paste``, ``putpixel`` …): its pixel key would no longer be right.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from io import BytesIO

from PIL import Image

__all__ = [
    "CACHE_BYTES",
    "LARGEST_KEPT",
    "content_key",
    "decode_bytes",
    "decode_shared",
    "normalize",
    "pixel_key",
    "placeholder",
    "would_keep",
]

CACHE_BYTES = 16 * 1024 * 1024
"""Pixels kept between documents, all pictures together (Pillow's memory: 4 bytes a pixel)."""
LARGEST_KEPT = 4 * 1024 * 1024
"""A bigger picture (a scanned page, a photograph) is not kept: decoded every time."""
_ENTRIES = 256

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


def content_key(*parts: bytes) -> bytes:
    """Return a digest naming ``parts`` (each one delimited, so that no two splits collide).

    >>> content_key(b"ab", b"c") == content_key(b"a", b"bc")
    False
    """
    digest = hashlib.blake2b(digest_size=32)
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.digest()


def _digest(image: Image.Image) -> tuple[object, ...]:
    return (image.mode, image.size, hashlib.blake2b(image.tobytes(), digest_size=16).digest())


class _Kept:
    """A decoded picture kept between documents (never handed out) and its pixel key."""

    __slots__ = ("image", "key", "size")

    def __init__(self, image: Image.Image | None) -> None:
        self.image = image
        self.key: tuple[object, ...] | None = None
        self.size = 0 if image is None else 4 * image.width * image.height

    def pixel_key(self) -> tuple[object, ...]:
        if self.key is None:
            assert self.image is not None  # only pictures are handed out
            self.key = _digest(self.image)
        return self.key


_MEMO = "_convention_docs_kept"  # attribute of a handed-out copy: (its pixels' core, _Kept)
_kept: OrderedDict[bytes, _Kept] = OrderedDict()
_kept_size = 0
_lock = threading.Lock()


def decode_shared(key: bytes, decode: Callable[[], Image.Image | None]) -> Image.Image | None:
    """Return a copy of the picture ``key`` names, calling ``decode()`` the first time.

    ``key`` must name the encoded bytes and everything their decoding depends on
    (:func:`content_key`). ``None`` (undecodable) is remembered too.
    """
    global _kept_size
    with _lock:
        kept = _kept.get(key)
        if kept is not None:
            _kept.move_to_end(key)
    if kept is None:
        kept = _Kept(decode())
        if kept.size > LARGEST_KEPT:
            return kept.image  # not kept, so nobody else has it
        with _lock:
            if key not in _kept:
                _kept[key] = kept
                _kept_size += kept.size
            while len(_kept) > _ENTRIES or _kept_size > CACHE_BYTES:
                _kept_size -= _kept.popitem(last=False)[1].size
    if kept.image is None:
        return None
    copy = kept.image.copy()
    setattr(copy, _MEMO, (copy.im, kept))
    return copy


def would_keep(width: int, height: int) -> bool:
    """Whether a decoded picture of ``width`` × ``height`` pixels would be kept."""
    return 4 * width * height <= LARGEST_KEPT


def pixel_key(image: Image.Image) -> tuple[object, ...]:
    """Return ``(mode, size, digest of the pixels)``: a name of the picture by its content.

    Free for a copy from :func:`decode_shared` (computed once per picture kept); otherwise the
    pixels are hashed.

    >>> pixel_key(Image.new("RGB", (2, 1), "red"))[:2]
    ('RGB', (2, 1))
    """
    memo = getattr(image, _MEMO, None)
    if memo is not None and memo[0] is image.im:  # still the pixels it was copied with
        kept: _Kept = memo[1]
        return kept.pixel_key()
    return _digest(image)
