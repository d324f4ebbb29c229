"""Virus scanning through a scanner that speaks clamd's INSTREAM protocol on loopback."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from motcua.dossiers.models import Attachment

from .conftest import error, pdf_bytes, stored_files

pytestmark = pytest.mark.django_db

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!H+H*"


class FakeClamd:
    """A tiny clamd: answers zPING and zINSTREAM; finds the EICAR test string."""

    def __init__(self) -> None:
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(8)
        self.address = f"127.0.0.1:{self.server.getsockname()[1]}"
        self.scanned: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _read(self, conn: socket.socket, n: int) -> bytes:
        data = b""
        while len(data) < n:
            part = conn.recv(n - len(data))
            if not part:
                raise ConnectionError
            data += part
        return data

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                try:
                    command = b""
                    while not command.endswith(b"\0"):
                        command += self._read(conn, 1)
                    if command == b"zPING\0":
                        conn.sendall(b"PONG\0")
                        continue
                    assert command == b"zINSTREAM\0", command
                    body = b""
                    while True:
                        (size,) = struct.unpack("!L", self._read(conn, 4))
                        if size == 0:
                            break
                        body += self._read(conn, size)
                    self.scanned.append(body)
                    reply = b"stream: Eicar-Test-Signature FOUND\0" if EICAR in body else b"stream: OK\0"
                    conn.sendall(reply)
                except (ConnectionError, AssertionError):
                    continue

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def clamd(settings: Any) -> Iterator[FakeClamd]:
    fake = FakeClamd()
    settings.MOTCUA = {**settings.MOTCUA, "CLAMD_ADDRESS": fake.address}
    yield fake
    fake.close()


def _pdf_with(payload: bytes) -> bytes:
    """A valid PDF that carries `payload` in a stream (as malware would)."""
    import io

    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    stream = DecodedStreamObject()
    stream.set_data(payload)
    writer._root_object[NameObject("/Extra")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_clean_file_passes_and_is_really_scanned(desk, clamd, files_dir):
    from motcua.documents.scanning import ClamdScanner

    assert ClamdScanner(clamd.address).ping()
    code = desk.walk_in()
    data = pdf_bytes("sach")
    assert desk.attach("tiepnhan.viettri", code, "sach.pdf", data).status_code == 201
    assert clamd.scanned == [data]


def test_eicar_is_refused_and_leaves_nothing(desk, clamd, files_dir):
    code = desk.walk_in()
    data = _pdf_with(EICAR)
    body = error(desk.attach("tiepnhan.viettri", code, "nhiem.pdf", data), 400, "infected_file")
    assert body["details"] == {"threat": "Eicar-Test-Signature"}
    assert clamd.scanned == [data]
    assert Attachment.objects.count() == 0
    assert stored_files(files_dir) == []


def test_unreachable_scanner_refuses_uploads(desk, settings, files_dir):
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    settings.MOTCUA = {**settings.MOTCUA, "CLAMD_ADDRESS": f"127.0.0.1:{port}", "CLAMD_TIMEOUT": 2}
    code = desk.walk_in()
    error(desk.attach("tiepnhan.viettri", code, "a.pdf", pdf_bytes()), 503, "scanner_unavailable")
    assert stored_files(files_dir) == []


def test_reply_parsing():
    from motcua.documents.scanning import parse_reply

    assert parse_reply("stream: OK") is None
    assert parse_reply("stream: Win.Test.EICAR_HDB-1 FOUND") == "Win.Test.EICAR_HDB-1"
    with pytest.raises(OSError):
        parse_reply("INSTREAM size limit exceeded. ERROR")
