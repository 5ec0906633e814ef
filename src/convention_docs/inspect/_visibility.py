"""What "visible" means, shared by the .docx and PDF readers: thresholds and French reasons.

Text is invisible when it is hidden (``w:vanish``, PDF render mode 3 or 7, optional content
switched off), smaller than :data:`MIN_FONT_PT`, drawn outside the page, (PDF) wholly outside
its clipping path (:data:`CLIPPED_TEXT`), painted with an opacity under :data:`MIN_ALPHA` or
covered by opaque paint drawn after it, or when its colour
is within :data:`COLOR_TOLERANCE` of its background on every channel (white background by
default, so each channel >= 240 on white).

An image is invisible when it fits in a :data:`MIN_IMAGE_MM` square or one side is under
:data:`MIN_IMAGE_SIDE_MM`, when it is hidden, drawn mostly outside the page, transparent, or
(PDF) when the part its clipping path leaves is empty or that small (:data:`CLIPPED_IMAGE`),
or covered over :data:`COVERED_FRACTION` of its area by later opaque paint.

>>> text_reason(hidden=False, size_pt=2, color=(0, 0, 0))
'corps de 2 pt'
>>> text_reason(hidden=False, size_pt=11, color=(250, 250, 250))
'texte blanc'
>>> image_reason(width_mm=2.0, height_mm=1.33)
'image trop petite (2 × 1,33 mm)'
>>> image_reason(width_mm=22.5, height_mm=15.0, clipped_mm=(0.35, 0.35))
'image masquée par un découpage'
"""

from __future__ import annotations

__all__ = [
    "CLIPPED_IMAGE",
    "CLIPPED_TEXT",
    "COLOR_TOLERANCE",
    "COVERED_FRACTION",
    "MIN_ALPHA",
    "MIN_FONT_PT",
    "MIN_IMAGE_MM",
    "MIN_IMAGE_SIDE_MM",
    "MIN_INSIDE_FRACTION",
    "OUTSIDE",
    "fr_number",
    "image_reason",
    "text_reason",
]

MIN_FONT_PT = 4.0
"""Text drawn smaller than this (points) cannot be read."""
COLOR_TOLERANCE = 15
"""Text whose colour differs from its background by at most this on every channel is unseen."""
MIN_ALPHA = 0.1
"""Paint with an opacity (PDF ``/ca``) under this is unseen."""
MIN_IMAGE_MM = 3.0
"""An image whose width and height are both under this (mm) does not count as shown."""
MIN_IMAGE_SIDE_MM = 1.0
"""An image with a side under this (mm) is a sliver and does not count as shown."""
MIN_INSIDE_FRACTION = 0.5
"""A line or image with less than this fraction of its area inside the page is off the page."""
COVERED_FRACTION = 0.9
"""An image covered over at least this fraction of its area by later opaque paint is hidden."""

OUTSIDE = "hors de la page"
CLIPPED_TEXT = "texte masqué par un découpage"
"""(PDF) Text drawn wholly outside the clipping path in force."""
CLIPPED_IMAGE = "image masquée par un découpage"
"""(PDF) An image of which the clipping path leaves nothing, or too little to count as shown."""
WHITE = (255, 255, 255)


def fr_number(value: float) -> str:
    """Return ``value`` with at most two decimals and a French decimal comma.

    >>> fr_number(1.5), fr_number(2.0), fr_number(3.999)
    ('1,5', '2', '4')
    """
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def same_color(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    """Return whether two colours are within :data:`COLOR_TOLERANCE` on every channel."""
    return all(abs(x - y) <= COLOR_TOLERANCE for x, y in zip(a, b, strict=True))


def text_reason(
    *,
    hidden: bool,
    size_pt: float | None,
    color: tuple[int, int, int] | None,
    background: tuple[int, int, int] | None = WHITE,
    outside: bool = False,
    alpha: float = 1.0,
    covered: bool = False,
    clipped: bool = False,
    hidden_reason: str = "texte masqué",
) -> str | None:
    """Return why text with these properties is unseen, or ``None`` when it is visible.

    ``color=None`` (unknown or automatic colour) or ``background=None`` (unknown background)
    skip the colour test.
    """
    if hidden:
        return hidden_reason
    if outside:
        return OUTSIDE
    if clipped:
        return CLIPPED_TEXT
    if covered:
        return "texte recouvert"
    if size_pt is not None and size_pt < MIN_FONT_PT:
        return f"corps de {fr_number(size_pt)} pt"
    if alpha < MIN_ALPHA:
        return "texte transparent"
    if color is not None and background is not None and same_color(color, background):
        return "texte blanc" if same_color(background, WHITE) else "texte de la couleur du fond"
    return None


def image_reason(
    *,
    width_mm: float,
    height_mm: float,
    hidden: bool = False,
    outside: bool = False,
    alpha: float = 1.0,
    covered: bool = False,
    clipped_mm: tuple[float, float] | None = None,
    hidden_reason: str = "image masquée",
) -> str | None:
    """Return why an image placed like this is unseen, or ``None`` when it is visible.

    ``clipped_mm``: (PDF) the width and height of what the clipping path leaves of the image
    (zero or negative when nothing), ``None`` when no clip applies.
    """
    if hidden:
        return hidden_reason
    if outside:
        return OUTSIDE
    if _tiny(width_mm, height_mm):
        return f"image trop petite ({fr_number(width_mm)} × {fr_number(height_mm)} mm)"
    if clipped_mm is not None and _tiny(*clipped_mm):
        return CLIPPED_IMAGE
    if alpha < MIN_ALPHA:
        return "image transparente"
    if covered:
        return "image recouverte"
    return None


def _tiny(width_mm: float, height_mm: float) -> bool:
    return max(width_mm, height_mm) < MIN_IMAGE_MM or min(width_mm, height_mm) < MIN_IMAGE_SIDE_MM
