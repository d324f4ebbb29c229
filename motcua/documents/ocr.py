"""Optical character recognition of scanned documents with Tesseract (Debian's `tesseract-ocr` and
`tesseract-ocr-vie`), so that what was scanned at the desk can be searched.

Images go to Tesseract directly; a PDF gives its own text layer when it has one, otherwise its first
pages are rendered with `pdftoppm` (poppler-utils) and recognised. Bounded in pages and time.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

MAX_PAGES = 10
TIMEOUT_SECONDS = 60


def ocr_available() -> bool:
    return shutil.which("tesseract") is not None


def ocr_enabled() -> bool:
    mode = str(settings.MOTCUA.get("OCR", "auto"))
    return mode == "on" or (mode == "auto" and ocr_available())


def _tesseract(image: Path, languages: str) -> str:
    result = subprocess.run(  # noqa: S603 - fixed program, our own temporary file
        ["tesseract", str(image), "stdout", "-l", languages, "--psm", "3"],  # noqa: S607
        capture_output=True, timeout=TIMEOUT_SECONDS, check=False,
    )
    return result.stdout.decode("utf-8", errors="replace") if result.returncode == 0 else ""


def _pdf_text_layer(path: Path) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path))
        return "\n".join((page.extract_text() or "") for page in reader.pages[:MAX_PAGES]).strip()
    except Exception:
        return ""


def extract_text(path: Path, content_type: str, languages: str = "vie+eng") -> str:
    """The text of a stored file ("" when there is none or OCR is not installed)."""
    if content_type == "application/pdf":
        text = _pdf_text_layer(path)
        if text or not ocr_available() or shutil.which("pdftoppm") is None:
            return text
        with tempfile.TemporaryDirectory(prefix="motcua-ocr-") as tmp:
            subprocess.run(  # noqa: S603
                ["pdftoppm", "-r", "200", "-png", "-l", str(MAX_PAGES), str(path), f"{tmp}/page"],  # noqa: S607
                capture_output=True, timeout=TIMEOUT_SECONDS, check=False,
            )
            return "\n".join(_tesseract(page, languages) for page in sorted(Path(tmp).glob("page*.png"))).strip()
    if content_type in {"image/jpeg", "image/png"} and ocr_available():
        return _tesseract(path, languages).strip()
    return ""
