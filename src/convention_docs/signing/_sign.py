"""``sign()``: a PAdES signature in one field, as an incremental update, written atomically.

PAdES baseline B-B (``ETSI.CAdES.detached``); B-T when a timestamp authority is given. The
visible appearance (signer's name, date) is drawn with an embedded TrueType font (Liberation
Sans), so that a PDF/A-2b stays PDF/A-2b; earlier signatures stay valid, since each signature
only appends to the file.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from convention_docs.errors import CertificateError, SignatureFieldError, SigningError, os_reason
from convention_docs.signing._fields import align_producer

__all__ = ["find_font", "open_pdf", "sign"]

_FONT_PATHS = (
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)
_STAMP_TEXT = "Signé par %(signer)s\nle %(ts)s"
_STAMP_SIZE = 9
_LATIN = "".join(map(chr, range(0x20, 0x180)))  # Basic Latin, Latin-1, Latin Extended-A


@functools.cache
def find_font() -> Path:
    """Return the Liberation Sans TrueType file (fontconfig, else the usual Debian paths);
    ``SigningError`` when it is not installed."""
    fc_match = shutil.which("fc-match")
    if fc_match:
        try:
            found = subprocess.run(
                [fc_match, "-f", "%{file}", "Liberation Sans:style=Regular"],
                capture_output=True, text=True, timeout=20, check=False).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            found = ""
        if found and Path(found).name.startswith("LiberationSans") \
                and found.lower().endswith(".ttf") and Path(found).is_file():
            return Path(found)
    for candidate in _FONT_PATHS:
        if Path(candidate).is_file():
            return Path(candidate)
    raise SigningError("police Liberation Sans introuvable (nécessaire à l'apparence de la "
                       "signature) : installez le paquet Debian « fonts-liberation2 »")


def _font_data(font: Path, text: str) -> bytes:
    """Liberation Sans cut down to Latin and the characters of ``text``, its metrics scaled to
    1000 units per em: pyHanko writes a font's widths (``/W``) in the font's own units, which
    PDF reads as thousandths of an em (Liberation's 2048 units spread the letters twice too
    far apart)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    tt = TTFont(str(font))
    options = subset.Options()
    options.layout_features = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=_LATIN + text)
    subsetter.subset(tt)
    scale_upem(tt, 1000)
    out = io.BytesIO()
    tt.save(out)
    tt.close()
    return out.getvalue()


def _font_factory(data: bytes) -> Any:
    """A pyHanko font engine factory for the font ``data`` (bytes, no file left open)."""
    from pyhanko.pdf_utils.font.api import FontEngineFactory
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator

    class Factory(FontEngineFactory):
        def create_font_engine(self, writer: Any, obj_stream: Any = None) -> Any:
            if obj_stream is None and writer.stream_xrefs:
                obj_stream = writer.prepare_object_stream()
            return GlyphAccumulator(writer=writer, font_handle=io.BytesIO(data),
                                    font_size=_STAMP_SIZE, obj_stream=obj_stream)

    return Factory()


