"""Optical character recognition with Tesseract (Debian's ``tesseract-ocr`` + ``-fra``).

The ``tesseract`` command is run on a PNG written to a temporary folder; its TSV output gives
each word with its confidence (0-100). Nothing here needs the network. When Tesseract or its
French data is missing, :func:`available` says so and the callers report that the pixels could
not be read, never a false finding.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

__all__ = ["OcrLine", "OcrText", "available", "read_image"]

TIMEOUT_S = 120


@dataclass(frozen=True)
class OcrLine:
    """One line read by OCR: its words joined by spaces, its mean word confidence (0-100),
    and its box ``(left, top, right, bottom)`` in pixels of the image read."""

    text: str
    confidence: float
    bbox: tuple[int, int, int, int]


@dataclass(frozen=True)
class OcrText:
    """What Tesseract read in one image."""

    lines: tuple[OcrLine, ...]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def confidence(self) -> float:
        """Mean confidence of the lines, weighted by their length (0 when nothing was read)."""
        total = sum(len(line.text) for line in self.lines)
        if not total:
            return 0.0
        return sum(line.confidence * len(line.text) for line in self.lines) / total


@functools.cache
def _tesseract() -> str | None:
    tool = shutil.which("tesseract")
    if tool is None:
        return None
    try:
        listed = subprocess.run([tool, "--list-langs"], capture_output=True, text=True,
                                timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    languages = {line.strip() for line in (listed.stdout + listed.stderr).splitlines()}
    return tool if "fra" in languages else None


def available() -> bool:
    """Whether Tesseract and its French data are installed."""
    return _tesseract() is not None


def read_image(image: Image.Image, *, sparse: bool = False) -> OcrText:
    """Return the text Tesseract reads in ``image`` (French; ``sparse``: scattered text, as in
    a picture, rather than a page of paragraphs).

    Raises ``RuntimeError`` when Tesseract is missing (check :func:`available` first) or fails.
    """
    tool = _tesseract()
    if tool is None:
        raise RuntimeError("Tesseract (tesseract-ocr, tesseract-ocr-fra) n'est pas installé")
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with tempfile.TemporaryDirectory(prefix="convention-docs-ocr-") as folder:
        picture = Path(folder) / "image.png"
        image.convert("RGB").save(picture)
        try:
            done = subprocess.run(
                [tool, str(picture), "stdout", "-l", "fra", "--psm", "11" if sparse else "3",
                 "tsv"], capture_output=True, text=True, timeout=TIMEOUT_S, check=False,
                env=environment)
        except (OSError, subprocess.SubprocessError) as error:
            raise RuntimeError(f"Tesseract a échoué : {error}") from error
    if done.returncode != 0:
        raise RuntimeError(f"Tesseract a échoué : {done.stderr.strip()[:200]}")
    return _parse_tsv(done.stdout)


def _parse_tsv(tsv: str) -> OcrText:
    grouped: dict[tuple[str, ...], list[tuple[str, float, tuple[int, int, int, int]]]] = {}
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or not cells[11].strip():
            continue
        try:
            confidence = float(cells[10])
            left, top, width, height = (int(v) for v in cells[6:10])
        except ValueError:
            continue
        if confidence < 0:
            continue
        key = (cells[1], cells[2], cells[3], cells[4])  # page, block, paragraph, line
        grouped.setdefault(key, []).append((cells[11].strip(), confidence,
                                            (left, top, left + width, top + height)))
    lines = []
    for words in grouped.values():
        boxes = [box for _, _, box in words]
        lines.append(OcrLine(" ".join(text for text, _, _ in words),
                             sum(conf for _, conf, _ in words) / len(words),
                             (min(b[0] for b in boxes), min(b[1] for b in boxes),
                              max(b[2] for b in boxes), max(b[3] for b in boxes))))
    return OcrText(tuple(lines))
