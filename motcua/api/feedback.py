"""Ratings and petitions (phản ánh, kiến nghị): the contract's "Ratings and petitions (PAKN)"."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import File, Router
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.utils import check_csrf
from pydantic import BaseModel

from motcua.accounts.selectors import Actor, actor_for, system_actor
from motcua.core.errors import NotFound
from motcua.documents.storage import open_stored
from motcua.dossiers.selectors import dossier_visible
from motcua.feedback.selectors import (
    attachment_representation,
    petition_events,
    petition_get,
    petition_list,
    petition_representation,
    public_petition_get,
    public_petitions,
    public_representation,
    rating_get,
    rating_representation,
)
from motcua.feedback.services import (
    Contact,
    Upload,
    petition_attachment_add,
    petition_create,
    petition_perform,
    petition_rate_check,
    rating_submit,
)

from .auth import BearerAuth
from .common import AUTH, actor_of, page_bounds
from .schemas import Error, UnitRef

router = Router(tags=["feedback"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error}


class OptionalActorAuth(BearerAuth):
    """A bearer token when one is sent (a wrong one is 401), else the logged-in session (with its
    CSRF check), else an anonymous caller."""

    def __call__(self, request: HttpRequest) -> Actor | None:
        if request.headers.get("Authorization"):
            return super().__call__(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if check_csrf(request):
                raise HttpError(403, "CSRF check Failed")
            return actor_for(user)
        return Actor(user=None)


OPTIONAL_AUTH = [OptionalActorAuth()]


# -- ratings ----------------------------------------------------------------------------------------


class RatingIn(BaseModel):
    overall: str
    criteria: dict[str, Any]
    comment: str | None = None


class CriteriaOut(BaseModel):
    attitude: str
    timeliness: str
    clarity: str


class RatedOfficialOut(BaseModel):
    username: str
    full_name: str
    unit: str | None


class RatingOut(BaseModel):
    dossier: str
    overall: str
    criteria: CriteriaOut
    comment: str | None
    channel: str
    created_at: str
    officials: list[RatedOfficialOut]


@router.post("/dossiers/{code}/rating", response={201: RatingOut, **ERRORS}, auth=AUTH)
def dossier_rate(request: HttpRequest, code: str, body: RatingIn) -> tuple[int, dict[str, Any]]:
    """The applicant rates a resolved or returned dossier, once (409 `not_finished`, `already_rated`)."""
    actor = actor_of(request)
    dossier_visible(actor, code)  # 404 for those who may not see it
    rating_submit(actor=actor, code=code, overall=body.overall, criteria=body.criteria, comment=body.comment or "",
                  channel="api")
    rating = rating_get(code)
    assert rating is not None
    return 201, rating_representation(rating)


@router.get("/dossiers/{code}/rating", response={200: RatingOut, **ERRORS}, auth=AUTH)
def dossier_rating(request: HttpRequest, code: str) -> dict[str, Any]:
    dossier_visible(actor_of(request), code)
    rating = rating_get(code)
    if rating is None:
        raise NotFound("not_found", "Hồ sơ chưa được đánh giá.")
    return rating_representation(rating)


# -- petitions --------------------------------------------------------------------------------------


class ContactIn(BaseModel):
    name: str = ""
    phone: str = ""
    email: str | None = None


class PetitionActionIn(BaseModel):
    reason: str | None = None
    note: str | None = None
    answer: str | None = None
    public: Any = None
    unit: str | None = None


class PetitionIn(BaseModel):
    category: str
    title: str
    content: str
    unit: str | None = None
    dossier: str | None = None
    contact: ContactIn | None = None


class DeadlinesOut(BaseModel):
    decide_by: str
    answer_by: str
    publish_by: str | None
    request_info_by: str


class ContactOut(BaseModel):
    name: str
    phone: str
    email: str | None


class PetitionAttachmentOut(BaseModel):
    id: str
    name: str
    size: int
    sha256: str
    content_type: str
    uploaded_at: str


class PetitionOut(BaseModel):
    id: int
    code: str
    category: str
    title: str
    content: str
    unit: UnitRef
    dossier: str | None
    status: str
    received_at: str
    deadlines: DeadlinesOut
    answered_at: str | None
    answer: str | None
    overdue: bool
    current_deadline: str | None
    public: bool
    published_at: str | None
    refusal_reason: str | None
    info_request: str | None
    attachments: list[PetitionAttachmentOut]
    available_actions: list[str]
    contact: ContactOut | None = None


class PetitionList(BaseModel):
    items: list[PetitionOut]
    count: int


class PublicPetitionOut(BaseModel):
    id: int
    code: str
    category: str
    title: str
    content: str
    unit: UnitRef
    received_at: str
    answered_at: str | None
    answer: str
    published_at: str | None


class PublicPetitionList(BaseModel):
    items: list[PublicPetitionOut]
    count: int


class PetitionEventOut(BaseModel):
    at: str
    action: str
    from_status: str | None
    to_status: str
    actor: dict[str, Any]
    note: str
    data: dict[str, Any]


class PetitionEventList(BaseModel):
    items: list[PetitionEventOut]
    count: int


def _full(request: HttpRequest, petition_id: Any) -> dict[str, Any]:
    actor = actor_of(request)
    return petition_representation(petition_get(actor, petition_id), actor=actor)


@router.post("/petitions", response={201: PetitionOut, 429: Error, **ERRORS}, auth=OPTIONAL_AUTH)
def petition_submit(request: HttpRequest, body: PetitionIn) -> tuple[int, dict[str, Any]]:
    """File a petition, with a citizen's token or none. Without `unit`, a petition about a dossier
    goes to the dossier's handling unit. Limited per address and per contact phone (429)."""
    actor = actor_of(request)
    contact = Contact(**body.contact.model_dump(exclude_none=True)) if body.contact else None
    phone = contact.phone if contact and contact.phone else (actor.user.phone if actor.is_citizen and actor.user else "")
    petition_rate_check(address=request.META.get("REMOTE_ADDR", ""), phone=phone)
    petition = petition_create(actor=actor, category=body.category, title=body.title, content=body.content,
                               unit_code=body.unit or "", dossier_code=body.dossier, contact=contact, channel="api")
    return 201, petition_representation(petition, actor=actor)


