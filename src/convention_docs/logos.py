"""Built-in logo assets, and recognising logos by image content.

Two questions are answered here, always from the pixels (never from a file name or alt text):

- *Is the EU emblem in this picture, and where?* :func:`find_emblems` looks for the emblem's
  structure: twelve star-shaped blobs of one size, upright, 30° apart on a circle whose radius is
  six times a star's radius, on a rectangle of contrasting colour. It finds the emblem anywhere in
  a picture, including at the end of a wide "bandeau" of partner logos, in colour and in the two
  monochrome variants, after JPEG re-encoding and downscaling (see its docstring for the limits).
- *Which registered logo is this?* :class:`LogoLibrary` compares a picture with reference
  images after a normalisation that removes size, margins, transparency and JPEG noise.

The assets themselves (``eu-emblem.png``, ``fse-logo.png`` …, see ``assets/logos/README.md``)
are found through :func:`asset`, i.e. through :mod:`importlib.resources`.
"""

from __future__ import annotations

import io
import math
import os
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Literal

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageOps, UnidentifiedImageError

from convention_docs.errors import AssetError

__all__ = ["EmblemMatch", "LogoLibrary", "asset", "find_emblems"]

Variant = Literal["colour", "black", "white"]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def asset(name: str) -> Traversable:
    """Return the built-in logo file ``name`` (e.g. ``"eu-emblem.png"``) as a resource.

    Found through ``importlib.resources`` in the installed package; read it with
    ``.read_bytes()`` or ``.open("rb")``.

    >>> asset("eu-emblem.png").read_bytes()[:4]
    b'\\x89PNG'
    >>> asset("logo-inconnu.png")
    Traceback (most recent call last):
    ...
    convention_docs.errors.AssetError: logo intégré introuvable : « logo-inconnu.png » ...
    """
    folder = resources.files("convention_docs") / "assets" / "logos"
    if not name or name != os.path.basename(name) or name.startswith("."):
        raise AssetError(f"nom de logo invalide : « {name} » (un nom de fichier est attendu)")
    found = folder / name
    if not found.is_file():
        known = sorted(p.name for p in folder.iterdir() if p.name.endswith((".png", ".svg")))
        raise AssetError(f"logo intégré introuvable : « {name} » (logos disponibles : "
                         f"{', '.join(known) or 'aucun'})")
    return found


def _open_asset(name: str) -> Image.Image:
    with asset(name).open("rb") as stream:
        image = Image.open(stream)
        image.load()
    return image


def _flatten(image: Image.Image) -> Image.Image:
    """Return ``image`` as RGB, transparent parts composited on white."""
    if image.mode == "P":
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")


# --- EU emblem detection -------------------------------------------------------------------------
# Official geometry (Council of Europe): circle radius = H/3, star radius R = H/18, so the circle
# is 6 star radii and the rectangle 3 circle radii high and 4.5 wide. A regular five-pointed star
# of radius R has an area of 1.1226 R² (36 % of its circumscribed disc).

_STAR_AREA = 5 * math.sin(math.radians(36)) * math.cos(math.radians(72)) / math.cos(
    math.radians(36))  # x R²
_WORK_PIXELS = 400_000  # bigger pictures are reduced to about this many pixels first
_SMALL_HEIGHT = 160  # smaller pictures are enlarged (x2 or x3) towards this height
_BRIGHT, _DARK = 121, 128  # luminance thresholds of light stars (gold, white) / dark stars
_POSITION_TOL = 0.11  # a star may sit this far (x circle radius, + 0.5 px) from its position
_MAX_RMS = 0.05  # RMS distance of the 12 stars to the refitted positions (x circle radius)
_RING = 0.7  # the five points are looked for on a ring of 0.7 star radius
_RESOLVED, _MIN_RADIUS = 3.0, 2.0  # star radius in pixels of the picture: shape fully / weakly
_MIN_POINTS_STRONG, _MIN_POINTS_WEAK = 0.03, 0.004  # upright five-pointedness (see _points)
_MIN_BACKGROUND = 0.7  # share of the rectangle (stars excepted) contrasting with the stars
_HOURS = np.radians(30 * np.arange(12))
_CLOCK = np.stack([np.sin(_HOURS), -np.cos(_HOURS)], axis=1)  # unit offsets, 12 o'clock first
_ANGLES = np.radians(np.arange(0, 360, 6))


