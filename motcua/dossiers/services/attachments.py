"""Attachments. The upload is streamed to the staging area and checked (size, type by content,
viruses) before any lock is taken; then, in one transaction on the locked dossier, the permission,
the requirement code and the dossier's total size are checked, the file is published under its
SHA-256 and the row and its audit entry are written. A refused upload therefore leaves nothing behind, and a
crash after the publish leaves only an unreferenced file that the cleanup job removes
(motcua.documents.cleanup): never a row without its file."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import datetime
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from motcua.accounts.selectors import Actor
from motcua.audit.services import audit_record
from motcua.core import clock
from motcua.core.errors import DomainError, Forbidden, NotFound, TooLarge, ValidationFailed
from motcua.core.text import nfc
from motcua.documents.models import UploadSession
from motcua.documents.pdfgen import images_to_pdf
from motcua.documents.storage import Staged, publish, stage
from motcua.documents.uploads import part_path, upload_session_chunks, upload_session_discard, upload_session_ready
from motcua.workflow.domain import FINAL, Status

from ..models import Attachment, Dossier, DossierRoute
from .common import lock_dossier
from .ocr import schedule_ocr

# The applicant adds files while the dossier is being submitted or completed.
APPLICANT_UPLOAD_STATUSES = frozenset({Status.SUBMITTED, Status.SUPPLEMENT})


def clean_filename(filename: str | None, default: str = "tep") -> str:
    name = nfc(filename or "").replace("/", "_").replace("\\", "_")
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip(" .")
    return (name or default)[:255]


def is_official_on_route(actor: Actor, dossier: Dossier) -> bool:
    return actor.system or DossierRoute.objects.filter(dossier=dossier, unit_id__in=actor.unit_ids()).exists()


def check_can_attach(actor: Actor, dossier: Dossier) -> bool:
    """Raise unless the actor may add a file to the dossier now; return whether they act as an
    official on its route (rather than as the applicant)."""
    is_applicant = actor.user is not None and dossier.applicant_user_id == actor.user.pk
    on_route = is_official_on_route(actor, dossier)
    if is_applicant and not on_route:
        if dossier.status not in APPLICANT_UPLOAD_STATUSES:
            raise Forbidden("forbidden", _("Chỉ nộp thêm tệp khi hồ sơ mới đăng ký hoặc đang chờ bổ sung."))
    elif not on_route:
        raise Forbidden("forbidden", _("Bạn không có quyền đính kèm tệp vào hồ sơ này."))
    if dossier.status in FINAL:
        raise Forbidden("dossier_closed", _("Hồ sơ đã kết thúc."))
    return on_route


def check_document(dossier: Dossier, document: str) -> None:
    documents = {d["code"] for d in dossier.procedure_version.documents}
    if document not in documents:
        raise ValidationFailed("unknown_document", _("Thủ tục không có thành phần hồ sơ mã %(code)s.") % {"code": document},
                               details={"document": document, "known": sorted(documents)})


def check_dossier_room(dossier: Dossier, size: int) -> None:
    used = Attachment.objects.filter(dossier=dossier).aggregate(total=Sum("size"))["total"] or 0
    limit = int(str(settings.MOTCUA["MAX_DOSSIER_BYTES"]))
    if used + size > limit:
        raise TooLarge("dossier_too_large", _("Tổng dung lượng tệp của hồ sơ vượt quá giới hạn (%(size)s MB).")
                       % {"size": f"{limit / (1024 * 1024):g}"}, details={"max_bytes": limit, "used_bytes": used})


def attachment_write(*, dossier: Dossier, actor: Actor, staged: Staged | None, document: str, name: str,
                     at: datetime, kind: str = "input", sha256: str = "", size: int = 0, content_type: str = "",
                     attachment_id: Any = None, event_data: dict[str, Any] | None = None,
                     **fields: Any) -> Attachment:
    """Publish a staged file (if any) and write its row and event. Call inside the transaction
    that holds the dossier lock, after every check that could refuse the file."""
    if staged is not None:
        publish(staged)
        sha256, size, content_type = staged.sha256, staged.size, staged.content_type
    extra = {"id": attachment_id} if attachment_id is not None else {}
    attachment = Attachment.objects.create(
        dossier=dossier, document=document, kind=kind, name=name, size=size, sha256=sha256,
        content_type=content_type, uploaded_by=actor.user, uploaded_at=at, **extra, **fields,
    )
    # Attachments are not hand-overs: they go to the audit trail, not the event history (Mẫu 05).
    audit_record(actor=actor, action="dossier.attach", obj=dossier, at=at,
                 data={"attachment": str(attachment.id), "document": document, "kind": kind, "sha256": sha256,
                       "size": size, **(event_data or {})})
    return attachment


def digitised_fields(actor: Actor, at: datetime) -> dict[str, Any]:
    user = actor.user
    return {"digitised_by": user, "digitised_at": at,
            "digitised_by_username": user.username if user else "system",
            "digitised_by_name": (user.full_name or user.username) if user else "Hệ thống"}


def attachment_add(*, actor: Actor, code: str, document: str, filename: str, chunks: Iterable[bytes],
                   kind: str = "input", digitised: bool = False, at: datetime | None = None) -> Attachment:
    """Add an input file. `digitised=True` records that an official scanned it from paper at the
    desk (who and when); only officials on the dossier's route may say so."""
    at = clock.local(at or clock.now())
    with stage(chunks) as staged, transaction.atomic():
        dossier = lock_dossier(code)
        on_route = check_can_attach(actor, dossier)
        if digitised and not on_route:
            raise Forbidden("forbidden", _("Chỉ cán bộ tiếp nhận, xử lý hồ sơ mới đánh dấu tài liệu được số hóa."))
        if kind == "input":
            check_document(dossier, document)
        check_dossier_room(dossier, staged.size)
        fields = digitised_fields(actor, at) if digitised else {}
        attachment = attachment_write(dossier=dossier, actor=actor, staged=staged, document=document, kind=kind,
                                      name=clean_filename(filename), at=at, event_data={"digitised": digitised},
                                      **fields)
        if digitised:
            schedule_ocr(attachment)
        return attachment


