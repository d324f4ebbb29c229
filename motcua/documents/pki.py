"""A small certificate authority for the demo and the tests (cryptography).

`demo_pki_ensure(directory, signers)` keeps, under `directory`:

- `ca/root-key.pem`, `ca/root.pem`: the demo root CA ("motcua Demo Root CA");
- `trust/demo-root.pem`: the same root, in the folder whose certificates are trusted roots;
- `signers/<username>.p12`: one PKCS#12 file per signer (key + certificate + root), protected by
  the given passphrase.

It is idempotent: existing files are reused, missing ones are created. Certificates are valid
from 2020 to 2045 so that frozen test clocks stay inside their validity. This CA exists to make the
demo sign for real; a province uses the certificates issued by a licensed CA (the roots go into
`trust/` or MOTCUA["TRUST_ROOTS"]) and configures each leader's PKCS#12 file or PKCS#11 token.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOT_BEFORE = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
NOT_AFTER = dt.datetime(2045, 1, 1, tzinfo=dt.UTC)
ROOT_NAME = "motcua Demo Root CA"


@dataclass(frozen=True)
class DemoSigner:
    username: str
    full_name: str
    organisation: str = ""
    email: str = ""


@dataclass(frozen=True)
class DemoPki:
    directory: Path
    root_pem: Path
    trust_dir: Path
    p12: dict[str, Path]


def _key(key_type: str) -> ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey:
    if key_type == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _write(path: Path, data: bytes, private: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    if private:
        os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def _root(directory: Path, key_type: str) -> tuple[x509.Certificate, object]:
    key_path, cert_path = directory / "ca" / "root-key.pem", directory / "ca" / "root.pem"
    if key_path.exists() and cert_path.exists():
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        return x509.load_pem_x509_certificate(cert_path.read_bytes()), key
    key = _key(key_type)
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "motcua demo"),
        x509.NameAttribute(NameOID.COMMON_NAME, ROOT_NAME),
    ])
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(NOT_BEFORE).not_valid_after(NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())  # type: ignore[arg-type]
    )
    _write(key_path, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()), private=True)
    _write(cert_path, cert.public_bytes(serialization.Encoding.PEM))
    return cert, key


def issue_p12(root: x509.Certificate, root_key: object, signer: DemoSigner, passphrase: str,
              key_type: str = "rsa") -> bytes:
    key = _key(key_type)
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if signer.organisation:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, signer.organisation[:64]))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, signer.full_name[:64]))
    builder = (
        x509.CertificateBuilder().subject_name(x509.Name(attrs)).issuer_name(root.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(NOT_BEFORE).not_valid_after(NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION,
                                              ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),  # type: ignore[attr-defined]
                       critical=False)
    )
    if signer.email:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.RFC822Name(signer.email)]), critical=False)
    cert = builder.sign(root_key, hashes.SHA256())  # type: ignore[arg-type]
    return pkcs12.serialize_key_and_certificates(
        signer.username.encode(), key, cert, [root],
        serialization.BestAvailableEncryption(passphrase.encode()),
    )


def demo_pki_ensure(directory: Path, signers: list[DemoSigner], *, passphrase: str,
                    key_type: str = "rsa") -> DemoPki:
    directory.mkdir(parents=True, exist_ok=True)
    root, root_key = _root(directory, key_type)
    root_pem = directory / "ca" / "root.pem"
    trust = directory / "trust" / "demo-root.pem"
    if not trust.exists() or trust.read_bytes() != root_pem.read_bytes():
        _write(trust, root_pem.read_bytes())
    files: dict[str, Path] = {}
    for signer in signers:
        path = directory / "signers" / f"{signer.username}.p12"
        if not path.exists():
            _write(path, issue_p12(root, root_key, signer, passphrase, key_type), private=True)
        files[signer.username] = path
    return DemoPki(directory=directory, root_pem=root_pem, trust_dir=trust.parent, p12=files)


def p12_summary(path: Path, passphrase: str) -> tuple[str, dt.datetime]:
    """The subject common name and the end of validity of a PKCS#12 file's certificate."""
    _private, cert, _extra = pkcs12.load_key_and_certificates(path.read_bytes(), passphrase.encode())
    assert cert is not None
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return (str(names[0].value) if names else cert.subject.rfc4514_string()), cert.not_valid_after_utc
