"""Plain helpers for page and browser tests: dossiers made through the services, uploads."""

from __future__ import annotations

import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def actor(username: str) -> Any:
    from motcua.accounts.models import User
    from motcua.accounts.selectors import actor_for

    return actor_for(User.objects.get(username=username))


def online_dossier(procedure: str = "1.001193", unit: str = "000.01.31.H45", citizen: str = "025090000123") -> Any:
    from motcua.dossiers.services import dossier_create

    return dossier_create(actor=actor(citizen), procedure_code=procedure, channel="online", receiving_unit_code=unit,
                          result_delivery="online")


def walk_in_dossier(procedure: str = "1.001193", unit: str = "000.01.31.H45", official: str = "tiepnhan.viettri",
                    **applicant: Any) -> Any:
    from motcua.dossiers.services import ApplicantData, dossier_create

    data = {"name": "Lê Văn Cường", "phone": "0901234567", **applicant}
    return dossier_create(actor=actor(official), procedure_code=procedure, channel="direct", receiving_unit_code=unit,
                          applicant=ApplicantData(**data))


def text(response) -> str:
    return response.content.decode()


def field_error(html: str, field_id: str) -> str:
    """The error message tied to a control by aria-describedby (empty when none)."""
    match = re.search(rf'<p class="field-error" id="{re.escape(field_id)}-error">(.*?)</p>', html, re.S)
    return match.group(1).strip() if match else ""


def assert_invalid(html: str, field_id: str) -> None:
    tag = re.search(rf'<[^>]*\bid="{re.escape(field_id)}"[^>]*>', html)
    assert tag, f"no control {field_id}"
    assert 'aria-invalid="true"' in tag.group(0), tag.group(0)
    assert f"{field_id}-error" in tag.group(0)


# --- signing: a small demo CA, made once per test session ----------------------------------------

PKI_PASSPHRASE = "motcua-test"


def make_demo_pki(directory: Any, usernames: tuple[str, ...] = ("lanhdao.viettri",)) -> Any:
    """A demo CA (EC keys: fast) with a PKCS#12 certificate for each leader named."""
    from motcua.demo.seed import OFFICIALS
    from motcua.documents.pki import DemoSigner, demo_pki_ensure

    names = {username: full_name for username, full_name, _unit, _roles in OFFICIALS}
    signers = [DemoSigner(u, names[u], "Ủy ban nhân dân phường Việt Trì") for u in usernames]
    return demo_pki_ensure(directory, signers, passphrase=PKI_PASSPHRASE, key_type="ec")


def give_signing_credential(pki: Any, username: str = "lanhdao.viettri") -> None:
    from motcua.accounts.models import User
    from motcua.documents.models import SigningCredential

    SigningCredential.objects.create(user=User.objects.get(username=username), kind="pkcs12",
                                     pkcs12_path=str(pki.p12[username]), passphrase=PKI_PASSPHRASE)
