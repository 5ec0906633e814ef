"""Form rules: article numbering, parties and agreement, signature blocks, place, originals.

They read the visible text lines of a ``DocumentView`` (a .docx, a PDF or a model), so the same
rules judge our own outputs and conventions written elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from convention_docs.inspect.view import DocumentView, TextLine
from convention_docs.validate._text import Reading, Texts, norm
from convention_docs.validate.report import Finding, Severity
from convention_docs.validate.structure import articles_part

__all__ = ["check_form", "norm", "signature_formula", "speaks_of_originals"]

_ARTICLE = re.compile(
    # « Article 3 : », « ARTICLE 3 - », « Article 1er », « Article premier » as a heading: a
    # capital A (running text wrapped onto a new line reads « article 4. »), and not « 1.2 ».
    r"^(?:Article|ARTICLE)\s+(?P<num>1\s*(?:er|ER)|[Pp]remier|PREMIER|\d{1,3})"
    r"(?=\s*(?:[:\-–—]|\.(?!\d)|$))")
# A table-of-contents entry: a title, a leader of dots (or an ellipsis), a page number.
_TOC_ENTRY = re.compile(r"(?:\.\s?){3,}\s*\d{1,4}$|…\s*\d{1,4}$")
# « Fait à Fougères, le … », « Fait en deux exemplaires originaux, à Fougères, le … », « Fait en
# double exemplaire à Fougères le … », « Fait à Fougères, en trois exemplaires, le … ».
_COPIES = (r"en\s+(?:\d+|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|double|triple)\s+"
           r"exemplaires?(?:\s+originaux|\s+original)?")
_MADE_AT = re.compile(rf"\bfait\s+(?:{_COPIES}\s*,?\s*)?à\s+(?P<place>[^,\n]+?)\s*,?\s+"
                      rf"(?:{_COPIES}\s*,?\s*)?le\b", re.IGNORECASE)
_ORIGINALS = re.compile(
    r"\ben\s+(?P<n>\d+|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|double|triple)\s+"
    r"exemplaires?(\s+originaux|\s+original)?", re.IGNORECASE)
# A convention signed electronically has no « Fait à …, le … » date: « signée
# électroniquement », « signature électronique », « date de sa dernière signature ».
_ELECTRONIC = re.compile(
    r"\bsign(?:é|ée|és|ées)\s+électroniquement\b|\bsignatures?\s+électroniques?\b"
    r"|\bdate\s+de\s+(?:sa|la)\s+dernière\s+signature\b", re.IGNORECASE)
_ELECTRONIC_NEEDLES = ("électroniqu", "dernière")
_ORIGINALS_NEEDLES = ("exemplaire",)
_REPRESENTED = re.compile(r"\b(?P<word>représenté(?P<fem>e?)s?)\s+par\b", re.IGNORECASE)
# Lower-case pieces of text that every match of these expressions contains (see ``_text``).
_MADE_AT_NEEDLES = ("fait",)
_REPRESENTED_NEEDLES = ("représent",)
_DENOMINATED = re.compile(r"\bdénommé(?P<fem>e?)s?\b", re.IGNORECASE)
_CIVIL_NAME = re.compile(
    r"\b(?:M\.|Mme|Monsieur|Madame)\s+(?P<first>[A-ZÀ-Ý][\w'’\-]+(?:\s+[A-ZÀ-Ý][\w'’\-]+)?)\s+"
    r"(?P<last>[A-ZÀ-Ý][A-ZÀ-Ý'’\-]+(?:\s+[A-ZÀ-Ý][A-ZÀ-Ý'’\-]+)*)\b")

_FEMININE_ARTICLES = ("la ", "une ")
_MASCULINE_ARTICLES = ("le ", "un ")
# Nouns that follow « L' » in party names, with their gender.
_ELIDED_NOUNS = {
    "état": "m", "etat": "m", "établissement": "m", "etablissement": "m", "office": "m",
    "observatoire": "m", "institut": "m", "agence": "f", "association": "f", "union": "f",
    "entreprise": "f", "académie": "f", "université": "f", "école": "f", "intercommunalité": "f",
    "assemblée": "f",
}


def _gender_of(name: str) -> str | None:
    """Return "m", "f" or None from a party name's article (« La Métropole » → "f")."""
    low = norm(name).lower()
    if low.startswith(_FEMININE_ARTICLES):
        return "f"
    if low.startswith(_MASCULINE_ARTICLES):
        return "m"
    if low.startswith("l'"):
        noun = re.split(r"[\s,\-]", low[2:], maxsplit=1)[0]
        return _ELIDED_NOUNS.get(noun)
    return None


