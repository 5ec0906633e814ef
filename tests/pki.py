"""A throwaway certification authority and signers for the signature tests (cryptography)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASSPHRASE = "clé-de-test ×2"


@dataclass(frozen=True)
class Pki:
    """Files of a test PKI: the root (PEM) and a PKCS#12 per signer."""

    root: Path
    signers: dict[str, Path]
    expired: Path
    other_root: Path


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test convention_docs"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _root(common_name: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(_name(common_name))
            .issuer_name(_name(common_name)).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False,
                                         False), critical=True)
            .sign(key, hashes.SHA256()))
    return key, cert


def _signer(ca_key: ec.EllipticCurvePrivateKey, ca: x509.Certificate, common_name: str,
            start: dt.datetime, end: dt.datetime) -> tuple[ec.EllipticCurvePrivateKey,
                                                           x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(_name(common_name))
            .issuer_name(ca.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False,
                                         False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    return key, cert


def _p12(path: Path, name: str, key: ec.EllipticCurvePrivateKey, cert: x509.Certificate,
         ca: x509.Certificate) -> Path:
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        name.encode(), key, cert, [ca],
        serialization.BestAvailableEncryption(PASSPHRASE.encode())))
    return path


def make_pki(folder: Path, names: dict[str, str]) -> Pki:
    """A root and one PKCS#12 (passphrase ``PASSPHRASE``) per ``{field: common name}``, an
    expired signer, and an unrelated root."""
    folder.mkdir(parents=True, exist_ok=True)
    ca_key, ca = _root("Autorité de test")
    now = dt.datetime.now(dt.UTC)
    signers = {}
    for field, common_name in names.items():
        key, cert = _signer(ca_key, ca, common_name, now - dt.timedelta(days=1),
                            now + dt.timedelta(days=30))
        signers[field] = _p12(folder / f"{field}.p12", common_name, key, cert, ca)
    key, cert = _signer(ca_key, ca, "Signataire Expiré", now - dt.timedelta(days=60),
                        now - dt.timedelta(days=2))
    expired = _p12(folder / "expire.p12", "expire", key, cert, ca)
    root = folder / "racine.pem"
    root.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    other = folder / "autre-racine.pem"
    other.write_bytes(_root("Autre autorité")[1].public_bytes(serialization.Encoding.PEM))
    return Pki(root, signers, expired, other)
