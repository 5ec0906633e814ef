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

import functools
import io
import itertools
import math
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Literal, cast

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageOps, UnidentifiedImageError

from convention_docs import _limits
from convention_docs.errors import AssetError
from convention_docs.inspect._pixels import pixel_key

__all__ = ["EmblemMatch", "LogoLibrary", "asset", "colour_name", "emblem_colours",
           "find_emblems"]

# Pillow refuses (DecompressionBombError) a picture of more than twice this many pixels: set so
# that every picture read here or by the readers (a 144-million-pixel PNG of 60 KB in a received
# .docx took 8 s and 1.5 GB) stops at the bound of _limits.
Image.MAX_IMAGE_PIXELS = _limits.MAX_IMAGE_PIXELS // 2

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
    >>> asset("logo-inconnu.png")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    convention_docs.errors.AssetError: logo intégré introuvable : « logo-inconnu.png » ...
    """
    folder = resources.files("convention_docs") / "assets" / "logos"
    if not name or "/" in name or "\\" in name or name.startswith("."):
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
_WORK_PIXELS = 1_000_000  # bigger pictures are reduced to about this many pixels first
_SMALL_HEIGHT = 160  # smaller pictures are enlarged (x2 or x3) towards this height
_BRIGHT, _DARK = 100, 150  # luminance thresholds of light stars (gold, white) / dark stars
_POSITION_TOL = 0.11  # a star may sit this far (x circle radius, + 0.5 px) from its position
_MANY = 300  # more blobs or circles than this (a page of text): prune them more
_MAX_RMS = 0.05  # RMS distance of the 12 stars to the refitted positions (x circle radius)
# Star shape (see _points): required score by star radius R in pixels of the picture. Below 2 px
# nothing is checked (refused); 2-3 px: the outer ring only, just in phase (a dot cannot be told
# from a star there); 3-4.5 px: both rings, clearly in phase (refuses dots); from 4.5 px: both
# rings, as high as a star and higher than a pentagon scores (measured after BOX, bilinear,
# bicubic and Lanczos reductions, JPEG quality 50-95).
_MIN_RADIUS, _RESOLVED, _SHARP = 2.0, 3.0, 4.5
_MIN_POINTS_WEAK, _MIN_POINTS_RESOLVED = 0.0015, 0.008
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
    stars_rgb: tuple[int, int, int] = (255, 204, 0)
    """Mean colour of the stars' centres (0-255 RGB)."""
    field_rgb: tuple[int, int, int] = (0, 51, 153)
    """Mean colour of the rectangle around the stars (0-255 RGB)."""

    @property
    def official(self) -> bool:
        """Whether the colours are those of an official version (see :func:`emblem_colours`)."""
        return emblem_colours(self.stars_rgb, self.field_rgb)[0]

    @property
    def colours(self) -> str:
        """The colours seen, in French (« étoiles jaunes sur fond bleu »)."""
        return emblem_colours(self.stars_rgb, self.field_rgb)[1]


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


def _box_sums(table: IntArray, cx: FloatArray, cy: FloatArray, half: FloatArray) -> IntArray:
    """Sums of a mask over squares of ``half`` size around ``(cx, cy)``, from its summed-area
    ``table``."""
    rows_n, cols_n = table.shape[0] - 1, table.shape[1] - 1
    x0, x1 = (np.clip(np.rint(cx + d), 0, cols_n).astype(np.int64) for d in (-half, half + 1))
    y0, y1 = (np.clip(np.rint(cy + d), 0, rows_n).astype(np.int64) for d in (-half, half + 1))
    sums: IntArray = table[y1, x1] - table[y0, x1] - table[y1, x0] + table[y0, x0]
    return sums


def _summed_area(mask: BoolArray) -> IntArray:
    table = np.zeros((mask.shape[0] + 1, mask.shape[1] + 1), dtype=np.int64)
    table[1:, 1:] = mask.cumsum(axis=0, dtype=np.int32).cumsum(axis=1, dtype=np.int32)
    return table