def _finding(code: str, severity: Severity, message: str, line: TextLine | None) -> Finding:
    if line is None:
        return Finding(code, severity, message)
    return Finding(code, severity, message, line.location)


def _article_number(token: str) -> tuple[int, bool]:
    token = token.replace(" ", "").lower()
    if token in ("1er", "premier"):
        return 1, True
    return int(token), False


def check_articles(lines: Sequence[TextLine], texts: Texts) -> Iterator[Finding]:
    """Articles numbered 1er, 2, 3 … with no gap and no repeat (``texts``: the lines' own)."""
    found: list[tuple[int, bool, TextLine]] = []
    for line, text in zip(lines, texts.texts, strict=True):
        match = _ARTICLE.match(text)  # normalised: one line, no space at either end
        if match and not _TOC_ENTRY.search(text):  # a table of contents names no article
            number, ordinal = _article_number(match.group("num"))
            found.append((number, ordinal, line))
    if not found:
        yield Finding("ARTICLES_MISSING", Severity.ERROR,
                      "aucun article numéroté trouvé (« Article 1er : … »)")
        return
    expected = 1
    for number, ordinal, line in found:
        if number == expected:
            if number == 1 and not ordinal:
                yield _finding("ARTICLE_FIRST_NOT_1ER", Severity.WARNING,
                               "le premier article s'écrit « Article 1er », pas « Article 1 »",
                               line)
            expected += 1
        elif number > expected:
            missing = (f"l'article {expected} manque" if number == expected + 1 else
                       f"les articles {expected} à {number - 1} manquent")
            yield _finding("ARTICLE_NUMBERING_GAP", Severity.ERROR,
                           f"numérotation des articles interrompue : {missing} "
                           f"(on passe de l'article {expected - 1} à l'article {number})", line)
            expected = number + 1
        else:
            yield _finding("ARTICLE_NUMBER_REPEATED", Severity.ERROR,
                           f"l'article {number} apparaît plusieurs fois ou hors d'ordre "
                           f"(article {expected} attendu)", line)


def _signature_part(lines: Sequence[TextLine], texts: Texts) -> int | None:
    """Return the index of the last « Fait à …, le » line, if any."""
    for index in reversed(texts.where(_MADE_AT_NEEDLES)):
        if _MADE_AT.search(texts.texts[index]):
            return index
    return None


def _electronic_part(texts: Texts) -> int | None:
    """Return the index of the last line of an electronic signing formula, if any."""
    for index in reversed(texts.where(_ELECTRONIC_NEEDLES)):
        if _ELECTRONIC.search(texts.texts[index]):
            return index
    return None


def signature_formula(texts: Texts) -> int | None:
    """Return the index of the signing formula: the last « Fait à …, le », else the last
    electronic formula (« signée électroniquement … »), else ``None``."""
    paper = _signature_part((), texts)
    return paper if paper is not None else _electronic_part(texts)


def speaks_of_originals(texts: Texts) -> int | None:
    """Return the index of the first text that speaks of (paper) originals, if any.

    >>> speaks_of_originals(Texts.of(["Article 1er", "Fait à Paris, en deux exemplaires."]))
    1
    """
    for index in texts.where(_ORIGINALS_NEEDLES):
        if _ORIGINALS.search(texts.texts[index]):
            return index
    return None


