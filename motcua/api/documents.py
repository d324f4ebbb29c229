"""Documents and results: resumable uploads, scans, the document store, result drafts, signature
checks (API), and the public check pages `/xac-thuc/` (server-rendered, wired in config/urls.py)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from ninja import File, Form, Router
from ninja.files import UploadedFile
from pydantic import AwareDatetime, BaseModel, Field

from motcua.core import clock
from motcua.core.errors import DomainError, NotFound, RateLimited
from motcua.core.ratelimit import count_hit
from motcua.documents.uploads import (
    session_representation,
    upload_session_append,
    upload_session_create,
    upload_session_discard,
    upload_session_get,
)
from motcua.dossiers.selectors import (
    attachment_representation,
    dossier_visible,
    draft_representation,
    result_draft_get,
    store_item_representation,
)
from motcua.dossiers.services import (
    attachment_from_upload,
    attachment_reuse,
    attachment_scan,
    document_store,
    document_store_for_dossier,
    result_check_stored,
    result_draft_upload,
    result_seal,
    result_verify,
)

from .common import AUTH, actor_of, page_bounds
from .schemas import AttachmentOut, Error

router = Router(tags=["documents"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error}
UPLOAD_ERRORS = {**ERRORS, 413: Error, 415: Error, 429: Error, 503: Error}


class ReuseIn(BaseModel):
    attachment: uuid.UUID
    document: Annotated[str, Field(min_length=1, max_length=32)]


class StoreItemOut(AttachmentOut):
    dossier: str
    procedure: dict[str, Any]
    finished_at: AwareDatetime | None = None


class StoreList(BaseModel):
    items: list[StoreItemOut]
    count: int


class DraftOut(BaseModel):
    id: str
    kind: str
    name: str
    size: int
    sha256: str
    content_type: str
    uploaded_at: AwareDatetime
    uploaded_by: str | None = None


class SignerOut(BaseModel):
    name: str
    signed_at: AwareDatetime | None = None
    intact: bool
    trusted: bool


class VerifyOut(BaseModel):
    signed: bool
    intact: bool
    trusted: bool
    signers: list[SignerOut]
    dossier: str | None = None


class UploadIn(BaseModel):
    dossier: Annotated[str, Field(min_length=1, max_length=40)]
    document: Annotated[str, Field(min_length=1, max_length=32)]
    filename: Annotated[str, Field(min_length=1, max_length=255)]
    size: int = Field(description="Total size of the file in bytes")
    sha256: str = Field("", description="Optional SHA-256 (hex) of the whole file, checked at the end")
    digitised: bool = Field(False, description="Scanned from paper at the desk (officials only)")


class UploadOut(BaseModel):
    id: str
    dossier: str
    document: str
    filename: str
    size: int
    offset: int = Field(description="Bytes received so far: the offset of the next piece")
    complete: bool
    digitised: bool
    expires_at: AwareDatetime


# --- attachments: reuse and scans -----------------------------------------------------------------

@router.post("/dossiers/{code}/attachments/reuse", response={201: AttachmentOut, 413: Error, **ERRORS}, auth=AUTH)
def dossier_attachment_reuse(request: HttpRequest, code: str, body: ReuseIn) -> tuple[int, dict[str, Any]]:
    """Attach a document from the applicant's document store (kho dữ liệu) without uploading it
    again; the new attachment records `reused_from`."""
    actor = actor_of(request)
    dossier_visible(actor, code)
    attachment = attachment_reuse(actor=actor, code=code, attachment_id=str(body.attachment), document=body.document)
    return 201, attachment_representation(attachment)


@router.post("/dossiers/{code}/attachments/scan", response={201: AttachmentOut, **UPLOAD_ERRORS}, auth=AUTH)
def dossier_attachment_scan(request: HttpRequest, code: str, document: str = Form(...), name: str = Form(""),
                            files: list[UploadedFile] = File(...)) -> tuple[int, dict[str, Any]]:
    """At the desk: page images (JPEG/PNG, in order) become one PDF attached as a digitised input."""
    actor = actor_of(request)
    dossier_visible(actor, code)
    attachment = attachment_scan(actor=actor, code=code, document=document, images=list(files), filename=name)
    return 201, attachment_representation(attachment)


@router.get("/dossiers/{code}/document-store", response={200: StoreList, **ERRORS}, auth=AUTH)
def dossier_document_store(request: HttpRequest, code: str) -> dict[str, Any]:
    """What may be reused in this dossier: the store of its applicant."""
    actor = actor_of(request)
    dossier = dossier_visible(actor, code)
    items = [store_item_representation(a) for a in document_store_for_dossier(dossier, actor)[:200]]
    return {"items": items, "count": len(items)}


@router.get("/me/documents", response={200: StoreList, 400: Error, 401: Error}, auth=AUTH)
def my_documents(request: HttpRequest, page: int = 1, page_size: int = 20) -> dict[str, Any]:
    """The caller's document store: digitised inputs and results of their earlier dossiers."""
    start, end = page_bounds(page, page_size)
    qs = document_store(user=actor_of(request).user)
    return {"items": [store_item_representation(a) for a in qs[start:end]], "count": qs.count()}


