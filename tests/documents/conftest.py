"""Fixtures of the documents tests: a private file store per test, the clock frozen on a working
day, a demo CA generated once per session (EC P-256, fast), hostile and benign files."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

VN = ZoneInfo("Asia/Ho_Chi_Minh")
VIETTRI = "000.01.31.H45"
AN = "025090000123"
BINH = "025195000456"
PASSPHRASE = "motcua-test"
LEADERS = [("lanhdao.viettri", "Đặng Văn Hùng"), ("lanhdao.vinhyen", "Tạ Quang Vinh")]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN)


# --- files ----------------------------------------------------------------------------------------

def pdf_bytes(text: str = "motcua", pages: int = 1) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf_bytes(user_password: str = "") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt(user_password=user_password, owner_password="chu-so-huu")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (60, 80), color: str = "white") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


def office_bytes(kind: str = "docx", payload: bytes = b"<w:document/>") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        if kind == "docx":
            z.writestr("word/document.xml", payload)
        else:
            z.writestr("xl/workbook.xml", payload)
    return out.getvalue()


def zip_bomb_docx(expanded: int) -> bytes:
    """A DOCX whose document.xml inflates to `expanded` bytes of zeros (about 1000:1)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w") as member:
            block = b"\0" * (1024 * 1024)
            left = expanded
            while left > 0:
                member.write(block[:left])
                left -= len(block)
    return out.getvalue()


def lying_zip_bomb_docx(expanded: int) -> bytes:
    """The same bomb, with the sizes in its headers rewritten to claim 1 KB: only really
    decompressing it shows what it is."""
    data = bytearray(zip_bomb_docx(expanded))
    # Patch every central-directory and local header of word/document.xml: sizes → 1024.
    name = b"word/document.xml"
    for signature, size_offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        start = 0
        while (i := data.find(signature, start)) >= 0:
            start = i + 4
            name_len_offset = 28 if signature == b"PK\x01\x02" else 26
            name_len = int.from_bytes(data[i + name_len_offset:i + name_len_offset + 2], "little")
            header_len = 46 if signature == b"PK\x01\x02" else 30
            if bytes(data[i + header_len:i + header_len + name_len]) != name:
                continue
            if int.from_bytes(data[i + size_offset:i + size_offset + 4], "little") != 0xFFFFFFFF:
                data[i + size_offset:i + size_offset + 4] = (1024).to_bytes(4, "little")
    return bytes(data)


EXE = (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\0" * 48
       + b"This program cannot be run in DOS mode" + b"\0" * 200)


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


def stored_files(root: Path) -> list[str]:
    """Every file under the store (stored blobs, staging, upload parts), relative names."""
    if not root.exists():
        return []
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


# --- fixtures -------------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate-limit counters live in the cache: none leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def files_dir(settings: Any, tmp_path: Path) -> Path:
    path = tmp_path / "files"
    settings.MOTCUA = {**settings.MOTCUA, "FILES_DIR": path, "TOKEN_TTL_HOURS": 24 * 365}
    return path


@pytest.fixture
def frozen() -> Iterator[Any]:
    traveller = time_machine.travel(at("2026-02-23 09:00"), tick=False)
    coordinates = traveller.start()
    yield coordinates
    traveller.stop()


@pytest.fixture(scope="session")
def demo_pki(tmp_path_factory: Any) -> Any:
    from motcua.documents.pki import DemoSigner, demo_pki_ensure

    directory = tmp_path_factory.mktemp("pki")
    signers = [DemoSigner(u, n, "Ủy ban nhân dân phường Việt Trì") for u, n in LEADERS]
    signers.append(DemoSigner("seal.viettri", "Trung tâm Phục vụ hành chính công phường Việt Trì"))
    return demo_pki_ensure(directory, signers, passphrase=PASSPHRASE, key_type="ec")


@pytest.fixture
def signing(catalogue: None, settings: Any, files_dir: Path, demo_pki: Any) -> Any:
    """Leaders of the demo with PKCS#12 credentials from the session's CA, which is trusted."""
    from motcua.accounts.models import User
    from motcua.documents.models import SigningCredential

    settings.MOTCUA = {**settings.MOTCUA, "PKI_DIR": str(demo_pki.directory),
                       "PUBLIC_BASE_URL": "https://motcua.phutho.gov.vn"}
    from motcua.units.models import Unit

    for username, _name in LEADERS:
        SigningCredential.objects.create(user=User.objects.get(username=username), kind="pkcs12",
                                         pkcs12_path=str(demo_pki.p12[username]), passphrase=PASSPHRASE)
    SigningCredential.objects.create(unit=Unit.objects.get(code=VIETTRI), kind="pkcs12",
                                     pkcs12_path=str(demo_pki.p12["seal.viettri"]), passphrase=PASSPHRASE)
    return demo_pki


class Desk:
    """API clients of the demo accounts and a walk-in birth registration (1.001193) moved along."""

    def __init__(self, api: Any) -> None:
        self.api = api
        self.clients: dict[str, Any] = {}

    def __call__(self, username: str) -> Any:
        if username not in self.clients:
            self.clients[username] = self.api(username)
        return self.clients[username]

    def walk_in(self, id_number: str = AN, name: str = "Nguyễn Văn An") -> str:
        r = self("tiepnhan.viettri").post("/dossiers", {
            "procedure": "1.001193", "channel": "direct", "receiving_unit": VIETTRI,
            "applicant": {"name": name, "id_number": id_number, "phone": "0912345678"}})
        assert r.status_code == 201, r.content
        return str(r.json()["code"])

    def online(self, citizen: str = AN) -> str:
        r = self(citizen).post("/dossiers", {"procedure": "1.001193", "channel": "online", "receiving_unit": VIETTRI})
        assert r.status_code == 201, r.content
        return str(r.json()["code"])

    def act(self, who: str, code: str, action: str, body: dict[str, Any] | None = None, status: int = 200) -> Any:
        r = self(who).act(code, action, body or {})
        assert r.status_code == status, (who, action, r.status_code, r.content[:500])
        return r.json()

    def to_leader(self, code: str) -> None:
        self.act("tiepnhan.viettri", code, "forward")
        self.act("chuyenvien.viettri", code, "forward")

    def attach(self, who: str, code: str, name: str, data: bytes, document: str = "TK01", **extra: Any) -> Any:
        return self(who).upload(f"/dossiers/{code}/attachments", {"document": document, "file": upload(name, data),
                                                                   **extra})

    def dossier(self, code: str, who: str = "tiepnhan.viettri") -> dict[str, Any]:
        r = self(who).get(f"/dossiers/{code}")
        assert r.status_code == 200, r.content
        return dict(r.json())


@pytest.fixture
def desk(catalogue: None, api: Any, files_dir: Path, frozen: Any) -> Desk:
    return Desk(api)


def error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.content[:500])
    body = response.json()
    assert set(body) == {"code", "message", "details"}, body
    assert body["code"] == code, body
    assert body["message"]
    return dict(body)
