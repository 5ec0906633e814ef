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
    from collections.abc import Iterable, Mapping

__all__ = [
    "ParagraphContext",
    "RunStyle",
    "StyleResolver",
    "W",
    "parse_hex_color",
    "theme_fonts",
]

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


_PPR, _RPR, _PSTYLE, _RSTYLE = f"{W}pPr", f"{W}rPr", f"{W}pStyle", f"{W}rStyle"
_SHD, _NUMPR, _VAL = f"{W}shd", f"{W}numPr", f"{W}val"


class StyleResolver:
    """Resolve run formatting against a styles part and theme fonts.

    Styles are looked at when a paragraph or a run first uses them; paragraphs that share a
    style and direct paragraph properties share one context, runs that share a context and
    direct run properties share one resolution. Every cache is keyed by content (style ids,
    properties as written), so one resolver serves every document with the same styles part.
    """

    def __init__(self, styles: Element | None, theme: Mapping[str, str]) -> None:
        self._styles: dict[str, list[Element]] = {}  # a style id may be defined twice
        self._props: dict[str, tuple[Element | None, Element | None, str | None]] = {}
        self._default_paragraph: str | None = None
        self._chains: dict[str, tuple[Element, ...]] = {}
        self._runs: dict[Any, RunStyle] = {}
        self._paragraph_styles: dict[str | None, Any] = {}
        self._contexts: dict[Any, ParagraphContext] = {}
        self._children: dict[Element, dict[str, Element]] = {}
        defaults = None
        if styles is not None:
            defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
            for style in styles.iterchildren(f"{W}style"):
                style_id = style.get(f"{W}styleId")
                if style_id is None:
                    continue
                self._styles.setdefault(style_id, []).append(style)
                if style.get(f"{W}type") == "paragraph" and style.get(f"{W}default") in (
                    "1", "true", "on"
                ):
                    self._default_paragraph = style_id
        self._defaults: tuple[Element, ...] = () if defaults is None else (defaults,)
        self._theme_fonts = dict(theme)  # "major"/"minor" -> typeface (``theme_fonts``)

    @property
    def default_language(self) -> str | None:
        """The ``w:lang`` of ``w:docDefaults`` (what a PDF export writes as ``/Lang``)."""
        for rpr in self._defaults:
            lang = rpr.find(f"{W}lang")
            if lang is not None and lang.get(f"{W}val"):
                return str(lang.get(f"{W}val"))
        return None

    def _style(self, style_id: str) -> tuple[Element | None, Element | None, str | None]:
        """The ``w:rPr``, ``w:pPr`` and ``w:basedOn`` value of a style (all ``None`` if none).

        When a style id is defined twice, the last definition gives the properties, and the
        last one with a ``w:basedOn`` its parent.
        """
        props = self._props.get(style_id)
        if props is None:
            rpr = ppr = parent = None
            for style in self._styles.get(style_id, ()):
                rpr = ppr = based_on = None
                for child in style:  # the first of each, like find()
                    tag = child.tag
                    if tag == _RPR and rpr is None:
                        rpr = child
                    elif tag == _PPR and ppr is None:
                        ppr = child
                    elif tag == f"{W}basedOn" and based_on is None:
                        based_on = child
                if based_on is not None and based_on.get(_VAL):
                    parent = based_on.get(_VAL)
            props = _remember(self._props, style_id, (rpr, ppr, parent))
        return props

    def _style_ids(self, style_id: str | None) -> list[str]:
        ids: list[str] = []
        while style_id is not None and style_id not in ids and len(ids) < 50:
            ids.append(style_id)
            style_id = self._style(style_id)[2]
        return ids

    def _chain(self, style_id: str | None) -> tuple[Element, ...]:
        key = style_id or ""
        chain = self._chains.get(key)
        if chain is None:
            rprs = (self._style(s)[0] for s in self._style_ids(style_id))
            chain = _remember(self._chains, key, tuple(r for r in rprs if r is not None))
        return chain

    def paragraph(self, p: Element, inherited: tuple[int, int, int] | None) -> ParagraphContext:
        """Return the context of paragraph ``p`` (``inherited``: the table cell's shading)."""
        ppr = _first_child(p, _PPR)
        style_id = self._default_paragraph
        styled = False
        shd = numbering = None
        for child in () if ppr is None else ppr:  # the first of each, like find()
            tag = child.tag
            if tag == _PSTYLE and not styled:
                style_id, styled = child.get(_VAL), True
            elif tag == _SHD and shd is None:
                shd = child
            elif tag == _NUMPR and numbering is None:
                numbering = child
        num_id = level = None
        if numbering is not None:
            num_id, level = _value(numbering, "numId"), _value(numbering, "ilvl")
        shading = None if shd is None else (shd.get(_VAL), shd.get(f"{W}fill"))
        key = (style_id, shading, num_id, level, inherited)
        context = self._contexts.get(key)
        if context is None:
            context = _remember(self._contexts, key,
                                self._context(style_id, shading, num_id, level, inherited))
        return context

    def _context(self, style_id: str | None, shading: tuple[str | None, str | None] | None,
                 num_id: str | None, level: str | None,
                 inherited: tuple[int, int, int] | None) -> ParagraphContext:
        styled = self._paragraph_styles.get(style_id)
        if styled is None:
            styled = _remember(self._paragraph_styles, style_id, self._paragraph_style(style_id))
        style_shd, style_numbering, chain = styled
        background = (_shading(style_shd) if shading is None else _fill(*shading)) or inherited
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
        pprs = [self._style(s)[1] for s in self._style_ids(style_id)]
        numbering = tuple((_value(n, "numId"), _value(n, "ilvl")) for n in (
            None if props is None else props.find(_NUMPR) for props in pprs)
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
            style = _remember(self._runs, key, self._resolve(rpr, paragraph))
        return style

    def _resolve(self, rpr: Element | None, paragraph: ParagraphContext) -> RunStyle:
        direct = {} if rpr is None else _children(rpr)
        char_style = direct.get(_RSTYLE)
        chain = [direct]  # the properties of each level, by tag
        if char_style is not None:
            chain.extend(self._tags(e) for e in self._chain(char_style.get(_VAL)))
        chain.extend(self._tags(e) for e in paragraph.chain)

        def first(name: str) -> Element | None:
            tag = f"{W}{name}"
            for level in chain:
                found = level.get(tag)
                if found is not None:
                    return found
            return None

        size = first("sz")
        try:
            size_pt = int(size.get(_VAL)) / 2 if size is not None else _DEFAULT_SIZE_PT
        except (TypeError, ValueError):
            size_pt = _DEFAULT_SIZE_PT
        color = first("color")
        highlight = first("highlight")
        background = None if highlight is None else HIGHLIGHT_RGB.get(highlight.get(_VAL, ""))
        return RunStyle(
            color=parse_hex_color(color.get(_VAL)) if color is not None else None,
            size_pt=size_pt,
            font=self._font(chain),
            bold=_on(first("b")),
            italic=_on(first("i")),
            hidden=_on(first("vanish")) or _on(first("specVanish")),
            background=background or _shading(first("shd")) or paragraph.background,
        )

    def _tags(self, element: Element) -> dict[str, Element]:
        """The children of a style's properties by tag (the first of each), worked out once."""
        found = self._children.get(element)
        if found is None:
            found = self._children[element] = _children(element)
        return found

    def _font(self, chain: list[dict[str, Element]]) -> str | None:
        for level in chain:
            fonts = level.get(f"{W}rFonts")
            if fonts is None:
                continue
            theme = fonts.get(f"{W}asciiTheme")
            if theme:
                return self._theme_fonts.get("major" if theme.startswith("major") else "minor")
            if fonts.get(f"{W}ascii"):
                return str(fonts.get(f"{W}ascii"))
        return None


_REMEMBERED = 4096  # entries of each cache of a resolver (one may serve many documents)


def _remember(cache: dict[Any, Any], key: Any, value: Any) -> Any:
    """Store ``value`` under ``key`` in ``cache`` (emptied when full) and return it."""
    if len(cache) >= _REMEMBERED:
        cache.clear()
    cache[key] = value
    return value


def _children(element: Element) -> dict[str, Element]:
    """The children of ``element`` by tag, the first of each (what ``find`` would return)."""
    found: dict[str, Element] = {}
    for child in element:
        tag = child.tag
        if isinstance(tag, str) and tag not in found:
            found[tag] = child
    return found


def _first_child(element: Element, tag: str) -> Element | None:
    """Return the first child ``tag`` of ``element`` (``find``, faster when it comes first)."""
    first = element[0] if len(element) else None
    if first is None:
        return None
    return first if first.tag == tag else element.find(tag)


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
    return None if shd is None else _fill(shd.get(_VAL), shd.get(f"{W}fill"))


def _fill(val: str | None, fill: str | None) -> tuple[int, int, int] | None:
    """The colour of a ``w:shd`` with these ``w:val`` and ``w:fill`` (none when « nil »)."""
    return None if val == "nil" else parse_hex_color(fill)


def theme_fonts(theme: Element | None) -> dict[str, str]:
    """Return the Latin typefaces of a theme part: ``{"major": …, "minor": …}``."""
    fonts: dict[str, str] = {}
    if theme is None:
        return fonts
    for kind in ("major", "minor"):
        latin = theme.find(f".//{_A}{kind}Font/{_A}latin")
        if latin is not None and latin.get("typeface"):
            fonts[kind] = str(latin.get("typeface"))
    return fonts
