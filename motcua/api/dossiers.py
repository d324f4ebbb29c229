"""Dossier endpoints: create, read, list, attachments, actions, events, public lookup."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import File, Form, Router
from ninja.files import UploadedFile

from motcua.core import clock
from motcua.core.errors import NotFound, RateLimited, ValidationFailed
from motcua.core.ratelimit import count_hit
from motcua.documents.storage import open_stored
from motcua.dossiers.selectors import (
    attachment_get,
    attachment_representation,
    dossier_list,
    dossier_page,
    dossier_page_counted,
    dossier_public,
    dossier_view,
    dossier_visible,
    dossier_visible_id,
    event_views,
)
from motcua.dossiers.services import ApplicantData, attachment_add, dossier_create, dossier_perform
from motcua.dossiers.services.steps import consultation_representation
from motcua.dossiers.worklists import WORKLIST_NAMES, WORKLISTS, worklist, worklist_counts, worklist_shape

from .common import AUTH, actor_of, page_bounds
from .fast import json_response
from .schemas import (
    ActionIn,
    AttachmentOut,
    DossierIn,
    DossierList,
    DossierOut,
    Error,
    EventList,
    PublicDossierOut,
)

router = Router(tags=["dossiers"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error}


def _expected_version(request: HttpRequest) -> int | None:
    value = request.headers.get("If-Match", "").strip().strip('"').removeprefix("W/").strip('"')
    if not value:
        return None
    if not value.isdigit():
        raise ValidationFailed("invalid_if_match", "If-Match phải là số phiên bản của hồ sơ.")
    return int(value)


@router.post("/dossiers", response={201: DossierOut, **ERRORS}, auth=AUTH)
def dossier_submit(request: HttpRequest, body: DossierIn) -> HttpResponse:
    actor = actor_of(request)
    applicant = ApplicantData(**body.applicant.model_dump()) if body.applicant else None
    dossier = dossier_create(
        actor=actor, procedure_code=body.procedure, channel=body.channel, receiving_unit_code=body.receiving_unit,
        applicant=applicant, form_data=body.form_data, sets=body.sets, result_delivery=body.result_delivery,
        handling_unit_code=body.handling_unit,
    )
    return json_response(DossierOut, dossier_view(actor, dossier.code), status=201)


@router.get("/dossiers", response={200: DossierList, **ERRORS}, auth=AUTH)
def dossiers_list(request: HttpRequest, status: int | None = None, procedure: str | None = None,
                  unit: str | None = None, overdue: bool | None = None, q: str | None = None,
                  page: int = 1, page_size: int = 20) -> HttpResponse:
    start, end = page_bounds(page, page_size)
    if status is not None and not 1 <= status <= 10:
        raise ValidationFailed("invalid_status", "Trạng thái phải từ 1 đến 10.")
    qs = dossier_list(actor_of(request), status=status, procedure=procedure, unit=unit, overdue=overdue, q=q)
    return json_response(DossierList, {"items": dossier_page(qs, start, end), "count": qs.count()})


@router.get("/dossiers/{code}", response={200: DossierOut, **ERRORS}, auth=AUTH)
def dossier_detail(request: HttpRequest, code: str) -> HttpResponse:
    return json_response(DossierOut, dossier_view(actor_of(request), code))


@router.get("/dossiers/{code}/events", response={200: EventList, **ERRORS}, auth=AUTH)
def dossier_event_list(request: HttpRequest, code: str) -> HttpResponse:
    items = event_views(dossier_visible_id(actor_of(request), code))
    return json_response(EventList, {"items": items, "count": len(items)})


@router.post("/dossiers/{code}/actions/{action}", response={200: DossierOut, **ERRORS}, auth=AUTH)
def dossier_action(request: HttpRequest, code: str, action: str, body: ActionIn | None = None) -> HttpResponse:
    actor = actor_of(request)
    seen = dossier_visible(actor, code)  # 404 when the caller may not see it
    payload = body.model_dump(exclude_none=True) if body else {}
    # Without If-Match the version read here is the one acted upon: if another desk changes the
    # dossier between this read and the row lock, the caller gets 409 stale_dossier.
    expected = _expected_version(request) or seen.row_version
    dossier_perform(actor=actor, code=code, action=action, body=payload, expected_version=expected)
    return json_response(DossierOut, dossier_view(actor, code))


@router.post("/dossiers/{code}/attachments", response={201: AttachmentOut, 413: Error, 415: Error, **ERRORS},
             auth=AUTH)
def dossier_attachment_upload(request: HttpRequest, code: str, document: str = Form(...),
                              file: UploadedFile = File(...), digitised: bool = Form(False)) -> tuple[int, dict[str, Any]]:
    actor = actor_of(request)
    dossier_visible(actor, code)
    attachment = attachment_add(actor=actor, code=code, document=document, filename=file.name or "tep",
                                chunks=file.chunks(), digitised=digitised)
    return 201, attachment_representation(attachment)


@router.get("/dossiers/{code}/attachments/{attachment_id}", response={200: None, **ERRORS}, auth=AUTH)
def dossier_attachment_download(request: HttpRequest, code: str, attachment_id: str) -> FileResponse:
    dossier = dossier_visible(actor_of(request), code)
    try:
        import uuid

        uuid.UUID(attachment_id)
    except ValueError as exc:
        from motcua.core.errors import NotFound

        raise NotFound("not_found", "Không tìm thấy tệp đính kèm.") from exc
    attachment = attachment_get(dossier, attachment_id)
    response = FileResponse(open_stored(attachment.sha256).open("rb"), content_type=attachment.content_type,
                            as_attachment=True, filename=attachment.name)
    response["X-Content-SHA256"] = attachment.sha256
    return response


@router.get("/public/dossiers/{code}", response={200: PublicDossierOut, 404: Error, 429: Error}, auth=None)
def public_dossier_lookup(request: HttpRequest, code: str, verify: str = "") -> HttpResponse:
    address = request.META.get("REMOTE_ADDR", "")
    minute = clock.now().strftime("%Y%m%d%H%M")
    key = f"lookup:{address}:{minute}"
    count = count_hit(key, timeout=120)
    if count > int(settings.MOTCUA["PUBLIC_LOOKUPS_PER_MINUTE"]):
        raise RateLimited("rate_limited", "Quá nhiều lượt tra cứu; vui lòng thử lại sau một phút.")
    return json_response(PublicDossierOut, dossier_public(code, verify.strip()))


@router.get("/worklists", response={200: dict[str, Any], **ERRORS}, auth=AUTH)
def worklists_overview(request: HttpRequest) -> dict[str, Any]:
    """Counts of every worklist of the caller (officials)."""
    counts = worklist_counts(actor_of(request))
    return {"items": [{"key": k, "name": WORKLIST_NAMES[k], "count": v} for k, v in counts.items()],
            "count": len(counts)}


@router.get("/worklists/{name}", response={200: DossierList, **ERRORS}, auth=AUTH)
def worklist_items(request: HttpRequest, name: str, page: int = 1, page_size: int = 20) -> HttpResponse:
    """One worklist: to_check, my_steps, due_soon, overdue, at_risk, paused, to_return, consultations."""
    if name not in WORKLISTS:
        raise NotFound("not_found", f"Không có danh sách {name!r}.")
    start, end = page_bounds(page, page_size)
    actor = actor_of(request)
    items, count = dossier_page_counted(lambda: worklist(actor, name), start, end,
                                        shape=worklist_shape(actor, name))
    return json_response(DossierList, {"items": items, "count": count})


@router.get("/dossiers/{code}/consultations", response={200: dict[str, Any], **ERRORS}, auth=AUTH)
def dossier_consultation_list(request: HttpRequest, code: str) -> dict[str, Any]:
    dossier = dossier_visible(actor_of(request), code)
    rows = dossier.consultations.select_related("unit", "asked_by", "answered_by").order_by("asked_at", "id")
    items = [consultation_representation(c) for c in rows]
    return {"items": items, "count": len(items)}