@dataclass(frozen=True, slots=True)
class EmblemMatch:
    """An EU emblem found in a picture.

    ``bbox`` is ``(left, top, right, bottom)`` in pixels of the picture searched, derived from
    the circle of stars with the official proportions (so it may extend a little past a tightly
    cropped picture); ``confidence`` is in 0..1; ``variant`` is ``"colour"`` (gold stars),
    ``"white"`` (light stars on a dark rectangle, normally Reflex Blue; also a colour emblem
    printed in grey) or ``"black"`` (dark stars on a light rectangle).
    """

    bbox: tuple[int, int, int, int]
    confidence: float
    variant: Variant


def _blobs(mask: BoolArray) -> FloatArray:
    """Return the 8-connected components of ``mask``, one row each: x, y (centroid), area,
    width, height.

    Works on horizontal runs: runs of consecutive rows that touch are linked, then linked runs
    are merged by pointer jumping; all in numpy, no per-pixel Python loop.
    """
    rows_n, cols_n = mask.shape
    padded = np.zeros((rows_n, cols_n + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    change = np.diff(padded, axis=1)
    row, start = np.nonzero(change == 1)
    end = np.nonzero(change == -1)[1]  # exclusive; same order as the starts
    n = row.size
    if n == 0:
        return np.zeros((0, 5))
    stride = cols_n + 3  # runs touch (8-connected) when they overlap once widened by one pixel
    first = np.searchsorted(row * stride + end, (row + 1) * stride + start, side="left")
    last = np.searchsorted(row * stride + start, (row + 1) * stride + end, side="right") - 1
    first = np.minimum(first, n - 1)
    touching = (first <= last) & (row[first] == row + 1)
    source = np.nonzero(touching)[0]
    # each run touches runs first..last of the next row: link it to ``first``, and link the
    # neighbours first..last among themselves
    marks = np.zeros(n + 1, dtype=np.int64)
    np.add.at(marks, first[source], 1)
    np.add.at(marks, last[source], -1)
    chained = np.nonzero(np.cumsum(marks[:-1]) > 0)[0]
    a = np.concatenate([source, chained])
    b = np.concatenate([first[source], chained + 1])
    parent = np.arange(n)
    while a.size:
        root_a, root_b = parent[a], parent[b]
        differ = root_a != root_b
        if not differ.any():
            break
        a, b, root_a, root_b = a[differ], b[differ], root_a[differ], root_b[differ]
        np.minimum.at(parent, np.maximum(root_a, root_b), np.minimum(root_a, root_b))
        while True:
            jumped = parent[parent]
            if np.array_equal(jumped, parent):
                break
            parent = jumped
    is_root = parent == np.arange(n)
    labels = (np.cumsum(is_root) - 1)[parent]
    count = int(is_root.sum())
    length = (end - start).astype(np.float64)
    area = np.bincount(labels, weights=length, minlength=count)
    x = np.bincount(labels, weights=(start + end - 1) / 2 * length, minlength=count) / area
    y = np.bincount(labels, weights=row * length, minlength=count) / area
    left, top = np.full(count, cols_n), np.full(count, rows_n)
    right, bottom = np.zeros(count, dtype=np.int64), np.zeros(count, dtype=np.int64)
    np.minimum.at(left, labels, start)
    np.maximum.at(right, labels, end)
    np.minimum.at(top, labels, row)
    np.maximum.at(bottom, labels, row + 1)
    return np.stack([x, y, area, right - left, bottom - top], axis=1).astype(np.float64)


def _star_sized(blobs: FloatArray, max_size: float) -> FloatArray:
    """Keep the blobs that could be a star: compact, not too big, not too small."""
    area, width, height = blobs[:, 2], blobs[:, 3], blobs[:, 4]
    ratio = width / np.maximum(height, 1.0)
    keep = ((area >= 3) & (np.maximum(width, height) <= max_size) & (ratio > 0.6)
            & (ratio < 1.7) & (area < 0.97 * width * height))
    return blobs[keep]


def _circles(blobs: FloatArray) -> FloatArray:
    """Return candidate circles ``(cx, cy, radius)``: pairs of blobs at 12 and 6 o'clock."""
    x, y, area = blobs[:, 0], blobs[:, 1], blobs[:, 2]
    dx, dy = x[None, :] - x[:, None], y[None, :] - y[:, None]  # blob j below blob i: dy > 0
    ratio = area[None, :] / area[:, None]
    star_radius = np.sqrt((area[None, :] + area[:, None]) / 2 / _STAR_AREA)
    ok = ((dy > 0) & (np.abs(dx) <= 0.05 * dy + 1.0) & (ratio > 0.4) & (ratio < 2.5)
          & (dy > 8.0 * star_radius) & (dy < 17.0 * star_radius))
    i, j = np.nonzero(ok)
    return np.stack([(x[i] + x[j]) / 2, (y[i] + y[j]) / 2, np.hypot(dx[i, j], dy[i, j]) / 2],
                    axis=1)


def _nearest(blobs: FloatArray, qx: FloatArray, qy: FloatArray, tol: FloatArray) -> IntArray:
    """Index of the blob nearest to each query point within ``tol``, or -1 (vectorised)."""
    order = np.argsort(blobs[:, 0], kind="stable")
    xs, ys = blobs[order, 0], blobs[order, 1]
    lo = np.searchsorted(xs, qx - tol, side="left")
    counts = np.searchsorted(xs, qx + tol, side="right") - lo
    query = np.repeat(np.arange(qx.size), counts)
    candidate = lo[query] + np.arange(query.size) - np.repeat(np.cumsum(counts) - counts, counts)
    distance = np.hypot(xs[candidate] - qx[query], ys[candidate] - qy[query])
    within = distance <= tol[query]
    best = np.full(qx.size, np.inf)
    np.minimum.at(best, query[within], distance[within])
    chosen = within & (distance == best[query])
    result = np.full(qx.size, -1, dtype=np.int64)
    result[query[chosen]] = order[candidate[chosen]]
    return result


def _bilinear(values: FloatArray, x: FloatArray, y: FloatArray) -> FloatArray:
    x0 = np.clip(np.floor(x).astype(np.int64), 0, values.shape[1] - 2)
    y0 = np.clip(np.floor(y).astype(np.int64), 0, values.shape[0] - 2)
    fx, fy = np.clip(x - x0, 0, 1), np.clip(y - y0, 0, 1)
    return (values[y0, x0] * (1 - fx) * (1 - fy) + values[y0, x0 + 1] * fx * (1 - fy)
            + values[y0 + 1, x0] * (1 - fx) * fy + values[y0 + 1, x0 + 1] * fx * fy)


def _points(lum: FloatArray, centres: FloatArray, star_radius: float) -> float:
    """Measure how much the blobs look like upright five-pointed stars.

    On a ring of 0.7 star radius around each centre, the luminance of a star rises five times,
    at its points (0°, 72° … from the top); of a disc it stays flat. The returned value is the
    fifth angular harmonic in phase with upright points, averaged over the 12 stars and divided
    by the contrast: about 0.25 for a sharp star, 0.1 at 3.3 pixels of radius, 0.01 at 2.2,
    ~0 for a disc (or any blob without five upright points), negative for stars upside down.
    """
    ring_x = centres[:, 0, None] + _RING * star_radius * np.sin(_ANGLES)
    ring_y = centres[:, 1, None] - _RING * star_radius * np.cos(_ANGLES)
    ring = _bilinear(lum, ring_x, ring_y)
    harmonic = float((ring * np.cos(5 * _ANGLES)).mean())
    outside = _bilinear(lum, centres[:, 0, None] + 1.6 * star_radius * np.sin(_ANGLES),
                        centres[:, 1, None] - 1.6 * star_radius * np.cos(_ANGLES)).mean()
    contrast = float(_bilinear(lum, centres[:, 0], centres[:, 1]).mean() - outside)
    return harmonic / contrast if contrast > 20 else 0.0


def _verify(stars: FloatArray, lum: FloatArray, rgb: npt.NDArray[np.uint8], dark: bool,
            scale: float) -> tuple[float, Variant, FloatArray] | None:
    """Check the 12 blobs found at the clock positions of a candidate circle.

    ``lum`` is inverted for dark stars (the stars are always the light part). Return
    ``(confidence, variant, (cx, cy, radius))`` or ``None``.
    """
    centre = stars[:, :2].mean(axis=0)  # the clock positions are symmetric about the centre
    radius = float(np.hypot(*(stars[:, :2] - centre).T).mean())
    rms = float(np.sqrt(((stars[:, :2] - centre - radius * _CLOCK) ** 2).sum(axis=1).mean()))
    star_radius = radius / 6
    areas = stars[:, 2]
    if (rms > _MAX_RMS * radius + 0.3 or areas.max() > 2.5 * areas.min()
            or not 0.3 < float(np.median(areas)) / (_STAR_AREA * star_radius**2) < 2.0):
        return None
    rows_n, cols_n = lum.shape
    box = (round(centre[0] - 2.25 * radius), round(centre[1] - 1.5 * radius),
           round(centre[0] + 2.25 * radius), round(centre[1] + 1.5 * radius))
    left, top, right, bottom = max(0, box[0]), max(0, box[1]), min(cols_n, box[2]), min(
        rows_n, box[3])
    if (right - left) * (bottom - top) < 0.8 * (box[2] - box[0]) * (box[3] - box[1]):
        return None  # most of the rectangle would lie outside the picture
    # star shape, measured where the official geometry puts the stars
    resolved = star_radius / max(1.0, scale)  # detail really present (enlarging adds none)
    if resolved < _MIN_RADIUS:
        return None
    positions = centre + radius * _CLOCK
    points = _points(lum, positions, star_radius)
    if points < (_MIN_POINTS_STRONG if resolved >= _RESOLVED else _MIN_POINTS_WEAK):
        return None
    # the rectangle, stars excepted, must contrast with the stars
    step = max(1, math.isqrt((right - left) * (bottom - top) // 8000))
    yy, xx = np.mgrid[top:bottom:step, left:right:step]
    near = (np.hypot(xx[..., None] - positions[:, 0], yy[..., None] - positions[:, 1])
            < 1.5 * star_radius).any(axis=-1)
    share = float((lum[yy, xx][~near] < _BRIGHT).mean())
    if share < _MIN_BACKGROUND:
        return None
    if dark:
        variant: Variant = "black"
    else:
        ix, iy = np.rint(positions).astype(np.int64).T
        red, green, blue = rgb[iy, ix].astype(np.float64).mean(axis=0)
        variant = "colour" if (red + green) / 2 - blue > 20 else "white"  # gold lacks blue
    geometry = 1.0 - rms / (_MAX_RMS * radius + 0.3)
    shape = min(1.0, points / 0.1) if resolved >= _RESOLVED else 0.5
    confidence = share * (0.6 + 0.2 * geometry + 0.2 * shape)
    return round(confidence, 3), variant, np.array([centre[0], centre[1], radius])


def _working_copy(image: Image.Image) -> tuple[Image.Image, float]:
    """Flatten ``image`` on white and resize it for the search; return it and its scale."""
    rgb = _flatten(image)
    width, height = rgb.size
    scale = 1.0
    if width * height > _WORK_PIXELS:
        scale = math.sqrt(_WORK_PIXELS / (width * height))
    elif height < _SMALL_HEIGHT:
        scale = min(3.0, max(1.0, round(_SMALL_HEIGHT / height)),
                    math.sqrt(_WORK_PIXELS / (width * height)))
    if scale != 1.0:
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        method = Image.Resampling.BOX if scale < 1 else Image.Resampling.BICUBIC
        rgb = rgb.resize(size, method)
        scale = size[1] / height
    return rgb, scale


def find_emblems(image: Image.Image) -> list[EmblemMatch]:
    """Return the EU emblems found in ``image``, most confident first (empty list: none).

    Structural search. The picture is flattened on white, reduced to about 400,000 pixels
    (enlarged x2 or x3 when less than 160 pixels high) and cut into light and dark blobs by
    luminance. Twelve blobs 30° apart on a circle, one at 12 o'clock, are an emblem when:

    - each lies within 11 % of the circle radius (+ 0.5 px) of its clock position, the RMS
      error after refitting the circle is under 5 % of the radius (+ 0.3 px), and their areas
      agree with each other (x2.5) and with a star of 1/6 of the circle radius (x0.3..x2);
    - they have five upright points (:func:`_points` ≥ 0.03; only ≥ 0.004 when a star is
      under 3 pixels in radius, i.e. an emblem under 54 pixels high, where points blur away);
      this is what refuses a circle of dots;
    - 70 % or more of the rectangle derived from the circle (3 radii high, 4.5 wide), stars
      excepted, contrasts with the stars.

    Confidence = share of contrasting background x (0.6 + 0.2 geometry + 0.2 shape), about
    0.95-1 for a clean emblem, lower for weakly confirmed ones (shape counts 0.5 under 54 px).

    Smallest emblem found: 40 pixels high (stars of 2.2 px radius), also after JPEG re-encoding;
    36 pixels only without JPEG; below, the stars are dots and the picture is refused. In a
    picture bigger than 400,000 pixels that minimum applies after the reduction (e.g. 62 pixels
    in a 1200×800 picture). Time: about 10-20 ms for a 1200×800 picture.

    >>> with asset("eu-emblem.png").open("rb") as f:
    ...     [(m.bbox, m.variant) for m in find_emblems(Image.open(f))]
    [((0, 0, 1200, 800), 'colour')]
    """
    work, scale = _working_copy(image)
    rgb = np.asarray(work, dtype=np.uint8)
    lum = np.asarray(work.convert("L"), dtype=np.float64)
    found: list[tuple[float, Variant, FloatArray]] = []
    for dark in (False, True):
        blobs = _star_sized(_blobs(lum < _DARK if dark else lum > _BRIGHT),
                            max_size=0.12 * lum.shape[0] + 3)
        if len(blobs) < 12:
            continue
        circles = _circles(blobs)
        expected = circles[:, None, :2] + circles[:, None, 2:] * _CLOCK  # (circles, 12, xy)
        tol = np.repeat(_POSITION_TOL * circles[:, 2] + 0.5, 12)
        nearest = _nearest(blobs, expected[..., 0].ravel(), expected[..., 1].ravel(), tol)
        nearest = nearest.reshape(-1, 12)
        for chosen in nearest[(nearest >= 0).all(axis=1)]:
            if np.unique(chosen).size == 12:
                result = _verify(blobs[chosen], 255.0 - lum if dark else lum, rgb, dark, scale)
                if result is not None:
                    found.append(result)
    found.sort(key=lambda item: -item[0])
    matches: list[EmblemMatch] = []
    kept: list[FloatArray] = []
    for confidence, variant, (cx, cy, radius) in found:
        if any(math.hypot(cx - k[0], cy - k[1]) < k[2] for k in kept):
            continue  # the same emblem, found from another pair of stars or in both passes
        kept.append(np.array([cx, cy, radius]))
        # pixel (i, j) covers [i, i + 1): its centre is at i + 0.5 in edge coordinates
        box = (cx + 0.5 - 2.25 * radius, cy + 0.5 - 1.5 * radius,
               cx + 0.5 + 2.25 * radius, cy + 0.5 + 1.5 * radius)
        bbox = (round(box[0] / scale), round(box[1] / scale), round(box[2] / scale),
                round(box[3] / scale))
        matches.append(EmblemMatch(bbox, confidence, variant))
    return matches


# --- logo library ---------------------------------------------------------------------------------

_SIGNATURE_SIZE = 48
_MAX_ASPECT_GAP = 0.08  # |ln(aspect ratio / reference aspect ratio)|
_MIN_CORRELATION = 0.9
_MAX_DIFFERENCE = 0.1  # mean absolute difference, 0..1


@dataclass(frozen=True, slots=True)
class _Signature:
    aspect: float
    pixels: FloatArray  # _SIGNATURE_SIZE² x 3, in 0..1


def _signature(image: Image.Image) -> _Signature | None:
    rgb = _flatten(image)
    if rgb.width > 1024 or rgb.height > 1024:
        rgb = ImageOps.contain(rgb, (1024, 1024), Image.Resampling.BOX)
    array = np.asarray(rgb, dtype=np.int16)
    border = np.concatenate([array[0], array[-1], array[:, 0], array[:, -1]])
    background = np.median(border, axis=0)
    content = np.abs(array - background).max(axis=2) > 40
    rows, cols = np.nonzero(content.any(axis=1))[0], np.nonzero(content.any(axis=0))[0]
    if rows.size == 0 or cols.size == 0:
        return None
    box = (int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1)
    cropped = rgb.crop(box)
    small = cropped.resize((_SIGNATURE_SIZE, _SIGNATURE_SIZE), Image.Resampling.BOX)
    pixels = np.asarray(small, dtype=np.float64).reshape(-1, 3) / 255.0
    return _Signature(cropped.width / cropped.height, pixels)


class LogoLibrary:
    """Reference logos by role (``"fse"`` …), recognised by image content.

    ``match`` normalises both pictures the same way: transparency flattened on white, uniform
    margins trimmed (colour of the border, tolerance 40/255), content resized to 48×48. A
    picture matches a reference when the aspect ratios of the trimmed content differ by less
    than 8 %, the Pearson correlation of the 48×48×3 values is at least 0.9 and their mean
    absolute difference at most 0.1 (of full scale). Size, file name and alt text play no part.

    >>> library = LogoLibrary.default()
    >>> with asset("fse-logo.png").open("rb") as f:
    ...     library.match(Image.open(f).resize((300, 200)))
    'fse'
    """

    def __init__(self) -> None:
        self._references: dict[str, _Signature] = {}

    @classmethod
    def default(cls) -> LogoLibrary:
        """Return a library holding the built-in ``"fse"`` drawing (not the official logo)."""
        library = cls()
        library.register("fse", _open_asset("fse-logo.png"))
        return library

    @property
    def roles(self) -> tuple[str, ...]:
        """Registered roles, sorted."""
        return tuple(sorted(self._references))

    def register(self, role: str, image: Image.Image | str | os.PathLike[str] | bytes) -> None:
        """Set the reference picture of ``role`` (replacing any previous one).

        ``image`` is a picture, a file path or the bytes of a file; an unreadable or empty
        (uniform) picture raises :class:`~convention_docs.errors.AssetError`.
        """
        if isinstance(image, Image.Image):
            picture = image
        else:
            source = io.BytesIO(image) if isinstance(image, bytes) else image
            try:
                with Image.open(source) as opened:
                    opened.load()
                    picture = opened.copy()
            except (OSError, UnidentifiedImageError) as error:
                label = "données fournies" if isinstance(image, bytes) else os.fspath(image)
                raise AssetError(f"logo « {role} » illisible ({label}) : {error}") from error
        signature = _signature(picture)
        if signature is None:
            raise AssetError(f"logo « {role} » vide : l'image est d'une seule couleur")
        self._references[role] = signature

    def match(self, image: Image.Image) -> str | None:
        """Return the role whose reference ``image`` shows, or ``None`` if none does."""
        signature = _signature(image)
        if signature is None:
            return None
        best: tuple[float, str] | None = None
        for role, reference in self._references.items():
            if abs(math.log(signature.aspect / reference.aspect)) > _MAX_ASPECT_GAP:
                continue
            difference = float(np.abs(signature.pixels - reference.pixels).mean())
            correlation = _correlation(signature.pixels, reference.pixels)
            if correlation >= _MIN_CORRELATION and difference <= _MAX_DIFFERENCE and (
                    best is None or correlation > best[0]):
                best = (correlation, role)
        return best[1] if best else None
