"""Empty signature fields over each signatory's signing area, found on the rendered page.

Each signature block carries a Word bookmark ``signature_<key>`` on the signatory's name, which
LibreOffice exports as a PDF named destination: it gives the page and the top of the name. The
name itself is a text line of that page (read by :mod:`convention_docs.inspect`); the field goes
in the blank row above it (28 mm in the default template), inside the signatory's column and
below the last line of the function.

The fields are added in **one incremental update** (pyHanko): the bytes LibreOffice wrote and
the validator read stay exactly as they were (XMP ``pdfaid`` included, so a PDF/A-2b stays one),
and every field exists before the first signature, as a signature must not be followed by new
fields.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from convention_docs.errors import SigningError
from convention_docs.model import Convention

__all__ = ["FieldPlace", "add_fields", "add_signature_fields", "align_producer", "find_places",
           "signatories"]

_MM = 72 / 25.4
_ROW_MM = 27.0  # the blank row is 28 mm high: the field keeps 1 mm from the name
_GAP_MM = 1.0  # between the field and the text around it
_COLUMN_MM = 80.0  # the template's column, when a signatory is alone on its row
_MAX_WIDTH_MM = 70.0


@dataclass(frozen=True)
class FieldPlace:
    """Where a signature field goes: the field's name (the party's key), the page (0-based)
    and the rectangle in PDF points ``(x1, y1, x2, y2)``, lower left then upper right."""

    name: str
    page: int
    box: tuple[float, float, float, float]


@dataclass(frozen=True)
class _Block:
    key: str
    name: str  # the signatory's name as printed


def _normal(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def _destinations(reader: Any) -> dict[str, tuple[int, float, float]]:
    """Named destinations → (page index, left, top) in points."""
    found: dict[str, tuple[int, float, float]] = {}
    for name, destination in reader.named_destinations.items():
        try:
            page = reader.get_destination_page_number(destination)
            left = float(destination.left or 0)
            top = float(destination.top or 0)
        except (TypeError, ValueError, KeyError):
            continue
        found[str(name).lstrip("/")] = (page, left, top)
    return found


def find_places(path: str | Path, blocks: Sequence[tuple[str, str]], *,
                name: str | Path | None = None) -> list[FieldPlace]:
    """Return where each signature block's field goes in the PDF at ``path``.

    ``blocks`` lists ``(party key, signatory's name as printed)``. Raises ``SigningError``
    (French, naming the file, ``name`` when given, and the party) when a block's bookmark or
    name is not found.
    """
    from pypdf import PdfReader

    from convention_docs.context import signature_anchor
    from convention_docs.convert import pdf_destination_name
    from convention_docs.inspect import read_pdf

    path = Path(path)
    label = name if name is not None else path
    reader = PdfReader(path)
    destinations = _destinations(reader)
    view = read_pdf(path)
    wanted = [_Block(key, _normal(name)) for key, name in blocks]
    anchors: dict[str, tuple[int, float, float]] = {}
    for block in wanted:
        anchor = pdf_destination_name(signature_anchor(block.key))
        if anchor not in destinations:
            raise SigningError(
                f"pas de signet « {signature_anchor(block.key)} » pour la partie "
                f"« {block.key} » : le modèle doit porter ce signet sur le nom du signataire "
                "(voir docs/templates.md)", path=label)
        anchors[block.key] = destinations[anchor]
    places = []
    for block in wanted:
        page, left, top = anchors[block.key]
        box = reader.pages[page].mediabox
        ox, oy, height_pt = float(box.left), float(box.bottom), float(box.height)
        top_mm = (oy + height_pt - top) / _MM
        left_mm = (left - ox) / _MM
        lines = [line for line in view.lines
                 if line.location.page == page + 1 and line.bbox_mm is not None]
        name_box = _name_box(lines, block.name, left_mm, top_mm)
        if name_box is None:
            raise SigningError(
                f"nom du signataire « {block.name} » (partie « {block.key} ») introuvable "
                f"page {page + 1}", path=label)
        centre = (name_box[0] + name_box[2]) / 2
        others = []
        for other in wanted:
            if other.key == block.key or anchors[other.key][0] != page:
                continue
            _, o_left, o_top = anchors[other.key]
            if abs(o_top - top) < 3 * _MM:
                other_box = _name_box(lines, other.name, (o_left - ox) / _MM,
                                      (oy + height_pt - o_top) / _MM)
                if other_box is not None:
                    others.append((other_box[0] + other_box[2]) / 2)
        half = _COLUMN_MM / 2
        if others:
            half = min(half, min(abs(c - centre) for c in others) / 2)
        column = (centre - half, centre + half)
        width = min(_MAX_WIDTH_MM, 2 * half - 2 * _GAP_MM)
        bottom_mm = name_box[1] - _GAP_MM
        upper_mm = bottom_mm - _ROW_MM + _GAP_MM
        for line in lines:  # the function's last line, above the name in the same column
            x0, _, x1, y1 = line.bbox_mm  # type: ignore[misc]
            if x1 > column[0] and x0 < column[1] and y1 <= name_box[1] and y1 > upper_mm:
                upper_mm = y1 + _GAP_MM
        if bottom_mm - upper_mm < 8:
            raise SigningError(
                f"pas de place pour signer au-dessus du nom « {block.name} » "
                f"(partie « {block.key} »), page {page + 1}", path=label)
        x1_pt = ox + (centre - width / 2) * _MM
        x2_pt = ox + (centre + width / 2) * _MM
        places.append(FieldPlace(block.key, page, (
            round(x1_pt, 2), round(oy + height_pt - bottom_mm * _MM, 2),
            round(x2_pt, 2), round(oy + height_pt - upper_mm * _MM, 2))))
    return places


def _name_box(lines: Sequence[Any], name: str, left_mm: float, top_mm: float
              ) -> tuple[float, float, float, float] | None:
    """The box (mm from the top left) of the first line of the signatory's name, which starts
    at the bookmark's position: the name may wrap in a narrow column, and share its line with
    a neighbour's name (the PDF's text lines run across columns)."""
    best: tuple[float, tuple[float, float, float, float]] | None = None
    for line in lines:
        x0, y0, x1, y1 = line.bbox_mm
        distance = abs(y0 - top_mm)
        if distance > 8 or not x0 - 2 <= left_mm <= x1:
            continue
        text = _normal(line.text)
        part = _part_of(name, text)
        if not part:
            continue
        if part != text:  # shared with a neighbour: its own part, from the bookmark on
            width = (x1 - x0) * len(part) / max(len(text), 1)
            x0, x1 = left_mm, left_mm + width
        if best is None or distance < best[0]:
            best = (distance, (x0, y0, x1, y1))
    return best[1] if best else None


def _part_of(name: str, text: str) -> str:
    """The part of ``name`` on a line reading ``text``: all of it, or its first words when it
    wraps (then they end the line); empty when the line does not hold it."""
    if name in text:
        return name
    words = name.split(" ")
    for count in range(len(words) - 1, 0, -1):
        beginning = " ".join(words[:count])
        if text.endswith(beginning):
            return beginning
    return ""


def add_fields(data: bytes, places: Sequence[FieldPlace]) -> bytes:
    """Return ``data`` (a PDF) with an empty signature field per place, in one incremental
    update. The fields are printed, locked against moving, and ``NeedAppearances`` is unset."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    align_producer(writer)
    for place in places:
        append_signature_field(writer, SigFieldSpec(
            sig_field_name=place.name, on_page=place.page,
            box=place.box,  # type: ignore[arg-type]  # points may be fractional
            readable_field_name=f"Signature : {place.name}"))
    out = io.BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]
    return out.getvalue()


