"""Attachments: accepted types, exact bytes back, refusals by content, limits, nothing left behind."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from .conftest import CITIZEN_AN, CITIZEN_BINH, World, error_of

DESK = "tiepnhan.viettri"


# --- small valid files, made here ----------------------------------------------------------


def make_pdf(pages: int = 1, text: str = "", password: str | None = None) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    if text:
        writer.add_metadata({"/Title": text})
    if password is not None:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_image(fmt: str, color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (16, 12), color).save(out, format=fmt)
    return out.getvalue()


def make_docx(text: str = "Tờ khai") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                   '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                   'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
                   'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                   'wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                   f'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body>'
                   '</w:document>')
    return out.getvalue()


def make_xlsx() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active["A1"] = "Bảng kê"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def make_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("readme.txt", "hello")
    return out.getvalue()


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 200


# --- helpers ------------------------------------------------------------------------------


def upload(client: Any, code: str, content: bytes, name: str = "to-khai.pdf", document: str = "TK01") -> Any:
    return client.upload(f"/dossiers/{code}/attachments",
                         {"document": document, "file": SimpleUploadedFile(name, content)})


def download(client: Any, code: str, attachment_id: str) -> tuple[Any, bytes]:
    r = client.get(f"/dossiers/{code}/attachments/{attachment_id}")
    body = b"".join(r.streaming_content) if getattr(r, "streaming", False) else r.content
    return r, body


def stored_files(root: Path) -> set[str]:
    """Every file under FILES_DIR except the (empty) staging directories."""
    if not root.exists():
        return set()
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def attachment_count() -> int:
    from motcua.dossiers.models import Attachment

    return Attachment.objects.count()


@pytest.fixture
def desk_dossier(world: World) -> str:
    return world.direct()["code"]


# --- accepted -----------------------------------------------------------------------------

ACCEPTED = [
    ("to-khai.pdf", make_pdf, "application/pdf"),
    ("anh.png", lambda: make_image("PNG"), "image/png"),
    ("anh.jpg", lambda: make_image("JPEG"), "image/jpeg"),
    ("don.docx", make_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("bang.xlsx", make_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
]


@pytest.mark.parametrize(("name", "maker", "content_type"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_upload_and_download_exact_bytes(world, desk_dossier, files_dir, name, maker, content_type):
    content = maker()
    desk = world(DESK)
    r = upload(desk, desk_dossier, content, name=name)
    assert r.status_code == 201, r.content
    att = r.json()
    assert set(att) >= {"id", "document", "name", "size", "sha256", "content_type", "kind", "digitised",
                        "reused_from", "signature"}
    assert att["document"] == "TK01"
    assert att["name"] == name
    assert att["size"] == len(content)
    assert att["sha256"] == hashlib.sha256(content).hexdigest()
    assert att["content_type"] == content_type
    assert att["kind"] == "input"
    dossier = desk.get(f"/dossiers/{desk_dossier}").json()
    assert [a["id"] for a in dossier["attachments"]] == [att["id"]]
    assert dossier["attachments"][0] == att
    resp, body = download(desk, desk_dossier, att["id"])
    assert resp.status_code == 200
    assert body == content
    assert resp["Content-Type"].startswith(content_type)


def test_type_is_judged_by_content_not_by_name(world, desk_dossier, files_dir):
    r = upload(world(DESK), desk_dossier, make_image("PNG"), name="giay-to.pdf")
    assert r.status_code == 201
    assert r.json()["content_type"] == "image/png"


def test_the_same_bytes_twice_are_two_attachments_and_one_file(world, desk_dossier, files_dir):
    content = make_pdf()
    a = upload(world(DESK), desk_dossier, content).json()
    b = upload(world(DESK), desk_dossier, content, document="GT01").json()
    assert a["id"] != b["id"] and a["sha256"] == b["sha256"]
    assert sum(1 for f in stored_files(files_dir) if a["sha256"] in f) == 1
    assert download(world(DESK), desk_dossier, b["id"])[1] == content


def test_who_may_upload_and_download(world, files_dir):
    online = world.online()["code"]
    citizen = world(CITIZEN_AN)
    r = upload(citizen, online, make_pdf())
    assert r.status_code == 201  # the applicant, status 1
    att = r.json()
    assert download(citizen, online, att["id"])[1] == make_pdf()
    error_of(upload(world(CITIZEN_BINH), online, make_pdf()), 404)
    error_of(world(CITIZEN_BINH).get(f"/dossiers/{online}/attachments/{att['id']}"), 404)
    error_of(world("tiepnhan.vinhyen").get(f"/dossiers/{online}/attachments/{att['id']}"), 404)
    world.act(DESK, online, "accept")
    error_of(upload(citizen, online, make_pdf(pages=2)), 403)  # status 2: no longer the applicant's turn
    assert upload(world(DESK), online, make_pdf(pages=2)).status_code == 201  # reception on the route
    world.act(DESK, online, "request-supplement", {"reason": "Thiếu giấy tờ"})
    assert upload(citizen, online, make_pdf(pages=3)).status_code == 201  # status 5
    error_of(citizen.get(f"/dossiers/{online}/attachments/00000000-0000-0000-0000-000000000000"), 404)
    error_of(citizen.get(f"/dossiers/{online}/attachments/not-a-uuid"), 404)


def test_unknown_requirement_code_is_400(world, desk_dossier, files_dir):
    before = attachment_count()
    error_of(upload(world(DESK), desk_dossier, make_pdf(), document="XX99"), 400, "unknown_document")
    assert attachment_count() == before
    assert stored_files(files_dir) == set()


def test_missing_parts_of_the_form_are_400(world, desk_dossier, files_dir):
    desk = world(DESK)
    error_of(desk.upload(f"/dossiers/{desk_dossier}/attachments", {"document": "TK01"}), 400)
    error_of(desk.upload(f"/dossiers/{desk_dossier}/attachments",
                         {"file": SimpleUploadedFile("a.pdf", make_pdf())}), 400)
    error_of(desk.post(f"/dossiers/{desk_dossier}/attachments", {"document": "TK01"}), 400)
    assert attachment_count() == 0


# --- refused ------------------------------------------------------------------------------

REFUSED = [
    ("empty", b"", "to-khai.pdf", 400, {"empty_file"}),
    ("exe", EXE, "to-khai.pdf", 415, {"unsupported_type"}),
    ("zip", make_zip(), "to-khai.pdf", 415, {"unsupported_type"}),
    ("text", "Tờ khai viết tay\n".encode() * 20, "to-khai.pdf", 415, {"unsupported_type"}),
    ("html", b"<html><body>hello</body></html>", "to-khai.pdf", 415, {"unsupported_type"}),
    ("truncated-pdf", make_pdf()[:300], "to-khai.pdf", 400, {"malformed_pdf"}),
    ("fake-pdf", b"%PDF-1.7\n garbage garbage \n%%EOF\n", "to-khai.pdf", 400, {"malformed_pdf"}),
    ("encrypted-pdf", make_pdf(password="bi-mat"), "to-khai.pdf", 400, {"encrypted_pdf"}),
    ("encrypted-pdf-empty-password", make_pdf(password=""), "to-khai.pdf", 400, {"encrypted_pdf"}),
    ("broken-png", make_image("PNG")[:40], "anh.png", 415, {"unsupported_type"}),
    ("gif", b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00"
            b"\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;", "anh.gif", 415, {"unsupported_type"}),
]


@pytest.mark.parametrize(("label", "content", "name", "status", "codes"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_upload_leaves_nothing_behind(world, desk_dossier, files_dir, label, content, name, status, codes):
    before = attachment_count()
    r = upload(world(DESK), desk_dossier, content, name=name)
    body = error_of(r, status)
    assert body["code"] in codes
    assert attachment_count() == before
    assert stored_files(files_dir) == set()
    dossier = world(DESK).get(f"/dossiers/{desk_dossier}").json()
    assert dossier["attachments"] == []
    events = world(DESK).get(f"/dossiers/{desk_dossier}/events").json()["items"]
    assert [e["action"] for e in events] == ["create"]


def test_file_over_the_limit_is_413(world, desk_dossier, files_dir, settings):
    content = make_pdf(pages=3)
    settings.MOTCUA = {**settings.MOTCUA, "MAX_FILE_BYTES": len(content) - 1}
    error_of(upload(world(DESK), desk_dossier, content), 413, "file_too_large")
    assert attachment_count() == 0
    assert stored_files(files_dir) == set()
    settings.MOTCUA = {**settings.MOTCUA, "MAX_FILE_BYTES": len(content)}
    assert upload(world(DESK), desk_dossier, content).status_code == 201


def test_dossier_total_over_the_limit_is_413(world, desk_dossier, files_dir, settings):
    first, second, third = make_pdf(pages=1), make_pdf(pages=2), make_image("PNG")
    settings.MOTCUA = {**settings.MOTCUA, "MAX_DOSSIER_BYTES": len(first) + len(third)}
    a = upload(world(DESK), desk_dossier, first)
    assert a.status_code == 201
    kept = stored_files(files_dir)
    error_of(upload(world(DESK), desk_dossier, second, document="GT01"), 413, "dossier_too_large")
    assert attachment_count() == 1
    assert stored_files(files_dir) == kept
    assert upload(world(DESK), desk_dossier, third, name="a.png").status_code == 201  # exactly at the limit
    # The limit is per dossier: another dossier still has room.
    other = world.direct()["code"]
    assert upload(world(DESK), other, first).status_code == 201


def test_a_forbidden_upload_leaves_nothing_behind(world, files_dir):
    code = world.online()["code"]
    world.act(DESK, code, "accept")
    error_of(upload(world(CITIZEN_AN), code, make_pdf(pages=4)), 403)
    assert attachment_count() == 0
    assert stored_files(files_dir) == set()


def test_upload_to_a_closed_dossier_is_refused(world, files_dir):
    code = world.direct()["code"]
    world.act(DESK, code, "withdraw", {"reason": "Rút"})
    r = upload(world(DESK), code, make_pdf())
    assert r.status_code in (403, 409)
    error_of(r, r.status_code)
    assert attachment_count() == 0
    assert stored_files(files_dir) == set()


def test_upload_needs_a_token(world, desk_dossier, files_dir):
    from django.test import Client

    r = Client().post(f"/api/v1/dossiers/{desk_dossier}/attachments",
                      {"document": "TK01", "file": SimpleUploadedFile("a.pdf", make_pdf())})
    error_of(r, 401)
    assert stored_files(files_dir) == set()
