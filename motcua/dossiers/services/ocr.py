"""Recognise the text of digitised attachments after their transaction commits (it takes seconds;
no dossier lock is held meanwhile): an effect (`effects.RECOGNISE_TEXT`). Idempotent: an
attachment that has text is left alone."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

from motcua.core.text import fold
from motcua.documents.ocr import extract_text, ocr_enabled
from motcua.documents.storage import read_stored

from ..models import Attachment
from . import effects

log = logging.getLogger("motcua.ocr")


@effects.effect(effects.RECOGNISE_TEXT)
def attachment_ocr(attachment_id: Any) -> str:
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None or attachment.ocr_text:
        return attachment.ocr_text if attachment else ""
    suffix = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(attachment.content_type, "")
    try:
        with tempfile.NamedTemporaryFile(prefix="motcua-ocr-", suffix=suffix) as tmp:
            tmp.write(read_stored(attachment.sha256))
            tmp.flush()
            text = extract_text(Path(tmp.name), attachment.content_type)
    except Exception:  # an OCR failure must never lose or block the document itself
        log.exception("OCR failed", extra={"attachment": str(attachment_id)})
        return ""
    if text:
        Attachment.objects.filter(pk=attachment.pk).update(ocr_text=text[:200_000], ocr_search=fold(text)[:200_000])
    return text


def schedule_ocr(attachment: Attachment) -> None:
    """Run OCR for a digitised attachment once the surrounding transaction has committed."""
    if ocr_enabled() and attachment.content_type in {"application/pdf", "image/jpeg", "image/png"}:
        effects.schedule(effects.RECOGNISE_TEXT, str(attachment.pk))
