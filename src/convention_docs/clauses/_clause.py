"""``Clause``: a clause function that carries its legal basis, and the registry of them."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Generic, ParamSpec, TypeVar

__all__ = ["REGISTRY", "Clause", "clause"]

P = ParamSpec("P")
R = TypeVar("R")


class Clause(Generic[P, R]):
    """A clause function: call it to get the model object (an ``Article``, the ``Preamble``).

    ``legal_basis`` lists, in French, the texts the clause applies or cites; ``name`` is the
    function's name (« litiges »), also the key of the article it writes.
    """

    def __init__(self, function: Callable[P, R], legal_basis: tuple[str, ...]) -> None:
        self.function = function
        self.name: str = function.__name__
        self.legal_basis = legal_basis
        functools.update_wrapper(self, function)
        basis = "\n".join(f"    - {text}" for text in legal_basis)
        self.__doc__ = f"{(function.__doc__ or '').rstrip()}\n\n    Base légale :\n\n{basis}\n"

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        return self.function(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<clause convention_docs.clauses.{self.name}()>"


REGISTRY: dict[str, Clause[..., Any]] = {}


def clause(*legal_basis: str) -> Callable[[Callable[P, R]], Clause[P, R]]:
    """Register a clause function with the texts it rests on."""

    def register(function: Callable[P, R]) -> Clause[P, R]:
        wrapped = Clause(function, tuple(legal_basis))
        REGISTRY[wrapped.name] = wrapped
        return wrapped

    return register