def check_parties_and_signatures(lines: Sequence[TextLine], texts: Texts) -> Iterator[Finding]:
    """Agreement of « représenté(e) »/« dénommé(e) »; place, originals, one block per party."""
    parties: list[tuple[str, TextLine, str | None]] = []  # (name, line, representative)
    place = _signature_part(lines, texts)
    electronic = False
    if place is None:
        place = _electronic_part(texts)
        electronic = place is not None
    made_at = None if place is None else lines[place]
    made_text = "" if place is None else texts.texts[place]
    after = () if place is None else texts.texts[place + 1:]  # the signature blocks' texts
    limit = len(lines) if made_at is None else next(  # its first occurrence, should it repeat
        i for i, text in enumerate(texts.texts) if text == made_text and lines[i] == made_at)
    for index in texts.where(_REPRESENTED_NEEDLES):
        if index >= limit:
            break
        line, text = lines[index], texts.texts[index]
        match = _REPRESENTED.search(text)
        if not match:
            continue
        before = text[: match.start()].strip().rstrip(",").strip()
        name = before
        if not name and index > 0:
            name = texts.texts[index - 1].rstrip(",").strip()
        if not name or len(name) > 120:
            continue
        gender = _gender_of(name)
        person = _CIVIL_NAME.search(text[match.end():])
        parties.append((name, line, person.group("last") if person else None))
        if gender is not None:
            fem = bool(match.group("fem"))
            if fem != (gender == "f"):
                right = "représentée" if gender == "f" else "représenté"
                yield _finding("AGREEMENT_REPRESENTED", Severity.ERROR,
                               f"accord : « {name} », {right} par … (et non "
                               f"« {match.group('word')} »)", line)
            for follow, follow_text in zip(lines[index: index + 3],
                                           texts.texts[index: index + 3], strict=True):
                denominated = _DENOMINATED.search(follow_text)
                if denominated:
                    if bool(denominated.group("fem")) != (gender == "f"):
                        right = "dénommée" if gender == "f" else "dénommé"
                        yield _finding("AGREEMENT_DENOMINATED", Severity.ERROR,
                                       f"accord : « {name} », ci-après {right} (et non "
                                       f"« {denominated.group(0)} »)", follow)
                    break

    if made_at is None:
        yield Finding("SIGNATURE_PLACE_MISSING", Severity.ERROR,
                      "lieu de signature absent : « Fait à …, le … » attendu")
    elif electronic:
        originals = speaks_of_originals(texts)
        if originals is not None:
            yield _finding("ELECTRONIC_WITH_ORIGINALS", Severity.ERROR,
                           "convention signée électroniquement qui parle d'exemplaires "
                           "originaux papier : retirez « en … exemplaires originaux »",
                           lines[originals])
    else:
        text = made_text
        if not _ORIGINALS.search(text) and not any(
                _ORIGINALS.search(following) for following in after[:2]):
            yield _finding("ORIGINALS_MISSING", Severity.ERROR,
                           "nombre d'exemplaires originaux absent : « Fait à …, le …, en "
                           "deux exemplaires originaux » (code civil, art. 1375)", made_at)
        elif parties:
            count = _ORIGINALS.search(text)
            words = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
                     "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "double": 2, "triple": 3}
            if count:
                raw = count.group("n").lower()
                n = int(raw) if raw.isdigit() else words[raw]
                if n < len(parties):
                    yield _finding("ORIGINALS_TOO_FEW", Severity.ERROR,
                                   f"{n} exemplaire(s) original(aux) pour {len(parties)} parties "
                                   "(un original par partie, code civil art. 1375)", made_at)
        if not re.search(r"\ble\s+\d", text) and not re.search(
                r"\ble\s+(1er|\d{1,2})\s", text):
            yield _finding("SIGNATURE_DATE_BLANK", Severity.INFO,
                           "date de signature laissée en blanc, à compléter à la main",
                           made_at)

    block_text = "\n".join(after)
    # Blocks side by side may share a PDF line: count each « Pour l'…/la …/le … ».
    labels = re.findall(r"(?:^|[\s,])Pour\s+(?:l'|la\s|le\s|les\s|[A-ZÀ-Ý])", block_text)
    if made_at is not None and not labels:
        yield _finding("SIGNATURE_BLOCK_MISSING", Severity.ERROR,
                       "aucun bloc de signature (« Pour …, » suivi de la fonction et du nom) "
                       "après « Fait à … »", made_at)
    elif made_at is not None and parties and len(labels) < len(parties):
        yield _finding("SIGNATURE_BLOCK_MISSING", Severity.ERROR,
                       f"{len(labels)} bloc(s) de signature pour {len(parties)} parties",
                       made_at)
    for name, line, last in parties:
        if made_at is not None and last and last.upper() not in block_text.upper():
            yield _finding("SIGNATORY_NAME_MISSING", Severity.ERROR,
                           f"le nom du signataire de « {name} » ({last}) n'apparaît pas dans les "
                           "blocs de signature", line)


def check_form(view: DocumentView, reading: Reading | None = None) -> list[Finding]:
    """Return the form findings of ``view`` (``reading``: its text, when already read)."""
    shown = (reading or Reading(view.lines)).shown
    lines, texts = shown.lines, shown.texts
    findings = list(check_articles(*articles_part(lines, texts)))  # no contents, no annexes
    findings.extend(check_parties_and_signatures(lines, texts))
    return findings
