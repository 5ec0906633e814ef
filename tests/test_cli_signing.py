"""``convention-docs sign`` and ``verify``: success, and every bad input (exit 2, a French
message, nothing written, the input untouched, the passphrase never shown).

No LibreOffice here: a one-page PDF made with pypdf, given fields by our own ``add_fields``.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from pypdf import PdfWriter

from convention_docs.cli import main
from convention_docs.errors import (
    CertificateError,
    ConventionDocsError,
    SignatureFieldError,
    SigningError,
)
from convention_docs.signing import FieldPlace, add_fields, sign, verify

from .pki import PASSPHRASE, Pki, make_pki


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"),
                    {"etat": "Jean Exemple", "metropole": "Claire Modèle"})


def _blank(path: Path) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


@pytest.fixture
def blank(tmp_path: Path) -> Path:
    return _blank(tmp_path / "sans-champ.pdf")


@pytest.fixture
def fielded(tmp_path: Path) -> Path:
    path = tmp_path / "a-signer.pdf"
    data = _blank(tmp_path / "vierge.pdf").read_bytes()
    path.write_bytes(add_fields(data, [FieldPlace("etat", 0, (60, 60, 260, 140)),
                                       FieldPlace("metropole", 0, (320, 60, 520, 140))]))
    return path


@pytest.fixture
def secret(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CD_TEST_PASSPHRASE", PASSPHRASE)
    return "CD_TEST_PASSPHRASE"


def _sign(pdf: Path, out: Path, field: str, p12: Path, *extra: str) -> int:
    return main(["sign", str(pdf), "-o", str(out), "--field", field, "--p12", str(p12),
                 *extra])


def test_sign_then_verify_from_the_command_line(fielded: Path, pki: Pki, secret: str,
                                                tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    first, both = tmp_path / "un.pdf", tmp_path / "deux.pdf"
    assert _sign(fielded, first, "etat", pki.signers["etat"], "--passphrase-env", secret) == 0
    secret_file = tmp_path / "phrase.txt"
    secret_file.write_text(PASSPHRASE + "\n", encoding="utf-8")
    assert _sign(first, both, "metropole", pki.signers["metropole"],
                 "--passphrase-file", str(secret_file), "--reason", "Accord des parties",
                 "--location", "Marseille") == 0
    assert main(["verify", str(both), "--trust", str(pki.root)]) == 0
    capsys.readouterr()
    assert main(["verify", str(both), "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert PASSPHRASE not in out + err
    data = json.loads(out)
    assert data[0]["ok"] is True
    fields = {f["name"]: f for f in data[0]["fields"]}
    assert fields["etat"]["signer"] == "Jean Exemple"
    assert fields["metropole"]["intact"] is True
    assert fields["metropole"]["trusted"] is None  # no --trust: not asked
    assert main(["verify", str(both), "--trust", str(pki.other_root)]) == 1


def _refused(capsys: pytest.CaptureFixture[str], source: Path, before: bytes,
             destination: Path) -> str:
    out, err = capsys.readouterr()
    assert source.read_bytes() == before
    assert not destination.exists()
    assert not list(destination.parent.glob(".convention-docs-*"))
    assert PASSPHRASE not in out + err
    assert "rien n'a été écrit" in err
    return " ".join(err.split())


def test_wrong_passphrase(fielded: Path, pki: Pki, tmp_path: Path,
                          monkeypatch: pytest.MonkeyPatch,
                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("MAUVAISE", "pas-la-bonne")
    before, out = fielded.read_bytes(), tmp_path / "signe.pdf"
    assert _sign(fielded, out, "etat", pki.signers["etat"], "--passphrase-env", "MAUVAISE") == 2
    err = _refused(capsys, fielded, before, out)
    assert "phrase de passe incorrecte" in err
    assert "pas-la-bonne" not in err
    assert "etat.p12" in err


def test_no_passphrase_and_no_terminal(fielded: Path, pki: Pki, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    before, out = fielded.read_bytes(), tmp_path / "signe.pdf"
    assert _sign(fielded, out, "etat", pki.signers["etat"]) == 2  # pytest: stdin not a tty
    err = _refused(capsys, fielded, before, out)
    assert "--passphrase-env" in err


def test_missing_variable(fielded: Path, pki: Pki, tmp_path: Path,
                          monkeypatch: pytest.MonkeyPatch,
                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("ABSENTE", raising=False)
    out = tmp_path / "signe.pdf"
    assert _sign(fielded, out, "etat", pki.signers["etat"], "--passphrase-env", "ABSENTE") == 2
    assert "variable d'environnement « ABSENTE » absente" in capsys.readouterr().err
    assert not out.exists()


def test_unknown_field_lists_the_known_ones(fielded: Path, pki: Pki, secret: str,
                                            tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    before, out = fielded.read_bytes(), tmp_path / "signe.pdf"
    assert _sign(fielded, out, "maire", pki.signers["etat"], "--passphrase-env", secret) == 2
    err = _refused(capsys, fielded, before, out)
    assert "champ de signature « maire » inconnu ; champs du document : etat, metropole" in err
    with pytest.raises(SignatureFieldError) as caught:
        sign(fielded, out, field="maire", pkcs12=pki.signers["etat"], passphrase=PASSPHRASE)
    assert caught.value.known == ("etat", "metropole")
    assert pickle.loads(pickle.dumps(caught.value)).known == ("etat", "metropole")


def test_field_already_signed(fielded: Path, pki: Pki, secret: str, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    first = tmp_path / "un.pdf"
    assert _sign(fielded, first, "etat", pki.signers["etat"], "--passphrase-env", secret) == 0
    capsys.readouterr()
    before, out = first.read_bytes(), tmp_path / "deux.pdf"
    assert _sign(first, out, "etat", pki.signers["etat"], "--passphrase-env", secret) == 2
    assert "le champ « etat » est déjà signé" in _refused(capsys, first, before, out)


def test_pdf_without_fields_suggests_new_field(blank: Path, pki: Pki, secret: str,
                                               tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    before, out = blank.read_bytes(), tmp_path / "signe.pdf"
    assert _sign(blank, out, "etat", pki.signers["etat"], "--passphrase-env", secret) == 2
    err = _refused(capsys, blank, before, out)
    assert "aucun champ de signature" in err
    assert "--signable" in err and "--new-field PAGE,X1,Y1,X2,Y2" in err
    # as suggested: the field is made, then signed
    assert _sign(blank, out, "etat", pki.signers["etat"], "--passphrase-env", secret,
                 "--new-field", "1,60,60,260,140") == 0
    state = verify(out).field("etat")
    assert state.signed and state.intact and state.page == 1
    # a second signatory's field made the same way keeps the first signature valid
    second = tmp_path / "deux.pdf"
    assert _sign(out, second, "metropole", pki.signers["metropole"], "--passphrase-env",
                 secret, "--new-field", "1,320,60,520,140") == 0
    result = verify(second)
    assert result.ok
    assert [s.name for s in result.signed] == ["etat", "metropole"]
    assert result.field("etat").modified_after is False


@pytest.mark.parametrize("value", ["1,60,60", "0,60,60,260,140", "1,260,60,60,140", "x"])
def test_bad_new_field(blank: Path, pki: Pki, secret: str, tmp_path: Path, value: str,
                       capsys: pytest.CaptureFixture[str]) -> None:
    before, out = blank.read_bytes(), tmp_path / "signe.pdf"
    assert _sign(blank, out, "etat", pki.signers["etat"], "--passphrase-env", secret,
                 "--new-field", value) == 2
    assert "attendu PAGE,X1,Y1,X2,Y2" in _refused(capsys, blank, before, out)


def test_encrypted_pdf(tmp_path: Path, pki: Pki, secret: str,
                       capsys: pytest.CaptureFixture[str]) -> None:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("lecture", algorithm="AES-128")
    encrypted = tmp_path / "chiffre.pdf"
    with encrypted.open("wb") as handle:
        writer.write(handle)
    before, out = encrypted.read_bytes(), tmp_path / "signe.pdf"
    assert _sign(encrypted, out, "etat", pki.signers["etat"], "--passphrase-env", secret) == 2
    assert "PDF chiffré" in _refused(capsys, encrypted, before, out)
    assert main(["verify", str(encrypted)]) == 2


def test_expired_certificate(fielded: Path, pki: Pki, secret: str, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    before, out = fielded.read_bytes(), tmp_path / "signe.pdf"
    assert _sign(fielded, out, "etat", pki.expired, "--passphrase-env", secret) == 2
    err = _refused(capsys, fielded, before, out)
    assert "certificat expiré le" in err and "Signataire Expiré" in err


def test_existing_destination_is_kept_on_failure(fielded: Path, pki: Pki, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "existant.pdf"
    out.write_bytes(b"ancien")
    monkeypatch.setenv("MAUVAISE", "non")
    assert _sign(fielded, out, "etat", pki.signers["etat"], "--passphrase-env", "MAUVAISE") == 2
    assert out.read_bytes() == b"ancien"


def test_verify_a_file_that_is_not_a_pdf(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "note.pdf"
    text.write_text("pas un PDF", encoding="utf-8")
    assert main(["verify", str(text)]) == 2
    assert "ce n'est pas un PDF lisible" in capsys.readouterr().err


def test_errors_sit_under_the_base_class() -> None:
    assert issubclass(SignatureFieldError, SigningError)
    assert issubclass(CertificateError, SigningError)
    assert issubclass(SigningError, ConventionDocsError)
    error = CertificateError("certificat expiré", path="x.p12")
    assert str(pickle.loads(pickle.dumps(error))) == "x.p12 : certificat expiré"


def test_missing_font_is_a_clear_error(fielded: Path, pki: Pki, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from convention_docs.signing import _sign

    monkeypatch.setattr(_sign.shutil, "which", lambda name: None)
    monkeypatch.setattr(_sign, "_FONT_PATHS", (str(tmp_path / "absente.ttf"),))
    _sign.find_font.cache_clear()
    out = tmp_path / "signe.pdf"
    try:
        with pytest.raises(SigningError, match="fonts-liberation2"):
            sign(fielded, out, field="etat", pkcs12=pki.signers["etat"], passphrase=PASSPHRASE)
    finally:
        _sign.find_font.cache_clear()
    assert not out.exists()
