"""Currency and drafting rules: outdated references (warnings with the replacement), French
typography, and the clauses a 2026 convention usually holds. Sources: DOMAIN.md §1, §2, §5, §6.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from convention_docs.french import UNACCENTED_CAPITALS, find_unaccented_capitals
from convention_docs.inspect.view import TextLine
from convention_docs.validate._text import Located, Reading
from convention_docs.validate.report import Finding, Severity

__all__ = ["CLAUSES", "CLAUSE_WRITERS", "OUTDATED", "check_clauses", "check_currency",
           "check_typography"]


@dataclass(frozen=True)
class Outdated:
    """An outdated reference: what to look for and what to write instead.

    ``needles`` are lower-case pieces of text that every match of ``pattern`` contains (see
    :mod:`._text`): a document without any of them is not searched.
    """

    code: str
    pattern: re.Pattern[str]
    message: str
    needles: tuple[str, ...]


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


OUTDATED: tuple[Outdated, ...] = (
    Outdated("OUTDATED_POLE_EMPLOI", _rx(r"\bp[ôo]le[\s-]+emploi\b"),
             "« Pôle emploi » est devenu « France Travail » le 1er janvier 2024 "
             "(loi n° 2023-1196 du 18 décembre 2023 pour le plein emploi)", ("emploi",)),
    Outdated("OUTDATED_ORDONNANCE_2015",
             _rx(r"\bordonnance\s+(?:n°\s*2015-899\s+)?du\s+23\s+juillet\s+2015|2015-899\b"),
             "l'ordonnance du 23 juillet 2015 est codifiée dans le code de la commande publique "
             "depuis le 1er avril 2019 : citez ses articles (L2111-1, L2112-2, L2112-2-1)",
             ("2015",)),
    Outdated("OUTDATED_DECRET_2016",
             _rx(r"\bd[ée]cret\s+(?:n°\s*2016-360\s+)?du\s+(?:7\s+avril|25\s+mars)\s+2016"
                 r"|2016-360\b"),
             "le décret n° 2016-360 du 25 mars 2016 (et non du 7 avril 2016) est codifié dans le "
             "code de la commande publique depuis le 1er avril 2019", ("2016",)),
    Outdated("OUTDATED_DIRECCTE", re.compile(r"\bDIRECCTE\b|\bDirecc?te\b"),
             "les DIRECCTE sont devenues DREETS et DDETS le 1er avril 2021 "
             "(décret n° 2020-1545)", ("direc",)),
    Outdated("OUTDATED_CIRCULAIRE_2008", _rx(r"\bcirculaire\s+du\s+3\s+d[ée]cembre\s+2008"),
             "la circulaire du 3 décembre 2008 a été relancée par la circulaire du Premier "
             "ministre du 25 février 2020 (services publics écoresponsables)", ("2008",)),
    Outdated("OUTDATED_PLAN_2015_2020",
             _rx(r"\bplan\s+national\s+d'action\s+pour\s+les\s+achats\s+publics\s+durables"
                 r"\s+2015-2020|\bPNAAPD\b"),
             "le plan 2015-2020 (objectif 25 %) est remplacé par le plan national pour des "
             "achats durables 2022-2025 (objectif 30 % de contrats avec une considération "
             "sociale)", ("2015-2020", "pnaapd")),
    Outdated("OUTDATED_CODE_MARCHES_PUBLICS", _rx(r"\bcode\s+des\s+march[ée]s\s+publics\b"),
             "le code des marchés publics est abrogé : citez le code de la commande publique",
             ("march",)),
)

# (code, pattern, what to write, needles)
_TYPO: tuple[tuple[str, re.Pattern[str], str, tuple[str, ...]], ...] = (
    ("TYPO_CAPITALS", re.compile(r"\bUnion Européenne\b"), "« Union européenne »",
     ("union européenne",)),
    ("TYPO_CAPITALS", re.compile(r"\bFonds Social Européen\b"), "« Fonds social européen »",
     ("fonds social européen",)),
    ("TYPO_HYPHEN", re.compile(r"\bnon reconduction\b", re.IGNORECASE), "« non-reconduction »",
     ("non reconduction",)),
    ("TYPO_CIVILITY", re.compile(r"\b(?:Mr|Mrs|Mlle|Melle)\b\.?"),
     "« M. » ou « Mme » (ni « Mr », ni « Mlle »)", ("mr", "mlle", "melle")),
)

# (code, pattern, what is missing, needles)
CLAUSES: tuple[tuple[str, re.Pattern[str], str, tuple[str, ...]], ...] = (
    ("CLAUSE_TERM_MISSING", _rx(r"prend\s+effet|date\s+d'effet|entre\s+en\s+vigueur|"
                                r"pour\s+une\s+durée"),
     "date d'effet et durée de la convention", ("effet", "vigueur", "durée")),
    ("CLAUSE_INDICATORS_MISSING", _rx(r"indicateurs?|heures\s+d'insertion"),
     "indicateurs de suivi (heures d'insertion, participants, contrats)",
     ("indicateur", "insertion")),
    ("CLAUSE_AMENDMENT_MISSING", _rx(r"\bavenants?\b"), "modification par avenant",
     ("avenant",)),
    ("CLAUSE_DISPUTES_MISSING", _rx(r"\blitiges?\b|tribunal\s+administratif"),
     "règlement des litiges (tribunal administratif compétent)", ("litige", "tribunal")),
    ("CLAUSE_GDPR_MISSING", _rx(r"données\s+(?:à\s+caractère\s+)?personnelles|\bRGPD\b|"
                                r"2016/679"),
     "protection des données personnelles (RGPD)", ("personnelles", "rgpd", "2016/679")),
)

CLAUSE_WRITERS: dict[str, str] = {
    "CLAUSE_TERM_MISSING": "duree",
    "CLAUSE_INDICATORS_MISSING": "suivi",
    "CLAUSE_AMENDMENT_MISSING": "avenants",
    "CLAUSE_DISPUTES_MISSING": "litiges",
    "CLAUSE_GDPR_MISSING": "donnees_personnelles",
}
"""The function of ``convention_docs.clauses`` that writes each usual clause."""


def _initial_led(words: Iterable[str]) -> re.Pattern[str]:
    """Return an expression finding ``words`` as whole words, written to start with a letter.

    ``french``'s own expression starts with a look-behind, which the regular expression engine
    tries at every character; this one is searched for fast, and finds a superset.
    """
    by_initial: dict[str, list[str]] = defaultdict(list)
    for word in words:
        by_initial[word[0]].append(word[1:])
    branches = (f"{re.escape(initial)}(?<!\\w{re.escape(initial)})(?:"
                + "|".join(re.escape(rest) for rest in sorted(rests, key=len, reverse=True))
                + ")" for initial, rests in sorted(by_initial.items()))
    return re.compile("(?:" + "|".join(branches) + r")(?!\w)")


_UNACCENTED = _initial_led([*UNACCENTED_CAPITALS, *(w.upper() for w in UNACCENTED_CAPITALS)])


def searchable(lines: Iterable[TextLine] | Located) -> Located:
    """Return the runs of visible text to search, each located at its first line.

    A PDF's lines are joined page by page, so that words wrapped onto the next line
    (« Pôle / emploi ») are still found together. ``lines`` may be such runs already
    (``Reading.flow``, shared by the rules of one document).
    """
    return lines if isinstance(lines, Located) else Reading(tuple(lines)).flow


def check_currency(lines: Iterable[TextLine] | Located) -> Iterator[Finding]:
    """Warn once per outdated reference, at its first occurrence, with the replacement."""
    runs = searchable(lines)
    for rule in OUTDATED:
        for index in runs.texts.where(rule.needles):
            match = rule.pattern.search(runs.texts.texts[index])
            if match:
                yield Finding(rule.code, Severity.WARNING,
                              f"référence périmée « {match.group(0)} » : {rule.message}",
                              runs.lines[index].location)
                break


def check_typography(lines: Iterable[TextLine] | Located) -> Iterator[Finding]:
    """Warn about unaccented capitals, wrong capitals, missing hyphens and civilities."""
    runs = searchable(lines)
    candidates = [(code, pattern, right, set(runs.texts.where(needles)))
                  for code, pattern, right, needles in _TYPO]
    seen: set[str] = set()
    for index, (line, text) in enumerate(zip(runs.lines, runs.texts.texts, strict=True)):
        if _UNACCENTED.search(text):
            for found, suggestion in find_unaccented_capitals(text):
                if found in seen:
                    continue
                seen.add(found)
                yield Finding("TYPO_UNACCENTED_CAPITAL", Severity.WARNING,
                              f"« {found} » : les capitales gardent leur accent, écrivez "
                              f"« {suggestion} »", line.location)
        for code, pattern, right, where in candidates:
            match = pattern.search(text) if index in where else None
            if match and match.group(0) not in seen:
                seen.add(match.group(0))
                yield Finding(code, Severity.WARNING,
                              f"« {match.group(0)} » : écrivez {right}", line.location)


def check_clauses(lines: Iterable[TextLine] | Located) -> Iterator[Finding]:
    """Warn about the clauses a 2026 convention usually holds and this one lacks."""
    texts = searchable(lines).texts  # searched joined, one run a line
    for code, pattern, what, needles in CLAUSES:
        if not texts.search(pattern, needles):
            writer = CLAUSE_WRITERS.get(code)
            hint = f" : voir convention_docs.clauses.{writer}()" if writer else ""
            yield Finding(code, Severity.WARNING, f"clause absente : {what}{hint}")
