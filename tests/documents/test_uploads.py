"""Uploads are judged by their bytes; every refusal is a clear 4xx and leaves nothing behind."""

from __future__ import annotations

import hashlib
import os

import pytest

from motcua.dossiers.models import Attachment, DossierEvent

from .conftest import (
    EXE,
    encrypted_pdf_bytes,
    error,
    image_bytes,
    lying_zip_bomb_docx,
    office_bytes,
    pdf_bytes,
    stored_files,
    zip_bomb_docx,
)

pytestmark = pytest.mark.django_db


def test_accepted_types_are_recognised_by_content_not_by_name(desk, files_dir):
    code = desk.walk_in()
    cases = [
        ("to-khai.pdf", pdf_bytes(), "application/pdf"),
        ("anh.jpg", image_bytes("JPEG"), "image/jpeg"),
        ("anh.png", image_bytes("PNG"), "image/png"),
        ("don.docx", office_bytes("docx"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("bang.xlsx", office_bytes("xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("ten-sai.docx", pdf_bytes("named wrong"), "application/pdf"),  # a PDF behind a .docx name is a PDF
    ]
    for name, data, expected in cases:
        r = desk.attach("tiepnhan.viettri", code, name, data)
        assert r.status_code == 201, (name, r.content)
        body = r.json()
        assert body["content_type"] == expected, name
        assert body["sha256"] == hashlib.sha256(data).hexdigest()
        assert body["size"] == len(data)
        assert body["digitised"] is None and body["reused_from"] is None and body["signature"] is None
        got = desk("tiepnhan.viettri").get(f"/dossiers/{code}/attachments/{body['id']}")
        assert b"".join(got.streaming_content) == data
    assert len(stored_files(files_dir / "tmp")) == 0


HOSTILE = [
    ("rong.pdf", b"", 400, "empty_file"),
    ("ho-so.pdf", EXE, 415, "unsupported_type"),
    ("script.pdf", b"#!/bin/sh\nrm -rf /\n", 415, "unsupported_type"),
    ("hong.pdf", b"%PDF-1.7\n" + b"rac " * 500 + b"\n%%EOF\n", 400, "malformed_pdf"),
    ("cat-cut.pdf", None, 400, "malformed_pdf"),  # a real PDF cut in half
    ("mat-khau.pdf", None, 400, "encrypted_pdf"),  # opens with a password
    ("han-che.pdf", None, 400, "encrypted_pdf"),  # owner password only: still encrypted
    ("bom.docx", None, 415, "unsupported_type"),
    ("bom-gia-kich-thuoc.docx", None, 415, "unsupported_type"),
    ("nen.docx", b"PK\x03\x04" + b"\0" * 100, 415, "unsupported_type"),  # broken zip
    ("anh-hong.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, 415, "unsupported_type"),
]


@pytest.mark.parametrize(("name", "data", "status", "code"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_upload_is_refused_and_leaves_nothing(desk, files_dir, settings, name, data, status, code):
    settings.MOTCUA = {**settings.MOTCUA, "MAX_ARCHIVE_EXPANDED_BYTES": 2 * 1024 * 1024}
    if name == "cat-cut.pdf":
        whole = pdf_bytes("x" * 2000, pages=3)
        data = whole[: len(whole) // 2]
    elif name == "mat-khau.pdf":
        data = encrypted_pdf_bytes("bi-mat")
    elif name == "han-che.pdf":
        data = encrypted_pdf_bytes("")
    elif name == "bom.docx":
        data = zip_bomb_docx(3 * 1024 * 1024)
    elif name == "bom-gia-kich-thuoc.docx":
        data = lying_zip_bomb_docx(3 * 1024 * 1024)
    code_ = desk.walk_in()
    before = DossierEvent.objects.count()
    r = desk.attach("tiepnhan.viettri", code_, name, data)
    error(r, status, code)
    assert Attachment.objects.count() == 0
    assert DossierEvent.objects.count() == before
    assert stored_files(files_dir) == []


def test_zip_bomb_beyond_the_default_limit(desk, files_dir):
    """The contract's limit: a DOCX whose content expands beyond 100 MB is refused (415)."""
    data = zip_bomb_docx(101 * 1024 * 1024)
    assert len(data) < 1024 * 1024
    code = desk.walk_in()
    body = error(desk.attach("tiepnhan.viettri", code, "bao-cao.docx", data), 415, "unsupported_type")
    assert body["details"]["max_expanded_bytes"] == 100 * 1024 * 1024
    assert stored_files(files_dir) == []


def test_file_too_large_and_dossier_too_large(desk, files_dir, settings):
    settings.MOTCUA = {**settings.MOTCUA, "MAX_FILE_BYTES": 50_000, "MAX_DOSSIER_BYTES": 120_000}
    code = desk.walk_in()
    big = image_bytes("PNG", size=(400, 400), color="white")
    noisy = os.urandom(60_000)
    error(desk.attach("tiepnhan.viettri", code, "qua-lon.pdf", b"%PDF-1.4\n" + noisy), 413, "file_too_large")
    assert stored_files(files_dir) == []
    first = pdf_bytes("a" * 45_000)
    second = pdf_bytes("b" * 45_000)
    third = pdf_bytes("c" * 45_000)
    assert len(first) < 50_000 and len(big) < 50_000
    assert desk.attach("tiepnhan.viettri", code, "1.pdf", first).status_code == 201
    assert desk.attach("tiepnhan.viettri", code, "2.pdf", second).status_code == 201
    body = error(desk.attach("tiepnhan.viettri", code, "3.pdf", third), 413, "dossier_too_large")
    assert body["details"]["max_bytes"] == 120_000
    assert Attachment.objects.filter(dossier__code=code).count() == 2
    # Only the two accepted files are stored: the refused third one left nothing.
    blobs = [p for p in stored_files(files_dir) if not p.startswith(("tmp", "uploads"))]
    assert sorted(b.rsplit("/", 1)[-1] for b in blobs) == sorted(
        hashlib.sha256(d).hexdigest() for d in (first, second))


def test_refused_by_permission_after_staging_leaves_nothing(desk, files_dir):
    code = desk.walk_in()
    r = desk.attach("tiepnhan.vinhyen", code, "to-khai.pdf", pdf_bytes())
    assert r.status_code in (403, 404)
    r = desk.attach("tiepnhan.viettri", code, "to-khai.pdf", pdf_bytes(), document="KHONG-CO")
    error(r, 400, "unknown_document")
    assert stored_files(files_dir) == []


def test_same_content_is_stored_once(desk, files_dir):
    code = desk.walk_in()
    data = pdf_bytes("giong nhau")
    assert desk.attach("tiepnhan.viettri", code, "a.pdf", data).status_code == 201
    assert desk.attach("tiepnhan.viettri", code, "b.pdf", data, document="GT01").status_code == 201
    assert Attachment.objects.filter(dossier__code=code).count() == 2
    assert list(stored_files(files_dir)) == [
        f"{hashlib.sha256(data).hexdigest()[:2]}/{hashlib.sha256(data).hexdigest()[2:4]}/{hashlib.sha256(data).hexdigest()}"]


def test_filenames_are_cleaned(desk):
    code = desk.walk_in()
    r = desk.attach("tiepnhan.viettri", code, "../../etc/passwd\x00.pdf", pdf_bytes())
    assert r.status_code == 201
    name = r.json()["name"]
    assert "/" not in name and "\x00" not in name
