"""Imported first by :mod:`convention_docs.signing`: pyHanko imported without cryptography's
DSA deprecation warning, and pyHanko's and fontTools' logs kept off stderr.

What they log (an untrusted chain with its traceback, font tables dropped when subsetting) is
reported by ``verify()`` and ``sign()`` themselves; an application that configures logging
still gets the records.
"""

from __future__ import annotations

import logging
import warnings

with warnings.catch_warnings():  # pyHanko imports cryptography's DSA, deprecated there
    warnings.filterwarnings("ignore", message="DSA is deprecated")
    import pyhanko.sign.signers.pdf_cms  # noqa: F401

for _name in ("pyhanko", "pyhanko_certvalidator", "fontTools"):
    logging.getLogger(_name).addHandler(logging.NullHandler())
