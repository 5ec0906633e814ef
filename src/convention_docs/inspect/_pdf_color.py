"""PDF colour spaces and colours, reduced to 0-255 RGB for the visibility tests.

Spaces are kept as small tuples: ``("gray",)``, ``("rgb",)``, ``("cmyk",)``,
``("indexed", base, lookup)`` or ``("other",)`` (Separation, DeviceN, Pattern, Lab: the colour
is then unknown and never judged). CMYK is converted naively (no ICC profile).

>>> to_rgb(("cmyk",), [0, 0, 0, 0]), to_rgb(("gray",), [0.5])
((255, 255, 255), (128, 128, 128))
"""

from __future__ import annotations

from typing import Any

from convention_docs.inspect._pdf_util import get, number, resolve

__all__ = ["RGB", "Space", "color_space", "to_rgb"]

RGB = tuple[int, int, int]
Space = tuple[Any, ...]


def color_space(name: Any, resources: Any) -> Space:
    """Return the colour space ``name`` (a device name or a ``/ColorSpace`` resource)."""
    device = {"/DeviceGray": "gray", "/DeviceRGB": "rgb", "/DeviceCMYK": "cmyk",
              "/CalGray": "gray", "/CalRGB": "rgb", "/G": "gray", "/RGB": "rgb",
              "/CMYK": "cmyk"}
    if name in device:
        return (device[name],)
    space = get(get(resources, "/ColorSpace", {}), name, name) if isinstance(
        name, str) else resolve(name)
    if isinstance(space, str):
        return (device.get(space, "other"),)
    family = str(resolve(space[0])) if space else ""
    if family == "/ICCBased":
        count = int(number(get(resolve(space[1]), "/N"), 0))
        return ({1: "gray", 3: "rgb", 4: "cmyk"}.get(count, "other"),)
    if family == "/Indexed" and len(space) >= 4:
        lookup = resolve(space[3])
        if hasattr(lookup, "get_data"):
            table = lookup.get_data()
        else:
            table = getattr(lookup, "original_bytes", lookup)
            table = table if isinstance(table, bytes) else str(table).encode("latin-1")
        return ("indexed", color_space(resolve(space[1]), resources), table)
    return (device.get(family, "other"),)


def to_rgb(space: Space, values: list[float]) -> RGB | None:
    """Return colour ``values`` in ``space`` as 0-255 RGB; ``None`` when it cannot be told."""
    kind = space[0]
    if kind == "indexed" and values:
        base, table = space[1], space[2]
        count = {"gray": 1, "rgb": 3, "cmyk": 4}.get(base[0], 0)
        index = int(values[0])
        chunk = table[index * count:(index + 1) * count]
        if not count or len(chunk) != count:
            return None
        return to_rgb(base, [v / 255 for v in chunk])
    channels = [min(1.0, max(0.0, v)) for v in values]
    if kind == "gray" and len(channels) == 1:
        level = round(channels[0] * 255)
        return level, level, level
    if kind == "rgb" and len(channels) == 3:
        return round(channels[0] * 255), round(channels[1] * 255), round(channels[2] * 255)
    if kind == "cmyk" and len(channels) == 4:
        c, m, y, k = channels
        return (round(255 * (1 - c) * (1 - k)), round(255 * (1 - m) * (1 - k)),
                round(255 * (1 - y) * (1 - k)))
    return None
