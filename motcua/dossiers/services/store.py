"""The citizen's document store (kho dữ liệu): the digitised inputs and the results of a person's
earlier dossiers, reusable in a new dossier with one call. A reuse writes a new attachment row that
points at the same stored file and records where it came from (`reused_from`), which the 766 index
counts; nothing is copied or uploaded again.

A person's dossiers are those they submitted with their account and those received at a desk under
their personal ID number.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from motcua.accounts.selectors import Actor
from motcua.core import clock
from motcua.core.errors import Conflict, Forbidden, NotFound
from motcua.documents.storage import backend

from ..models import Attachment, Dossier
from .attachments import attachment_write, check_can_attach, check_document, check_dossier_room, is_official_on_route
from .common import lock_dossier
from .results import REFUSAL_DOCUMENT


def document_store(*, user: Any = None, id_number: str = "", exclude_dossier: Dossier | None = None) -> QuerySet[Attachment]:
    """Reusable documents of one person (by account and/or personal ID number), newest first."""
    owner = Q(pk__in=[])
    if user is not None:
        owner |= Q(dossier__applicant_user=user)
        id_number = id_number or (user.id_number or "")
    if id_number:
        owner |= Q(dossier__applicant_id_number=id_number)
    qs = (Attachment.objects.filter(owner)
          .filter(Q(kind="result") | Q(digitised_at__isnull=False))
          .exclude(document=REFUSAL_DOCUMENT)
          .filter(reused_attachment__isnull=True))
    if exclude_dossier is not None:
        qs = qs.exclude(dossier=exclude_dossier)
    return qs.select_related("dossier", "dossier__procedure_version", "dossier__procedure").order_by("-uploaded_at", "-pk")


def document_store_for_dossier(dossier: Dossier, actor: Actor | None = None) -> QuerySet[Attachment]:
    """The store of a dossier's applicant (what may be reused in it). With `actor`, only for the
    applicant and officials on the dossier's route (a supervisor who may read the dossier may not
    browse the applicant's other documents)."""
    if actor is not None:
        is_applicant = actor.user is not None and dossier.applicant_user_id == actor.user.pk
        if not (is_applicant or is_official_on_route(actor, dossier)):
            raise Forbidden("forbidden", _("Chỉ người nộp hồ sơ và cán bộ xử lý hồ sơ được xem kho dữ liệu."))
    return document_store(user=dossier.applicant_user, id_number=dossier.applicant_id_number, exclude_dossier=dossier)


def attachment_reuse(*, actor: Actor, code: str, attachment_id: str, document: str,
                     at: datetime | None = None) -> Attachment:
    """Attach a document of the applicant's store to dossier `code` as requirement `document`."""
    at = clock.local(at or clock.now())
    with transaction.atomic():
        dossier = lock_dossier(code)
        check_can_attach(actor, dossier)
        check_document(dossier, document)
        source = document_store_for_dossier(dossier).filter(id=attachment_id).first()
        if source is None:
            raise NotFound("not_found", _("Không tìm thấy tài liệu này trong kho dữ liệu của người nộp hồ sơ."))
        if Attachment.objects.filter(dossier=dossier, reused_attachment=source, document=document).exists():
            raise Conflict("already_attached", _("Tài liệu này đã được dùng lại cho thành phần hồ sơ này."))
        if not backend().exists(source.sha256):  # pragma: no cover - the cleanup job reports such rows
            raise Conflict("file_missing", _("Tệp của tài liệu không còn trong kho lưu trữ."))
        check_dossier_room(dossier, source.size)
        return attachment_write(
            dossier=dossier, actor=actor, staged=None, document=document, kind="input", name=source.name, at=at,
            sha256=source.sha256, size=source.size, content_type=source.content_type,
            reused_from=source.dossier, reused_from_code=source.dossier.code, reused_attachment=source,
            signature=source.signature,
            event_data={"reused_from": source.dossier.code, "reused_attachment": str(source.id)},
        )
