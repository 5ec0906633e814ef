"""PDF signatures: empty fields for each signatory, ``sign()``, ``verify()`` (pyHanko).

>>> from convention_docs.signing import sign, verify
>>> sign("out/c.pdf", "out/c-signe.pdf", field="etat", pkcs12="etat.p12",
...      passphrase="…")                                        # doctest: +SKIP
>>> verify("out/c-signe.pdf").ok                                 # doctest: +SKIP
True

``_fields.py`` finds where each signatory signs and adds the fields (``render(…,
signable=True)`` calls it); ``_sign.py`` signs one field (PAdES B-B, B-T with a timestamp
authority); ``_verify.py`` reports every field's state. See docs/signature.md.
"""

from convention_docs.signing import _quiet  # noqa: F401  (first: see its docstring)
from convention_docs.signing._fields import (
    FieldPlace,
    add_fields,
    add_signature_fields,
    find_places,
    signatories,
)
from convention_docs.signing._sign import sign
from convention_docs.signing._verify import FieldState, Verification, verify

__all__ = ["FieldPlace", "FieldState", "Verification", "add_fields", "add_signature_fields",
           "find_places", "sign", "signatories", "verify"]