def signatories(convention: Convention) -> list[tuple[str, str]]:
    """``(party key, signatory's name as printed)`` for each signature block, in order."""
    from convention_docs import french

    found = []
    for block in convention.signature_blocks():
        party = convention.party(block.party)
        person = block.signatory or party.representative
        found.append((party.key, french.person_name(person.civility, person.first_name,
                                                    person.last_name, long=True)))
    return found


def add_signature_fields(path: str | Path, convention: Convention, *,
                         name: str | Path | None = None) -> list[FieldPlace]:
    """Give the PDF at ``path`` (rendered from ``convention``) one empty signature field per
    signature block, named from the party's key, in place; return where they went. ``name``:
    the file to name in errors (the destination, when ``path`` is a temporary file)."""
    path = Path(path)
    places = find_places(path, signatories(convention), name=name)
    path.write_bytes(add_fields(path.read_bytes(), places))
    return places


def align_producer(writer: Any) -> None:
    """Keep the Info dictionary's ``/Producer`` equal to the XMP's ``pdf:Producer``, as PDF/A
    requires, through pyHanko's writes.

    When it writes a document that has XMP metadata, pyHanko sets ``pdf:Producer`` to its own
    name and appends its name to the Info ``/Producer`` (« LibreOffice 7.4; pyHanko … »): the
    two would differ. Setting the Info entry to pyHanko's name alone first keeps them equal
    (the creator, « Writer », still says where the document was made).
    """
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.metadata.model import VENDOR

    if "/Metadata" not in writer.root:
        return
    info_ref = writer.trailer_view.raw_get("/Info") if "/Info" in writer.trailer_view else None
    if not isinstance(info_ref, generic.IndirectObject):
        return
    info = info_ref.get_object()  # type: ignore[no-untyped-call]
    if info.get("/Producer") != VENDOR:
        info["/Producer"] = generic.TextStringObject(VENDOR)
        writer.update_container(info)
