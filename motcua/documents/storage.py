"""Content-addressed file storage.

An upload is streamed to a temporary file under `<FILES_DIR>/tmp/`, hashed while it is written,
checked (not empty, not too large, a type we accept judged by its bytes, no virus) and fsynced:
that is a *staged* file. Publishing it puts it into the backend under its SHA-256 (local disk:
an atomic rename to `<FILES_DIR>/<aa>/<bb>/<sha256>`; S3: one PUT). The same content is stored once.

Services publish a staged file inside the transaction that writes its row, after every check that
could refuse the upload, so a refused upload leaves nothing behind. A crash (or a database error)
after the publish and before the commit leaves a published file that no row references; files are
never deleted in the request path (another transaction may be about to reference the same content),
only by `motcua.documents.cleanup`, which removes unreferenced files older than a grace period.
So there is never a row without its file, and no orphan survives a cleanup run.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from motcua.core.errors import TooLarge, ValidationFailed

from .scanning import scan_file
from .sniff import ACCEPTED, DOCX, JPEG, PDF, PNG, XLSX, sniff

__all__ = [
    "ACCEPTED", "DOCX", "JPEG", "PDF", "PNG", "XLSX",
    "LocalBackend", "Staged", "StoredFile", "backend", "files_dir", "open_stored", "publish", "read_stored",
    "stage", "stage_bytes", "store_stream", "temp_dir",
]

CHUNK = 1024 * 1024


def _conf(name: str, default: Any) -> Any:
    return settings.MOTCUA.get(name, default)


def files_dir() -> Path:
    path = Path(settings.MOTCUA["FILES_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def temp_dir() -> Path:
    """Staging area; always on local disk, whatever the backend."""
    path = files_dir() / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


# --- backends --------------------------------------------------------------------------------------

class Backend(Protocol):
    def exists(self, sha256: str) -> bool: ...
    def put(self, sha256: str, source: Path) -> bool: ...
    def open(self, sha256: str) -> IO[bytes]: ...
    def delete(self, sha256: str) -> None: ...
    def list(self) -> Iterator[tuple[str, float]]: ...
    def ref(self, sha256: str) -> Any: ...


def _is_sha(name: str) -> bool:
    return len(name) == 64 and all(c in "0123456789abcdef" for c in name)


class LocalBackend:
    """Files under FILES_DIR/<aa>/<bb>/<sha256>; `tmp/` and `uploads/` beside them are staging."""

    def __init__(self, root: Path | None = None) -> None:
        self._root = root

    @property
    def root(self) -> Path:
        return self._root or files_dir()

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put(self, sha256: str, source: Path) -> bool:
        """Move `source` into place atomically; return whether the content was new. When it was
        already there, refresh its time so that a cleanup running now keeps it."""
        final = self.path(sha256)
        if final.is_file():
            os.utime(final)
            source.unlink(missing_ok=True)
            return False
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, final)
        _fsync_dir(final.parent)
        return True

    def open(self, sha256: str) -> IO[bytes]:
        return self.path(sha256).open("rb")

    def delete(self, sha256: str) -> None:
        self.path(sha256).unlink(missing_ok=True)

    def list(self) -> Iterator[tuple[str, float]]:
        root = self.root
        for first in sorted(root.iterdir()) if root.is_dir() else []:
            if len(first.name) != 2 or not first.is_dir():
                continue
            for second in sorted(first.iterdir()):
                if not second.is_dir():
                    continue
                for item in sorted(second.iterdir()):
                    if _is_sha(item.name):
                        yield item.name, item.stat().st_mtime

    def ref(self, sha256: str) -> Path:
        return self.path(sha256)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


_backend: Backend | None = None
_backend_key: Any = None


def backend() -> Backend:
    """The configured backend: MOTCUA["STORAGE_BACKEND"] = "local" (default), "s3", or a dotted path
    to a zero-argument factory."""
    global _backend, _backend_key
    name = str(_conf("STORAGE_BACKEND", "local"))
    key = (name, str(settings.MOTCUA["FILES_DIR"]))
    if _backend is None or _backend_key != key:
        if name == "local":
            _backend = LocalBackend()
        elif name == "s3":
            from .s3 import S3Backend

            _backend = S3Backend.from_settings()
        else:
            _backend = import_string(name)()
        _backend_key = key
    return _backend


def set_backend(value: Backend | None) -> None:
    """Install a backend (tests, or a deployment hook); None returns to the configured one."""
    global _backend, _backend_key
    _backend = value
    _backend_key = (str(_conf("STORAGE_BACKEND", "local")), str(settings.MOTCUA["FILES_DIR"])) if value else None


# --- staging and publishing ------------------------------------------------------------------------

@dataclass
class Staged:
    """A checked file waiting in the staging area to be published under its SHA-256."""

    sha256: str
    size: int
    content_type: str
    temp_path: Path
    published: bool = False
    created: bool = False
    info: dict[str, Any] = field(default_factory=dict)

    def discard(self) -> None:
        self.temp_path.unlink(missing_ok=True)

    def __enter__(self) -> Staged:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()


def stage(chunks: Iterable[bytes], *, max_bytes: int | None = None, accept: Iterable[str] | None = None) -> Staged:
    """Stream bytes to the staging area and check them. Raises a DomainError (and removes the
    temporary file) when the upload is refused: empty_file, file_too_large, malformed_pdf,
    encrypted_pdf, unsupported_type, infected_file."""
    limit = max_bytes if max_bytes is not None else int(settings.MOTCUA["MAX_FILE_BYTES"])
    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(dir=temp_dir(), prefix="upload-")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                if not chunk:
                    continue
                size += len(chunk)
                if size > limit:
                    raise TooLarge("file_too_large",
                                   _("Tệp vượt quá dung lượng cho phép (%(size)s).") % {"size": _mb(limit)},
                                   details={"max_bytes": limit})
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size == 0:
            raise ValidationFailed("empty_file", _("Tệp rỗng (0 byte); vui lòng chọn lại tệp."))
        result = sniff(tmp, size, accept=set(accept) if accept is not None else None)
        scan_file(tmp)
        return Staged(sha256=digest.hexdigest(), size=size, content_type=result.content_type, temp_path=tmp,
                      info=result.info)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def stage_bytes(data: bytes, **kwargs: Any) -> Staged:
    return stage([data[i:i + CHUNK] for i in range(0, len(data), CHUNK)], **kwargs)


def publish(staged: Staged) -> bool:
    """Put a staged file into the backend (idempotent). Returns whether its content was new."""
    if not staged.published:
        staged.created = backend().put(staged.sha256, staged.temp_path)
        staged.published = True
    return staged.created


def _mb(limit: int) -> str:
    return f"{limit / (1024 * 1024):g} MB"


# --- the older one-call interface (portal staging) -------------------------------------------------

@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    content_type: str
    path: Any


def store_stream(chunks: Iterable[bytes], *, max_bytes: int | None = None) -> StoredFile:
    """Stage and publish at once (for files kept before their row exists, such as the portal's
    uploads made before the dossier is submitted; unreferenced ones go with the next cleanup)."""
    with stage(chunks, max_bytes=max_bytes) as staged:
        publish(staged)
    return StoredFile(sha256=staged.sha256, size=staged.size, content_type=staged.content_type,
                      path=open_stored(staged.sha256))


def open_stored(sha256: str) -> Any:
    """A path-like handle (`.open("rb")`, `.exists()`) to a stored file."""
    return backend().ref(sha256)


def read_stored(sha256: str) -> bytes:
    with backend().open(sha256) as fh:
        return fh.read()


def iter_stored(sha256: str) -> Iterator[bytes]:
    with backend().open(sha256) as fh:
        while block := fh.read(CHUNK):
            yield block


def discard_if_unused(sha256: str, still_used: bool) -> None:  # pragma: no cover - kept for old callers
    """Deprecated: files are removed by the cleanup job only (see the module docstring)."""
    del sha256, still_used
