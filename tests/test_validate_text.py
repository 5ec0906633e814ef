"""The searchable text the rules read (validate._text): normalisation, folding, needles.

The rules run their expressions only where a needle (a lower-case piece of every match) is
found; these tests check that no match is ever skipped that way, and that the rules give what a
plain search of every line gives.
"""

from __future__ import annotations

import doctest
import importlib
import re
import unicodedata
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convention_docs.french import find_unaccented_capitals
from convention_docs.inspect.view import Location, TextLine
from convention_docs.validate import _text, currency, form, visibility
from convention_docs.validate._text import Reading, Texts, fold, norm

_OLD_SPACES = re.compile(r"[\s\u00a0\u202f\u2007\u2009]+")


def _old_norm(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u2019", "'").replace("\u02bc", "'")
    return _OLD_SPACES.sub(" ", text).strip()


def _rules() -> Iterator[tuple[str, re.Pattern[str], tuple[str, ...]]]:
    for rule in currency.OUTDATED:
        yield rule.code, rule.pattern, rule.needles
    for code, pattern, _, needles in (*currency._TYPO, *currency.CLAUSES):
        yield code, pattern, needles
    yield "statement", visibility._STATEMENT, visibility._STATEMENT_NEEDLES
    yield "statement line", visibility._STATEMENT_LINE, visibility._STATEMENT_NEEDLES
    yield "fse", visibility._FSE, visibility._FSE_NEEDLES
    yield "fse+", visibility._FSE_PLUS, visibility._FSE_NEEDLES
    yield "signed", visibility._SIGNED, visibility._SIGNED_NEEDLES
    yield "made at", form._MADE_AT, form._MADE_AT_NEEDLES
    yield "represented", form._REPRESENTED, form._REPRESENTED_NEEDLES


RULES = list(_rules())


@pytest.mark.parametrize("module", ["_text"])
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(f"convention_docs.validate.{module}"))
    assert result.attempted > 0 and result.failed == 0


def test_norm_folds_every_space_the_former_expression_folded() -> None:
    for code in range(0x3100):
        char = chr(code)
        text = f" a{char}{char}b{char}\u00a0c {char}"
        assert norm(text) == _old_norm(text), hex(code)


@given(st.text(alphabet=st.sampled_from("ab é’ʼ\u00a0\u202f\u2009\t\n\re\u0301İ"), max_size=40))
def test_norm_is_the_former_normalisation(text: str) -> None:
    assert norm(text) == _old_norm(text)
    assert norm(text * 40) == _old_norm(text * 40)  # longer than what is remembered


def test_fold_keeps_positions_and_finds_what_ignorecase_matches() -> None:
    every = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF)
    assert len(fold(every)) == len(every)
    for target in "abcdefghijklmnopqrstuvwxyz0123456789é":
        for found in re.findall(re.escape(target), every, re.IGNORECASE):
            assert fold(found) == target, (target, found)


@pytest.mark.parametrize(("code", "pattern", "needles"), RULES, ids=[r[0] for r in RULES])
def test_needles_are_lower_case_and_literal(code: str, pattern: re.Pattern[str],
                                            needles: tuple[str, ...]) -> None:
    assert needles
    for needle in needles:
        assert needle == fold(needle) and needle.strip() == needle
        assert all(c.isascii() or c == "é" for c in needle)


@pytest.mark.parametrize(("code", "pattern", "needles"), RULES, ids=[r[0] for r in RULES])
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow,
                                                  HealthCheck.filter_too_much])
@given(data=st.data())
def test_every_match_holds_a_needle(code: str, pattern: re.Pattern[str],
                                    needles: tuple[str, ...], data: st.DataObject) -> None:
    text = data.draw(st.from_regex(pattern))
    if pattern.search(text):
        assert Texts.of(["x", text]).where(needles) == [1]


@pytest.mark.parametrize("text", ["Pôle emploı", "PÔLE EMPLOİ", "lıtige", "ſocial européen",
                                  "Cofinancé par l'Union européenne", "FAİT À Nice, le 3 mai"])
def test_dotless_and_long_letters_are_found(text: str) -> None:
    found = [code for code, pattern, needles in RULES
             if pattern.search(text) and not Texts.of([text]).where(needles)]
    assert found == []


def test_unaccented_capitals_prefilter_finds_every_word_french_lists() -> None:
    lookup = importlib.import_module("convention_docs.french")._CAPITALS_LOOKUP
    for word in lookup:
        assert currency._UNACCENTED.search(f"l'{word}, "), word
        assert not currency._UNACCENTED.search(f"x{word}")
        assert find_unaccented_capitals(f"l'{word}, ")


