"""Rules for conventions as they arrive: a draft is not a convention to sign; funding material
of two programming periods must not be mixed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence

from convention_docs.inspect.view import TextLine
from convention_docs.validate._text import Reading
from convention_docs.validate.report import Finding, Severity

__all__ = ["FSE_2014_2020_END", "check_draft", "check_periods"]

FSE_2014_2020_END = dt.date(2023, 12, 31)
"""Last day of eligibility of the 2014-2020 programmes (Reg. (EU) 1303/2013, art. 65(2))."""

_DRAFT = re.compile(
    r"(?i:\bà\s+ne\s+pas\s+signer\b|\bdocument\s+non\s+validé\b|\bversion\s+provisoire\b"
    r"|\bbrouillon\b|\bdocument\s+de\s+travail\b|\bne\s+vaut\s+pas\s+engagement\b)"
    r"|^PROJET(?:\s*[-–—:]|$)")
_DRAFT_NEEDLES = ("signer", "valid", "provisoire", "brouillon", "travail", "engagement",
                  "projet")

# Evidence of each period: (pattern, needles, what to say)
_OLD: tuple[tuple[re.Pattern[str], tuple[str, ...], str], ...] = (
    (re.compile(r"(?i)\b2014\s*[-–/]\s*2020\b"), ("2014",), "« 2014-2020 »"),
    (re.compile(r"(?i)\b1303\s*/\s*2013\b"), ("1303",), "le règlement (UE) n° 1303/2013"),
    (re.compile(r"(?i)\b1304\s*/\s*2013\b"), ("1304",), "le règlement (UE) n° 1304/2013"),
    (re.compile(r"(?i)\bl'europe\s+s'engage\b"), ("engage",), "« L'Europe s'engage »"),
    (re.compile(r"(?i)\binitiative\s+pour\s+l'emploi\s+des\s+jeunes\b|\bIEJ\b"),
     ("jeunes", "iej"), "l'Initiative pour l'emploi des jeunes"),
)
_NEW: tuple[tuple[re.Pattern[str], tuple[str, ...], str], ...] = (
    (re.compile(r"(?i)^(?:co-?)?financ[ée]\s+par\s+l'union\s+europ[ée]enne\b"), ("financ",),
     "la mention « Cofinancé par l'Union européenne »"),
    (re.compile(r"\bFSE\s?\+|(?i:\bfonds\s+social\s+europ[ée]en\s+plus\b)"), ("fse", "plus"),
     "le FSE+"),
    (re.compile(r"(?i)\b2021\s*[-–/]\s*2027\b"), ("2021",), "« 2021-2027 »"),
    (re.compile(r"(?i)\b2021\s*/\s*(?:1060|1057)\b"), ("2021",), "les règlements (UE) 2021/1060 "
     "ou 2021/1057"),
)


def check_draft(reading: Reading) -> Iterator[Finding]:
    """A visible draft notice (« PROJET – document non validé, à ne pas signer » …) refuses."""
    shown = reading.shown
    for index in shown.texts.where(_DRAFT_NEEDLES):
        text = shown.texts.texts[index]
        match = _DRAFT.search(text)
        if match:
            yield Finding("DRAFT_NOT_FOR_SIGNATURE", Severity.ERROR,
                          f"document marqué comme projet (« {text[:80]} ») : un projet n'est pas "
                          "une convention prête à signer ; retirez la mention une fois le texte "
                          "validé", shown.lines[index].location)
            return


def _evidence(reading: Reading, kinds: Sequence[tuple[re.Pattern[str], tuple[str, ...], str]]
              ) -> list[tuple[str, TextLine]]:
    shown = reading.shown
    found: list[tuple[str, TextLine]] = []
    for pattern, needles, what in kinds:
        for index in shown.texts.where(needles):
            if pattern.search(shown.texts.texts[index]):
                found.append((what, shown.lines[index]))
                break
    return found


def check_periods(reading: Reading, date: dt.date | None, *, old_logo: bool,
                  logo_reported: bool) -> Iterator[Finding]:
    """Material of the 2014-2020 period next to that of 2021-2027, or after its closure.

    ``old_logo``: the FSE 2014-2020 logo was recognised; ``logo_reported``: the FSE logo on a
    2021-2027 convention is already reported (``OTHER_EU_LOGO``), so it is not said twice.
    """
    old: list[tuple[str, TextLine | None]] = list(_evidence(reading, _OLD))
    new = _evidence(reading, _NEW)
    if old_logo and not logo_reported:
        old.insert(0, ("le logo du FSE 2014-2020", None))
    if old and new:
        location = next((line.location for _, line in old if line is not None), None)
        said_old = ", ".join(what for what, _ in old)
        said_new = ", ".join(what for what, _ in new)
        message = (f"périodes de programmation mélangées : {said_old} (FSE 2014-2020) avec "
                   f"{said_new} (FSE+ 2021-2027) ; une convention relève d'une seule période")
        yield (Finding("MIXED_FUNDING_PERIODS", Severity.ERROR, message, location)
               if location else Finding("MIXED_FUNDING_PERIODS", Severity.ERROR, message))
    elif old and date is not None and date > FSE_2014_2020_END:
        location = next((line.location for _, line in old if line is not None), None)
        message = (f"convention datée du {date:%d/%m/%Y} avec "
                   f"{', '.join(what for what, _ in old)} : la programmation FSE 2014-2020 est "
                   f"close depuis le {FSE_2014_2020_END:%d/%m/%Y} (FSE+ 2021-2027 : emblème et "
                   "« Cofinancé par l'Union européenne »)")
        yield (Finding("MIXED_FUNDING_PERIODS", Severity.ERROR, message, location)
               if location else Finding("MIXED_FUNDING_PERIODS", Severity.ERROR, message))