def attachment_scan(*, actor: Actor, code: str, document: str, images: list[IO[bytes]], filename: str = "",
                    at: datetime | None = None) -> Attachment:
    """Pages scanned at the desk (JPEG/PNG, in order) → one PDF attached as a digitised input."""
    total = 0
    limit = int(str(settings.MOTCUA["MAX_DOSSIER_BYTES"]))
    for image in images:
        image.seek(0, 2)
        total += image.tell()
        image.seek(0)
    if total > limit:
        raise TooLarge("dossier_too_large", _("Tổng dung lượng ảnh quét vượt quá giới hạn."), details={"max_bytes": limit})
    pdf = images_to_pdf(images)
    name = clean_filename(filename, default=f"{document}-so-hoa")
    if not name.lower().endswith(".pdf"):
        name = f"{name}.pdf"
    return attachment_add(actor=actor, code=code, document=document, filename=name,
                          chunks=[pdf[i:i + 1024 * 1024] for i in range(0, len(pdf), 1024 * 1024)],
                          digitised=True, at=at)


def attachment_from_upload(*, actor: Actor, session_id: Any, at: datetime | None = None) -> Attachment:
    """Finish a resumable upload: the assembled file goes through `attachment_add`. The session
    row is locked, so two concurrent finishes make one attachment. A file refused for its content
    or a limit (or a dossier that refuses it) ends the session; nothing is left behind."""
    session = None
    try:
        with transaction.atomic():
            session = UploadSession.objects.select_for_update().filter(
                id=session_id, user=actor.user, expires_at__gt=clock.now()).first()
            if session is None:
                raise NotFound("not_found", _("Không tìm thấy lượt tải tệp (có thể đã hết hạn)."))
            upload_session_ready(session)
            attachment = attachment_add(actor=actor, code=session.dossier_code, document=session.document,
                                        filename=session.filename, chunks=upload_session_chunks(session),
                                        digitised=session.digitised, at=at)
            UploadSession.objects.filter(id=session.id).delete()
    except DomainError as exc:
        if session is not None and exc.code != "upload_incomplete" and exc.status in {400, 403, 404, 413, 415}:
            upload_session_discard(session)
        raise
    part_path(session.id).unlink(missing_ok=True)
    return attachment