def _star_sized(blobs: FloatArray, mask: BoolArray) -> FloatArray:
    """Keep the blobs that could be a star: compact, not too big, not too small.

    When there are many (a page of text), keep only those standing alone: a square of 1.5
    star radii around the blob holds little else of ``mask`` (the emblem's next star is 3.1
    radii away; the next letter of a word is closer).
    """
    area, width, height = blobs[:, 2], blobs[:, 3], blobs[:, 4]
    ratio = (width + 1) / (height + 1)  # + 1: a star of 2-3 pixels is often 4x2
    blobs = blobs[(area >= 3) & (np.maximum(width, height) <= 0.12 * mask.shape[0] + 3)
                  & (ratio > 0.5) & (ratio < 2.0)
                  & ((area < 0.95 * width * height) | (np.maximum(width, height) <= 5))]
    if len(blobs) <= _MANY:
        return blobs
    around = _box_sums(_summed_area(mask), blobs[:, 0], blobs[:, 1],
                       np.ceil(1.5 * np.sqrt(blobs[:, 2] / _STAR_AREA)))
    return blobs[around <= 2 * blobs[:, 2] + 4]


def star_sized_blobs(mask: BoolArray) -> FloatArray:
    """The blobs of ``mask`` that could be stars (x, y, area, width, height, one row each)."""
    return _star_sized(_blobs(mask), mask)


def _window(sorted_x: FloatArray, qx: FloatArray, half: FloatArray,
            ) -> tuple[IntArray, IntArray]:
    """All pairs (query, index in ``sorted_x``) with ``|sorted_x - qx| <= half`` (vectorised)."""
    lo = np.searchsorted(sorted_x, qx - half, side="left")
    counts = np.searchsorted(sorted_x, qx + half, side="right") - lo
    query = np.repeat(np.arange(qx.size), counts)
    index = lo[query] + np.arange(query.size) - np.repeat(np.cumsum(counts) - counts, counts)
    return query, index


def _circles(blobs: FloatArray, rows_n: int) -> FloatArray:
    """Return candidate circles ``(cx, cy, radius)``: pairs of blobs at 12 and 6 o'clock."""
    blobs = blobs[np.argsort(blobs[:, 0], kind="stable")]
    x, y, area = blobs[:, 0], blobs[:, 1], blobs[:, 2]
    i, j = _window(x, x, np.full(x.size, 0.05 * rows_n + 1.0))
    dx, dy = x[j] - x[i], y[j] - y[i]  # j below i: dy > 0
    ratio = area[j] / area[i]
    star_radius = np.sqrt((area[i] + area[j]) / 2 / _STAR_AREA)
    ok = ((dy > 0) & (np.abs(dx) <= 0.05 * dy + 1.0) & (ratio > 0.4) & (ratio < 2.5)
          & (dy > 8.0 * star_radius) & (dy < 17.0 * star_radius))
    i, j, dx, dy = i[ok], j[ok], dx[ok], dy[ok]
    return np.stack([(x[i] + x[j]) / 2, (y[i] + y[j]) / 2, np.hypot(dx, dy) / 2], axis=1)


def _nearest(blobs: FloatArray, qx: FloatArray, qy: FloatArray, tol: FloatArray) -> IntArray:
    """Index of the blob nearest to each query point within ``tol``, or -1 (vectorised)."""
    order = np.argsort(blobs[:, 0], kind="stable")
    xs, ys = blobs[order, 0], blobs[order, 1]
    query, candidate = _window(xs, qx, tol)
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


