"""Currency and drafting rules: outdated references (warnings with the replacement), French
typography, and the clauses a 2026 convention usually holds. Sources: DOMAIN.md §1, §2, §5, §6.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from convention_docs.french import find_unaccented_capitals
from convention_docs.inspect.view import TextLine
from convention_docs.validate.form import norm
from convention_docs.validate.report import Finding, Severity

__all__ = ["CLAUSES", "OUTDATED", "check_clauses", "check_currency", "check_typography"]


@dataclass(frozen=True)
class Outdated:
    """An outdated reference: what to look for and what to write instead."""

    code: str
    pattern: re.Pattern[str]
    message: str


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


OUTDATED: tuple[Outdated, ...] = (
    Outdated("OUTDATED_POLE_EMPLOI", _rx(r"\bp[ôo]le[\s-]+emploi\b"),
             "« Pôle emploi » est devenu « France Travail » le 1er janvier 2024 "
             "(loi n° 2023-1196 du 18 décembre 2023 pour le plein emploi)"),
    Outdated("OUTDATED_ORDONNANCE_2015",
             _rx(r"\bordonnance\s+(?:n°\s*2015-899\s+)?du\s+23\s+juillet\s+2015|2015-899\b"),
             "l'ordonnance du 23 juillet 2015 est codifiée dans le code de la commande publique "
             "depuis le 1er avril 2019 : citez ses articles (L2111-1, L2112-2, L2112-2-1)"),
    Outdated("OUTDATED_DECRET_2016",
             _rx(r"\bd[ée]cret\s+(?:n°\s*2016-360\s+)?du\s+(?:7\s+avril|25\s+mars)\s+2016"
                 r"|2016-360\b"),
             "le décret n° 2016-360 du 25 mars 2016 (et non du 7 avril 2016) est codifié dans le "
             "code de la commande publique depuis le 1er avril 2019"),
    Outdated("OUTDATED_DIRECCTE", re.compile(r"\bDIRECCTE\b|\bDirecc?te\b"),
             "les DIRECCTE sont devenues DREETS et DDETS le 1er avril 2021 "
             "(décret n° 2020-1545)"),
    Outdated("OUTDATED_CIRCULAIRE_2008", _rx(r"\bcirculaire\s+du\s+3\s+d[ée]cembre\s+2008"),
             "la circulaire du 3 décembre 2008 a été relancée par la circulaire du Premier "
             "ministre du 25 février 2020 (services publics écoresponsables)"),
    Outdated("OUTDATED_PLAN_2015_2020",
             _rx(r"\bplan\s+national\s+d'action\s+pour\s+les\s+achats\s+publics\s+durables"
                 r"\s+2015-2020|\bPNAAPD\b"),
             "le plan 2015-2020 (objectif 25 %) est remplacé par le plan national pour des "
             "achats durables 2022-2025 (objectif 30 % de contrats avec une considération "
             "sociale)"),
    Outdated("OUTDATED_CODE_MARCHES_PUBLICS", _rx(r"\bcode\s+des\s+march[ée]s\s+publics\b"),
             "le code des marchés publics est abrogé : citez le code de la commande publique"),
)

_TYPO: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("TYPO_CAPITALS", re.compile(r"\bUnion Européenne\b"), "« Union européenne »"),
    ("TYPO_CAPITALS", re.compile(r"\bFonds Social Européen\b"), "« Fonds social européen »"),
    ("TYPO_HYPHEN", re.compile(r"\bnon reconduction\b", re.IGNORECASE), "« non-reconduction »"),
    ("TYPO_CIVILITY", re.compile(r"\b(?:Mr|Mrs|Mlle|Melle)\b\.?"),
     "« M. » ou « Mme » (ni « Mr », ni « Mlle »)"),
)

CLAUSES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("CLAUSE_TERM_MISSING", _rx(r"prend\s+effet|date\s+d'effet|entre\s+en\s+vigueur|"
                                r"pour\s+une\s+durée"),
     "date d'effet et durée de la convention"),
    ("CLAUSE_INDICATORS_MISSING", _rx(r"indicateurs?|heures\s+d'insertion"),
     "indicateurs de suivi (heures d'insertion, participants, contrats)"),
    ("CLAUSE_AMENDMENT_MISSING", _rx(r"\bavenants?\b"), "modification par avenant"),
    ("CLAUSE_DISPUTES_MISSING", _rx(r"\blitiges?\b|tribunal\s+administratif"),
     "règlement des litiges (tribunal administratif compétent)"),
    ("CLAUSE_GDPR_MISSING", _rx(r"données\s+(?:à\s+caractère\s+)?personnelles|\bRGPD\b|"
                                r"2016/679"),
     "protection des données personnelles (RGPD)"),
)


def _lines(lines: Iterable[TextLine]) -> list[tuple[TextLine, str]]:
    """Return (line, text) pairs to search; a PDF's lines are joined page by page, so that
    words wrapped onto the next line (« Pôle / emploi ») are still found together."""
    pairs: list[tuple[TextLine, str]] = []
    for line in lines:
        if not (line.visible and line.text.strip()):
            continue
        text = norm(line.text)
        previous = pairs[-1][0] if pairs else None
        if previous is not None and line.location.page is not None \
                and line.location.page == previous.location.page \
                and line.location.paragraph is None:
            pairs[-1] = (previous, f"{pairs[-1][1]} {text}")
        else:
            pairs.append((line, text))
    return pairs


def check_currency(lines: Iterable[TextLine]) -> Iterator[Finding]:
    """Warn once per outdated reference, at its first occurrence, with the replacement."""
    texts = _lines(lines)
    for rule in OUTDATED:
        for line, text in texts:
            match = rule.pattern.search(text)
            if match:
                yield Finding(rule.code, Severity.WARNING,
                              f"référence périmée « {match.group(0)} » : {rule.message}",
                              line.location)
                break


def check_typography(lines: Iterable[TextLine]) -> Iterator[Finding]:
    """Warn about unaccented capitals, wrong capitals, missing hyphens and civilities."""
    texts = _lines(lines)
    seen: set[str] = set()
    for line, text in texts:
        for found, suggestion in find_unaccented_capitals(text):
            if found in seen:
                continue
            seen.add(found)
            yield Finding("TYPO_UNACCENTED_CAPITAL", Severity.WARNING,
                          f"« {found} » : les capitales gardent leur accent, écrivez "
                          f"« {suggestion} »", line.location)
        for code, pattern, right in _TYPO:
            match = pattern.search(text)
            if match and match.group(0) not in seen:
                seen.add(match.group(0))
                yield Finding(code, Severity.WARNING,
                              f"« {match.group(0)} » : écrivez {right}", line.location)


def check_clauses(lines: Iterable[TextLine]) -> Iterator[Finding]:
    """Warn about the clauses a 2026 convention usually holds and this one lacks."""
    whole = "\n".join(text for _, text in _lines(lines))
    for code, pattern, what in CLAUSES:
        if not pattern.search(whole):
            yield Finding(code, Severity.WARNING, f"clause absente : {what}")
