"""European funding visibility rules (the validator's core).

2021-2027 (FSE+, Reg. (EU) 2021/1060 art. 47, 50, Annex IX): the EU emblem, visible, with the
statement « Cofinancé par l'Union européenne » (or « Financé par … ») written next to it, on the
first page; the emblem at least as high or wide as the largest other logo; no other logo
signalling EU support. 2014-2020 (FSE, Reg. 1303/2013 Annex XII, Reg. 821/2014 art. 4): the EU
emblem, the FSE logo, and a mention of the Fonds social européen.

Logos are recognised by their image content (``logos.find_emblems``, ``LogoLibrary.match``),
never by file name or alternative text.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from babel.dates import get_month_names
from PIL import Image

from convention_docs import _limits
from convention_docs.funding import FSE_PLUS_START
from convention_docs.inspect.view import DocumentView, Location, PlacedImage, TextLine
from convention_docs.logos import LogoLibrary, find_emblems
from convention_docs.model import FundingPeriod
from convention_docs.validate._text import Reading
from convention_docs.validate.artwork import read_statement
from convention_docs.validate.emblem import Defect, Examined, examine, pieces_beside
from convention_docs.validate.report import Finding, Severity

__all__ = ["MIN_EMBLEM_HEIGHT_MM", "check_visibility", "infer_period", "signature_date"]

MIN_EMBLEM_HEIGHT_MM = 8.0
"""An emblem drawn less than this high does not count (« a logo shrunk to a few millimetres »)."""

ALLOWED_FONTS = ("arial", "liberation sans", "liberationsans", "auto", "calibri", "carlito",
                 "garamond", "trebuchet", "tahoma", "verdana", "ubuntu")
ALLOWED_COLOURS = ((0x00, 0x33, 0x99), (0, 0, 0), (255, 255, 255))

_STATEMENT = re.compile(r"\b(?:co-?)?financ[ée]\s+par\s+l'union\s+europ[ée]enne\b",
                        re.IGNORECASE)
# The statement as displayed: a line (paragraph) of its own that begins with it. Quoted in a
# sentence (« … fait apparaître la mention « Cofinancé par l'Union européenne » ») or inside a
# sentence (« Ce projet est cofinancé par l'Union européenne au titre … ») it is running text,
# not the statement next to the emblem that Annex IX requires.
_STATEMENT_LINE = re.compile(r"^(?:co-?)?financ[ée]\s+par\s+l'union\s+europ[ée]enne\b",
                             re.IGNORECASE)
_FSE_PLUS = re.compile(r"\bFSE\s?\+|\bfonds\s+social\s+europ[ée]en\s+plus\b", re.IGNORECASE)
_FSE = re.compile(r"\bfonds\s+social\s+europ[ée]en\b(?!\s+plus)|\bFSE\b(?!\s?\+)",
                  re.IGNORECASE)
# Lower-case pieces of text that every match of these expressions contains (see ``_text``).
_STATEMENT_NEEDLES = ("financ",)
_FSE_NEEDLES = ("fse", "social")
_SIGNED_NEEDLES = ("fait",)
_COPIES = (r"en\s+(?:\d+|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|double|triple)\s+"
           r"exemplaires?(?:\s+originaux|\s+original)?\s*,?\s*")
_SIGNED = re.compile(rf"fait\s+(?:{_COPIES})?à\s+[^,\n]+?,?\s+(?:{_COPIES})?le\s+(1er|\d{{1,2}})\s+"
                     r"(\w+)\s+(\d{4})", re.IGNORECASE)
_ARTICLE_1 = re.compile(r"(?i)article\s+(1\s*er|premier|1)\b")


@dataclass(frozen=True)
class _Emblem:
    placed: PlacedImage
    width_mm: float
    height_mm: float
    whole: bool
    """True when the picture is the emblem alone; False for an emblem inside a wider picture."""
    image: Image.Image | None = None
    """The picture as drawn, where the emblem was found (None: a page rendered for it)."""
    bbox: tuple[int, int, int, int] | None = None
    """The emblem's box in pixels of ``image``."""


