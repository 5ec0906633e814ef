"""The EU emblem as drawn: official colours, not stretched, turned or cropped (Annex IX).

A picture is judged as the reader sees it. In a .docx, Word's crop (``a:srcRect``), rotation
(``a:xfrm/@rot``) and drawn size are applied to the picture's pixels before the emblem is looked
for; in a PDF, the part of the page where the picture is drawn is rendered by PDFium and looked
at again. An emblem present in the picture but no longer recognisable as drawn (half the stars
cropped off, turned, out of its 3:2 proportion) is reported as modified, never as absent; the
12-star geometry in other colours than the official ones is reported with the colours seen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image

from convention_docs.inspect.view import DocumentView, PlacedImage
from convention_docs.logos import EmblemMatch, find_emblems, star_sized_blobs

__all__ = ["Defect", "Examined", "drawn_image", "examine", "pieces_beside",
           "stretched_emblem", "turned_emblem"]

STRETCH_TOLERANCE = 0.06
"""Drawn proportions may differ from the pixels' by this share (rounding of Word's sizes)."""
ROTATION_TOLERANCE = 0.5  # degrees


@dataclass(frozen=True)
class Defect:
    """An emblem seen but not acceptable: ``code`` is ``EU_EMBLEM_MODIFIED`` or
    ``EU_EMBLEM_NOT_OFFICIAL``; ``message`` says what was seen, in French."""

    placed: PlacedImage
    code: str
    message: str


@dataclass(frozen=True)
class Examined:
    """One picture examined: the valid emblems found in it as drawn (with the size of the image
    they were found in), and the defects."""

    placed: PlacedImage
    emblems: tuple[EmblemMatch, ...]
    size: tuple[int, int]
    image: Image.Image
    defects: tuple[Defect, ...]


def _crop_box(placed: PlacedImage) -> tuple[int, int, int, int]:
    width, height = placed.image.size
    left, top, right, bottom = (max(0.0, v) for v in placed.crop or (0, 0, 0, 0))
    box = (round(width * left), round(height * top), round(width * (1 - right)),
           round(height * (1 - bottom)))
    return box[0], box[1], max(box[0] + 1, box[2]), max(box[1] + 1, box[3])


def _stretch(placed: PlacedImage) -> float:
    """Drawn aspect ratio over the (cropped or padded) pixels' aspect ratio: 1.0 when not
    distorted. A negative ``a:srcRect`` side pads the picture: it widens the drawn box."""
    if placed.width_mm <= 0 or placed.height_mm <= 0:
        return 1.0
    width, height = placed.image.size
    left, top, right, bottom = placed.crop or (0.0, 0.0, 0.0, 0.0)
    shown_w = max(1e-3, 1 - left - right) * width
    shown_h = max(1e-3, 1 - top - bottom) * height
    return (placed.width_mm / placed.height_mm) / (shown_w / shown_h)


def _rotation(placed: PlacedImage) -> float:
    """The rotation in -180..180 degrees."""
    turned = placed.rotation % 360
    return turned - 360 if turned > 180 else turned


def drawn_image(placed: PlacedImage) -> Image.Image:
    """Return the picture of ``placed`` as drawn: cropped, resized to its drawn proportions and
    turned (white outside the turned picture)."""
    image = placed.image
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA")
    if placed.crop is not None:
        image = image.crop(_crop_box(placed))
    stretch = _stretch(placed)
    if abs(stretch - 1) > 0.005:
        width, height = image.size
        size = (round(width * stretch), height) if stretch > 1 else (
            width, round(height / stretch))
        scale = min(1.0, math.sqrt(4_000_000 / (size[0] * size[1])))
        image = image.resize((max(1, round(size[0] * scale)), max(1, round(size[1] * scale))),
                             Image.Resampling.BICUBIC)
    angle = _rotation(placed)
    if abs(angle) > ROTATION_TOLERANCE:
        rgba = image.convert("RGBA")
        image = rgba.rotate(-angle, resample=Image.Resampling.BICUBIC, expand=True,
                            fillcolor=(255, 255, 255, 0))
    return image


_TURN_HEIGHT = 240  # pixels: the picture is reduced to about this height to try the angles


def turned_emblem(image: Image.Image) -> float | None:
    """An angle (degrees, counter-clockwise) turning ``image`` so that an official emblem in it
    is found upright, or ``None`` (no emblem, or one upright: ``find_emblems`` finds it). The
    emblem's symmetries make the angle exact only modulo 30° (and within a few degrees).

    Only pictures with a fair share of Reflex-Blue-like pixels and at least twelve star-sized
    light blobs are tried; the blobs' angles about their centre give the turn modulo 30°, and
    the 12 candidate angles are tried on a reduced copy (10-130 ms; 10 ms for a blue picture
    that is not an emblem).
    """
    small = _star_candidates(image)
    if small is None:
        return None
    # the stars: light blobs of one size; their angles about their centre give the turn
    # modulo 30°, so only 12 angles are tried
    blobs = star_sized_blobs(np.asarray(small.convert("L")) > 100)
    median = float(np.median(blobs[:, 2]))
    stars = blobs[(blobs[:, 2] > median / 2.5) & (blobs[:, 2] < median * 2.5)]
    if not 12 <= len(stars) <= 40:
        return None
    centre = stars[:, :2].mean(axis=0)
    angles = np.arctan2(stars[:, 0] - centre[0], centre[1] - stars[:, 1])  # clockwise from 12
    phase = math.degrees(math.atan2(float(np.sin(12 * angles).mean()),
                                    float(np.cos(12 * angles).mean()))) / 12
    for hour in range(12):
        angle = (phase + 30 * hour + 180) % 360 - 180
        if abs(angle) <= ROTATION_TOLERANCE:
            continue
        turned = small.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True,
                              fillcolor=(255, 255, 255))
        if any(match.official for match in find_emblems(turned)):
            return float(angle)
    return None


_FACTORS = (0.5, 0.57, 0.65, 0.74, 0.84, 1.19, 1.35, 1.54, 1.75, 2.0)


def _star_candidates(image: Image.Image, *, stars: bool = True) -> Image.Image | None:
    """A reduced RGB copy of ``image`` when it may hold an emblem the search misses (a fair
    share of Reflex-Blue-like pixels; with ``stars``, twelve star-sized light blobs or more),
    else None."""
    rgb = image.convert("RGBA")
    flat = Image.alpha_composite(Image.new("RGBA", rgb.size, (255, 255, 255, 255)), rgb)
    small = flat.convert("RGB")
    scale = min(1.0, _TURN_HEIGHT / max(1, min(small.size)) * 1.5)
    if scale < 1:
        small = small.resize((max(1, round(small.width * scale)),
                              max(1, round(small.height * scale))), Image.Resampling.BOX)
    array = np.asarray(small, dtype=np.int16)
    blue = (array[..., 2] - array[..., 0] > 60) & (array[..., 2] > 90)
    if float(blue.mean()) < 0.08:
        return None
    if stars and len(star_sized_blobs(np.asarray(small.convert("L")) > 100)) < 12:
        return None
    return small


def stretched_emblem(image: Image.Image) -> float | None:
    """The horizontal factor by which the pixels of ``image`` hold an emblem out of its 3:2
    proportion (found after scaling the width by 1 / factor), or None."""
    small = _star_candidates(image, stars=False)  # stretched stars are not star-sized
    if small is None:
        return None
    for factor in _FACTORS:
        size = (max(1, round(small.width / factor)), small.height)
        if any(match.official for match in find_emblems(small.resize(
                size, Image.Resampling.BICUBIC))):
            return factor
    return None


def _how(placed: PlacedImage, stretch: float) -> list[str]:
    how = []
    angle = _rotation(placed)
    if abs(angle) > ROTATION_TOLERANCE:
        how.append(f"tourné de {abs(angle):.0f}°")
    if placed.crop is not None and any(v > 0.005 for v in placed.crop):
        how.append("rogné dans Word")
    if abs(stretch - 1) > STRETCH_TOLERANCE:
        ratio = f"{1.5 * stretch:.2f}".replace(".", ",")
        how.append(f"déformé (largeur = {ratio} × la hauteur au lieu de 1,5 × : proportions "
                   "3 : 2)")
    return how


def _modified(placed: PlacedImage, how: list[str], recognised: bool) -> Defect:
    seen = " et ".join(how) if how else "tel qu'affiché sur la page, il n'est plus reconnaissable"
    tail = ("" if recognised else " ; tel qu'affiché, on n'y reconnaît plus les douze étoiles "
            "droites en cercle sur un rectangle 3 : 2")
    return Defect(placed, "EU_EMBLEM_MODIFIED",
                  f"emblème de l'Union européenne modifié : {seen}{tail} (règlement (UE) "
                  "2021/1060, annexe IX : l'emblème ne doit pas être modifié)")


def _colours(placed: PlacedImage, match: EmblemMatch) -> Defect:
    return Defect(placed, "EU_EMBLEM_NOT_OFFICIAL",
                  f"douze étoiles en cercle aux couleurs non officielles ({match.colours}) : ce "
                  "n'est pas l'emblème de l'Union européenne (attendu : étoiles jaunes sur fond "
                  "bleu Reflex, ou les versions monochromes officielles : étoiles blanches sur "
                  "fond bleu, étoiles noires sur fond blanc)")


def examine(view: DocumentView, placed: PlacedImage,
            rendered: Image.Image | None = None) -> Examined:
    """Examine one placed picture of ``view``.

    ``rendered`` is the part of a PDF page where the picture is drawn (PDFium), when the
    caller could render it: emblems are then looked for there too.
    """
    raw = find_emblems(placed.image)
    stretch = _stretch(placed)
    transformed = (placed.crop is not None and any(v > 0.005 for v in placed.crop)) or abs(
        _rotation(placed)) > ROTATION_TOLERANCE or abs(stretch - 1) > STRETCH_TOLERANCE
    defects: list[Defect] = []
    image = placed.image
    found = raw
    if raw and transformed and view.kind != "pdf":
        image = drawn_image(placed)
        found = find_emblems(image)
        how = _how(placed, stretch)
        if len(found) < len(raw) or abs(stretch - 1) > STRETCH_TOLERANCE or abs(
                _rotation(placed)) > ROTATION_TOLERANCE:
            defects.append(_modified(placed, how, bool(found)))
            found = []
    elif raw and view.kind == "pdf":
        if abs(stretch - 1) > STRETCH_TOLERANCE:
            defects.append(_modified(placed, _how(placed, stretch), True))
            found = []
        elif rendered is not None and not find_emblems(rendered):
            defects.append(_modified(placed, [], False))
            found = []
    if not raw and not defects:
        angle = turned_emblem(placed.image)
        if angle is not None:
            defects.append(_modified(placed, ["tourné dans l'image elle-même"], False))
        else:
            factor = stretched_emblem(placed.image)
            if factor is not None:
                ratio = f"{1.5 / factor:.2f}".replace(".", ",")
                defects.append(_modified(placed, [
                    f"déformé dans l'image elle-même (largeur = {ratio} × la hauteur au lieu "
                    "de 1,5 × : proportions 3 : 2)"], False))
    valid = []
    for match in found:
        if match.official:
            valid.append(match)
        elif not any(d.code == "EU_EMBLEM_NOT_OFFICIAL" for d in defects):
            defects.append(_colours(placed, match))
    return Examined(placed, tuple(valid), image.size, image, tuple(defects))


def pieces_beside(image: Image.Image, bbox: tuple[int, int, int, int],
                  ) -> list[Image.Image]:
    """The separate pictures of a strip of logos (« bandeau ») that holds an emblem at
    ``bbox``: columns of ink separated by blank columns, the emblem's own left out, each
    trimmed to its ink. Used to recognise another logo (the FSE 2014-2020 one) in the strip."""
    rgba = image.convert("RGBA")
    flat = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba)
    array = np.asarray(flat.convert("RGB"), dtype=np.int16)
    background = np.median(np.concatenate([array[0], array[-1]]), axis=0)
    ink = np.abs(array - background).max(axis=2) > 40
    columns = ink.any(axis=0)
    gap = max(2, round(0.01 * ink.shape[1]))
    pieces: list[Image.Image] = []
    start: int | None = None
    blank = 0
    for x, inked in enumerate([*columns.tolist(), False] + [False] * gap):
        if inked:
            start = x if start is None else start
            blank = 0
        elif start is not None:
            blank += 1
            if blank >= gap:
                end = x - blank + 1
                left, _, right, _ = bbox
                if (end - start >= 20 and not (start < right and end > left)):
                    rows = np.nonzero(ink[:, start:end].any(axis=1))[0]
                    if rows.size >= 20:
                        pieces.append(flat.convert("RGB").crop(
                            (start, int(rows[0]), end, int(rows[-1]) + 1)))
                start, blank = None, 0
    return pieces
