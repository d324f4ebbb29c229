"""Attachments: the file is stored (content-addressed, atomic rename) and its row written in the
dossier's transaction; if the row cannot be written the file is removed again."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Sum

from motcua.accounts.selectors import Actor
from motcua.audit.services import audit_record
from motcua.core import clock
from motcua.core.errors import Forbidden, TooLarge, ValidationFailed
from motcua.core.text import nfc
from motcua.documents.storage import discard_if_unused, store_stream

from ..models import Attachment, DossierRoute
from .common import lock_dossier

APPLICANT_UPLOAD_STATUSES = {1, 5}
FINAL = {3, 7, 8, 10}


def attachment_add(*, actor: Actor, code: str, document: str, filename: str, chunks: Iterable[bytes],
                   kind: str = "input", at: datetime | None = None) -> Attachment:
    at = clock.local(at or clock.now())
    stored = store_stream(chunks)
    try:
        with transaction.atomic():
            dossier = lock_dossier(code)
            is_applicant = actor.user is not None and dossier.applicant_user_id == actor.user.pk
            on_route = DossierRoute.objects.filter(dossier=dossier, unit_id__in=actor.unit_ids()).exists()
            if is_applicant and not on_route:
                if dossier.status not in APPLICANT_UPLOAD_STATUSES:
                    raise Forbidden("forbidden", "Chỉ nộp thêm tệp khi hồ sơ mới đăng ký hoặc đang chờ bổ sung.")
            elif not (on_route or actor.system):
                raise Forbidden("forbidden", "Bạn không có quyền đính kèm tệp vào hồ sơ này.")
            if dossier.status in FINAL:
                raise Forbidden("dossier_closed", "Hồ sơ đã kết thúc.")
            documents = {d["code"] for d in dossier.procedure_version.documents}
            if kind == "input" and document not in documents:
                raise ValidationFailed("unknown_document", f"Thủ tục không có thành phần hồ sơ mã {document!r}.",
                                       details={"document": document, "known": sorted(documents)})
            used = dossier.attachments.aggregate(total=Sum("size"))["total"] or 0
            limit = int(settings.MOTCUA["MAX_DOSSIER_BYTES"])
            if used + stored.size > limit:
                raise TooLarge("dossier_too_large", "Tổng dung lượng tệp của hồ sơ vượt quá giới hạn.",
                               details={"max_bytes": limit})
            name = nfc((filename or "tep").replace("/", "_").replace("\\", "_"))[:255]
            attachment = Attachment.objects.create(
                dossier=dossier, document=document, kind=kind, name=name, size=stored.size, sha256=stored.sha256,
                content_type=stored.content_type, uploaded_by=actor.user, uploaded_at=at,
            )
            # Attachments are not hand-overs: they go to the audit trail, not the event history.
            audit_record(actor=actor, action="dossier.attach", obj=dossier, at=at,
                         data={"attachment": str(attachment.id), "document": document,
                               "sha256": stored.sha256, "size": stored.size})
            return attachment
    except BaseException:
        discard_if_unused(stored.sha256, Attachment.objects.filter(sha256=stored.sha256).exists())
        raise