# --- results ------------------------------------------------------------------------------------

@router.post("/dossiers/{code}/result", response={201: DraftOut, **UPLOAD_ERRORS}, auth=AUTH)
def dossier_result_draft(request: HttpRequest, code: str, file: UploadedFile = File(...)) -> tuple[int, dict[str, Any]]:
    """The handler of the current step uploads the draft result (PDF); the leader's `resolve`
    with `approved` signs it and attaches it as the result."""
    actor = actor_of(request)
    dossier_visible(actor, code)
    draft = result_draft_upload(actor=actor, code=code, filename=file.name or "du-thao.pdf", chunks=file.chunks())
    return 201, draft_representation(draft)


@router.get("/dossiers/{code}/result", response={200: DraftOut, **ERRORS}, auth=AUTH)
def dossier_result_draft_get(request: HttpRequest, code: str) -> dict[str, Any]:
    actor = actor_of(request)
    dossier = dossier_visible(actor, code)
    if actor.is_citizen and dossier.applicant_user_id == actor.user.pk:  # type: ignore[union-attr]
        raise NotFound("not_found", "Chưa có dự thảo kết quả.")
    draft = result_draft_get(dossier)
    if draft is None:
        raise NotFound("not_found", "Chưa có dự thảo kết quả.")
    return draft_representation(draft)


@router.post("/dossiers/{code}/result/seal", response={200: AttachmentOut, **ERRORS}, auth=AUTH)
def dossier_result_seal(request: HttpRequest, code: str) -> dict[str, Any]:
    """Reception adds the unit's seal signature to the signed result (a second PAdES signature)."""
    actor = actor_of(request)
    dossier_visible(actor, code)
    return attachment_representation(result_seal(actor=actor, code=code))


@router.post("/verify", response={200: VerifyOut, 400: Error, 413: Error, 415: Error, 429: Error, 503: Error}, auth=None)
def verify_pdf(request: HttpRequest, file: UploadedFile = File(...)) -> dict[str, Any]:
    """Check the signatures of a PDF: present, signed bytes unmodified (and nothing changed after),
    signer chained to a trusted root, and which dossier it is the result of. Nothing is kept.
    At most MOTCUA["PUBLIC_VERIFICATIONS_PER_MINUTE"] (default 30) checks a minute from one address."""
    _verify_allowed(request)
    return result_verify(file.chunks())


def _verify_allowed(request: HttpRequest) -> None:
    address = request.META.get("REMOTE_ADDR", "")
    key = f"verify:{address}:{clock.now():%Y%m%d%H%M}"
    count = count_hit(key, timeout=120)
    if count > int(settings.MOTCUA.get("PUBLIC_VERIFICATIONS_PER_MINUTE", 30)):
        raise RateLimited("rate_limited", _("Quá nhiều lượt kiểm tra; vui lòng thử lại sau một phút."))


# --- resumable uploads ---------------------------------------------------------------------------