def open_pdf(path: Path) -> tuple[bytes, Any]:
    """Read ``path`` and return its bytes and a pyHanko reader; ``SigningError`` when it is
    not a readable, unencrypted PDF."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SigningError(f"lecture impossible ({os_reason(exc)})", path=path) from exc
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        raise SigningError("ce n'est pas un PDF lisible", path=path) from exc
    if reader.encrypted:
        raise SigningError("PDF chiffré : retirez le chiffrement (mot de passe) avant de le "
                           "signer ou de le vérifier", path=path)
    return data, reader


def _load_signer(pkcs12: Path, passphrase: bytes | None) -> Any:
    from cryptography.hazmat.primitives.serialization import pkcs12 as p12
    from pyhanko.sign import signers

    try:
        data = pkcs12.read_bytes()
    except OSError as exc:
        raise CertificateError(f"lecture impossible ({os_reason(exc)})", path=pkcs12) from exc
    try:
        key, cert, _ = p12.load_key_and_certificates(data, passphrase)
    except (ValueError, TypeError):  # the cause may quote the passphrase: not chained
        raise CertificateError(
            "impossible d'ouvrir le fichier PKCS#12 : phrase de passe incorrecte ou fichier "
            "qui n'est pas un PKCS#12 (.p12, .pfx)", path=pkcs12) from None
    if key is None or cert is None:
        raise CertificateError("le fichier PKCS#12 ne contient pas de clé privée et de "
                               "certificat", path=pkcs12)
    now = dt.datetime.now(dt.UTC)
    if now > cert.not_valid_after_utc:
        raise CertificateError(
            f"certificat expiré le {cert.not_valid_after_utc:%d/%m/%Y} "
            f"({cert.subject.rfc4514_string()})", path=pkcs12)
    if now < cert.not_valid_before_utc:
        raise CertificateError(
            f"certificat valable seulement à partir du {cert.not_valid_before_utc:%d/%m/%Y} "
            f"({cert.subject.rfc4514_string()})", path=pkcs12)
    return signers.SimpleSigner.load_pkcs12_data(data, other_certs=(), passphrase=passphrase)


def _parse_box(text: str, path: Path) -> tuple[int, tuple[float, float, float, float]]:
    parts = text.split(",")
    try:
        page = int(parts[0])
        x1, y1, x2, y2 = (float(p) for p in parts[1:])
    except ValueError:
        page = 0
    if page < 1 or len(parts) != 5 or x2 <= x1 or y2 <= y1:
        raise SignatureFieldError(
            f"nouveau champ « {text} » invalide : attendu PAGE,X1,Y1,X2,Y2 (page à partir de "
            "1, coordonnées en points depuis le coin inférieur gauche, X1 < X2, Y1 < Y2)",
            path=path)
    return page - 1, (x1, y1, x2, y2)


def sign(source: str | Path, destination: str | Path, *, field: str, pkcs12: str | Path,
         passphrase: str | bytes | None = None, reason: str | None = None,
         location: str | None = None, tsa: str | None = None,
         new_field: str | None = None) -> Path:
    """Sign the empty signature field ``field`` of ``source`` and write ``destination``.

    PAdES B-B (B-T with ``tsa``, a timestamp authority's URL); the appearance shows the
    signer's name (the certificate's common name) and the date. ``new_field``
    (``"PAGE,X1,Y1,X2,Y2"``, points from the lower-left corner, page from 1) creates the field
    in the same incremental update as the signature, for a PDF that has no field for this
    signatory. Raises ``SigningError`` or one
    of its subclasses; then ``source`` is untouched and nothing is written at ``destination``.
    Returns ``destination``.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers, timestamps
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko.stamp import TextStampStyle

    source, destination = Path(source), Path(destination)
    data, reader = open_pdf(source)
    existing = {name: sig is not None
                for name, sig, _ in fields.enumerate_sig_fields(reader, filled_status=None)}
    new_spec = None
    if new_field is not None:
        if field in existing:
            raise SignatureFieldError(f"le champ « {field} » existe déjà", path=source,
                                      field=field, known=sorted(existing))
        page, box = _parse_box(new_field, source)
        if page >= int(reader.root["/Pages"]["/Count"]):
            raise SignatureFieldError(f"page {page + 1} inexistante", path=source, field=field)
        # made in the same update as the signature: no revision of its own to explain
        new_spec = fields.SigFieldSpec(sig_field_name=field, on_page=page,
                                       box=box)  # type: ignore[arg-type]
    elif not existing:
        raise SignatureFieldError(
            "ce PDF n'a aucun champ de signature : produisez-le avec « --signable » "
            "(render(…, signable=True)), ou créez le champ en signant avec "
            "« --new-field PAGE,X1,Y1,X2,Y2 » (points depuis le coin inférieur gauche)",
            path=source, field=field)
    elif field not in existing:
        known = ", ".join(sorted(existing))
        raise SignatureFieldError(f"champ de signature « {field} » inconnu ; champs du "
                                  f"document : {known}", path=source, field=field,
                                  known=sorted(existing))
    elif existing[field]:
        raise SignatureFieldError(f"le champ « {field} » est déjà signé", path=source,
                                  field=field, known=sorted(existing))
    if isinstance(passphrase, str):
        passphrase = passphrase.encode()
    signer = _load_signer(Path(pkcs12), passphrase)
    name = signer.subject_name or ""
    style = TextStampStyle(
        stamp_text=_STAMP_TEXT, timestamp_format="%d/%m/%Y %H:%M %Z",
        text_box_style=TextBoxStyle(font=_font_factory(_font_data(find_font(), name)),
                                    font_size=_STAMP_SIZE),
        border_width=0, background=None)
    meta = signers.PdfSignatureMetadata(
        field_name=field, subfilter=SigSeedSubFilter.PADES, reason=reason, location=location,
        md_algorithm="sha256")
    timestamper = timestamps.HTTPTimeStamper(tsa) if tsa else None
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    align_producer(writer)
    out = io.BytesIO()
    try:
        signers.PdfSigner(meta, signer=signer, stamp_style=style, timestamper=timestamper,
                          new_field_spec=new_spec).sign_pdf(writer, output=out)
    except (OSError, ValueError) as exc:
        raise SigningError(f"signature impossible ({type(exc).__name__} : {exc})",
                           path=source) from exc
    sound = _sound_signatures(source) if any(existing.values()) else set()
    return _write(out.getvalue(), destination,
                  lambda written: _check_signed(written, field, sound, source))


def _sound_signatures(path: Path) -> set[str]:
    """The fields of ``path`` whose signature is intact and not changed after."""
    from convention_docs.signing._verify import verify

    return {state.name for state in verify(path).signed if state.ok}


def _check_signed(path: Path, field: str, sound: set[str], source: Path) -> None:
    """``SigningError`` unless the new signature checks out and the ones that did still do."""
    from convention_docs.signing._verify import verify

    result = verify(path)
    state = result.field(field)
    if not (state.signed and state.intact):
        raise SigningError(f"la signature du champ « {field} » ne se vérifie pas "
                           f"({state.problem or 'raison inconnue'})", path=source)
    broken = sorted(s.name for s in result.signed if s.name in sound and not s.ok)
    if broken:
        raise SigningError("cette signature rendrait invalides les signatures déjà présentes : "
                           + ", ".join(broken), path=source)


def _write(data: bytes, destination: Path,
           check: Callable[[Path], None] | None = None) -> Path:
    """Write ``data`` at ``destination`` through a temporary file in its folder, checked by
    ``check`` (which raises to refuse it), then renamed."""
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=destination.parent, prefix=".convention-docs-",
                                        suffix=".pdf")
    except OSError as exc:
        raise SigningError(f"écriture impossible ({os_reason(exc)})",
                           path=destination) from exc
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        if check is not None:
            check(temporary)
        temporary.replace(destination)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise SigningError(f"écriture impossible ({os_reason(exc)})",
                           path=destination) from exc
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return destination