def test_texts_where_and_search() -> None:
    texts = Texts.of(["La date d'effet", "", "prend", "effet le 1er mars", "Avenant"])
    assert texts.where(("effet", "avenant")) == [0, 3, 4]
    assert texts.where(("litige",)) == []
    term = currency.CLAUSES[0][1]
    assert texts.search(term, ("effet",)) is not None
    assert Texts.of(["prend", "effet"]).search(term, ("effet",)) is not None  # across lines
    assert Texts.of(["un effet"]).search(term, ("effet",)) is None


# --- the rules against a plain search of every line ---------------------------------------------

def _plain_runs(lines: list[TextLine]) -> list[tuple[TextLine, str]]:
    runs: list[tuple[TextLine, str]] = []
    for line in lines:
        if not (line.visible and line.text.strip()):
            continue
        text = _old_norm(line.text)
        previous = runs[-1][0] if runs else None
        if previous is not None and line.location.page is not None \
                and line.location.page == previous.location.page \
                and line.location.paragraph is None:
            runs[-1] = (previous, f"{runs[-1][1]} {text}")
        else:
            runs.append((line, text))
    return runs


def _plain(lines: list[TextLine]) -> list[tuple[str, str, Location]]:
    found: list[tuple[str, str, Location]] = []
    runs = _plain_runs(lines)
    for rule in currency.OUTDATED:
        for line, text in runs:
            match = rule.pattern.search(text)
            if match:
                found.append((rule.code, match.group(0), line.location))
                break
    seen: set[str] = set()
    for line, text in runs:
        for word, _ in find_unaccented_capitals(text):
            if word not in seen:
                seen.add(word)
                found.append(("TYPO_UNACCENTED_CAPITAL", word, line.location))
        for code, pattern, _, _ in currency._TYPO:
            match = pattern.search(text)
            if match and match.group(0) not in seen:
                seen.add(match.group(0))
                found.append((code, match.group(0), line.location))
    whole = "\n".join(text for _, text in runs)
    found += [(code, "", Location()) for code, pattern, _, _ in currency.CLAUSES
              if not pattern.search(whole)]
    return found


def _found(lines: list[TextLine]) -> list[tuple[str, str, Location]]:
    runs = Reading(lines).flow
    found = []
    for finding in [*currency.check_currency(runs), *currency.check_typography(runs),
                    *currency.check_clauses(runs)]:
        quoted = re.search(r"« ([^»]*) »", finding.message)
        word = quoted.group(1) if quoted and not finding.code.startswith("CLAUSE") else ""
        found.append((finding.code, word, finding.location))
    return found


PIECES = ["Pôle emploi", "pôle-\nemploi", "DIRECCTE", "Direcctes", "2015-899", "code des",
          "marchés publics", "ordonnance du 23 juillet 2015", "décret du 7 avril 2016",
          "circulaire du 3 décembre 2008", "PNAAPD", "Union Européenne", "Fonds Social Européen",
          "non reconduction", "Mr.", "Mlle", "l'Etat", "ETATS", "Etatique", "prend", "effet",
          "entre en vigueur", "pour une durée", "indicateurs", "heures d'insertion", "avenant",
          "litiges", "tribunal administratif", "données à caractère personnelles", "RGPD",
          "2016/679", "emploı", "ſ", "\u00a0", " ", "’", ",", "x"]


@st.composite
def _lines(draw: st.DrawFn) -> list[TextLine]:
    lines = []
    for index in range(draw(st.integers(0, 12))):
        text = "".join(draw(st.lists(st.sampled_from(PIECES), max_size=6)))
        page = draw(st.sampled_from([None, 1, 2]))
        location = Location(page=page, paragraph=None if page else index + 1)
        lines.append(TextLine(text, location, visible=draw(st.booleans())))
    return lines


@settings(max_examples=300)
@given(_lines())
def test_text_rules_give_what_a_plain_search_gives(lines: list[TextLine]) -> None:
    assert _found(lines) == _plain(lines)


def test_short_texts_are_normalised_once_and_remembered() -> None:
    _text._norm_cached.cache_clear()
    norm("Article 1er")
    norm("Article 1er")
    norm("x" * (_text._CACHED_LENGTH + 1))
    info = _text._norm_cached.cache_info()
    assert (info.hits, info.misses, info.maxsize) == (1, 1, _text._CACHE_ENTRIES)


@settings(max_examples=300)
@given(texts=st.lists(st.lists(st.sampled_from([*PIECES, "é", "a"]), max_size=5).map("".join),
                      max_size=8))
def test_search_finds_a_match_exactly_when_there_is_one(texts: list[str]) -> None:
    searchable = Texts.of(texts)
    for _, pattern, needles in RULES:
        found = searchable.search(pattern, needles)
        assert (found is not None) == (pattern.search(searchable.joined) is not None)
        if found is not None:  # a match of the whole text, where it was found
            assert pattern.match(searchable.joined, found.start()) is not None
