"""Changing a convention from Python: every change gives a new, checked ``Convention``.

A ``Convention`` is immutable. ``convention.replace(**changes)``,
``convention.with_article(article, position=None)`` and ``convention.without_article(which)``
(methods of the model, implemented here) return a new convention validated as a whole, or raise
``SpecError`` naming the field path, in French, exactly as ``load()`` does for a file.

pydantic's own ``model_copy(update=…)`` does not validate: what it builds can be invalid.
``render``/``build`` therefore re-validate any ``Convention`` they are given (``checked()``,
about 0.1 ms for the 2026 example): an invalid object gives a ``SpecError`` with the field
path, never a crash inside the renderer.

>>> from convention_docs import load
>>> convention = load("examples/paca-2026.yaml")                 # doctest: +SKIP
>>> later = convention.replace(signature={"date": "2027-01-15"})  # doctest: +SKIP
>>> later.signature.place, later.signature.date                   # doctest: +SKIP
('Marseille', datetime.date(2027, 1, 15))
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticSerializationError

from convention_docs.errors import SpecError

if TYPE_CHECKING:  # pragma: no cover
    from convention_docs.model import Article, Convention

__all__ = ["checked", "french_error", "replace", "with_article", "without_article"]

_C = TypeVar("_C", bound="Convention")


def french_error(exc: ValidationError, model: type[BaseModel]) -> SpecError:
    """Return the ``SpecError`` saying, in French and by field path, what ``exc`` says.

    The same translation as ``load()`` (``spec.py``); the error's source is the model's
    class name (« Convention », « Article »), as no file is involved.
    """
    # spec imports the model: imported when needed (on an error)
    from convention_docs._spec_help import suggest
    from convention_docs.model import Convention
    from convention_docs.spec import _MESSAGES, _issues

    issues = _issues(exc)
    if issubclass(model, Convention):  # field names are known from the convention's root
        issues = suggest(issues, _MESSAGES["extra_forbidden"])
    return SpecError(issues, model.__name__)


def _plain(value: Any) -> Any:
    """Return ``value`` with every pydantic object turned into plain data, so that validating
    it again checks everything (an object made by ``model_copy(update=…)`` included)."""
    if isinstance(value, BaseModel):
        return value.model_dump(warnings=False)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _dump(convention: Convention) -> dict[str, Any]:
    try:
        return convention.model_dump(warnings=False)
    except PydanticSerializationError as exc:  # a value no serializer knows
        raise SpecError([("", f"objet Convention illisible ({exc})")], "Convention") from None


def checked(convention: _C) -> _C:
    """Return ``convention`` validated again as a whole (a new, equal object), or raise
    ``SpecError`` with the field path of each problem.

    For objects that may not have been validated: built with pydantic's ``model_copy(update=…)``
    or ``model_construct()``.
    """
    return type(convention).model_validate(_dump(convention))


def _merge(current: Any, change: Any) -> Any:
    """A mapping given for a sub-object changes only the keys it names; anything else
    replaces the value."""
    if isinstance(change, Mapping) and isinstance(current, dict):
        merged = dict(current)
        for key, value in change.items():
            merged[key] = _merge(current.get(key), value)
        return merged
    return _plain(change)


def replace(convention: _C, **changes: Any) -> _C:
    """Return a copy of ``convention`` with ``changes``, validated as a whole.

    A value may be a model object or plain data (as in a spec file). A mapping given for a
    sub-object changes only the keys it names: ``replace(signature={"date": "2027-01-15"})``
    keeps the place. Raises ``SpecError`` (field path, French message) when the result is not a
    valid convention.
    """
    data = _dump(convention)
    for name, change in changes.items():
        data[name] = _merge(data.get(name), change)
    return type(convention).model_validate(data)


def _article_count_error(field: str, value: object, last: int) -> SpecError:
    return SpecError([(field, f"attendu : un numéro d'article entre 1 et {last}, "
                              f"reçu {value!r}")], "Convention")


def with_article(convention: _C, article: Article | Mapping[str, Any],
                 position: int | None = None) -> _C:
    """Return a copy of ``convention`` with ``article`` inserted, validated as a whole.

    ``position`` is the number the new article takes (1 makes it « Article 1er »; the
    following ones are renumbered, as the library numbers articles itself); ``None`` appends
    it. Raises ``SpecError`` when the article or the result is not valid
    (``articles[2].title : …``).
    """
    articles: list[Any] = list(convention.articles)
    last = len(articles) + 1
    if position is None:
        position = last
    if isinstance(position, bool) or not isinstance(position, int) or not 1 <= position <= last:
        raise _article_count_error("position", position, last)
    articles.insert(position - 1, article)
    return replace(convention, articles=articles)


def without_article(convention: _C, which: int | str) -> _C:
    """Return a copy of ``convention`` without one article, validated as a whole.

    ``which`` is the article's number (1 for « Article 1er ») or its key. Raises ``SpecError``
    when there is no such article, or when the result is invalid (a reference to the removed
    article, a convention left without articles).
    """
    articles = list(convention.articles)
    if isinstance(which, str):
        keys = [article.key for article in articles]
        if which not in keys:
            known = ", ".join(sorted(k for k in keys if k)) or "aucune"
            raise SpecError([("articles", f"aucun article de clé « {which} » "
                                          f"(clés connues : {known})")], "Convention")
        index = keys.index(which)
    elif isinstance(which, int) and not isinstance(which, bool) \
            and 1 <= which <= len(articles):
        index = which - 1
    else:
        raise _article_count_error("articles", which, len(articles))
    del articles[index]
    return replace(convention, articles=articles)
