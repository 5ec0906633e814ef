"""Civility against function: « Mme … préfet », « M. … directrice » pass every other rule.

The function's head (its words before the first preposition: « vice-présidente » in
« vice-présidente de la Métropole déléguée à l'emploi », « secrétaire général » in « secrétaire
général pour les affaires régionales ») is looked up in a table of feminine and masculine forms
of titles of office; a word of the other gender than the civility is a warning, not an error
(some women keep the masculine title on purpose).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from types import MappingProxyType

from convention_docs.inspect.view import Location
from convention_docs.model import Civility, Convention, Person
from convention_docs.validate.report import Finding, Severity

__all__ = ["FUNCTION_WORDS", "check_civility", "function_gender"]

_PAIRS = (
    ("préfet", "préfète"), ("président", "présidente"), ("directeur", "directrice"),
    ("général", "générale"), ("adjoint", "adjointe"), ("délégué", "déléguée"),
    ("conseiller", "conseillère"), ("recteur", "rectrice"), ("chef", "cheffe"),
    ("administrateur", "administratrice"), ("inspecteur", "inspectrice"),
    ("coordinateur", "coordinatrice"), ("coordonnateur", "coordonnatrice"),
    ("gérant", "gérante"), ("trésorier", "trésorière"), ("chargé", "chargée"),
    ("animateur", "animatrice"), ("fondateur", "fondatrice"), ("principal", "principale"),
    ("premier", "première"), ("doyen", "doyenne"), ("haut", "haute"),
)
# Same word for both: maire, ministre, secrétaire, commissaire, responsable, vice …

FUNCTION_WORDS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {word: ("masculine" if word == m else "feminine", f if word == m else m)
     for m, f in _PAIRS for word in (m, f)})
"""Word of a title of office → (its gender, the form of the other gender)."""

_HEAD_END = re.compile(
    r"\s(?:de|du|des|d'|d’|pour|à|au|aux|en|chargée?s?|sur|auprès)(?=[\s'’])|[,;(\n]",
    re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")
_ARTICLE = re.compile(r"^\s*(?:le|la|les|l['’])\s*", re.IGNORECASE)


def function_gender(function: str) -> tuple[str, str, str] | None:
    """Return (word, its gender, the other form) for the first gendered word of the head of
    ``function``, or None when the head says nothing of gender (« maire », « secrétaire »).

    >>> function_gender("vice-présidente de la Métropole déléguée à l'emploi")
    ('présidente', 'feminine', 'président')
    >>> function_gender("Le secrétaire général pour les affaires régionales")
    ('général', 'masculine', 'générale')
    >>> function_gender("maire de Marseille") is None
    True
    """
    text = _ARTICLE.sub("", function)
    end = _HEAD_END.search(text)
    head = text[: end.start()] if end else text
    for word in _WORD.findall(head.lower()):
        if word in FUNCTION_WORDS:
            gender, other = FUNCTION_WORDS[word]
            return word, gender, other
    return None


def _judge(person: Person, function: str, field: str) -> Iterator[Finding]:
    found = function_gender(function)
    if found is None:
        return
    word, gender, other = found
    expected = "feminine" if person.civility is Civility.MME else "masculine"
    if gender != expected:
        civility = person.civility.value
        yield Finding(
            "CIVILITY_FUNCTION_MISMATCH", Severity.WARNING,
            f"« {civility} {person.first_name} {person.last_name} » et « {word} » ne "
            f"s'accordent pas : écrivez « {other} » (ou corrigez la civilité « {civility} »)",
            Location(field=field))


def check_civility(convention: Convention) -> Iterator[Finding]:
    """Warn where a representative's or signatory's civility and function disagree."""
    for i, party in enumerate(convention.parties):
        yield from _judge(party.representative, party.representative.function,
                          f"parties[{i}].representative.function")
    for i, block in enumerate(convention.signature.blocks or ()):
        try:
            party = convention.party(block.party)
        except KeyError:
            continue
        signatory = block.signatory or party.representative
        if block.signatory is not None:
            yield from _judge(signatory, signatory.function,
                              f"signature.blocks[{i}].signatory.function")
        if block.function is not None:
            yield from _judge(signatory, block.function, f"signature.blocks[{i}].function")
