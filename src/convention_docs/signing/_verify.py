"""``verify()``: the state of every signature field of a PDF (pyHanko's validation).

For each field: empty, or signed by whom and when, whether the signature is intact (the signed
bytes' digest and the signature itself check out), whether it covers the whole file or what was
appended after it (later signatures and form filling are allowed; anything else is a change
after signing), and whether the signer's certificate chains up to the trust roots given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from convention_docs.errors import SigningError, os_reason
from convention_docs.signing._sign import open_pdf

__all__ = ["FieldState", "Verification", "verify"]


@dataclass(frozen=True)
class FieldState:
    """One signature field: ``signed`` or empty; when signed, by whom, when, and whether the
    signature is ``intact``, ``covers_document`` (nothing appended after it), changed after
    (``modified_after``: an addition other than later signatures or form filling), and
    ``trusted`` (``None`` when no trust roots were given). ``problem`` says in French what is
    wrong, or ``None``."""

    name: str
    page: int | None  # 1-based, None for an invisible field
    signed: bool
    signer: str | None = None
    signing_time: dt.datetime | None = None
    intact: bool | None = None
    covers_document: bool | None = None
    modified_after: bool | None = None
    trusted: bool | None = None
    pades: bool | None = None
    timestamped: bool | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        """True for an empty field, or a signature intact, not changed after, and trusted
        when trust roots were given."""
        if not self.signed:
            return True
        return bool(self.intact) and not self.modified_after and self.trusted is not False

    def as_dict(self) -> dict[str, Any]:
        """Return the state as plain JSON-able data."""
        data = asdict(self)
        if self.signing_time is not None:
            data["signing_time"] = self.signing_time.isoformat()
        data["ok"] = self.ok
        return data


@dataclass(frozen=True)
class Verification:
    """Every signature field of ``path``; ``ok`` when every present signature is fine."""

    path: Path
    fields: tuple[FieldState, ...]

    @property
    def ok(self) -> bool:
        """True when every signature present is intact, not changed after (and trusted, when
        trust roots were given); empty fields do not count."""
        return all(state.ok for state in self.fields)

    @property
    def signed(self) -> tuple[FieldState, ...]:
        """The fields that hold a signature."""
        return tuple(state for state in self.fields if state.signed)

    def field(self, name: str) -> FieldState:
        """Return the state of the field called ``name`` (``KeyError`` when there is none)."""
        for state in self.fields:
            if state.name == name:
                return state
        raise KeyError(name)

    def as_dict(self) -> dict[str, Any]:
        """Return the verification as plain JSON-able data."""
        return {"path": str(self.path), "ok": self.ok,
                "fields": [state.as_dict() for state in self.fields]}


def _trust_context(trust: Iterable[str | Path]) -> Any:
    from asn1crypto import pem, x509
    from pyhanko_certvalidator import ValidationContext

    roots = []
    for item in trust:
        path = Path(item)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SigningError(f"lecture impossible ({os_reason(exc)})", path=path) from exc
        blobs = [der for _, _, der in pem.unarmor(data, multiple=True)] \
            if pem.detect(data) else [data]
        try:
            roots += [x509.Certificate.load(der) for der in blobs]
            for root in roots:
                _ = root.subject  # parse now: a bad file fails here, not during validation
        except (ValueError, TypeError) as exc:
            raise SigningError("certificat de confiance illisible : attendu un certificat "
                               "X.509 en PEM ou DER", path=path) from exc
    return ValidationContext(trust_roots=roots, allow_fetching=False)


def _page_of(reader: Any, field: Any) -> int | None:
    """The 1-based page of a field's widget (its ``/P``), None when it does not say."""
    try:
        page_ref = field.raw_get("/P")
    except KeyError:
        return None
    for index in range(int(reader.root["/Pages"]["/Count"])):
        ref, _ = reader.find_page_for_modification(index)
        if ref == page_ref:
            return index + 1
    return None


def verify(path: str | Path, *, trust: Sequence[str | Path] = ()) -> Verification:
    """Return the state of every signature field of the PDF at ``path``.

    ``trust``: certificate files (PEM or DER) of the roots to trust (the State's RGS chain, a
    company's CA…); without them ``trusted`` is ``None``. Raises ``SigningError`` for a file
    that cannot be read (not a PDF, encrypted).
    """
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign import fields
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    path = Path(path)
    _, reader = open_pdf(path)
    # without roots, nothing is trusted (not the system's store, nothing fetched)
    context = _trust_context(trust) if trust else ValidationContext(trust_roots=[],
                                                                    allow_fetching=False)
    embedded = {sig.field_name: sig for sig in reader.embedded_regular_signatures}
    allowed = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES,
               ModificationLevel.FORM_FILLING)
    states = []
    for name, value, field_ref in fields.enumerate_sig_fields(reader, filled_status=None):
        page = _page_of(reader, field_ref.get_object())
        sig = embedded.get(name)
        if value is None or sig is None:
            states.append(FieldState(name, page, signed=False))
            continue
        signer = None
        try:
            signer = sig.signer_cert.subject.native.get("common_name") \
                or sig.signer_cert.subject.human_friendly
            status = validate_pdf_signature(sig, signer_validation_context=context)
        # pyHanko's SignatureValidationError is a ValueError; a damaged file raises PdfError
        except (ValueError, KeyError, TypeError, PdfError, NotImplementedError) as exc:
            states.append(FieldState(name, page, signed=True, signer=signer, intact=False,
                                     problem=f"signature illisible ou invalide ({exc})"))
            continue
        level = status.modification_level
        modified = status.coverage != SignatureCoverageLevel.ENTIRE_FILE and (
            level not in allowed)
        intact = bool(status.intact and status.valid)
        trusted = bool(status.trusted) if trust else None
        problems = []
        if not status.intact:
            problems.append("le document a été modifié dans la partie signée")
        elif not status.valid:
            problems.append("la signature ne correspond pas au certificat")
        if modified:
            problems.append("le document a été modifié après la signature")
        if trusted is False:
            problems.append("certificat non reconnu par les autorités de confiance données")
        when = status.timestamp_validity.timestamp if status.timestamp_validity else \
            status.signer_reported_dt
        states.append(FieldState(
            name, page, signed=True, signer=str(signer) if signer else None,
            signing_time=when, intact=intact,
            covers_document=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
            modified_after=modified, trusted=trusted,
            pades=str(sig.sig_object.get("/SubFilter")) == "/ETSI.CAdES.detached",
            timestamped=status.timestamp_validity is not None,
            problem=" ; ".join(problems) or None))
    return Verification(path, tuple(states))