@router.post("/uploads", response={201: UploadOut, **UPLOAD_ERRORS}, auth=AUTH)
def upload_create(request: HttpRequest, body: UploadIn) -> tuple[int, dict[str, Any]]:
    """Start a resumable upload for a dossier's requirement. Then send the bytes with
    `PUT /uploads/{id}` (any number of pieces, each at the current `offset`), and finish with
    `POST /uploads/{id}/finish`. After a broken connection, `GET /uploads/{id}` tells the offset
    to continue from. Sessions expire after 24 hours."""
    actor = actor_of(request)
    dossier_visible(actor, body.dossier)
    session = upload_session_create(user=actor.user, dossier_code=body.dossier, document=body.document,
                                    filename=body.filename, size=body.size, sha256=body.sha256,
                                    digitised=body.digitised)
    return 201, session_representation(session)


@router.get("/uploads/{upload_id}", response={200: UploadOut, **ERRORS}, auth=AUTH)
def upload_status(request: HttpRequest, upload_id: uuid.UUID) -> dict[str, Any]:
    return session_representation(upload_session_get(user=actor_of(request).user, session_id=upload_id))


@router.put(
    "/uploads/{upload_id}", response={200: UploadOut, **UPLOAD_ERRORS}, auth=AUTH,
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/octet-stream": {
            "schema": {"type": "string", "format": "binary"}}}},
        "parameters": [{"in": "header", "name": "Upload-Offset", "required": False, "schema": {"type": "integer"},
                        "description": "Offset of this piece (or the `offset` query parameter); must equal the "
                                       "session's current `offset`, else 409 `offset_mismatch`."}],
    },
)
def upload_piece(request: HttpRequest, upload_id: uuid.UUID, offset: int | None = None) -> dict[str, Any]:
    """Append one piece (raw bytes, at most 8 MB) at `offset`. A piece cut short by a broken
    connection is discarded (400 `incomplete_chunk`); send it again from the same offset."""
    header = request.headers.get("Upload-Offset", "").strip()
    if offset is None:
        if not header.isdigit():
            raise DomainError("offset_required", "Thiếu vị trí ghi (tham số offset hoặc tiêu đề Upload-Offset).")
        offset = int(header)
    raw_length = request.META.get("CONTENT_LENGTH") or ""
    length = int(raw_length) if raw_length.isdigit() else None
    session = upload_session_append(user=actor_of(request).user, session_id=upload_id, offset=offset,
                                    stream=request, length=length)  # type: ignore[arg-type]
    return session_representation(session)


@router.post("/uploads/{upload_id}/finish", response={201: AttachmentOut, **UPLOAD_ERRORS}, auth=AUTH)
def upload_finish(request: HttpRequest, upload_id: uuid.UUID) -> tuple[int, dict[str, Any]]:
    """Check the assembled file like any upload and attach it; the session is removed. A file
    refused by content or limits also ends the session (nothing is left behind)."""
    attachment = attachment_from_upload(actor=actor_of(request), session_id=upload_id)
    return 201, attachment_representation(attachment)


@router.delete("/uploads/{upload_id}", response={204: None, **ERRORS}, auth=AUTH)
def upload_cancel(request: HttpRequest, upload_id: uuid.UUID) -> tuple[int, None]:
    upload_session_discard(upload_session_get(user=actor_of(request).user, session_id=upload_id))
    return 204, None


# --- public check pages (/xac-thuc/) ---------------------------------------------------------------

def page_verify_stored(request: HttpRequest, attachment_id: uuid.UUID) -> HttpResponse:
    """The page a result's QR code opens: the stored file's signatures, checked now."""
    try:
        context = result_check_stored(attachment_id)
    except NotFound:
        return render(request, "documents/verify_stored.html", {"missing": True}, status=404)
    return render(request, "documents/verify_stored.html", context)


@require_http_methods(["GET", "POST"])
def page_verify_upload(request: HttpRequest) -> HttpResponse:
    """Check an uploaded PDF: signatures valid, document unmodified, signer, dossier."""
    context: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["error"] = _("Vui lòng chọn tệp PDF cần kiểm tra.")
            status = 400
        else:
            try:
                _verify_allowed(request)
                result = result_verify(upload.chunks())
                for signer in result["signers"]:
                    signer["signed_at"] = datetime.fromisoformat(signer["signed_at"]) if signer["signed_at"] else None
                context["result"] = result
                context["filename"] = upload.name
            except DomainError as exc:
                context["error"] = exc.message
                status = exc.status
    return render(request, "documents/verify_upload.html", context, status=status)
