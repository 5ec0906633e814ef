"""The text the rules search: each line normalised once, each rule tried where it can match.

Rules look for words of French running text with regular expressions. An expression that
starts with ``\\b`` is tried at every character, so twenty of them over every line of a
document cost milliseconds. A rule therefore names *needles*: lower-case pieces of text that
every match of its expression contains (« emploi » for « Pôle emploi »). :class:`Texts` keeps
its texts joined and folded to lower case (:func:`fold`) and finds with ``str.find`` the few
texts that hold a needle; the expression runs on those only. A needle is written in lower case,
with ASCII characters or « é », and is part of every possible match of its expression (a
literal of the expression, not something ``\\s`` or a class could match).

>>> texts = Texts.of(["Ce projet est", "cofinancé par l'Union européenne"])
>>> texts.where(("financ",)), texts.where(("emploi",))
([1], [])
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from convention_docs.inspect.view import TextLine

__all__ = ["Located", "Reading", "Texts", "fold", "norm"]

_CACHED_LENGTH = 512  # longer texts are normalised every time, not kept
_CACHE_ENTRIES = 4096  # texts and results of at most 1 KiB each: under 10 MiB in all


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u2019", "'").replace("\u02bc", "'")
    # str.split() and the \s of a regular expression know the same spaces (NBSP included)
    return " ".join(text.split())


_norm_cached = lru_cache(maxsize=_CACHE_ENTRIES)(_norm)


def norm(text: str) -> str:
    """Return ``text`` NFC-normalised, spaces folded, typographic apostrophes made straight.

    Short texts are remembered (a small LRU): the lines of a template come back in every
    convention of a batch, and several rules read the same line.

    >>> norm("  l\u2019Union\u00a0\u00a0 européenne\\n")
    "l'Union européenne"
    """
    return _norm_cached(text) if len(text) <= _CACHED_LENGTH else _norm(text)


# Characters that IGNORECASE matches with an ASCII letter although str.lower() does not turn
# them into it: dotless i, long s, and the dotted capital I (which lower() makes two characters).
_BEFORE_LOWER = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def fold(text: str) -> str:
    """Return ``text`` in lower case, of the same length, for needle tests.

    When a case-insensitive expression matches a piece of ``text``, the lower-case needle
    taken from that piece of the expression is in ``fold(text)``, at the same position.

    >>> fold("ÉTAT ſOCIAL")
    'état social'
    """
    if "\u0130" in text or "\u0131" in text or "\u017f" in text:
        text = text.translate(_BEFORE_LOWER)
    return text.lower()


@dataclass(frozen=True)
class Texts:
    """Texts to search, joined with line feeds (``joined``), and their folded join."""

    texts: tuple[str, ...]
    joined: str
    folded: str
    starts: tuple[int, ...]  # where each text begins in ``joined``

    @classmethod
    def of(cls, texts: Iterable[str]) -> Texts:
        """Return the searchable form of ``texts``."""
        texts = tuple(texts)
        starts, at = [], 0
        for text in texts:
            starts.append(at)
            at += len(text) + 1
        joined = "\n".join(texts)
        return cls(texts, joined, fold(joined), tuple(starts))

    def where(self, needles: Iterable[str]) -> list[int]:
        """Return the indices of the texts that hold one of ``needles``, in order."""
        found: set[int] = set()
        for needle in needles:
            at = self.folded.find(needle)
            while at >= 0:
                index = bisect.bisect_right(self.starts, at) - 1
                found.add(index)
                following = index + 1
                at = self.folded.find(needle, self.starts[following]) \
                    if following < len(self.starts) else -1
        return sorted(found)

    def search(self, pattern: re.Pattern[str], needles: Iterable[str]) -> re.Match[str] | None:
        """Return a match of ``pattern`` in ``joined`` (not always the first), or ``None``.

        Without a needle there is no match. Otherwise the texts that hold one are tried one by
        one (a match within a text is one in ``joined``: what follows a text there is a line
        feed, as at the end of the window searched); only when none holds a match does the
        search run over everything (a match may span texts).
        """
        hits = self.where(needles)
        if not hits:
            return None
        for index in hits:
            start = self.starts[index]
            found = pattern.search(self.joined, start, start + len(self.texts[index]))
            if found:
                return found
        return pattern.search(self.joined)


@dataclass(frozen=True)
class Located:
    """Texts to search and, for each, the line it is located at."""

    lines: tuple[TextLine, ...]
    texts: Texts


class Reading:
    """The normalised text of a document's lines, computed once for all the rules."""

    def __init__(self, lines: Sequence[TextLine]) -> None:
        self.lines = tuple(lines)
        self.texts = tuple(norm(line.text) for line in self.lines)

    @cached_property
    def all(self) -> Texts:
        """Every line, hidden ones included, in order."""
        return Texts.of(self.texts)

    @cached_property
    def visible_text(self) -> Texts:
        """The visible lines, empty ones included, in order."""
        return Texts.of(text for line, text in zip(self.lines, self.texts, strict=True)
                        if line.visible)

    @cached_property
    def shown(self) -> Located:
        """The visible lines that hold some text, each on its own."""
        kept = [i for i, line in enumerate(self.lines) if line.visible and line.text.strip()]
        return Located(tuple(self.lines[i] for i in kept), Texts.of(self.texts[i] for i in kept))

    @cached_property
    def flow(self) -> Located:
        """The visible text as runs to search, each located at its first line.

        A PDF's lines are joined page by page, so that words wrapped onto the next line
        (« Pôle / emploi ») are still found together; a .docx or a model gives one run per
        paragraph or field.
        """
        located: list[TextLine] = []
        runs: list[list[str]] = []
        for line, text in zip(self.lines, self.texts, strict=True):
            if not (line.visible and line.text.strip()):
                continue
            previous = located[-1] if located else None
            if previous is not None and line.location.page is not None \
                    and line.location.page == previous.location.page \
                    and line.location.paragraph is None:
                runs[-1].append(text)
            else:
                located.append(line)
                runs.append([text])
        return Located(tuple(located), Texts.of(" ".join(run) for run in runs))
