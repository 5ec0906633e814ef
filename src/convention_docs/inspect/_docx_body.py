"""Walk the story of a .docx part (body, header, footer): text lines and placed images.

Paragraphs are visited in reading order, descending into tables (nested too), content controls
and text boxes (the paragraphs of a text box follow the paragraph that anchors it). Each
paragraph gives one :class:`TextLine`, numbered from 1 in its part; when it mixes visible and
invisible characters it gives several lines with the same number: the visible text (hidden
characters removed, their spaces kept), then one invisible line per stretch of hidden words
(split where visible text intervenes or the reason changes).
Alternate content is read once (``mc:Choice``; ``mc:Fallback`` is skipped), deleted text of
tracked changes and field codes are skipped. A paragraph of an automatically numbered list
starts with its label and the label's suffix (a tab, a space or nothing; see
:mod:`._docx_numbering`).
A floating picture (``wp:anchor``, VML ``position:absolute``) whose offset puts it off the page
of its section is invisible, « hors de la page » (the geometry is in :mod:`._docx_anchor`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, NamedTuple

from convention_docs.inspect._docx_anchor import SectionPages, anchor_off_page, vml_off_page
from convention_docs.inspect._docx_numbering import Numbering
from convention_docs.inspect._docx_styles import (
    ParagraphContext,
    RunStyle,
    StyleResolver,
    W,
    parse_hex_color,
)
from convention_docs.inspect._pixels import content_key, decode_bytes, decode_shared, placeholder
from convention_docs.inspect._visibility import WHITE, image_reason, text_reason
from convention_docs.inspect.view import Location, PlacedImage, TextLine

if TYPE_CHECKING:
    from collections.abc import Iterator

    from PIL import Image

    from convention_docs.inspect._docx_anchor import Page

__all__ = ["PartWalker"]

Element = Any
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_PIC = "{http://schemas.openxmlformats.org/drawingml/2006/picture}"
_WPG = "{http://schemas.microsoft.com/office/word/2010/wordprocessingGroup}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_V = "{urn:schemas-microsoft-com:vml}"
_O = "{urn:schemas-microsoft-com:office:office}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_EMU_PER_MM = 36000
_MM_PER_UNIT = {"pt": 25.4 / 72, "in": 25.4, "cm": 10.0, "mm": 1.0, "px": 25.4 / 96, "pc": 25.4 / 6}

_P, _R_, _TBL, _TC, _T, _RPR = f"{W}p", f"{W}r", f"{W}tbl", f"{W}tc", f"{W}t", f"{W}rPr"
_SKIP = {f"{W}pPr", f"{W}rPr", f"{W}del", f"{W}moveFrom", f"{_MC}Fallback", f"{W}tblPr",
         f"{W}tblGrid", f"{W}trPr", f"{W}tcPr", f"{W}sectPr", f"{W}sdtPr", f"{W}sdtEndPr"}
_TEXT = {f"{W}tab": "\t", f"{W}ptab": "\t", f"{W}br": "\n", f"{W}cr": "\n",
         f"{W}noBreakHyphen": "-"}
_NOT_INSIDE = {f"{_MC}Fallback", f"{W}txbxContent"}
_PICTURES = {f"{W}drawing", f"{W}pict", f"{W}object"}
_ANCHOR, _BODY, _TXBX = f"{_WP}anchor", f"{W}body", f"{W}txbxContent"


class _Piece(NamedTuple):
    text: str
    style: RunStyle
    reason: str | None
    weight: int  # characters that are not white space


_UNSEEN = "?"  # a style whose visibility is not worked out yet (a reason is never "?")


def _weight(text: str) -> int:
    """The characters of ``text`` that are not white space."""
    return len("".join(text.split()))


class PartWalker:
    """Collect lines and images of the parts of one document, in the order they are walked."""

    def __init__(self, resolver: StyleResolver, numbering: Numbering, file: str | None) -> None:
        self.lines: list[TextLine] = []
        self.images: list[PlacedImage] = []
        self.undecoded = 0
        self._resolver = resolver
        self._numbering = numbering
        self._file = file
        self._decoded: dict[str, Image.Image | None] = {}
        self._reasons: dict[RunStyle, str | None] = {}
        self._part: Any = None
        self._count = 0
        self._part_reason: str | None = None
        self._root: Element = None
        self._sections: SectionPages | None = None
        self._label: str | None = None
        self._first_page: bool | None = None

    def walk(self, root: Element, part: Any, region: str, hidden: str | None = None, *,
             label: str | None = None, first_page: bool | None = None) -> None:
        """Walk the story ``root`` of ``part``; ``hidden`` marks the whole part as never shown;
        ``label`` and ``first_page`` go to every location (a header's section, its page)."""
        self._part, self._count, self._part_reason, self._root = part, 0, hidden, root
        self._label, self._first_page = label, first_page
        self._numbering.restart()
        self._blocks(root, region, None)

    def _blocks(self, element: Element, region: str, cell: tuple[int, int, int] | None) -> None:
        for child in element:
            tag = child.tag
            if tag == _P:
                self._paragraph(child, region, cell)
            elif tag == _TBL:
                self._blocks(child, "table" if region == "body" else region, cell)
            elif tag == _TC:
                tcpr = child.find(f"{W}tcPr")
                shd = None if tcpr is None else tcpr.find(f"{W}shd")
                fill = None if shd is None else parse_hex_color(shd.get(f"{W}fill"))
                self._blocks(child, region, fill or cell)
            elif isinstance(tag, str) and tag not in _SKIP and len(child):
                self._blocks(child, region, cell)

    def _paragraph(self, p: Element, region: str, cell: tuple[int, int, int] | None) -> None:
        self._count += 1
        location = Location(file=self._file, paragraph=self._count, label=self._label,
                            first_page=self._first_page)
        context = self._resolver.paragraph(p, cell)
        pieces: list[_Piece] = []
        pictures: list[tuple[Element, RunStyle]] = []
        label = self._numbering.label(context.num_id, context.num_level)
        if label:
            self._add_piece(pieces, label, self._resolver.run(None, context))
        self._inline(p, context, pieces, pictures)
        self._emit_lines(pieces, context, location, region)
        for picture, style in pictures:
            self._emit_images(picture, style, location, region, p)
        for picture, _ in pictures:
            for box in _find(picture, f"{W}txbxContent"):
                self._blocks(box, region, None)

    def _inline(self, element: Element, context: ParagraphContext, pieces: list[_Piece],
                pictures: list[tuple[Element, RunStyle]]) -> None:
        for child in element:
            tag = child.tag
            if tag == _R_:
                text: list[str] = []
                drawn: list[Element] = []
                style = self._resolver.run(self._run(child, text, drawn), context)
                pictures.extend((picture, style) for picture in drawn)
                if text:
                    self._add_piece(pieces, "".join(text), style)
            elif isinstance(tag, str) and tag not in _SKIP and len(child):
                self._inline(child, context, pieces, pictures)

    def _add_piece(self, pieces: list[_Piece], text: str, style: RunStyle) -> None:
        reason = self._reasons.get(style, _UNSEEN)
        if reason is _UNSEEN:
            reason = self._reasons[style] = text_reason(
                hidden=style.hidden, size_pt=style.size_pt, color=style.color,
                background=style.background or WHITE)
        pieces.append(_Piece(text, style, reason or self._part_reason, _weight(text)))

    def _run(self, run: Element, text: list[str], pictures: list[Element]) -> Element | None:
        """Collect the text and pictures of ``run``; return its ``w:rPr`` (the first), if any."""
        rpr = None
        for child in run:
            tag = child.tag
            if tag == _T:
                if len(child):  # not .text alone: keeps text after an entity node, a comment
                    text.extend(child.xpath("text()"))
                elif child.text is not None:  # no child node: text() is .text
                    text.append(child.text)
            elif tag in _TEXT:
                text.append(_TEXT[tag])
            elif tag == _RPR:
                rpr = child if rpr is None else rpr
            elif tag == f"{W}sym":
                code = child.get(f"{W}char", "")
                if re.fullmatch(r"[0-9A-Fa-f]{1,5}", code):
                    text.append(chr(int(code, 16)))
            elif tag in _PICTURES:
                pictures.append(child)
            elif tag in (f"{_MC}AlternateContent", f"{_MC}Choice"):
                self._run(child, text, pictures)
        return rpr

    def _emit_lines(self, pieces: list[_Piece], context: ParagraphContext, location: Location,
                    region: str) -> None:
        shown = [p for p in pieces if p.reason is None and p.weight]
        groups: list[list[_Piece]] = []  # runs of hidden pieces with one reason
        for piece in pieces:
            if piece.reason is None:
                if piece.weight and groups and groups[-1]:
                    groups.append([])
                continue
            if not groups or (groups[-1] and groups[-1][0].reason != piece.reason):
                groups.append([])
            if piece.weight or groups[-1]:
                groups[-1].append(piece)
        groups = [g for g in groups if g]
        if not groups or (not shown and len(groups) == 1):
            reason = groups[0][0].reason if groups else None
            self._add_line("".join(p.text for p in pieces), pieces, context, location, region,
                           reason)
            return
        if shown:
            text = "".join(
                p.text if p.reason is None else "".join(c for c in p.text if c.isspace())
                for p in pieces
            )
            self._add_line(text, shown, context, location, region, None)
        for group in groups:
            self._add_line("".join(p.text for p in group).strip(), group, context, location,
                           region, group[0].reason)

    def _add_line(self, text: str, pieces: list[_Piece], context: ParagraphContext,
                  location: Location, region: str, reason: str | None) -> None:
        style = _majority(pieces) or self._resolver.run(None, context)
        reason = reason or self._part_reason
        self.lines.append(TextLine(
            text=text, location=location, visible=reason is None, font_size=style.size_pt,
            color=style.color or (0, 0, 0), font=style.font, bold=style.bold,
            italic=style.italic, region=region, invisible_reason=reason,
        ))

    def _emit_images(self, picture: Element, style: RunStyle, location: Location,
                     region: str, paragraph: Element) -> None:
        if picture.tag == f"{W}drawing":
            for container in picture:
                extent = container.find(f"{_WP}extent")
                size = (_emu(extent, "cx"), _emu(extent, "cy"))
                outside = container.tag == _ANCHOR and anchor_off_page(
                    container, *size, self._pages(paragraph),
                    loose=self._loose(paragraph, region))
                doc_pr = container.find(f"{_WP}docPr")
                alt = None if doc_pr is None else doc_pr.get("descr") or doc_pr.get("title")
                hidden = doc_pr is not None and doc_pr.get("hidden") in ("1", "true")
                blips = list(_find(container, f"{_A}blip"))
                for blip in blips:
                    width, height = size if len(blips) == 1 else _group_size(blip, container, size)
                    self._add_image(blip.get(f"{_R}embed"), width, height, location, alt,
                                    style.hidden or hidden, region, outside=outside,
                                    drawn=_drawn(blip, container))
            return
        for shape in _find(picture, f"{_V}shape"):
            data = shape.find(f"{_V}imagedata")
            if data is None:
                continue
            css = _css(shape.get("style", ""))
            alt = shape.get("alt") or data.get(f"{_O}title")
            width, height = _css_mm(css.get("width")), _css_mm(css.get("height"))
            outside = (css.get("position") == "absolute" and shape.getparent() is picture
                       and vml_off_page(css, width, height, self._pages(paragraph),
                                        loose=self._loose(paragraph, region)))
            self._add_image(data.get(f"{_R}id"), width, height, location, alt or None,
                            style.hidden or css.get("visibility") == "hidden", region,
                            outside=outside)

    def _pages(self, paragraph: Element) -> list[Page]:
        """The pages a floating picture of ``paragraph`` may be drawn on.

        In the body, its section's page; in a header or footer, every section's (the part may
        be shown in any of them). None when the document body cannot be found.
        """
        body = self._root
        if body.tag != _BODY:  # a header or footer part: the document's body
            try:
                body = self._part.package.main_document_part.element.find(_BODY)
            except (AttributeError, KeyError):
                body = None
        if body is None:
            return []
        if self._sections is None:
            self._sections = SectionPages(body)
        if self._root is body:
            return [self._sections.page(paragraph)]
        return self._sections.pages

    @staticmethod
    def _loose(paragraph: Element, region: str) -> bool:
        """Whether ``paragraph`` may lie outside the text area (header, table, text box)."""
        return region != "body" or next(paragraph.iterancestors(_TXBX), None) is not None

    def _add_image(self, rid: str | None, width: float, height: float, location: Location,
                   alt: str | None, hidden: bool, region: str, *, outside: bool = False,
                   drawn: tuple[tuple[float, float, float, float] | None, float] = (None, 0.0),
                   ) -> None:
        if rid is None:  # a linked (not embedded) picture: nothing to show or to examine
            return
        image = self._decode(rid)
        if image is None:
            self.undecoded += 1
            image = placeholder()
        reason = image_reason(width_mm=width, height_mm=height, hidden=hidden, outside=outside)
        reason = reason or self._part_reason
        self.images.append(PlacedImage(
            image=image, width_mm=round(width, 2), height_mm=round(height, 2), location=location,
            visible=reason is None, alt=alt, region=region, invisible_reason=reason,
            crop=drawn[0], rotation=drawn[1],
        ))

    def _decode(self, rid: str) -> Image.Image | None:
        target = self._part.related_parts.get(rid)
        if target is None:
            return None
        key = str(target.partname)
        if key not in self._decoded:
            blob = target.blob
            self._decoded[key] = decode_shared(content_key(b"file", blob),
                                               lambda: decode_bytes(blob))
        return self._decoded[key]


def _find(root: Element, tag: str) -> Iterator[Element]:
    """Yield descendants ``tag`` of ``root``, not nested, outside fallbacks and text boxes."""
    for child in root:
        if child.tag == tag:
            yield child
        elif isinstance(child.tag, str) and child.tag not in _NOT_INSIDE:
            yield from _find(child, tag)


def _majority(pieces: list[_Piece]) -> RunStyle | None:
    """The style of most characters of ``pieces`` (the first one met, in a tie)."""
    if len(pieces) == 1:
        return pieces[0].style
    counts: dict[RunStyle, int] = {}
    for piece in pieces:
        counts[piece.style] = counts.get(piece.style, 0) + (piece.weight or len(piece.text))
    return max(counts, key=counts.__getitem__) if counts else None


def _emu(element: Element | None, name: str) -> float:
    try:
        return int(element.get(name)) / _EMU_PER_MM if element is not None else 0.0
    except (TypeError, ValueError):
        return 0.0


def _drawn(blip: Element, container: Element
           ) -> tuple[tuple[float, float, float, float] | None, float]:
    """How Word draws the picture of ``blip``: the shares cropped off each side (``a:srcRect``,
    in thousandths of a percent; ``None`` when uncropped) and the clockwise rotation in degrees
    (``a:xfrm/@rot`` of the picture or of its group, in 60,000ths of a degree)."""
    crop = None
    rect = blip.getparent().find(f"{_A}srcRect") if blip.getparent() is not None else None
    if rect is not None:
        shares = tuple(_share(rect.get(side)) for side in ("l", "t", "r", "b"))
        shares = tuple(max(-1.0, min(1.0, share)) for share in shares)
        if any(shares):
            crop = (shares[0], shares[1], shares[2], shares[3])
    rotation = 0.0
    pic = next(blip.iterancestors(f"{_PIC}pic"), None)
    for xfrm in ([] if pic is None else [pic.find(f"{_PIC}spPr/{_A}xfrm")]) + [
            container.find(f".//{_WPG}grpSpPr/{_A}xfrm")]:
        if xfrm is not None:
            rotation += _share(xfrm.get("rot")) * 100000 / 60000
    return crop, rotation % 360


def _share(value: str | None) -> float:
    """A ``a:srcRect`` side (thousandths of a percent, may be negative: padding) as a share."""
    try:
        return int(value or "0") / 100000
    except ValueError:
        return 0.0


def _group_size(blip: Element, container: Element, extent: tuple[float, float]
                ) -> tuple[float, float]:
    """Size of one picture of a group: its own extent, scaled like the group (one level)."""
    pic = next(blip.iterancestors(f"{_PIC}pic"), None)
    ext = None if pic is None else pic.find(f"{_PIC}spPr/{_A}xfrm/{_A}ext")
    if ext is None:
        return extent
    scale_x = scale_y = 1.0
    group = container.find(f".//{_WPG}grpSpPr/{_A}xfrm")
    if group is not None:
        outer, inner = group.find(f"{_A}ext"), group.find(f"{_A}chExt")
        if _emu(inner, "cx") and _emu(inner, "cy"):
            scale_x = _emu(outer, "cx") / _emu(inner, "cx")
            scale_y = _emu(outer, "cy") / _emu(inner, "cy")
    return _emu(ext, "cx") * scale_x, _emu(ext, "cy") * scale_y


def _css(style: str) -> dict[str, str]:
    pairs = (item.split(":", 1) for item in style.split(";") if ":" in item)
    return {key.strip().lower(): value.strip() for key, value in pairs}


def _css_mm(value: str | None) -> float:
    match = re.fullmatch(r"([0-9.]+)\s*([a-z]*)", value or "")
    if not match:
        return 0.0
    try:
        number = float(match.group(1))
    except ValueError:
        return 0.0
    return number * _MM_PER_UNIT.get(match.group(2) or "px", 25.4 / 96)