def _emblems(view: DocumentView) -> tuple[list[_Emblem], list[PlacedImage], list[Defect]]:
    cache: dict[tuple[object, ...], Examined] = {}
    emblems: list[_Emblem] = []
    others: list[PlacedImage] = []
    defects: list[Defect] = []
    for placed in view.images:
        key = (id(placed.image), placed.crop, placed.rotation,
               round(placed.width_mm / max(placed.height_mm, 0.01), 2))
        if key not in cache or view.kind == "pdf":
            cache[key] = examine(view, placed, placed.drawn)  # PDF: the page there
        examined = cache[key]
        width_px, height_px = examined.size
        defects += [replace(d, placed=placed) for d in examined.defects]
        if not examined.emblems and not examined.defects:
            others.append(placed)
        for match in examined.emblems:
            left, top, right, bottom = match.bbox
            fraction_w = (right - left) / max(width_px, 1)
            fraction_h = (bottom - top) / max(height_px, 1)
            emblems.append(_Emblem(placed, placed.width_mm * fraction_w,
                                   placed.height_mm * fraction_h,
                                   fraction_w > 0.85 and fraction_h > 0.85,
                                   examined.image, match.bbox))
    return emblems, others, defects


def _too_small_to_tell(others: Sequence[PlacedImage]) -> PlacedImage | None:
    """A small picture mostly Reflex Blue with some yellow: an emblem too small (or too blurred)
    for its stars to be recognised (under about 40 pixels high)."""
    for placed in others:
        if not placed.visible or placed.image.height > 80:
            continue
        rgb = placed.image.convert("RGB")
        pixels = [rgb.getpixel((x, y)) for x in range(0, rgb.width, max(1, rgb.width // 40))
                  for y in range(0, rgb.height, max(1, rgb.height // 40))]
        colours = [pixel for pixel in pixels if isinstance(pixel, tuple)]
        if not colours:
            continue
        blue = sum(1 for r, g, b, *_ in colours if b > 90 and b - r > 60) / len(colours)
        yellow = sum(1 for r, g, b, *_ in colours if r > 110 and r - b > 60 and g - b > 50)
        if blue > 0.4 and yellow / len(colours) > 0.01:
            return placed
    return None


def _lines(reading: Reading, pattern: re.Pattern[str], needles: tuple[str, ...]
           ) -> tuple[list[TextLine], list[TextLine]]:
    """Return the visible and the invisible lines where ``pattern`` is found.

    A line also counts when the pattern runs over onto the next line of the same flow (the
    vertical layout « Cofinancé par / l'Union européenne »), provided both are alike visible.
    Only the lines that hold one of ``needles``, or whose next line does, are searched.
    """
    visible: list[TextLine] = []
    hidden: list[TextLine] = []
    lines, texts = reading.lines, reading.texts
    hits = reading.all.where(needles)
    for index in sorted({*hits, *(i - 1 for i in hits if i > 0)}):
        line, text = lines[index], texts[index]
        found = pattern.search(text) is not None
        if not found and index + 1 < len(lines):
            following = lines[index + 1]
            if _same_flow(line, following) and line.visible == following.visible:
                found = pattern.search(f"{text} {texts[index + 1]}") is not None \
                    and pattern.search(texts[index + 1]) is None
        if found:
            (visible if line.visible else hidden).append(line)
    return visible, hidden


RASTER_DPI = 150
"""Resolution at which a PDF page is looked at when its emblem is not a picture."""


def _drawn_emblems(view: DocumentView, pages: int = 2) -> list[_Emblem]:
    """Return emblems drawn as vector shapes on the first ``pages`` pages of a PDF.

    Some documents draw the flag with paths rather than paste a picture of it: the page is then
    rasterised (PDFium, :func:`~convention_docs.inspect.pdf.render_pages`) and searched like a
    picture. What is found is, by construction, visible on the page (hidden layers are not
    drawn).
    """
    if view.source is None:
        return []
    from convention_docs.errors import DocumentError
    from convention_docs.inspect.pdf import render_pages

    try:
        pictures = render_pages(view.source, RASTER_DPI, pages)
    except DocumentError:
        return []
    found: list[_Emblem] = []
    for page, image in enumerate(pictures, start=1):
        _limits.checkpoint()  # validate()'s deadline
        for match in find_emblems(image):
            left, top, right, bottom = (value / RASTER_DPI * 25.4 for value in match.bbox)
            crop = image.crop(match.bbox)
            placed = PlacedImage(crop, right - left, bottom - top,
                                 Location(view.source, page=page),
                                 bbox_mm=(left, top, right, bottom))
            found.append(_Emblem(placed, right - left, bottom - top, True))
    return found


def _flow(region: str) -> str:
    return "body" if region in ("body", "table") else region


def _same_flow(a: TextLine, b: TextLine) -> bool:
    """Whether ``b`` continues ``a``: same page (PDF) or consecutive paragraphs (.docx)."""
    if _flow(a.region) != _flow(b.region):
        return False
    if a.location.page is not None or b.location.page is not None:
        return a.location.page == b.location.page
    if a.location.paragraph is None or b.location.paragraph is None:
        return False
    return 0 <= b.location.paragraph - a.location.paragraph <= 1


def infer_period(view: DocumentView, reading: Reading | None = None) -> FundingPeriod | None:
    """Return the programming period a document's visible text points to, if any."""
    reading = reading or Reading(view.lines)
    texts = reading.visible_text
    if texts.search(_STATEMENT, _STATEMENT_NEEDLES) or texts.search(_FSE_PLUS, _FSE_NEEDLES):
        return FundingPeriod.FSE_PLUS_2021_2027
    if texts.search(_FSE, _FSE_NEEDLES):
        return FundingPeriod.FSE_2014_2020
    return None


@functools.cache
def _months() -> dict[str, int]:
    return {name.lower(): number for number, name in get_month_names("wide",
                                                                     locale="fr").items()}


def signature_date(view: DocumentView, reading: Reading | None = None) -> dt.date | None:
    """Return the date written after « Fait à …, le », if there is one."""
    reading = reading or Reading(view.lines)
    for index in reading.all.where(_SIGNED_NEEDLES):
        match = _SIGNED.search(reading.texts[index])
        if match:
            day = 1 if match.group(1) == "1er" else int(match.group(1))
            month = _months().get(match.group(2).lower())
            if month:
                try:
                    return dt.date(int(match.group(3)), month, day)
                except ValueError:
                    return None
    return None


def _near(view: DocumentView, placed: PlacedImage, height_mm: float, line: TextLine) -> bool:
    """Whether ``line`` is next to the logo ``placed`` (drawn ``height_mm`` high)."""
    a, b = placed.location, line.location
    if view.kind == "pdf":
        if a.page != b.page or placed.bbox_mm is None or line.bbox_mm is None:
            return a.page == b.page and placed.bbox_mm is None
        ex0, ey0, ex1, ey1 = placed.bbox_mm
        lx0, ly0, lx1, ly1 = line.bbox_mm
        gap_x = max(lx0 - ex1, ex0 - lx1, 0.0)
        gap_y = max(ly0 - ey1, ey0 - ly1, 0.0)
        reach = max(height_mm, 10.0)
        return gap_x <= 4 * reach and gap_y <= reach
    if _flow(placed.region) != _flow(line.region):
        return False  # a header's paragraphs are numbered apart from the body's
    if a.paragraph is None or b.paragraph is None:
        return True
    return abs(a.paragraph - b.paragraph) <= 2


def _first_article(reading: Reading) -> int | None:
    """The paragraph of a .docx's « Article 1er », where its first page is taken to end."""
    return next((line.location.paragraph for line, text in zip(reading.lines, reading.texts,
                                                               strict=True)
                 if _ARTICLE_1.match(text) and line.location.paragraph is not None), None)


def _first_page(view: DocumentView, item: PlacedImage | TextLine,
                first_article: int | None) -> bool:
    if view.kind == "pdf":
        return item.location.page == 1
    if item.region in ("header", "footer") and item.location.first_page is not None:
        return item.location.first_page  # the reader worked out the sections' pages
    if item.region == "header":
        return True
    paragraph = item.location.paragraph
    return paragraph is not None and (first_article is None or paragraph <= first_article)


def _mm(value: float) -> str:
    """« 22,5 » : millimetres with one decimal, French decimal comma."""
    return f"{value:.1f}".replace(".", ",")


def _reason(item: PlacedImage | TextLine) -> str:
    return f" ({item.invisible_reason})" if item.invisible_reason else ""


def check_visibility(view: DocumentView, *, period: FundingPeriod | None,
                     library: LogoLibrary, date: dt.date | None = None,
                     reading: Reading | None = None) -> list[Finding]:
    """Return the funding-visibility findings of ``view`` for ``period`` (inferred if None).

    ``reading`` is the view's text when it has been read already.
    """
    reading = reading or Reading(view.lines)
    return list(_check(view, reading, period or infer_period(view, reading), library,
                       date or signature_date(view, reading)))


def _check(view: DocumentView, reading: Reading, period: FundingPeriod | None,
           library: LogoLibrary, date: dt.date | None) -> Iterator[Finding]:
    emblems, others, defects = _emblems(view)
    if not emblems and not defects and view.kind == "pdf":
        emblems = _drawn_emblems(view)
    shown = [e for e in emblems if e.placed.visible]
    big = [e for e in shown if e.height_mm >= MIN_EMBLEM_HEIGHT_MM]
    reported: set[tuple[str, str]] = set()
    for defect in defects:
        if (defect.code, defect.message) not in reported:
            reported.add((defect.code, defect.message))
            yield Finding(defect.code, Severity.ERROR, defect.message, defect.placed.location)
    if not emblems and defects:
        pass  # what was seen is said above: not « absent »
    elif not emblems and (tiny := _too_small_to_tell(others)) is not None:
        yield Finding("EU_EMBLEM_TOO_SMALL", Severity.ERROR,
                      f"une image aux couleurs de l'emblème (bleu et jaune, {_mm(tiny.width_mm)} "
                      f"× {_mm(tiny.height_mm)} mm) est trop petite ou trop floue "
                      f"({tiny.image.height} pixels de haut) pour qu'on y reconnaisse les douze "
                      "étoiles de l'emblème de l'Union européenne : utilisez le fichier "
                      "officiel, à une taille suffisante", tiny.location)
    elif not emblems:
        yield Finding("EU_EMBLEM_MISSING", Severity.ERROR,
                      "emblème de l'Union européenne absent (reconnu d'après le contenu des "
                      "images : douze étoiles en cercle)")
    elif not shown:
        hidden = emblems[0].placed
        yield Finding("EU_EMBLEM_INVISIBLE", Severity.ERROR,
                      f"emblème de l'Union européenne présent mais invisible{_reason(hidden)}",
                      hidden.location)
    elif not big:
        small = max(shown, key=lambda e: e.height_mm)
        height = f"{small.height_mm:.1f}".replace(".", ",")  # French decimal comma
        yield Finding("EU_EMBLEM_TOO_SMALL", Severity.ERROR,
                      f"emblème de l'Union européenne trop petit ({height} mm de "
                      f"haut ; au moins {MIN_EMBLEM_HEIGHT_MM:g} mm)", small.placed.location)

    fse_logos = [p for p in others if library.match(p.image) == "fse"]
    for emblem in emblems:  # a strip of logos holding the emblem may hold the FSE logo too
        if not emblem.whole and emblem.image is not None and emblem.bbox is not None \
                and emblem.placed not in fse_logos and any(
                    library.match(piece) == "fse"
                    for piece in pieces_beside(emblem.image, emblem.bbox)):
            fse_logos.append(emblem.placed)
    partners = [p for p in others if p not in fse_logos and p.visible]

    if period is None and (emblems or fse_logos or defects):
        # No period in the text (a received document whose mention may be pixels of a
        # bandeau): the logos tell it. The FSE logo belongs to the 2014-2020 set; the emblem
        # alone is the 2021-2027 one, whose rules then say precisely what is missing.
        period = FundingPeriod.FSE_2014_2020 if fse_logos else FundingPeriod.FSE_PLUS_2021_2027
    if period is None:
        yield Finding("FUNDING_MENTION_MISSING", Severity.ERROR,
                      "aucune mention du financement européen : « Cofinancé par l'Union "
                      "européenne » à côté de l'emblème (FSE+ 2021-2027) ou mention du Fonds "
                      "social européen (FSE 2014-2020)")
        return

    if period is FundingPeriod.FSE_PLUS_2021_2027:
        yield from _check_fse_plus(view, reading, big or shown, fse_logos, partners)
    else:
        anchors = [(e.placed, e.height_mm) for e in big or shown]
        anchors += [(p, p.height_mm) for p in fse_logos if p.visible]
        yield from _check_fse(view, reading, anchors, fse_logos, date)


def _check_fse_plus(view: DocumentView, reading: Reading, emblems: Sequence[_Emblem],
                    fse_logos: Sequence[PlacedImage],
                    partners: Sequence[PlacedImage]) -> Iterator[Finding]:
    visible, hidden = _lines(reading, _STATEMENT_LINE, _STATEMENT_NEEDLES)
    if not visible:
        in_picture = [e for e in emblems if not e.whole]
        cited, _ = _lines(reading, _STATEMENT, _STATEMENT_NEEDLES)
        if hidden:
            yield Finding("FUNDING_STATEMENT_INVISIBLE", Severity.ERROR,
                          "la mention « Cofinancé par l'Union européenne » est présente mais "
                          f"illisible{_reason(hidden[0])}", hidden[0].location)
        elif in_picture:
            yield from _statement_in_artwork(in_picture, cited)
        else:
            yield Finding("FUNDING_STATEMENT_MISSING", Severity.ERROR,
                          "mention « Cofinancé par l'Union européenne » (ou « Financé par "
                          "l'Union européenne ») absente à côté de l'emblème (règlement (UE) "
                          "2021/1060, annexe IX)" + _cited_only(cited))
    elif emblems:
        pairs = [(e, line) for e in emblems for line in visible
                 if _near(view, e.placed, e.height_mm, line)]
        first = None if view.kind == "pdf" or not pairs else _first_article(reading)
        if not pairs:
            yield Finding("FUNDING_STATEMENT_NOT_NEAR_EMBLEM", Severity.ERROR,
                          "la mention « Cofinancé par l'Union européenne » doit être écrite à "
                          "côté de l'emblème, pas ailleurs dans le document",
                          visible[0].location)
        elif not any(_first_page(view, e.placed, first) and _first_page(view, line, first)
                     for e, line in pairs):
            emblem, line = pairs[0]
            yield Finding("FUNDING_NOT_ON_FIRST_PAGE", Severity.ERROR,
                          "l'emblème et la mention « Cofinancé par l'Union européenne » doivent "
                          "figurer sur la première page", emblem.placed.location)
        for line in visible[:1]:
            yield from _statement_style(line)
    if emblems:
        largest = max(emblems, key=lambda e: e.height_mm * e.width_mm)
        for logo in partners:
            if (logo.height_mm > largest.height_mm + 0.5
                    and logo.width_mm > largest.width_mm + 0.5):
                yield Finding("EU_EMBLEM_SMALLER_THAN_LOGO", Severity.ERROR,
                              f"un logo ({_mm(logo.width_mm)} × {_mm(logo.height_mm)} mm) est plus "
                              f"grand que l'emblème de l'Union européenne "
                              f"({_mm(largest.width_mm)} × {_mm(largest.height_mm)} mm) : "
                              "l'emblème doit être au moins aussi haut ou aussi large",
                              logo.location)
                break
    if fse_logos:
        yield Finding("OTHER_EU_LOGO", Severity.ERROR,
                      "logo du FSE 2014-2020 sur une convention FSE+ 2021-2027 : aucun autre "
                      "logo ne doit signaler le soutien de l'Union européenne",
                      fse_logos[0].location)


def _statement_in_artwork(emblems: Sequence[_Emblem], cited: Sequence[TextLine]
                          ) -> Iterator[Finding]:
    """The statement read by OCR next to an emblem inside a wider picture (see ``artwork``)."""
    readings = [(e, read_statement(e.image, e.bbox)) for e in emblems
                if e.image is not None and e.bbox is not None]
    if any(reading.kind == "found" for _, reading in readings):
        return
    location = emblems[0].placed.location
    unsure = [(e, r) for e, r in readings if r.kind in ("unreadable", "no_ocr")]
    if not readings or unsure:
        why = "elle n'a pas pu être vérifiée"
        if unsure and unsure[0][1].kind == "no_ocr":
            why = ("les pixels à côté de l'emblème n'ont pas pu être lus : Tesseract (OCR) n'est "
                   "pas installé")
        elif unsure:
            read = unsure[0][1]
            seen = f" (lu : « {read.text[:60]} »)" if read.text else ""
            why = (f"les pixels à côté de l'emblème n'ont pas pu être lus par OCR{seen}, "
                   f"confiance {read.confidence:.0f} %")
        yield Finding("FUNDING_STATEMENT_UNCONFIRMED", Severity.WARNING,
                      "l'emblème de l'Union européenne figure dans une image plus large "
                      "(bandeau) mais la mention « Cofinancé par l'Union européenne » n'est "
                      f"pas écrite en texte et {why} : contrôlez-la à l'œil", location)
        return
    other = [r for _, r in readings if r.kind == "other"]
    seen = (f"l'image porte à côté de l'emblème « {other[0].text[:60]} » (lu par OCR, "
            f"confiance {other[0].confidence:.0f} %), pas la mention" if other else
            "rien n'est écrit à côté de l'emblème dans l'image")
    yield Finding("FUNDING_STATEMENT_MISSING", Severity.ERROR,
                  "mention « Cofinancé par l'Union européenne » (ou « Financé par l'Union "
                  "européenne ») absente à côté de l'emblème (règlement (UE) 2021/1060, "
                  f"annexe IX) : ni écrite en texte, ni dans l'image ; {seen}"
                  + _cited_only(cited), location)


def _statement_style(line: TextLine) -> Iterator[Finding]:
    if line.italic:
        yield Finding("FUNDING_STATEMENT_STYLE", Severity.WARNING,
                      "la mention « Cofinancé par l'Union européenne » ne doit pas être en "
                      "italique (annexe IX)", line.location)
    if line.font and not any(name in line.font.lower().replace("-", " ")
                             for name in ALLOWED_FONTS):
        yield Finding("FUNDING_STATEMENT_FONT", Severity.WARNING,
                      f"police « {line.font} » non prévue pour la mention (annexe IX : Arial, "
                      "Auto, Calibri, Garamond, Trebuchet, Tahoma, Verdana, Ubuntu)",
                      line.location)
    if line.color and not any(sum(abs(a - b) for a, b in zip(line.color, allowed, strict=True))
                              <= 60 for allowed in ALLOWED_COLOURS):
        yield Finding("FUNDING_STATEMENT_COLOUR", Severity.WARNING,
                      "couleur de la mention hors annexe IX (bleu Reflex, noir ou blanc)",
                      line.location)


def _cited_only(lines: Sequence[TextLine], what: str = "elle") -> str:
    """« ; elle n'est que citée dans le texte (paragraphe 62) », or "" when it is not."""
    if not lines:
        return ""
    return f" ; {what} n'est que cité{'e' if what == 'elle' else ''} dans le texte " \
           f"({lines[0].location})"


def _check_fse(view: DocumentView, reading: Reading,
               anchors: Sequence[tuple[PlacedImage, float]],
               fse_logos: Sequence[PlacedImage], date: dt.date | None) -> Iterator[Finding]:
    # The mention accompanies the logos, as the FSE+ statement accompanies the emblem: the fund
    # named in an article (« doit mentionner cette participation du Fonds social européen »)
    # does not acknowledge the support on the document itself. Without logos to stand next
    # to (already an error), the mention counts anywhere.
    cited, hidden = _lines(reading, _FSE, _FSE_NEEDLES)
    visible = [line for line in cited
               if not anchors or any(_near(view, p, h, line) for p, h in anchors)]
    hidden = [line for line in hidden
              if not anchors or any(_near(view, p, h, line) for p, h in anchors)]
    if not visible:
        if hidden:
            yield Finding("FUNDING_MENTION_INVISIBLE", Severity.ERROR,
                          f"la mention du Fonds social européen est illisible{_reason(hidden[0])}",
                          hidden[0].location)
        else:
            yield Finding("FUNDING_MENTION_MISSING", Severity.ERROR,
                          "mention de la participation du Fonds social européen absente à côté "
                          "des logos (« Ce projet est cofinancé par le Fonds social européen "
                          "… »)" + _cited_only(cited, "le Fonds"))
    shown = [p for p in fse_logos if p.visible]
    if not fse_logos:
        yield Finding("FSE_LOGO_MISSING", Severity.ERROR,
                      "logo du Fonds social européen absent (reconnu d'après le contenu des "
                      "images ; enregistrez votre fichier officiel s'il diffère du logo fourni)")
    elif not shown:
        yield Finding("FSE_LOGO_INVISIBLE", Severity.ERROR,
                      f"logo du Fonds social européen invisible{_reason(fse_logos[0])}",
                      fse_logos[0].location)
    if date is not None and date >= FSE_PLUS_START:
        yield Finding("OUTDATED_FSE_2014_2020", Severity.WARNING,
                      f"convention datée du {date:%d/%m/%Y} avec les logos et la mention du FSE "
                      "2014-2020 : depuis 2021 s'applique le FSE+ 2021-2027 (emblème et "
                      "« Cofinancé par l'Union européenne »)")
