"""The statement « Cofinancé par l'Union européenne » as pixels of the official artwork.

Partners often paste the Commission's ready-made artwork (the emblem with the statement beside
or under it) as one picture. The statement is then read by OCR (Tesseract) in the parts of the
picture to the right of the emblem and under it, where the artwork puts it. What this module
can tell: the statement read (accepted), nothing drawn there at all (the statement is missing),
other words read there (missing, quoted), pixels that could not be read (unconfirmed).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

import numpy as np
from PIL import Image, ImageOps

from convention_docs import ocr

__all__ = ["ArtworkReading", "read_statement", "statement_in"]

MIN_CONFIDENCE = 70.0
"""Mean OCR confidence (0-100) from which words read next to the emblem are believed."""
_INK_SHARE = 0.004  # share of a region's pixels that must differ from its background
_STATEMENT = re.compile(r"financ\w*\s*par\s*l\W{0,2}\s*union\s*europ")


@dataclass(frozen=True)
class ArtworkReading:
    """What is drawn next to an emblem inside a picture.

    ``kind``: ``"found"`` (the statement was read), ``"blank"`` (nothing drawn right of or under
    the emblem), ``"other"`` (words read, not the statement), ``"unreadable"`` (pixels OCR could
    not read with confidence), ``"no_ocr"`` (pixels there, Tesseract not installed).
    ``text`` is what was read; ``confidence`` its mean OCR confidence (0-100).
    """

    kind: Literal["found", "blank", "other", "unreadable", "no_ocr"]
    text: str = ""
    confidence: float = 0.0


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def statement_in(text: str) -> bool:
    """Whether OCR ``text`` holds « (Co)financé par l'Union européenne » (accents and line
    breaks aside).

    >>> statement_in("Cofinancé par\\nl’Union européenne")
    True
    >>> statement_in("Région Bretagne")
    False
    """
    return _STATEMENT.search(" ".join(_plain(text).split())) is not None


def _inked(region: Image.Image) -> bool:
    array = np.asarray(region.convert("RGB"), dtype=np.int16)
    if array.size == 0:
        return False
    background = np.median(array.reshape(-1, 3), axis=0)
    ink = np.abs(array - background).max(axis=2) > 60
    return float(ink.mean()) > _INK_SHARE


def _flat(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "P"):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")


def read_statement(image: Image.Image, bbox: tuple[int, int, int, int]) -> ArtworkReading:
    """Look for the statement next to the emblem at ``bbox`` (pixels) in ``image``."""
    picture = _flat(image)
    width, height = picture.size
    left, top, right, bottom = bbox
    tall = max(1, bottom - top)
    regions = [
        (min(width, max(0, right)), max(0, round(top - 0.3 * tall)),
         min(width, round(right + 5 * tall)), min(height, round(bottom + 0.3 * tall))),
        (max(0, round(left - 1.5 * tall)), min(height, max(0, bottom)),
         min(width, round(right + 1.5 * tall)), min(height, round(bottom + 1.2 * tall))),
    ]
    inked = [picture.crop(box) for box in regions
             if box[2] - box[0] >= 4 and box[3] - box[1] >= 4 and _inked(picture.crop(box))]
    if not inked:
        return ArtworkReading("blank")
    if not ocr.available():
        return ArtworkReading("no_ocr")
    best = ArtworkReading("unreadable")
    for region in inked:
        scale = max(1.0, min(4.0, 150 / tall))
        grey = region.convert("L")
        if float(np.median(np.asarray(grey))) < 128:  # light text on a dark band: invert
            region = ImageOps.invert(grey).convert("RGB")
        if scale > 1:
            region = region.resize((round(region.width * scale), round(region.height * scale)),
                                   Image.Resampling.LANCZOS)
        try:
            read = ocr.read_image(region, sparse=True)
        except RuntimeError:
            continue
        words = " ".join(read.text.split())
        if statement_in(read.text):
            return ArtworkReading("found", words, read.confidence)
        letters = sum(c.isalpha() for c in words)
        if read.confidence >= MIN_CONFIDENCE and letters >= 4:
            best = ArtworkReading("other", words, read.confidence)
        elif best.kind == "unreadable" and words:
            best = ArtworkReading("unreadable", words, read.confidence)
    return best
