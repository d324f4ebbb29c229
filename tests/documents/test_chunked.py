"""Resumable uploads: pieces at offsets, resume after a broken connection, hostile content refused
at the end with nothing left behind."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import urllib.request
from typing import Any

import pytest

from motcua.documents.models import UploadSession
from motcua.dossiers.models import Attachment

from .conftest import EXE, error, pdf_bytes, stored_files

pytestmark = pytest.mark.django_db


def big_pdf(pages: int = 40) -> bytes:
    """A valid PDF of a few hundred kilobytes (incompressible metadata keeps it large)."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Subject": os.urandom(150_000).hex()})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def put(client: Any, upload_id: str, data: bytes, offset: int | None = None, header: bool = True,
        **extra: Any) -> Any:
    headers = dict(client.headers)
    path = f"/api/v1/uploads/{upload_id}"
    if offset is not None and header:
        headers["Upload-Offset"] = str(offset)
    elif offset is not None:
        path += f"?offset={offset}"
    return client.client.generic("PUT", path, data, content_type="application/octet-stream", headers=headers, **extra)


def start(client: Any, code: str, data: bytes, **extra: Any) -> dict[str, Any]:
    r = client.post("/uploads", {"dossier": code, "document": "TK01", "filename": "to-khai-lon.pdf",
                                 "size": len(data), **extra})
    assert r.status_code == 201, r.content
    return dict(r.json())


def test_upload_in_pieces_and_finish(desk, files_dir):
    data = big_pdf()
    code = desk.walk_in()
    client = desk("tiepnhan.viettri")
    session = start(client, code, data, sha256=hashlib.sha256(data).hexdigest())
    assert session["offset"] == 0 and session["complete"] is False and session["size"] == len(data)
    piece = 100_000
    offset = 0
    while offset < len(data):
        r = put(client, session["id"], data[offset:offset + piece], offset, header=offset % 2 == 0)
        assert r.status_code == 200, r.content
        offset += len(data[offset:offset + piece])
        assert r.json()["offset"] == offset
    assert client.get(f"/uploads/{session['id']}").json()["complete"] is True
    r = client.post(f"/uploads/{session['id']}/finish")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["sha256"] == hashlib.sha256(data).hexdigest() and body["size"] == len(data)
    assert body["content_type"] == "application/pdf" and body["name"] == "to-khai-lon.pdf"
    assert not UploadSession.objects.exists()
    assert stored_files(files_dir) == [f"{body['sha256'][:2]}/{body['sha256'][2:4]}/{body['sha256']}"]
    assert client.get(f"/uploads/{session['id']}").status_code == 404


def test_offsets_are_enforced_and_a_session_can_resume(desk, files_dir):
    data = big_pdf()
    code = desk.walk_in()
    client = desk("tiepnhan.viettri")
    session = start(client, code, data)
    assert put(client, session["id"], data[:50_000], 0).status_code == 200
    # A repeated piece (the client did not see the answer) or one from the future is refused with the offset.
    assert error(put(client, session["id"], data[:50_000], 0), 409, "offset_mismatch")["details"] == {"offset": 50_000}
    error(put(client, session["id"], data[60_000:70_000], 60_000), 409, "offset_mismatch")
    error(put(client, session["id"], b"x"), 400, "offset_required")
    # Finishing early is refused and keeps the session.
    error(client.post(f"/uploads/{session['id']}/finish"), 409, "upload_incomplete")
    # "After a reconnection": ask where to go on, then send the rest.
    offset = client.get(f"/uploads/{session['id']}").json()["offset"]
    assert offset == 50_000
    assert put(client, session["id"], data[offset:], offset, header=False).status_code == 200
    # More than announced is refused.
    error(put(client, session["id"], b"extra", len(data)), 413, "upload_exceeds_size")
    assert client.post(f"/uploads/{session['id']}/finish").status_code == 201


def test_session_limits_and_ownership(desk, settings):
    settings.MOTCUA = {**settings.MOTCUA, "MAX_FILE_BYTES": 1000, "MAX_CHUNK_BYTES": 100}
    code = desk.walk_in()
    client = desk("tiepnhan.viettri")
    error(client.post("/uploads", {"dossier": code, "document": "TK01", "filename": "a.pdf", "size": 5000}),
          413, "file_too_large")
    error(client.post("/uploads", {"dossier": code, "document": "TK01", "filename": "a.pdf", "size": 0}),
          400, "empty_file")
    error(client.post("/uploads", {"dossier": code, "document": "TK01", "filename": "a.pdf", "size": 10,
                                   "sha256": "zz"}), 400, "invalid_sha256")
    session = start(client, code, b"x" * 500)
    error(put(client, session["id"], b"x" * 200, 0), 413, "chunk_too_large")
    # Another user's session does not exist for them; an unknown dossier is 404 at creation.
    assert desk("chuyenvien.viettri").get(f"/uploads/{session['id']}").status_code == 404
    assert put(desk("chuyenvien.viettri"), session["id"], b"x", 0).status_code == 404
    assert client.post("/uploads", {"dossier": "000.01.31.H45-260223-9999", "document": "TK01",
                                    "filename": "a.pdf", "size": 10}).status_code == 404
    assert client.client.delete(f"/api/v1/uploads/{session['id']}", headers=client.headers).status_code == 204
    assert not UploadSession.objects.exists()


