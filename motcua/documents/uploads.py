"""Resumable (chunked) uploads.

1. create a session with the total size (and optionally the SHA-256 the client computed);
2. send the bytes in pieces, each at the offset the server last acknowledged (`received`);
   after a broken connection ask the session for its offset and go on from there;
3. finish: the assembled file goes through the same checks and the same attachment service as a
   one-shot upload, and the session is removed.

A piece is written to `<FILES_DIR>/uploads/<id>.part` at its offset, fsynced, and only then is
`received` advanced, so a crash in the middle leaves at most bytes beyond `received`, which the
next piece overwrites (the file is cut back to `received` first). Two writers of one session are
kept apart with an exclusive lock on the part file. Sessions expire; the cleanup job removes
expired sessions and part files without a session.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core import clock
from motcua.core.errors import Conflict, NotFound, RateLimited, TooLarge, ValidationFailed

from .models import UploadSession
from .storage import files_dir

BLOCK = 64 * 1024
SHA_RE = re.compile(r"^[0-9a-f]{64}$")


def _conf(name: str, default: Any) -> Any:
    return settings.MOTCUA.get(name, default)


def uploads_dir() -> Path:
    path = files_dir() / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def part_path(session_id: Any) -> Path:
    return uploads_dir() / f"{session_id}.part"


def max_chunk_bytes() -> int:
    return int(_conf("MAX_CHUNK_BYTES", 8 * 1024 * 1024))


def upload_session_create(*, user: Any, dossier_code: str, document: str, filename: str, size: int,
                          sha256: str = "", digitised: bool = False) -> UploadSession:
    limit = int(settings.MOTCUA["MAX_FILE_BYTES"])
    if size <= 0:
        raise ValidationFailed("empty_file", _("Tệp rỗng (0 byte); vui lòng chọn lại tệp."), details={"size": size})
    if size > limit:
        raise TooLarge("file_too_large",
                       _("Tệp vượt quá dung lượng cho phép (%(size)s).") % {"size": f"{limit / (1024 * 1024):g} MB"},
                       details={"max_bytes": limit})
    sha256 = (sha256 or "").strip().lower()
    if sha256 and not SHA_RE.match(sha256):
        raise ValidationFailed("invalid_sha256", _("Mã SHA-256 phải gồm 64 ký tự thập lục phân."))
    now = clock.now()
    active = UploadSession.objects.filter(user=user, expires_at__gt=now).count()
    if active >= int(_conf("MAX_UPLOAD_SESSIONS_PER_USER", 20)):
        raise RateLimited("too_many_uploads", _("Bạn đang có quá nhiều lượt tải tệp chưa hoàn tất."))
    session = UploadSession.objects.create(
        user=user, dossier_code=dossier_code, document=document, filename=(filename or "tep")[:255], size=size,
        sha256=sha256, digitised=digitised, created_at=now, updated_at=now,
        expires_at=now + timedelta(hours=float(_conf("UPLOAD_SESSION_TTL_HOURS", 24))),
    )
    part_path(session.id).touch()
    return session


def upload_session_get(*, user: Any, session_id: Any) -> UploadSession:
    session = UploadSession.objects.filter(id=session_id, user=user, expires_at__gt=clock.now()).first()
    if session is None:
        raise NotFound("not_found", _("Không tìm thấy lượt tải tệp (có thể đã hết hạn)."))
    return session


def upload_session_append(*, user: Any, session_id: Any, offset: int, stream: IO[bytes],
                          length: int | None) -> UploadSession:
    """Write one piece read from `stream` (`length` bytes announced, when known) at `offset`."""
    session = upload_session_get(user=user, session_id=session_id)
    if offset != session.received:
        raise Conflict("offset_mismatch", _("Vị trí ghi không khớp với phần đã nhận; hãy tiếp tục từ vị trí máy chủ báo."),
                       details={"offset": session.received})
    cap = max_chunk_bytes()
    if length is not None and length > cap:
        raise TooLarge("chunk_too_large", f"Mỗi phần tải lên tối đa {cap / (1024 * 1024):g} MB.",
                       details={"max_bytes": cap})
    if length is not None and offset + length > session.size:
        raise TooLarge("upload_exceeds_size", _("Dữ liệu gửi vượt quá kích thước tệp đã khai báo."),
                       details={"size": session.size})
    path = part_path(session.id)
    with path.open("a+b") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise Conflict("upload_busy", _("Phần trước của tệp vẫn đang được ghi; vui lòng thử lại.")) from exc
        try:
            session.refresh_from_db()
            if offset != session.received:
                raise Conflict("offset_mismatch", _("Vị trí ghi không khớp với phần đã nhận."),
                               details={"offset": session.received})
            written = _write_piece(fh, session, offset, stream, length, cap)
            with transaction.atomic():
                updated = UploadSession.objects.filter(id=session.id, received=offset).update(
                    received=offset + written, updated_at=clock.now())
            if not updated:  # pragma: no cover - excluded by the lock
                raise Conflict("offset_mismatch", _("Vị trí ghi không khớp với phần đã nhận."))
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
    session.refresh_from_db()
    return session


def _write_piece(fh: Any, session: UploadSession, offset: int, stream: IO[bytes], length: int | None,
                 cap: int) -> int:
    fh.truncate(offset)
    fh.seek(offset)
    written = 0
    try:
        while True:
            want = BLOCK if length is None else min(BLOCK, length - written)
            if want <= 0:
                break
            block = stream.read(want)
            if not block:
                break
            written += len(block)
            if written > cap:
                raise TooLarge("chunk_too_large", f"Mỗi phần tải lên tối đa {cap / (1024 * 1024):g} MB.",
                               details={"max_bytes": cap})
            if offset + written > session.size:
                raise TooLarge("upload_exceeds_size", _("Dữ liệu gửi vượt quá kích thước tệp đã khai báo."),
                               details={"size": session.size})
            fh.write(block)
        if length is not None and written < length:
            raise ValidationFailed("incomplete_chunk", _("Kết nối bị gián đoạn giữa chừng; hãy gửi lại phần này."),
                                   details={"offset": offset, "received": written, "expected": length})
        fh.flush()
        os.fsync(fh.fileno())
        return written
    except BaseException as exc:
        fh.truncate(offset)
        if isinstance(exc, OSError | ValueError) and not isinstance(exc, ValidationFailed):
            raise ValidationFailed("incomplete_chunk", _("Kết nối bị gián đoạn giữa chừng; hãy gửi lại phần này."),
                                   details={"offset": offset}) from exc
        raise


def upload_session_ready(session: UploadSession) -> None:
    """Refuse to finish an incomplete session or one whose bytes do not match the announced hash."""
    if session.received != session.size:
        raise Conflict("upload_incomplete", _("Tệp chưa được tải lên đầy đủ."),
                       details={"offset": session.received, "size": session.size})
    if session.sha256:
        digest = hashlib.sha256()
        for block in upload_session_chunks(session):
            digest.update(block)
        if digest.hexdigest() != session.sha256:
            raise ValidationFailed("checksum_mismatch", _("Mã SHA-256 của tệp nhận được không khớp với mã đã khai báo."))


def upload_session_chunks(session: UploadSession) -> Iterator[bytes]:
    left = session.received
    with part_path(session.id).open("rb") as fh:
        while left > 0:
            block = fh.read(min(1024 * 1024, left))
            if not block:
                break
            left -= len(block)
            yield block


def upload_session_discard(session: UploadSession) -> None:
    UploadSession.objects.filter(id=session.id).delete()
    part_path(session.id).unlink(missing_ok=True)


def session_representation(session: UploadSession) -> dict[str, Any]:
    return {
        "id": str(session.id), "dossier": session.dossier_code, "document": session.document,
        "filename": session.filename, "size": session.size, "offset": session.received,
        "complete": session.received == session.size, "digitised": session.digitised,
        "expires_at": clock.local(session.expires_at).isoformat(),
    }
