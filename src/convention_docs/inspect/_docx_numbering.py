"""Labels of automatically numbered paragraphs (« Article 1 », « 2.3 », « b) »).

Word draws these labels from ``numbering.xml``; they are not in the paragraph's text. The label
of a paragraph whose ``w:numPr`` (direct or from its style) names a list is rebuilt from the
level's ``w:lvlText``, ``w:numFmt``, ``w:start`` (or the list's ``w:startOverride``) and
``w:suff``, with one counter per list (``numId``) and deeper levels restarting when a level
advances. Formats: decimal, decimalZero, upper/lowerRoman, upper/lowerLetter, ordinal (French:
« 1er », « 2e »); others count in decimal; bullets and ``none`` give no label. ``lvlRestart``,
``w:lvl`` overrides and style-linked lists (``numStyleLink``) are not applied.

>>> roman(1994), letters(28), ordinal(1), ordinal(2)
('MCMXCIV', 'BB', '1er', '2e')
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from convention_docs.inspect._docx_styles import W

__all__ = ["Numbering", "letters", "ordinal", "roman"]

_SUFFIX = {"tab": "\t", "space": " ", "nothing": ""}
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
          (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(number: int) -> str:
    """Return ``number`` in upper-case Roman numerals."""
    out = []
    for value, digits in _ROMAN:
        count, number = divmod(number, value)
        out.append(digits * count)
    return "".join(out)


def letters(number: int) -> str:
    """Return Word's letter numbering: A … Z, then AA, BB … ZZ, then AAA …"""
    if number < 1:
        return ""
    return chr(ord("A") + (number - 1) % 26) * ((number - 1) // 26 + 1)


def ordinal(number: int) -> str:
    """Return a French ordinal number: « 1er », « 2e »."""
    return f"{number}er" if number == 1 else f"{number}e"


def _format(number: int, fmt: str) -> str:
    formats = {
        "decimalZero": lambda n: f"{n:02d}", "upperRoman": roman,
        "lowerRoman": lambda n: roman(n).lower(), "upperLetter": letters,
        "lowerLetter": lambda n: letters(n).lower(), "ordinal": ordinal,
    }
    return formats.get(fmt, str)(number)


@dataclass(frozen=True)
class _Level:
    start: int
    fmt: str
    text: str
    suffix: str
    legal: bool


def _val(element: Any, name: str) -> str | None:
    found = element.find(f"{W}{name}")
    return None if found is None else found.get(f"{W}val")


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


class Numbering:
    """The lists of one document and their running counters.

    A list's levels are read from ``numbering.xml`` the first time a paragraph uses it.
    """

    def __init__(self, root: Any | None) -> None:
        self._definitions: dict[str, Any] = {}  # abstractNumId -> w:abstractNum (the last)
        self._nums: dict[str, Any] = {}  # numId -> w:num (the last)
        self._levels: dict[str, dict[int, _Level]] = {}
        self._lists: dict[str, tuple[dict[int, _Level], dict[int, int]]] = {}
        self._counters: dict[str, dict[int, int]] = {}
        if root is None:
            return
        for definition in root.iterchildren(f"{W}abstractNum"):
            self._definitions[str(definition.get(f"{W}abstractNumId"))] = definition
        for num in root.iterchildren(f"{W}num"):
            self._nums[str(num.get(f"{W}numId"))] = num

    def _list(self, num_id: str) -> tuple[dict[int, _Level], dict[int, int]]:
        """The levels of list ``num_id`` and its start overrides (``num_id`` is known)."""
        found = self._lists.get(num_id)
        if found is None:
            num = self._nums[num_id]
            overrides = {
                _int(override.get(f"{W}ilvl"), 0): _int(_val(override, "startOverride"), 1)
                for override in num.iterchildren(f"{W}lvlOverride")
                if override.find(f"{W}startOverride") is not None
            }
            found = self._lists[num_id] = (self._abstract(str(_val(num, "abstractNumId"))),
                                           overrides)
        return found

    def _abstract(self, abstract_id: str) -> dict[int, _Level]:
        """The levels of the abstract list ``abstract_id`` (empty when it is not defined)."""
        levels = self._levels.get(abstract_id)
        if levels is None:
            levels = self._levels[abstract_id] = {}
            definition = self._definitions.get(abstract_id)
            for level in () if definition is None else definition.iterchildren(f"{W}lvl"):
                legal = level.find(f"{W}isLgl")
                levels[_int(level.get(f"{W}ilvl"), 0)] = _Level(
                    start=_int(_val(level, "start"), 1), fmt=_val(level, "numFmt") or "decimal",
                    text=_val(level, "lvlText") or "",
                    suffix=_SUFFIX.get(_val(level, "suff") or "tab", "\t"),
                    legal=legal is not None and legal.get(f"{W}val", "1") not in ("0", "false"),
                )
        return levels

    def fresh(self) -> Numbering:
        """Return the same lists with counters of their own.

        The definitions (and the levels read from them) are shared: documents with the same
        numbering part read it once.
        """
        twin = copy.copy(self)
        twin._counters = {}
        return twin

    def restart(self) -> None:
        """Forget every counter (each story part numbers its lists on its own)."""
        self._counters.clear()

    def label(self, num_id: str | None, level: int) -> str:
        """Advance the list ``num_id`` at ``level`` and return the label with its suffix."""
        if num_id is None or num_id not in self._nums:
            return ""
        levels, overrides = self._list(num_id)
        definition = levels.get(level)
        if definition is None or definition.fmt in ("bullet", "none"):
            return ""
        counters = self._counters.setdefault(num_id, {})

        def start(lvl: int) -> int:
            return overrides.get(lvl, levels[lvl].start if lvl in levels else 1)

        counters[level] = counters[level] + 1 if level in counters else start(level)
        for deeper in [lvl for lvl in counters if lvl > level]:
            del counters[deeper]

        def substitute(match: re.Match[str]) -> str:
            lvl = int(match.group(1)) - 1
            fmt = levels[lvl].fmt if lvl in levels else "decimal"
            return _format(counters.get(lvl, start(lvl)), "decimal" if definition.legal else fmt)

        text = re.sub(r"%([1-9])", substitute, definition.text)
        return text + definition.suffix if text else ""
