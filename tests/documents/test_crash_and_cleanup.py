"""Crashes in the middle of uploads, and the cleanup job that proves the store consistent: no row
without its file, no file without its row."""

from __future__ import annotations

import hashlib
import io
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client

from motcua.documents.cleanup import storage_cleanup
from motcua.documents.models import UploadSession
from motcua.dossiers.models import Attachment

from .conftest import pdf_bytes, stored_files
from .test_chunked import big_pdf, put, start

ROOT = Path(__file__).resolve().parents[2]


def blobs(root: Path) -> list[str]:
    return [p.rsplit("/", 1)[-1] for p in stored_files(root) if not p.startswith(("tmp/", "uploads/"))]


@pytest.mark.django_db
def test_crash_between_file_and_row_then_cleanup(desk, files_dir, monkeypatch):
    """The process dies after the file is published and before the row commits (simulated by an
    error inside the transaction, which rolls the row back like a crash would). The file is an
    orphan; the request path never deletes it (another upload may be about to use the same
    content); the cleanup job removes it once past the grace period."""
    from motcua.dossiers.services import attachments

    code = desk.walk_in()
    kept = pdf_bytes("giu lai")
    assert desk.attach("tiepnhan.viettri", code, "giu.pdf", kept).status_code == 201

    def crash(**kwargs: Any) -> None:
        raise RuntimeError("the server died here")

    monkeypatch.setattr(attachments, "audit_record", crash)
    lost = pdf_bytes("mat")
    with pytest.raises(RuntimeError):
        from motcua.accounts.models import User
        from motcua.accounts.selectors import actor_for

        attachments.attachment_add(actor=actor_for(User.objects.get(username="tiepnhan.viettri")), code=code,
                                   document="GT01", filename="mat.pdf", chunks=[lost])
    monkeypatch.undo()
    lost_sha = hashlib.sha256(lost).hexdigest()
    assert not Attachment.objects.filter(sha256=lost_sha).exists()
    assert sorted(blobs(files_dir)) == sorted([lost_sha, hashlib.sha256(kept).hexdigest()])

    # A half-written staging file and an upload part without its session, as a kill leaves them.
    (files_dir / "tmp" / "upload-half").write_bytes(b"%PDF-1.7 half")
    (files_dir / "uploads").mkdir(exist_ok=True)
    (files_dir / "uploads" / "0b6f3f3e-1111-4222-8333-444455556666.part").write_bytes(b"x" * 10)

    # Within the grace period nothing young is touched (it may belong to a transaction in flight).
    report = storage_cleanup(grace_seconds=3600)
    assert report.consistent and report.kept_recent_orphans == [lost_sha] and report.removed_orphans == []

    report = storage_cleanup(grace_seconds=0)
    assert report.removed_orphans == [lost_sha]
    assert report.removed_temp == ["upload-half"]
    assert report.removed_parts == ["0b6f3f3e-1111-4222-8333-444455556666.part"]
    assert report.missing == [] and report.consistent
    # Consistent: every row has its file, every file has its row.
    assert blobs(files_dir) == [hashlib.sha256(kept).hexdigest()]
    assert set(Attachment.objects.values_list("sha256", flat=True)) == set(blobs(files_dir))
    assert stored_files(files_dir / "tmp") == [] and stored_files(files_dir / "uploads") == []


@pytest.mark.django_db
def test_cleanup_reports_rows_without_files_and_expired_sessions(desk, files_dir, frozen):
    code = desk.walk_in()
    r = desk.attach("tiepnhan.viettri", code, "a.pdf", pdf_bytes("a"))
    sha = r.json()["sha256"]
    session = start(desk("tiepnhan.viettri"), code, b"x" * 100)
    put(desk("tiepnhan.viettri"), session["id"], b"x" * 40, 0)
    frozen.shift(25 * 3600)  # the session expires after a day
    (files_dir / sha[:2] / sha[2:4] / sha).unlink()  # a row loses its file (disk trouble)

    report = storage_cleanup(grace_seconds=0, verify=True)
    assert report.removed_sessions == [session["id"]]
    assert not UploadSession.objects.exists() and stored_files(files_dir / "uploads") == []
    assert report.missing == [{"sha256": sha, "model": "dossiers.Attachment", "pk": r.json()["id"]}]
    assert not report.consistent
    with pytest.raises(CommandError):
        call_command("documents_cleanup", "--grace", "0", stdout=io.StringIO())


