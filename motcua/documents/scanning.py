"""Virus scanning through a pluggable scanner.

Enabled when MOTCUA["CLAMD_ADDRESS"] is set: "host:port" (TCP) or "unix:/run/clamav/clamd.ctl".
The client speaks clamd's INSTREAM command: `zINSTREAM\\0`, then chunks each prefixed with their
length as a 4-byte big-endian integer, then a zero-length chunk; clamd answers `stream: OK` or
`stream: <signature> FOUND` (or `... ERROR`). Another scanner can be plugged in with
MOTCUA["VIRUS_SCANNER"] = "dotted.path.to.factory" returning an object with `scan(path)`.

A file found infected is refused (400 `infected_file`); when the scanner cannot be reached the
upload is refused too (503 `scanner_unavailable`): failing open would let malware through.
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from motcua.core.errors import DomainError, ValidationFailed

CHUNK = 64 * 1024


class Scanner(Protocol):
    def scan(self, path: Path) -> str | None:
        """Return the name of the threat found, or None when clean. Raise OSError when unreachable."""


class ScannerUnavailable(DomainError):
    status = 503
    code = "scanner_unavailable"


@dataclass
class ClamdScanner:
    address: str
    timeout: float = 30.0

    def _connect(self) -> socket.socket:
        if self.address.startswith("unix:"):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(self.timeout)
            sock.connect(self.address[5:])
            return sock
        host, _, port = self.address.rpartition(":")
        return socket.create_connection((host.strip("[]") or "127.0.0.1", int(port)), timeout=self.timeout)

    def scan(self, path: Path) -> str | None:
        with self._connect() as sock, path.open("rb") as fh:
            sock.sendall(b"zINSTREAM\0")
            while block := fh.read(CHUNK):
                sock.sendall(struct.pack("!L", len(block)) + block)
            sock.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0") and len(reply) < 4096:
                part = sock.recv(4096)
                if not part:
                    break
                reply += part
        return parse_reply(reply.rstrip(b"\0").decode("utf-8", "replace"))

    def ping(self) -> bool:
        with self._connect() as sock:
            sock.sendall(b"zPING\0")
            return sock.recv(64).rstrip(b"\0") == b"PONG"


def parse_reply(text: str) -> str | None:
    """`stream: OK` → None; `stream: Eicar-Test-Signature FOUND` → the signature; errors raise."""
    body = text.split(":", 1)[1].strip() if ":" in text else text.strip()
    if body == "OK":
        return None
    if body.endswith(" FOUND"):
        return body[: -len(" FOUND")].strip()
    raise OSError(f"clamd error: {body}")


def scanner() -> Scanner | None:
    factory = settings.MOTCUA.get("VIRUS_SCANNER")
    if factory:
        return import_string(str(factory))()  # type: ignore[no-any-return]
    address = settings.MOTCUA.get("CLAMD_ADDRESS")
    if address:
        return ClamdScanner(str(address), timeout=float(settings.MOTCUA.get("CLAMD_TIMEOUT", 30)))
    return None


def scan_file(path: Path) -> None:
    active = scanner()
    if active is None:
        return
    try:
        threat = active.scan(path)
    except OSError as exc:
        raise ScannerUnavailable("scanner_unavailable",
                                 gettext("Không kiểm tra được mã độc của tệp lúc này; vui lòng thử lại sau.")) from exc
    if threat:
        raise ValidationFailed("infected_file", gettext("Tệp có chứa mã độc và đã bị từ chối."), details={"threat": threat})
