"""Effective run formatting of a .docx, resolved through the style chain.

Order of precedence for each property (the first level that sets it wins): the run's own
``w:rPr``, its character style and that style's ``basedOn`` chain, the paragraph's style (or the
default paragraph style) and its chain, then ``w:docDefaults``. Toggle properties (bold,
italic, hidden) are treated like the others (first explicit value wins) rather than toggled
between style levels; table styles and theme colours are not applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["ParagraphContext", "RunStyle", "StyleResolver", "W", "parse_hex_color"]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_FALSE = {"0", "false", "off", "none"}
_DEFAULT_SIZE_PT = 10.0  # ECMA-376 17.3.2.38: 10 pt when no level sets w:sz

HIGHLIGHT_RGB: dict[str, tuple[int, int, int]] = {
    "black": (0, 0, 0), "blue": (0, 0, 255), "cyan": (0, 255, 255), "green": (0, 255, 0),
    "magenta": (255, 0, 255), "red": (255, 0, 0), "yellow": (255, 255, 0),
    "white": (255, 255, 255), "darkBlue": (0, 0, 128), "darkCyan": (0, 128, 128),
    "darkGreen": (0, 128, 0), "darkMagenta": (128, 0, 128), "darkRed": (128, 0, 0),
    "darkYellow": (128, 128, 0), "darkGray": (128, 128, 128), "lightGray": (192, 192, 192),
}

Element = Any  # lxml elements as python-docx hands them out (typed loosely on purpose)


def parse_hex_color(value: str | None) -> tuple[int, int, int] | None:
    """Return ``"1F3864"`` as ``(31, 56, 100)``; ``None`` for ``auto``, absent or malformed."""
    if not value or len(value) != 6:
        return None
    try:
        return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
    except ValueError:
        return None


@dataclass(frozen=True)
class RunStyle:
    """Effective formatting of a run. ``color`` is ``None`` for automatic colour (black)."""

    color: tuple[int, int, int] | None
    size_pt: float
    font: str | None
    bold: bool
    italic: bool
    hidden: bool
    background: tuple[int, int, int] | None  # highlight or run shading, None when none


@dataclass(frozen=True)
class ParagraphContext:
    """What a paragraph passes down to its runs: its style chain and its background."""

    chain: tuple[Element, ...]  # rPr elements of the paragraph style chain, then docDefaults
    background: tuple[int, int, int] | None
    num_id: str | None = None  # the automatic numbering list, if any
    num_level: int = 0


class StyleResolver:
    """Resolve run formatting against one document's styles part and theme fonts."""

    def __init__(self, styles: Element | None, theme: Element | None) -> None:
        self._rpr: dict[str, Element | None] = {}
        self._ppr: dict[str, Element | None] = {}
        self._based_on: dict[str, str] = {}
        self._default_paragraph: str | None = None
        self._chains: dict[str, tuple[Element, ...]] = {}
        self._runs: dict[Any, RunStyle] = {}
        self._paragraph_styles: dict[str | None, Any] = {}
        defaults = None
        if styles is not None:
            defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
            for style in styles.iterfind(f"{W}style"):
                style_id = style.get(f"{W}styleId")
                if style_id is None:
                    continue
                self._rpr[style_id] = style.find(f"{W}rPr")
                self._ppr[style_id] = style.find(f"{W}pPr")
                based_on = style.find(f"{W}basedOn")
                if based_on is not None and based_on.get(f"{W}val"):
                    self._based_on[style_id] = based_on.get(f"{W}val")
                if style.get(f"{W}type") == "paragraph" and style.get(f"{W}default") in (
                    "1", "true", "on"
                ):
                    self._default_paragraph = style_id
        self._defaults: tuple[Element, ...] = () if defaults is None else (defaults,)
        self._theme_fonts = _theme_fonts(theme)

    @property
    def default_language(self) -> str | None:
        """The ``w:lang`` of ``w:docDefaults`` (what a PDF export writes as ``/Lang``)."""
        for rpr in self._defaults:
            lang = rpr.find(f"{W}lang")
            if lang is not None and lang.get(f"{W}val"):
                return str(lang.get(f"{W}val"))
        return None

    def _style_ids(self, style_id: str | None) -> list[str]:
        ids: list[str] = []
        while style_id is not None and style_id not in ids and len(ids) < 50:
            ids.append(style_id)
            style_id = self._based_on.get(style_id)
        return ids

    def _chain(self, style_id: str | None) -> tuple[Element, ...]:
        key = style_id or ""
        if key not in self._chains:
            rprs = (self._rpr.get(s) for s in self._style_ids(style_id))
            self._chains[key] = tuple(r for r in rprs if r is not None)
        return self._chains[key]

    def paragraph(self, p: Element, inherited: tuple[int, int, int] | None) -> ParagraphContext:
        """Return the context of paragraph ``p`` (``inherited``: the table cell's shading)."""
        ppr = p.find(f"{W}pPr")
        style_ref = None if ppr is None else ppr.find(f"{W}pStyle")
        style_id = style_ref.get(f"{W}val") if style_ref is not None else self._default_paragraph
        styled = self._paragraph_styles.get(style_id)
        if styled is None:
            styled = self._paragraph_styles[style_id] = self._paragraph_style(style_id)
        style_shd, style_numbering, chain = styled
        shd = None if ppr is None else ppr.find(f"{W}shd")
        background = _shading(shd if shd is not None else style_shd) or inherited
        num_id = level = None
        numbering = None if ppr is None else ppr.find(f"{W}numPr")
        if numbering is not None:
            num_id, level = _value(numbering, "numId"), _value(numbering, "ilvl")
        for style_num_id, style_level in style_numbering:  # the style chain's, in order
            num_id = num_id or style_num_id
            level = level or style_level
        try:
            num_level = int(level or 0)
        except ValueError:
            num_level = 0
        return ParagraphContext(chain, background, None if num_id == "0" else num_id, num_level)

    def _paragraph_style(self, style_id: str | None
                         ) -> tuple[Element | None, tuple[tuple[str | None, str | None], ...],
                                    tuple[Element, ...]]:
        """What a paragraph style chain gives: its first ``w:shd``, the ``w:numId`` and
        ``w:ilvl`` of each ``w:numPr`` along it, the rPr chain (docDefaults last)."""
        pprs = [self._ppr.get(s) for s in self._style_ids(style_id)]
        numbering = tuple((_value(n, "numId"), _value(n, "ilvl")) for n in (
            None if props is None else props.find(f"{W}numPr") for props in pprs)
            if n is not None)
        return _first(pprs, "shd"), numbering, self._chain(style_id) + self._defaults

    def run(self, rpr: Element | None, paragraph: ParagraphContext) -> RunStyle:
        """Return the effective formatting of a run whose direct properties are ``rpr``."""
        # Runs repeat the same few formattings: key on what ``_resolve`` reads of ``rpr``, its
        # children's tags and attributes in order (``find`` looks at children only).
        key = (paragraph.chain, paragraph.background, None if rpr is None else tuple(
            (child.tag, tuple(child.attrib.items())) for child in rpr
            if isinstance(child.tag, str)))
        style = self._runs.get(key)
        if style is None:
            style = self._runs[key] = self._resolve(rpr, paragraph)
        return style

    def _resolve(self, rpr: Element | None, paragraph: ParagraphContext) -> RunStyle:
        char_style = None if rpr is None else rpr.find(f"{W}rStyle")
        chain: list[Element | None] = [rpr]
        if char_style is not None:
            chain.extend(self._chain(char_style.get(f"{W}val")))
        chain.extend(paragraph.chain)
        size = _first(chain, "sz")
        try:
            size_pt = int(size.get(f"{W}val")) / 2 if size is not None else _DEFAULT_SIZE_PT
        except (TypeError, ValueError):
            size_pt = _DEFAULT_SIZE_PT
        color = _first(chain, "color")
        highlight = _first(chain, "highlight")
        background = None if highlight is None else HIGHLIGHT_RGB.get(highlight.get(f"{W}val", ""))
        return RunStyle(
            color=parse_hex_color(color.get(f"{W}val")) if color is not None else None,
            size_pt=size_pt,
            font=self._font(chain),
            bold=_on(_first(chain, "b")),
            italic=_on(_first(chain, "i")),
            hidden=_on(_first(chain, "vanish")) or _on(_first(chain, "specVanish")),
            background=background or _shading(_first(chain, "shd")) or paragraph.background,
        )

    def _font(self, chain: list[Element | None]) -> str | None:
        for props in chain:
            fonts = None if props is None else props.find(f"{W}rFonts")
            if fonts is None:
                continue
            theme = fonts.get(f"{W}asciiTheme")
            if theme:
                return self._theme_fonts.get("major" if theme.startswith("major") else "minor")
            if fonts.get(f"{W}ascii"):
                return str(fonts.get(f"{W}ascii"))
        return None


def _first(chain: Iterable[Element | None], name: str) -> Element | None:
    """Return the first ``w:name`` child found along ``chain``."""
    tag = f"{W}{name}"
    for props in chain:
        if props is not None:
            found = props.find(tag)
            if found is not None:
                return found
    return None


def _value(element: Element, name: str) -> str | None:
    found = element.find(f"{W}{name}")
    return None if found is None else found.get(f"{W}val")


def _on(element: Element | None) -> bool:
    return element is not None and str(element.get(f"{W}val", "1")).lower() not in _FALSE


def _shading(shd: Element | None) -> tuple[int, int, int] | None:
    if shd is None or shd.get(f"{W}val") in ("nil",):
        return None
    return parse_hex_color(shd.get(f"{W}fill"))


def _theme_fonts(theme: Element | None) -> dict[str, str]:
    fonts: dict[str, str] = {}
    if theme is None:
        return fonts
    for kind in ("major", "minor"):
        latin = theme.find(f".//{_A}{kind}Font/{_A}latin")
        if latin is not None and latin.get("typeface"):
            fonts[kind] = str(latin.get("typeface"))
    return fonts
