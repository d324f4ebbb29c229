"""The demo's own CA: generated once, idempotent, and its certificates sign for real."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from .conftest import pdf_bytes

pytestmark = pytest.mark.django_db


def test_seed_creates_a_ca_and_a_credential_per_leader_once(province, settings, tmp_path):
    from motcua.accounts.models import Membership
    from motcua.demo.seed import seed_signing_credentials
    from motcua.documents.models import SigningCredential
    from motcua.documents.signing import credential_for_user, sign_pdf
    from motcua.documents.verification import check_pdf

    settings.MOTCUA = {**settings.MOTCUA, "PKI_DIR": str(tmp_path / "pki")}
    leaders = set(Membership.objects.filter(role="leader").values_list("user__username", flat=True))
    assert seed_signing_credentials(key_type="ec") == len(leaders)
    root = (tmp_path / "pki" / "trust" / "demo-root.pem").read_bytes()
    assert seed_signing_credentials(key_type="ec") == 0  # idempotent: same files, no new rows
    assert (tmp_path / "pki" / "trust" / "demo-root.pem").read_bytes() == root
    assert SigningCredential.objects.count() == len(leaders)
    assert {c.user.username for c in SigningCredential.objects.all()} == leaders
    assert oct((tmp_path / "pki" / "ca" / "root-key.pem").stat().st_mode & 0o777) == "0o600"

    credential = credential_for_user(SigningCredential.objects.get(user__username="lanhdao.viettri").user)
    assert credential is not None and credential.subject == "Đặng Văn Hùng"
    check = check_pdf(sign_pdf(pdf_bytes(), credential, field_name="Thu").data)
    assert check.signed and check.intact and check.trusted
    assert check.signatures[0].name == "Đặng Văn Hùng"


def test_rsa_certificates_sign_too(province, settings, tmp_path):
    """The demo's default key type (RSA 2048, like the certificates of Vietnamese CAs)."""
    from motcua.accounts.models import User
    from motcua.documents.models import SigningCredential
    from motcua.documents.pki import DemoSigner, demo_pki_ensure
    from motcua.documents.signing import sign_pdf
    from motcua.documents.verification import check_pdf

    settings.MOTCUA = {**settings.MOTCUA, "PKI_DIR": str(tmp_path / "pki")}
    pki = demo_pki_ensure(tmp_path / "pki", [DemoSigner("lanhdao.stp", "Hoàng Văn Thắng")], passphrase="mat-khau")
    key, _cert, _chain = pkcs12.load_key_and_certificates(pki.p12["lanhdao.stp"].read_bytes(), b"mat-khau")
    assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == 2048
    credential = SigningCredential.objects.create(user=User.objects.get(username="lanhdao.stp"),
                                                  pkcs12_path=str(pki.p12["lanhdao.stp"]), passphrase="env:TEST_P12_PASS")
    import os

    os.environ["TEST_P12_PASS"] = "mat-khau"  # a secret read from the environment
    try:
        check = check_pdf(sign_pdf(pdf_bytes(), credential, field_name="Thu").data)
    finally:
        del os.environ["TEST_P12_PASS"]
    assert check.signed and check.intact and check.trusted and check.signatures[0].name == "Hoàng Văn Thắng"
