"""convention_docs: draft, render, validate and prepare for signature French partnership
conventions for social insertion clauses (clauses sociales d'insertion).

>>> from convention_docs import load, render
>>> convention = load("examples/paca-2026.yaml")          # doctest: +SKIP
>>> render(convention, "out/convention.pdf")               # doctest: +SKIP
PosixPath('out/convention.pdf')
"""

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
    "load",
    "preview",
    "render",
    "validate",
]

__version__ = "0.1.0"
