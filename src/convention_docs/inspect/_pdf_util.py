"""Small helpers over pypdf objects and PDF matrices (row-vector convention, as in the spec)."""

from __future__ import annotations

import math
from typing import Any

__all__ = ["IDENTITY", "Matrix", "apply", "get", "mult", "number", "resolve", "scale_of"]

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def resolve(value: Any) -> Any:
    """Return the object behind an indirect reference (anything else unchanged)."""
    return value.get_object() if hasattr(value, "get_object") else value


def get(mapping: Any, key: str, default: Any = None) -> Any:
    """Return ``mapping[key]`` resolved, or ``default`` (also when ``mapping`` is no dict)."""
    mapping = resolve(mapping)
    if not isinstance(mapping, dict):
        return default
    value = resolve(mapping.get(key))
    return default if value is None else value


def number(value: Any, default: float) -> float:
    """Return ``value`` as a float, or ``default`` when it is no number."""
    try:
        result = float(resolve(value))
    except (TypeError, ValueError):
        return default
    return result if math.isfinite(result) else default


def mult(m: Matrix, n: Matrix) -> Matrix:
    """Return ``m × n`` (apply ``m`` first, then ``n``)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s,
            e * p + f * r + t, e * q + f * s + u)


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    """Return the point ``(x, y)`` transformed by ``m``."""
    return x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5]


def scale_of(m: Matrix) -> tuple[float, float]:
    """Return the lengths of the images of the unit x and y vectors."""
    return math.hypot(m[0], m[1]), math.hypot(m[2], m[3])