def _points(lum: FloatArray, centres: FloatArray, star_radius: float, ring: float) -> float:
    """Measure how much the blobs look like upright five-pointed stars, on one ring.

    On a circle of ``ring`` star radii around each centre, the luminance of a star rises five
    times, at its points (0°, 72° … from the top); around a disc it stays flat. The result is
    the fifth angular harmonic in phase with upright points, averaged over the 12 stars and
    divided by the contrast. Measured on the official star after JPEG (ring 0.5 / 0.7): 0.30 /
    0.22 when sharp, 0.15 / 0.18 at 4.4 px of radius, 0.06 / 0.10 at 3.3 px, 0.004 / 0.011 at
    2.2 px; 0.00 for discs; negative for stars upside down. A pentagon scores on one ring only
    (the one crossing its corners), a star on both.
    """
    ring_x = centres[:, 0, None] + ring * star_radius * np.sin(_ANGLES)
    ring_y = centres[:, 1, None] - ring * star_radius * np.cos(_ANGLES)
    harmonic = float((_bilinear(lum, ring_x, ring_y) * np.cos(5 * _ANGLES)).mean())
    outside = _bilinear(lum, centres[:, 0, None] + 1.6 * star_radius * np.sin(_ANGLES),
                        centres[:, 1, None] - 1.6 * star_radius * np.cos(_ANGLES)).mean()
    contrast = float(_bilinear(lum, centres[:, 0], centres[:, 1]).mean() - outside)
    return harmonic / contrast if contrast > 20 else 0.0


def _light_variant(rgb: npt.NDArray[np.uint8], positions: FloatArray, star_radius: float,
                   ) -> Variant:
    """``"colour"`` for gold stars, ``"white"`` for white (or grey) ones.

    Gold has less blue than the rectangle around it, white more. Comparing with the
    surroundings holds when JPEG has smeared the colour of small stars.
    """
    ring = positions[:, None, :] + 1.6 * star_radius * np.stack(
        [np.sin(_ANGLES), -np.cos(_ANGLES)], axis=1)
    rows_n, cols_n = rgb.shape[:2]
    inside = rgb[np.clip(np.rint(positions[:, 1]).astype(np.int64), 0, rows_n - 1),
                 np.clip(np.rint(positions[:, 0]).astype(np.int64), 0, cols_n - 1)]
    around = rgb[np.clip(np.rint(ring[..., 1]).astype(np.int64), 0, rows_n - 1),
                 np.clip(np.rint(ring[..., 0]).astype(np.int64), 0, cols_n - 1)]
    star = inside.reshape(-1, 3).astype(np.float64).mean(axis=0)
    background = around.reshape(-1, 3).astype(np.float64).mean(axis=0)
    weights = np.array([0.299, 0.587, 0.114])
    lighter = float((star - background) @ weights)
    # measured: gold -1.0; JPEG-smeared gold of 40-px emblems 0.15 to 0.4; white on Reflex
    # Blue 0.42 to 0.5; grey 1.0 (so some small gold emblems come out "white")
    return "colour" if star[2] - background[2] < 0.3 * lighter else "white"


def _mean_colours(rgb: npt.NDArray[np.uint8], positions: FloatArray, star_radius: float,
                  ) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """Mean colours of the stars' centres and of a ring around them (the rectangle)."""
    rows_n, cols_n = rgb.shape[:2]
    inner = positions[:, None, :] + 0.25 * star_radius * np.stack(
        [np.sin(_ANGLES[::6]), -np.cos(_ANGLES[::6])], axis=1)
    inner = np.concatenate([positions[:, None, :], inner], axis=1)
    ring = positions[:, None, :] + 1.6 * star_radius * np.stack(
        [np.sin(_ANGLES), -np.cos(_ANGLES)], axis=1)

    def mean(points: FloatArray) -> tuple[int, int, int]:
        picked = rgb[np.clip(np.rint(points[..., 1]).astype(np.int64), 0, rows_n - 1),
                     np.clip(np.rint(points[..., 0]).astype(np.int64), 0, cols_n - 1)]
        r, g, b = (round(float(v)) for v in picked.reshape(-1, 3).astype(np.float64)
                   .mean(axis=0))
        return r, g, b

    return mean(inner), mean(ring)


