"""What a file is, judged by its bytes and not by its name, and whether we accept it.

Accepted: PDF (parsed with pypdf: not encrypted, not malformed, at least one page), JPEG and PNG
(decoded headers, bounded pixel count), DOCX and XLSX (Office Open XML packages whose members really
decompress to no more than MAX_ARCHIVE_EXPANDED_BYTES: the declared sizes of a zip are not trusted).
"""

from __future__ import annotations

import logging
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import filetype
from django.conf import settings
from django.utils.translation import gettext

from motcua.core.errors import UnsupportedType, ValidationFailed

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACCEPTED = frozenset({PDF, JPEG, PNG, DOCX, XLSX})
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png", DOCX: "docx", XLSX: "xlsx"}

MAX_ZIP_MEMBERS = 5000
DEFAULT_MAX_IMAGE_PIXELS = 100_000_000


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    info: dict[str, Any] = field(default_factory=dict)


def _unsupported(detected: str, message: str = "", **details: Any) -> UnsupportedType:
    message = message or gettext("Chỉ chấp nhận tệp PDF, JPEG, PNG, DOCX hoặc XLSX.")
    return UnsupportedType("unsupported_type", message, details={"detected": detected, **details})


def sniff(path: Path, size: int, *, accept: set[str] | None = None) -> Sniffed:
    with path.open("rb") as fh:
        head = fh.read(8192)
    kind = filetype.guess(head)
    mime = kind.mime if kind else ""
    if head.startswith(b"%PDF-"):
        result = _check_pdf(path, size)
    elif mime in {JPEG, PNG}:
        result = _check_image(path, mime)
    elif head.startswith(b"PK\x03\x04"):
        result = _check_office(path)
    else:
        raise _unsupported(mime or "unknown")
    if accept is not None and result.content_type not in accept:
        names = ", ".join(sorted(EXTENSIONS[t].upper() for t in accept))
        raise _unsupported(result.content_type, gettext("Chỉ chấp nhận tệp %(types)s.") % {"types": names})
    return result


def _check_pdf(path: Path, size: int) -> Sniffed:
    malformed = ValidationFailed("malformed_pdf", gettext("Tệp PDF bị hỏng hoặc không đầy đủ; vui lòng xuất lại tệp."))
    with path.open("rb") as fh:
        fh.seek(max(0, size - 1024))
        tail = fh.read()
    if b"%%EOF" not in tail:
        raise malformed
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(str(path), strict=False)
            if reader.is_encrypted:
                raise ValidationFailed("encrypted_pdf",
                                       gettext("Tệp PDF được đặt mật khẩu hoặc mã hóa; vui lòng gửi bản không mã hóa."))
            pages = len(reader.pages)
            for page in reader.pages:
                _ = page.mediabox
    except ValidationFailed:
        raise
    except Exception as exc:  # pypdf raises many kinds of errors on broken input
        raise malformed from exc
    if pages < 1:
        raise malformed
    return Sniffed(PDF, {"pages": pages})


def _check_image(path: Path, mime: str) -> Sniffed:
    from PIL import Image

    limit = int(settings.MOTCUA.get("MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                fmt = image.format
                if width * height > limit:
                    raise _unsupported(mime, gettext("Ảnh có kích thước điểm ảnh quá lớn."), pixels=width * height)
                image.verify()
    except UnsupportedType:
        raise
    except Exception as exc:
        raise _unsupported(mime, gettext("Tệp ảnh bị hỏng hoặc không đọc được.")) from exc
    if {"JPEG": JPEG, "PNG": PNG}.get(fmt or "") != mime:
        raise _unsupported(mime)
    return Sniffed(mime, {"width": width, "height": height})


def _check_office(path: Path) -> Sniffed:
    """An Office Open XML package. Every member is really decompressed (in blocks, never held in
    memory) and counted, so a zip bomb with lying headers is refused as well."""
    limit = int(settings.MOTCUA["MAX_ARCHIVE_EXPANDED_BYTES"])
    too_big = _unsupported("application/zip", gettext("Tệp có nội dung giải nén quá lớn (nghi ngờ tệp nén độc hại)."),
                           max_expanded_bytes=limit)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                raise too_big
            if sum(info.file_size for info in infos) > limit:
                raise too_big
            names = {info.filename for info in infos}
            expanded = 0
            for info in infos:
                if info.is_dir():
                    continue
                with archive.open(info) as member:
                    while block := member.read(256 * 1024):
                        expanded += len(block)
                        if expanded > limit:
                            raise too_big
    except UnsupportedType:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, NotImplementedError, EOFError,
            RuntimeError) as exc:
        raise _unsupported("application/zip", gettext("Tệp nén bị hỏng hoặc không được hỗ trợ.")) from exc
    except Exception as exc:  # zlib.error and friends
        raise _unsupported("application/zip", gettext("Tệp nén bị hỏng hoặc không được hỗ trợ.")) from exc
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names or any(n.startswith("word/") for n in names):
            return Sniffed(DOCX, {"expanded_bytes": expanded})
        if any(n.startswith("xl/") for n in names):
            return Sniffed(XLSX, {"expanded_bytes": expanded})
    raise _unsupported("application/zip")
