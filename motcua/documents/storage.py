"""Content-addressed file storage with type sniffing.

A file is streamed to a temporary file in the same directory tree, hashed while it is written,
checked (not empty, not too large, a type we accept judged by its bytes), fsynced and renamed to
`<FILES_DIR>/<aa>/<bb>/<sha256>`. The rename is atomic, so a crash leaves at most a temporary
file that `stored_file_cleanup` removes; the same content is stored once.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import filetype
from django.conf import settings

from motcua.core.errors import TooLarge, UnsupportedType, ValidationFailed

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACCEPTED = {PDF, JPEG, PNG, DOCX, XLSX}


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    content_type: str
    path: Path


def files_dir() -> Path:
    path = Path(settings.MOTCUA["FILES_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_for(sha256: str) -> Path:
    return files_dir() / sha256[:2] / sha256[2:4] / sha256


def _sniff(path: Path, size: int) -> str:
    with path.open("rb") as fh:
        head = fh.read(8192)
    kind = filetype.guess(head)
    mime = kind.mime if kind else ""
    if head.startswith(b"%PDF-"):
        return _check_pdf(path, size)
    if mime in {JPEG, PNG}:
        return mime
    if mime == "application/zip" or head.startswith(b"PK\x03\x04"):
        return _check_office(path)
    raise UnsupportedType("unsupported_type", "Chỉ chấp nhận tệp PDF, JPEG, PNG, DOCX hoặc XLSX.",
                          details={"detected": mime or "unknown"})


def _check_pdf(path: Path, size: int) -> str:
    with path.open("rb") as fh:
        fh.seek(max(0, size - 2048))
        tail = fh.read()
        fh.seek(0)
        body = fh.read(min(size, 4 * 1024 * 1024))
    if b"%%EOF" not in tail:
        raise ValidationFailed("malformed_pdf", "Tệp PDF bị hỏng hoặc không đầy đủ.")
    if b"/Encrypt" in body or b"/Encrypt" in tail:
        raise ValidationFailed("encrypted_pdf", "Tệp PDF được đặt mật khẩu; vui lòng gửi bản không mã hóa.")
    return PDF


def _check_office(path: Path) -> str:
    limit = int(settings.MOTCUA["MAX_ARCHIVE_EXPANDED_BYTES"])
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            expanded = sum(info.file_size for info in infos)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnsupportedType("unsupported_type", "Tệp nén bị hỏng hoặc không được hỗ trợ.") from exc
    if expanded > limit:
        raise UnsupportedType("unsupported_type", "Tệp có nội dung giải nén quá lớn.",
                              details={"expanded_bytes": expanded})
    if "[Content_Types].xml" in names:
        if any(n.startswith("word/") for n in names):
            return DOCX
        if any(n.startswith("xl/") for n in names):
            return XLSX
    raise UnsupportedType("unsupported_type", "Chỉ chấp nhận tệp PDF, JPEG, PNG, DOCX hoặc XLSX.",
                          details={"detected": "application/zip"})


def store_stream(chunks: Iterable[bytes], *, max_bytes: int | None = None) -> StoredFile:
    """Store a stream of bytes; raise a DomainError (nothing left behind) when it is refused."""
    limit = max_bytes if max_bytes is not None else int(settings.MOTCUA["MAX_FILE_BYTES"])
    tmp_dir = files_dir() / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix="upload-")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise TooLarge("file_too_large", f"Tệp vượt quá {limit // (1024 * 1024)} MB.",
                                   details={"max_bytes": limit})
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size == 0:
            raise ValidationFailed("empty_file", "Tệp rỗng (0 byte).")
        content_type = _sniff(tmp, size)
        sha = digest.hexdigest()
        final = path_for(sha)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, final)
        return StoredFile(sha256=sha, size=size, content_type=content_type, path=final)
    finally:
        if tmp.exists():
            tmp.unlink()


def discard_if_unused(sha256: str, still_used: bool) -> None:
    """Remove a stored file after a failed write, unless another row still points at it."""
    if not still_used:
        path_for(sha256).unlink(missing_ok=True)


def open_stored(sha256: str) -> Path:
    return path_for(sha256)