@router.get("/petitions", response={200: PetitionList, **ERRORS}, auth=AUTH)
def petitions_list(request: HttpRequest, status: str | None = None, overdue: bool | None = None,
                   unit: str | None = None, q: str | None = None, page: int = 1,
                   page_size: int = 20) -> dict[str, Any]:
    """Officials: the petitions of their units and those below; citizens: their own."""
    start, end = page_bounds(page, page_size)
    actor = actor_of(request)
    qs = petition_list(actor, status=status, overdue=overdue, unit=unit, q=q).prefetch_related("attachments")
    return {"items": [petition_representation(p, actor=actor) for p in qs[start:end]], "count": qs.count()}


@router.get("/petitions/{petition_id}", response={200: PetitionOut, **ERRORS}, auth=AUTH)
def petition_detail(request: HttpRequest, petition_id: str) -> dict[str, Any]:
    return _full(request, petition_id)


@router.get("/petitions/{petition_id}/events", response={200: PetitionEventList, **ERRORS}, auth=AUTH)
def petition_history(request: HttpRequest, petition_id: str) -> dict[str, Any]:
    items = petition_events(petition_get(actor_of(request), petition_id))
    return {"items": items, "count": len(items)}


@router.post("/petitions/{petition_id}/actions/{action}", response={200: PetitionOut, **ERRORS}, auth=AUTH)
def petition_action(request: HttpRequest, petition_id: str, action: str,
                    body: PetitionActionIn | None = None) -> dict[str, Any]:
    """`accept`, `refuse` [reason], `request-info` [note], `answer` [answer, public], `publish`,
    `transfer` [unit, note] by the unit's officials; `provide-info` [note] by the sender."""
    actor = actor_of(request)
    petition = petition_get(actor, petition_id)
    payload = body.model_dump(exclude_none=True) if body else {}
    done = petition_perform(actor=actor, petition_id=petition.pk, action=action, body=payload,
                            expected_version=petition.row_version)
    # Read back as the actor acted on it (after a transfer they no longer see it in lists).
    return petition_representation(petition_get(system_actor(), done.pk), actor=actor)


@router.post("/petitions/{petition_id}/attachments", response={201: PetitionAttachmentOut, 413: Error, 415: Error,
                                                               **ERRORS}, auth=AUTH)
def petition_attachment_upload(request: HttpRequest, petition_id: str,
                               file: UploadedFile = File(...)) -> tuple[int, dict[str, Any]]:
    actor = actor_of(request)
    petition = petition_get(actor, petition_id)
    row = petition_attachment_add(actor=actor, petition_id=petition.pk,
                                  upload=Upload(filename=file.name or "tep", chunks=file.chunks()))
    return 201, attachment_representation(row)


@router.get("/petitions/{petition_id}/attachments/{attachment_id}", response={200: None, **ERRORS}, auth=AUTH)
def petition_attachment_download(request: HttpRequest, petition_id: str, attachment_id: str) -> FileResponse:
    petition = petition_get(actor_of(request), petition_id)
    row = next((a for a in petition.attachments.all() if str(a.id) == attachment_id), None)
    if row is None:
        raise NotFound("not_found", "Không tìm thấy tệp đính kèm.")
    response = FileResponse(open_stored(row.sha256).open("rb"), content_type=row.content_type, as_attachment=True,
                            filename=row.name)
    response["X-Content-SHA256"] = row.sha256
    return response


@router.get("/public/petitions", response={200: PublicPetitionList, 400: Error}, auth=None)
def petitions_public(request: HttpRequest, unit: str | None = None, q: str | None = None, page: int = 1,
                     page_size: int = 20) -> dict[str, Any]:
    """Published petitions and their answers, searchable with or without diacritics; no contact data
    (phones, e-mails, ID numbers and the sender's name are masked in the texts)."""
    start, end = page_bounds(page, page_size)
    qs = public_petitions(unit=unit, q=q)
    return {"items": [public_representation(p) for p in qs[start:end]], "count": qs.count()}


@router.get("/public/petitions/{code}", response={200: PublicPetitionOut, 404: Error}, auth=None)
def petition_public(request: HttpRequest, code: str) -> dict[str, Any]:
    return public_representation(public_petition_get(code))