def colour_name(rgb: tuple[int, int, int]) -> str:
    """A French colour name for ``rgb`` (« bleu », « jaune », « rouge », « blanc » …).

    >>> colour_name((0, 51, 153)), colour_name((255, 204, 0)), colour_name((200, 16, 46))
    ('bleu', 'jaune', 'rouge')
    """
    r, g, b = (value / 255 for value in rgb)
    high, low = max(r, g, b), min(r, g, b)
    if high - low < 0.16 or (high > 0 and (high - low) / high < 0.22):
        return "blanc" if high > 0.78 else "noir" if high < 0.3 else "gris"
    if high == r:
        hue = (60 * (g - b) / (high - low)) % 360
    elif high == g:
        hue = 60 * (b - r) / (high - low) + 120
    else:
        hue = 60 * (r - g) / (high - low) + 240
    for limit, name in ((15, "rouge"), (40, "orange"), (72, "jaune"), (165, "vert"),
                        (195, "turquoise"), (255, "bleu"), (290, "violet"), (340, "rose")):
        if hue < limit:
            return name
    return "rouge"


_PLURAL = {"rouge": "rouges", "orange": "orange", "jaune": "jaunes", "vert": "vertes",
           "turquoise": "turquoise", "bleu": "bleues", "violet": "violettes", "rose": "roses",
           "blanc": "blanches", "noir": "noires", "gris": "grises"}
_OFFICIAL_COLOURS = {("jaune", "bleu"), ("orange", "bleu"),  # yellow on Reflex Blue
                     ("blanc", "bleu"), ("gris", "bleu"),  # one colour: white on Reflex Blue
                     ("noir", "blanc"), ("noir", "gris"),  # one colour: black on white
                     ("blanc", "noir"), ("blanc", "gris"), ("gris", "noir")}  # printed in grey


def emblem_colours(stars: tuple[int, int, int], field: tuple[int, int, int]
                   ) -> tuple[bool, str]:
    """Whether stars of colour ``stars`` on a rectangle of colour ``field`` are an official
    version of the emblem, and the colours seen in French.

    Official (DOMAIN §4, Annex IX): yellow stars on Reflex Blue; the one-colour versions (white
    stars on Reflex Blue, black stars on white); a colour emblem printed or scanned in grey
    (light stars on a dark grey rectangle) is accepted as such. The 12-star geometry in other
    colours (gold on red, green or black; white on red …) is not the EU emblem.

    >>> emblem_colours((255, 204, 0), (0, 51, 153))
    (True, 'étoiles jaunes sur fond bleu')
    >>> emblem_colours((255, 204, 0), (200, 16, 46))
    (False, 'étoiles jaunes sur fond rouge')
    """
    star, back = colour_name(stars), colour_name(field)
    seen = f"étoiles {_PLURAL[star]} sur fond {back}"
    return (star, back) in _OFFICIAL_COLOURS, seen