@pytest.mark.django_db
def test_cleanup_detects_corrupt_files_and_keeps_drafts(signing, desk, files_dir):
    code = desk.walk_in()
    desk.to_leader(code)
    from .conftest import upload

    draft = desk("lanhdao.viettri").upload(f"/dossiers/{code}/result", {"file": upload("d.pdf", pdf_bytes("nhap"))})
    sha = draft.json()["sha256"]
    report = storage_cleanup(grace_seconds=0, verify=True)
    assert report.consistent and report.removed_orphans == []  # the draft's file is referenced
    path = files_dir / sha[:2] / sha[2:4] / sha
    path.write_bytes(path.read_bytes() + b"\n% changed")
    assert storage_cleanup(grace_seconds=0, verify=True).corrupt == [sha]


# --- a real server process, killed -----------------------------------------------------------------

def _database_url() -> str:
    conf = connection.settings_dict
    if conf["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{conf['NAME']}" if str(conf["NAME"]).startswith("/") else f"sqlite:////{conf['NAME']}"
    user = conf.get("USER") or ""
    password = f":{conf['PASSWORD']}" if conf.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{conf.get('HOST') or '127.0.0.1'}:{conf.get('PORT') or 5432}/{conf['NAME']}"


class Server:
    def __init__(self, files: Path, data: Path) -> None:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.documents.server_settings",
               "DATABASE_URL": _database_url(), "MOTCUA_FILES_DIR": str(files), "MOTCUA_DATA_DIR": str(data),
               "MOTCUA_SECRET_KEY": "kill-test", "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen([sys.executable, str(Path(__file__).with_name("serve.py"))], cwd=ROOT, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self.process.stdout is not None
        self.port = int(self.process.stdout.readline().strip())

    def send_partial(self, head: str, body: bytes) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=20)
        sock.sendall(head.encode() + body)
        return sock

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=20)


@pytest.mark.django_db(transaction=True)
@pytest.mark.timeout(120)
def test_server_killed_in_the_middle_of_uploads(catalogue, api, settings, tmp_path):
    from motcua.accounts.models import User
    from motcua.accounts.selectors import actor_for
    from motcua.dossiers.services import ApplicantData, dossier_create

    files = tmp_path / "files"
    settings.MOTCUA = {**settings.MOTCUA, "FILES_DIR": files}
    code = dossier_create(actor=actor_for(User.objects.get(username="tiepnhan.viettri")), procedure_code="1.001193",
                          channel="direct", receiving_unit_code="000.01.31.H45",
                          applicant=ApplicantData(name="Nguyễn Văn An")).code
    desk = api("tiepnhan.viettri")
    token = desk.headers["Authorization"]
    data = big_pdf()

    # A. A one-shot multipart upload: the server dies while the body is arriving.
    server = Server(files, tmp_path / "data")
    boundary = "motcuaBoundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"document\"\r\n\r\nTK01\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"lon.pdf\"\r\n"
            f"Content-Type: application/pdf\r\n\r\n").encode() + data
    head = (f"POST /api/v1/dossiers/{code}/attachments HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {token}\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {len(body) + 100}\r\n\r\n")
    sock = server.send_partial(head, body[: len(body) // 2])
    time.sleep(0.5)
    server.kill()
    sock.close()
    assert not Attachment.objects.exists()
    assert blobs(files) == [] and stored_files(files / "tmp") == []

    # B. A resumable upload: the server dies in the middle of a piece.
    session = start(desk, code, data)
    server = Server(files, tmp_path / "data")
    head = (f"PUT /api/v1/uploads/{session['id']}?offset=0 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {token}\r\n"
            f"Content-Type: application/octet-stream\r\nContent-Length: {len(data)}\r\n\r\n")
    sock = server.send_partial(head, data[:250_000])
    part = files / "uploads" / f"{session['id']}.part"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and (not part.exists() or part.stat().st_size < 100_000):
        time.sleep(0.05)
    assert part.stat().st_size >= 100_000  # half-written bytes on disk...
    server.kill()
    sock.close()
    assert UploadSession.objects.get(id=session["id"]).received == 0  # ...but never acknowledged

    # The client asks where to resume (offset 0: nothing was acknowledged) and finishes.
    assert desk.get(f"/uploads/{session['id']}").json()["offset"] == 0
    for offset in range(0, len(data), 150_000):
        assert put(desk, session["id"], data[offset:offset + 150_000], offset).status_code == 200
    r = Client().post(f"/api/v1/uploads/{session['id']}/finish", headers={"Authorization": token})
    assert r.status_code == 201, r.content
    assert r.json()["sha256"] == hashlib.sha256(data).hexdigest()
    assert not part.exists()

    # C. The store is consistent afterwards.
    report = storage_cleanup(grace_seconds=0, verify=True)
    assert report.consistent and report.removed_orphans == []
    assert blobs(files) == [hashlib.sha256(data).hexdigest()]
