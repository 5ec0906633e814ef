"""convention_docs: draft, render, validate and prepare for signature French partnership
conventions for social insertion clauses (clauses sociales d'insertion).

>>> from convention_docs import load, render
>>> convention = load("examples/paca-2026.yaml")          # doctest: +SKIP
>>> render(convention, "out/convention.pdf")               # doctest: +SKIP
PosixPath('out/convention.pdf')

The public names are imported on first use (PEP 562), so ``import convention_docs`` (and
``convention-docs --help``) does not load pydantic, docxtpl, pypdf or numpy until needed.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from convention_docs.batching import batch
    from convention_docs.build import build, render
    from convention_docs.convert import Converter
    from convention_docs.errors import (
        ConventionDocsError,
        ConventionRejected,
        ConversionError,
        DocumentError,
        SpecError,
        TemplateError,
    )
    from convention_docs.model import Convention
    from convention_docs.previews import preview
    from convention_docs.spec import load
    from convention_docs.template_check import check_template
    from convention_docs.validate import Report, validate

__all__ = [
    "Convention",
    "ConventionDocsError",
    "ConventionRejected",
    "ConversionError",
    "Converter",
    "DocumentError",
    "Report",
    "SpecError",
    "TemplateError",
    "batch",
    "build",
    "check_template",
    "load",
    "preview",
    "render",
    "validate",
]

__version__ = "0.1.0"

_WHERE = {
    "Convention": "model",
    "ConventionDocsError": "errors",
    "ConventionRejected": "errors",
    "ConversionError": "errors",
    "Converter": "convert",
    "DocumentError": "errors",
    "Report": "validate",
    "SpecError": "errors",
    "TemplateError": "errors",
    "batch": "batching",
    "build": "build",
    "check_template": "template_check",
    "load": "spec",
    "preview": "previews",
    "render": "build",
    "validate": "validate",
}


def __getattr__(name: str) -> Any:
    """Import a public name on first use and keep it (PEP 562)."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'convention_docs' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"convention_docs.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(ModuleType):
    """This package, where ``build`` and ``validate`` stay the functions.

    Importing the module ``convention_docs.build`` or the sub-package ``convention_docs.
    validate`` (which ``render`` does) makes Python set the package's attribute of that name to
    the module; the eager ``__init__`` of old rebound them to the functions afterwards, and this
    keeps them so when imports are lazy (the modules stay in ``sys.modules``).
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _WHERE and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