def test_hostile_content_sent_in_pieces_is_refused_and_nothing_stays(desk, files_dir, settings):
    settings.MOTCUA = {**settings.MOTCUA, "MAX_DOSSIER_BYTES": 200_000}
    code = desk.walk_in()
    client = desk("tiepnhan.viettri")
    for data, status, code_ in [(EXE * 100, 415, "unsupported_type"), (b"%PDF-1.7\n" + b"0" * 5000 + b"%%EOF", 400,
                                                                       "malformed_pdf")]:
        session = start(client, code, data)
        assert put(client, session["id"], data, 0).status_code == 200
        error(client.post(f"/uploads/{session['id']}/finish"), status, code_)
        assert not UploadSession.objects.exists()
        assert stored_files(files_dir) == []
    # A checksum that does not match.
    data = pdf_bytes()
    session = start(client, code, data, sha256="0" * 64)
    put(client, session["id"], data, 0)
    error(client.post(f"/uploads/{session['id']}/finish"), 400, "checksum_mismatch")
    assert stored_files(files_dir) == [] and not UploadSession.objects.exists()
    # A file that does not fit in the dossier any more.
    data = big_pdf(pages=10)
    assert len(data) > 200_000
    session = start(client, code, data)
    put(client, session["id"], data, 0)
    error(client.post(f"/uploads/{session['id']}/finish"), 413, "dossier_too_large")
    assert stored_files(files_dir) == [] and not UploadSession.objects.exists()
    assert not Attachment.objects.exists()


def test_chunked_upload_is_in_the_openapi(desk):
    schema = desk("tiepnhan.viettri").client.get("/api/openapi.json").json()
    paths = schema["paths"]
    assert {"post"} <= set(paths["/api/v1/uploads"])
    assert {"get", "put", "delete"} <= set(paths["/api/v1/uploads/{upload_id}"])
    assert "application/octet-stream" in paths["/api/v1/uploads/{upload_id}"]["put"]["requestBody"]["content"]
    assert "post" in paths["/api/v1/uploads/{upload_id}/finish"]
    for path in ("/api/v1/verify", "/api/v1/me/documents", "/api/v1/dossiers/{code}/result",
                 "/api/v1/dossiers/{code}/attachments/reuse", "/api/v1/dossiers/{code}/attachments/scan"):
        assert path in paths, path


@pytest.mark.django_db(transaction=True)
def test_piece_cut_by_a_broken_connection_is_discarded_then_resumed(catalogue, live_server, settings, tmp_path):
    """A real HTTP server: the client announces 300 000 bytes, sends 120 000 and hangs up. The
    piece is dropped (the offset stays), and the upload resumes from there."""
    from motcua.accounts.models import User
    from motcua.accounts.selectors import actor_for
    from motcua.dossiers.services import ApplicantData, dossier_create

    settings.MOTCUA = {**settings.MOTCUA, "FILES_DIR": tmp_path / "files"}
    desk = actor_for(User.objects.get(username="tiepnhan.viettri"))
    code = dossier_create(actor=desk, procedure_code="1.001193", channel="direct", receiving_unit_code="000.01.31.H45",
                          applicant=ApplicantData(name="Nguyễn Văn An")).code
    base = live_server.url

    def call(method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> Any:
        request = urllib.request.Request(base + path, data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())

    status, token = call("POST", "/api/v1/auth/token", json.dumps(
        {"username": "tiepnhan.viettri", "password": "motcua-demo"}).encode(), {"Content-Type": "application/json"})
    assert status == 200
    auth = {"Authorization": f"Bearer {token['token']}"}
    data = big_pdf()
    status, session = call("POST", "/api/v1/uploads", json.dumps(
        {"dossier": code, "document": "TK01", "filename": "lon.pdf", "size": len(data)}).encode(),
        {**auth, "Content-Type": "application/json"})
    assert status == 201

    host, port = live_server.thread.host, live_server.thread.port
    with socket.create_connection((host, port), timeout=20) as sock:
        head = (f"PUT /api/v1/uploads/{session['id']}?offset=0 HTTP/1.1\r\nHost: {host}\r\n"
                f"Authorization: {auth['Authorization']}\r\nContent-Type: application/octet-stream\r\n"
                f"Content-Length: 300000\r\nConnection: close\r\n\r\n").encode()
        sock.sendall(head + data[:120_000])
        sock.shutdown(socket.SHUT_WR)  # the connection breaks
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    assert b" 400 " in reply.split(b"\r\n", 1)[0] and b"incomplete_chunk" in reply

    status, state = call("GET", f"/api/v1/uploads/{session['id']}", headers=auth)
    assert status == 200 and state["offset"] == 0
    part = tmp_path / "files" / "uploads" / f"{session['id']}.part"
    assert part.stat().st_size == 0  # the cut piece was not kept

    for offset in range(0, len(data), 200_000):
        status, state = call("PUT", f"/api/v1/uploads/{session['id']}?offset={offset}", data[offset:offset + 200_000],
                             {**auth, "Content-Type": "application/octet-stream"})
        assert status == 200, state
    status, attachment = call("POST", f"/api/v1/uploads/{session['id']}/finish", headers=auth)
    assert status == 201, attachment
    assert attachment["sha256"] == hashlib.sha256(data).hexdigest()
    assert not part.exists()