def _verify(stars: FloatArray, lum: FloatArray, rgb: npt.NDArray[np.uint8], dark: bool,
            scale: float) -> tuple[float, Variant, FloatArray, tuple[tuple[int, int, int],
                                                                    tuple[int, int, int]]] | None:
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
    if resolved >= _RESOLVED:  # five points visible on both rings
        inner = _points(lum, positions, star_radius, 0.5)
        outer = _points(lum, positions, star_radius, 0.7)
        if outer < 0.4 * inner:  # the points stop short of 0.7 R: stars too small
            return None
        points = min(inner, outer)
        needed = _MIN_POINTS_RESOLVED if resolved < _SHARP else min(
            0.1, 0.06 + 0.02 * (resolved - _SHARP))
    else:  # points blurred: only their trace on the outer ring
        points, needed = _points(lum, positions, star_radius, 0.7), _MIN_POINTS_WEAK
    if points < needed:
        return None
    # the rectangle, stars excepted, must contrast with the stars
    step = max(1, math.isqrt((right - left) * (bottom - top) // 8000))
    yy, xx = np.mgrid[top:bottom:step, left:right:step]
    near = (np.hypot(xx[..., None] - positions[:, 0], yy[..., None] - positions[:, 1])
            < 1.5 * star_radius).any(axis=-1)
    share = float((lum[yy, xx][~near] < _BRIGHT).mean())
    if share < _MIN_BACKGROUND:
        return None
    variant = "black" if dark else _light_variant(rgb, positions, star_radius)
    geometry = 1.0 - rms / (_MAX_RMS * radius + 0.3)
    checked = 1.0 if resolved >= _SHARP else 0.9 if resolved >= _RESOLVED else 0.8
    confidence = share * checked * (0.9 + 0.1 * geometry)
    return (round(confidence, 3), variant, np.array([centre[0], centre[1], radius]),
            _mean_colours(rgb, positions, star_radius))


def _working_copy(image: Image.Image) -> tuple[Image.Image, float, float]:
    """Flatten ``image`` on white and resize it for the search.

    Return the copy and its horizontal and vertical scales (copy pixels per picture pixel).
    """
    rgb = _flatten(image)
    width, height = rgb.size
    scale = 1.0
    if width * height > _WORK_PIXELS:
        scale = math.sqrt(_WORK_PIXELS / (width * height))
    elif height < _SMALL_HEIGHT:
        scale = min(3.0, max(1.0, round(_SMALL_HEIGHT / height)),
                    math.sqrt(_WORK_PIXELS / (width * height)))
    if scale == 1.0:
        return rgb, 1.0, 1.0
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    method = Image.Resampling.BOX if scale < 1 else Image.Resampling.BICUBIC
    return rgb.resize(size, method), size[0] / width, size[1] / height


_CACHE_SIZE = 64
_library_ids = itertools.count()
_cache: OrderedDict[tuple[object, ...], object] = OrderedDict()
_cache_lock = threading.Lock()


def _digest(image: Image.Image) -> tuple[object, ...]:
    """Return a key naming the picture by its pixels (the same logo in every document).

    A picture a reader took from its cache of decoded pictures knows it already; another one
    is hashed.
    """
    return pixel_key(image)


def _cached(key: tuple[object, ...], compute: object) -> object:
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    value = compute() if callable(compute) else compute
    with _cache_lock:
        _cache[key] = value
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return value


def find_emblems(image: Image.Image) -> list[EmblemMatch]:
    """Return the EU emblems found in ``image``, most confident first (empty list: none).

    Results are cached by pixel content (a small LRU): the same emblem in a batch of
    conventions is analysed once.
    """
    found = _cached(("emblems", *_digest(image)), lambda: tuple(_find_emblems(image)))
    return list(cast("tuple[EmblemMatch, ...]", found))


def _find_emblems(image: Image.Image) -> list[EmblemMatch]:
    """Return the EU emblems found in ``image`` (uncached; see ``find_emblems``).

    Structural search, by content only. The picture is flattened on white, reduced to about
    1,000,000 pixels if bigger (enlarged x2 or x3 if under 160 pixels high) and cut into light
    blobs (luminance > 100: gold or white stars) and dark blobs (< 150: black stars). Pairs of
    similar blobs one above the other give candidate circles; twelve blobs 30° apart on such a
    circle, one at 12 o'clock, are an emblem when:

    - each lies within 11 % of the circle radius (+ 0.5 px) of its clock position; after
      refitting the circle, the RMS error is under 5 % of the radius (+ 0.3 px); the areas
      agree with each other (x2.5) and with a star of 1/6 of the circle radius (x0.3 to x2);
    - they have five upright points (:func:`_points`, with a threshold that depends on the star
      radius R in pixels: R < 2 is refused; 2-3 checks the layout more than the shape; 3-4.5
      refuses dots; from 4.5 also pentagons and stars too small for the circle);
    - 70 % or more of the rectangle derived from the circle (3 radii high, 4.5 wide), stars
      excepted, contrasts with the stars (darker than light stars, lighter than dark ones).

    ``confidence`` = contrasting share of the rectangle x (1.0 if R >= 4.5, 0.9 if R >= 3,
    0.8 below) x (0.9 + 0.1 x geometric accuracy): 0.95 to 1.0 for a clean emblem from 81
    pixels high, 0.85 to 0.9 from 54 pixels, 0.75 to 0.8 from 40 pixels. Under 0.9 the stars'
    shape was only partly checked: twelve dots, triangles or small pentagons laid out exactly
    like the emblem can score that much; nothing else has in our tests.

    Smallest emblem found: 40 pixels high (stars of 2.2 pixels radius), after JPEG too; at 36
    pixels and below (stars under 2 pixels) it is refused. In a picture of more than 1,000,000
    pixels the minimum applies after the reduction (about 120 pixels in a 300 dpi A4 page).
    Small JPEG-compressed gold emblems (about 40 pixels) may be reported as ``"white"``: their
    colour is gone. R above is the star radius in the picture, or in the reduced copy.

    Time (2-core machine): 10-15 ms for a 1200×800 picture or a 2400×400 bandeau, 3-5 ms for
    a 90×60 one, about 130 ms for a 300 dpi A4 page of text, up to 90 ms for 1200×800 noise.

    >>> with asset("eu-emblem.png").open("rb") as f:
    ...     [(m.bbox, m.variant) for m in find_emblems(Image.open(f))]
    [((0, 0, 1200, 800), 'colour')]
    """
    if image.width < 12 or image.height < 8:
        return []
    work, scale_x, scale_y = _working_copy(image)
    rgb = np.asarray(work, dtype=np.uint8)
    lum = np.asarray(work.convert("L"), dtype=np.float64)
    found: list[tuple[float, Variant, FloatArray, tuple[tuple[int, int, int],
                                                         tuple[int, int, int]]]] = []
    for dark in (False, True):
        mask = lum < _DARK if dark else lum > _BRIGHT
        blobs = _star_sized(_blobs(mask), mask)
        if len(blobs) < 12:
            continue
        circles = _circles(blobs, lum.shape[0])
        if len(circles) > _MANY:  # keep the circles with an empty middle, as in the emblem
            inside = _box_sums(_summed_area(mask), circles[:, 0], circles[:, 1],
                               np.floor(0.5 * circles[:, 2]))
            circles = circles[inside <= 0.02 * (circles[:, 2] + 1) ** 2]
        expected = circles[:, None, :2] + circles[:, None, 2:] * _CLOCK  # (circles, 12, xy)
        tol = np.repeat(_POSITION_TOL * circles[:, 2] + 0.5, 12)
        nearest = _nearest(blobs, expected[..., 0].ravel(), expected[..., 1].ravel(), tol)
        nearest = nearest.reshape(-1, 12)
        for chosen in nearest[(nearest >= 0).all(axis=1)]:
            if np.unique(chosen).size == 12:
                result = _verify(blobs[chosen], 255.0 - lum if dark else lum, rgb, dark,
                                 scale_y)
                if result is not None:
                    found.append(result)
    found.sort(key=lambda item: -item[0])
    matches: list[EmblemMatch] = []
    kept: list[FloatArray] = []
    for confidence, variant, (cx, cy, radius), (stars_rgb, field_rgb) in found:
        if any(math.hypot(cx - k[0], cy - k[1]) < k[2] for k in kept):
            continue  # the same emblem, found from another pair of stars or in both passes
        kept.append(np.array([cx, cy, radius]))
        # pixel (i, j) covers [i, i + 1): its centre is at i + 0.5 in edge coordinates
        box = (cx + 0.5 - 2.25 * radius, cy + 0.5 - 1.5 * radius,
               cx + 0.5 + 2.25 * radius, cy + 0.5 + 1.5 * radius)
        bbox = (round(box[0] / scale_x), round(box[1] / scale_y), round(box[2] / scale_x),
                round(box[3] / scale_y))
        matches.append(EmblemMatch(bbox, confidence, variant, stars_rgb, field_rgb))
    return matches


# --- logo library --------------------------------------------------------------------------------
# Thresholds, measured on the built-in FSE drawing (mean absolute difference / correlation):
# reduced to 90×60, white margin, JPEG quality 75: 0.04 / 0.98; 60×40: 0.06 / 0.94; 45×30:
# 0.10 / 0.87 (too small). Different pictures: the drawing in grey 0.11 / 0.91, mirrored
# 0.14 / 0.64, colours swapped 0.16 / 0.75; the EU emblem at the same size 0.35 / 0.17.

_SIGNATURE_SIZE = 32
_NOISE = 24.0  # difference from the border colour (0..255) below which a pixel is background
_TRIM = 0.01  # share of the content's "ink" left outside the box, on each side
_MAX_ASPECT_GAP = 0.08  # |ln(aspect ratio / reference's)|: about 8 %
_MIN_CORRELATION = 0.92  # Pearson, over the 32×32×3 values
_MAX_DIFFERENCE = 0.08  # mean absolute difference, 0..1


@dataclass(frozen=True, slots=True)
class _Signature:
    aspect: float
    pixels: FloatArray  # _SIGNATURE_SIZE² x 3, in 0..1


def _extent(profile: FloatArray) -> tuple[float, float]:
    """Edges (fractional pixels) outside which lies ``_TRIM`` of the profile's mass, each side.

    Unlike a first/last non-blank pixel, this does not move with JPEG ringing or with the size
    of the picture.
    """
    cumulative = np.concatenate([[0.0], np.cumsum(profile)])
    total = cumulative[-1]
    edges = np.interp([_TRIM * total, (1 - _TRIM) * total], cumulative,
                      np.arange(cumulative.size, dtype=np.float64))
    return float(edges[0]), float(edges[1])


def _signature(image: Image.Image) -> _Signature | None:
    """Normalise a picture for comparison; ``None`` if it is uniform."""
    rgb = _flatten(image)
    if rgb.width > 512 or rgb.height > 512:
        rgb = ImageOps.contain(rgb, (512, 512), Image.Resampling.BOX)
    array = np.asarray(rgb, dtype=np.float64)
    border = np.concatenate([array[0], array[-1], array[:, 0], array[:, -1]])
    ink = np.clip(np.abs(array - np.median(border, axis=0)).max(axis=2) - _NOISE, 0, None)
    if ink.sum() <= 0:
        return None
    left, right = _extent(ink.sum(axis=0))
    top, bottom = _extent(ink.sum(axis=1))
    if right - left < 1 or bottom - top < 1:
        return None
    small = rgb.resize((_SIGNATURE_SIZE, _SIGNATURE_SIZE), Image.Resampling.BOX,
                       box=(left, top, right, bottom))
    pixels = np.asarray(small, dtype=np.float64).reshape(-1, 3) / 255.0
    return _Signature((right - left) / (bottom - top), pixels)


@functools.cache
def _builtin_signature(name: str) -> _Signature:
    """The signature of a built-in logo, worked out once (its pixels never change)."""
    signature = _signature(_open_asset(name))
    assert signature is not None, name  # the built-in drawings are not uniform
    return signature


def _correlation(a: FloatArray, b: FloatArray) -> float:
    a, b = a - a.mean(), b - b.mean()
    norm = math.sqrt(float((a * a).sum() * (b * b).sum()))
    return float((a * b).sum()) / norm if norm > 0 else 0.0


class LogoLibrary:
    """Reference logos by role (``"fse"`` …), recognised by image content.

    Both the picture and each reference are normalised the same way: transparency flattened on
    white; margins of the border's colour trimmed (the box keeps all but 1 % of the content's
    "ink" on each side, which JPEG ringing and size do not move); the content resized to 32×32.
    A picture shows a reference when the aspect ratios of the trimmed contents differ by less
    than 8 % (a stretched logo is a modified logo), the Pearson correlation of the 32×32×3
    values is at least 0.92 and their mean absolute difference at most 0.08 (of full scale).
    Size, file name and alt text play no part. Works from about 60 pixels wide, after JPEG
    re-encoding; a grey or recoloured version is a different picture (register it too).

    >>> library = LogoLibrary.default()
    >>> with asset("fse-logo.png").open("rb") as f:
    ...     library.match(Image.open(f).resize((300, 200)))
    'fse'
    """

    def __init__(self) -> None:
        self._references: dict[str, list[_Signature]] = {}
        self._id = next(_library_ids)
        self._version = 0  # changes with every registration: cached matches stay right

    @classmethod
    def default(cls) -> LogoLibrary:
        """Return a library holding the built-in ``"fse"`` drawing (not the official logo)."""
        library = cls()
        library._add("fse", _builtin_signature("fse-logo.png"), replace=True)
        return library

    @property
    def roles(self) -> tuple[str, ...]:
        """Return the registered roles, sorted."""
        return tuple(sorted(self._references))

    def register(self, role: str, image: Image.Image | str | os.PathLike[str] | bytes, *,
                 replace: bool = True) -> None:
        """Register ``image`` as the reference of ``role``.

        ``image`` is a picture, a file path or a file's bytes. By default it replaces the
        role's previous references (the user's official file takes the place of the built-in
        drawing); with ``replace=False`` it is one more accepted version (e.g. monochrome).
        An unreadable or uniform picture raises :class:`~convention_docs.errors.AssetError`.
        """
        if isinstance(image, Image.Image):
            picture = image
        else:
            label = "données fournies" if isinstance(image, bytes) else os.fspath(image)

            def refuse(message: str) -> AssetError:
                return AssetError(f"logo « {role} » illisible ({label}) : {message}")

            data = image if isinstance(image, bytes) else _limits.read_regular(
                image, error=refuse, what="logo")
            try:
                with Image.open(io.BytesIO(data)) as f:
                    _limits.check_picture(f.size, error=refuse)
                    f.load()
                    picture = f.copy()
            except Image.DecompressionBombError as error:
                raise refuse(_limits.BOMB) from error
            except (OSError, UnidentifiedImageError) as error:
                raise refuse(str(error)) from error
        signature = _signature(picture)
        if signature is None:
            raise AssetError(f"logo « {role} » inutilisable : l'image est d'une seule couleur")
        self._add(role, signature, replace=replace)

    def _add(self, role: str, signature: _Signature, *, replace: bool) -> None:
        self._version += 1
        if replace:
            self._references[role] = [signature]
        else:
            self._references.setdefault(role, []).append(signature)

    def match(self, image: Image.Image) -> str | None:
        """Return the role of the reference ``image`` shows (the closest), or ``None``."""
        key = ("match", self._id, self._version, *_digest(image))
        return _cached(key, lambda: self._match(image))  # type: ignore[return-value]

    def _match(self, image: Image.Image) -> str | None:
        signature = _signature(image)
        if signature is None:
            return None
        best: tuple[float, str] | None = None
        for role, references in self._references.items():
            for reference in references:
                if abs(math.log(signature.aspect / reference.aspect)) > _MAX_ASPECT_GAP:
                    continue
                difference = float(np.abs(signature.pixels - reference.pixels).mean())
                correlation = _correlation(signature.pixels, reference.pixels)
                if (correlation >= _MIN_CORRELATION and difference <= _MAX_DIFFERENCE
                        and (best is None or correlation > best[0])):
                    best = (correlation, role)
        return best[1] if best else None
