"""Dossier endpoints: create, read, list, attachments, actions, events, public lookup."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import File, Form, Router
from ninja.files import UploadedFile

from motcua.core.errors import NotFound, ValidationFailed
from motcua.documents.responses import stored_file_response
from motcua.dossiers.selectors import (
    attachment_get,
    attachment_representation,
    consultation_representation,
    dossier_consultations,
    dossier_list,
    dossier_page,
    dossier_page_counted,
    dossier_public,
    dossier_view,
    dossier_visible,
    dossier_visible_id,
    event_views,
)
from motcua.dossiers.services import ApplicantData, DocumentReceived, attachment_add, dossier_perform, dossier_receive
from motcua.dossiers.worklists import WORKLIST_NAMES, WORKLISTS, worklist, worklist_counts, worklist_shape
from motcua.workflow.domain import STATUS_NAMES

from .common import AUTH, actor_of, page_bounds
from .fast import json_response
from .schemas import (
    ActionIn,
    AttachmentOut,
    DossierDetailOut,
    DossierIn,
    DossierList,
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


@router.post("/dossiers", response={201: DossierDetailOut, **ERRORS}, auth=AUTH)
def dossier_submit(request: HttpRequest, body: DossierIn) -> HttpResponse:
    actor = actor_of(request)
    applicant = ApplicantData(**body.applicant.model_dump()) if body.applicant else None
    documents = (None if body.received_documents is None
                 else [DocumentReceived(code, on_paper=True) for code in body.received_documents])
    dossier = dossier_receive(
        actor=actor, procedure_code=body.procedure, channel=body.channel, receiving_unit_code=body.receiving_unit,
        applicant=applicant, form_data=body.form_data, sets=body.sets, result_delivery=body.result_delivery,
        handling_unit_code=body.handling_unit, documents=documents,
    )
    return json_response(DossierDetailOut, dossier_view(actor, dossier.code), status=201)


@router.get("/dossiers", response={200: DossierList, **ERRORS}, auth=AUTH)
def dossiers_list(request: HttpRequest, status: int | None = None, procedure: str | None = None,
                  unit: str | None = None, overdue: bool | None = None, q: str | None = None,
                  page: int = 1, page_size: int = 20) -> HttpResponse:
    start, end = page_bounds(page, page_size)
    if status is not None and status not in STATUS_NAMES:
        raise ValidationFailed("invalid_status", "Trạng thái phải từ 1 đến 10.")
    qs = dossier_list(actor_of(request), status=status, procedure=procedure, unit=unit, overdue=overdue, q=q)
    return json_response(DossierList, {"items": dossier_page(qs, start, end), "count": qs.count()})


@router.get("/dossiers/{code}", response={200: DossierDetailOut, **ERRORS}, auth=AUTH)
def dossier_detail(request: HttpRequest, code: str) -> HttpResponse:
    return json_response(DossierDetailOut, dossier_view(actor_of(request), code))


@router.get("/dossiers/{code}/events", response={200: EventList, **ERRORS}, auth=AUTH)
def dossier_event_list(request: HttpRequest, code: str) -> HttpResponse:
    items = event_views(dossier_visible_id(actor_of(request), code))
    return json_response(EventList, {"items": items, "count": len(items)})


@router.post("/dossiers/{code}/actions/{action}", response={200: DossierDetailOut, **ERRORS}, auth=AUTH)
def dossier_action(request: HttpRequest, code: str, action: str,
                   body: ActionIn | None = None) -> HttpResponse:  # type: ignore[valid-type]
    actor = actor_of(request)
    seen = dossier_visible(actor, code)  # 404 when the caller may not see it
    payload = body.model_dump(exclude_none=True) if body else {}  # type: ignore[attr-defined]
    # Without If-Match the version read here is the one acted upon: if another desk changes the
    # dossier between this read and the row lock, the caller gets 409 stale_dossier.
    expected = _expected_version(request) or seen.row_version
    dossier_perform(actor=actor, code=code, action=action, body=payload, expected_version=expected)
    return json_response(DossierDetailOut, dossier_view(actor, code))


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
    attachment = attachment_get(dossier_visible(actor_of(request), code), attachment_id)
    return stored_file_response(attachment.sha256, attachment.content_type, attachment.name)


@router.get("/public/dossiers/{code}", response={200: PublicDossierOut, 404: Error, 429: Error}, auth=None)
def public_dossier_lookup(request: HttpRequest, code: str, verify: str = "") -> HttpResponse:
    return json_response(PublicDossierOut, dossier_public(code, verify.strip(),
                                                          address=request.META.get("REMOTE_ADDR", "")))


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
    items = [consultation_representation(c) for c in dossier_consultations(dossier_visible(actor_of(request), code))]
    return {"items": items, "count": len(items)}
