"""The applicant's dossiers: the list, the dossier page, supplements, withdrawal and downloads."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.calendar.selectors import work_calendar
from motcua.core.errors import DomainError, NotFound
from motcua.documents.responses import stored_file_response
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import (
    attachment_get,
    attachments_since,
    dossier_available_actions,
    dossier_events,
    dossier_get,
    dossier_list,
    due_if_received,
    result_rows,
)
from motcua.dossiers.services import attachment_add, dossier_supplement, dossier_withdraw
from motcua.workflow.domain import Action, Status

from .common import actor_of, citizen_required, form_error
from .forms import ReasonForm, SupplementForm
from .timeline import citizen_timeline, latest_supplement_request


def _own_dossier(request: HttpRequest, code: str) -> Dossier:
    """The applicant's own dossier, or 404 (officials use the desk)."""
    try:
        dossier = dossier_get(actor_of(request), code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if dossier.applicant_user_id != request.user.pk:
        raise Http404
    return dossier


@citizen_required
def my_dossiers(request: HttpRequest) -> HttpResponse:
    page = Paginator(dossier_list(actor_of(request)), 20).get_page(request.GET.get("trang"))
    return render(request, "portal/my_dossiers.html", {"page": page})


def _supplement_documents(dossier: Dossier, request_event: Any) -> list[dict[str, Any]]:
    """The documents to upload: those named in the request first, then the rest of the procedure's."""
    documents = list(dossier.procedure_version.documents)
    asked = [i.get("document") for i in (request_event.data.get("items", []) if request_event else [])]
    return sorted(documents, key=lambda d: (0 if d["code"] in asked else 1))


def _page(request: HttpRequest, dossier: Dossier, *, supplement_form: SupplementForm | None = None,
          withdraw_form: ReasonForm | None = None, status: int = 200) -> HttpResponse:
    events = dossier_events(dossier)
    request_event = latest_supplement_request(events) if dossier.status == Status.SUPPLEMENT else None
    attachments = list(dossier.attachments.all())
    since = request_event.at if request_event else None
    may = dossier_available_actions(actor_of(request), dossier)
    context = {
        "d": dossier, "timeline": citizen_timeline(dossier, events), "request_event": request_event,
        "inputs": [a for a in attachments if a.kind == "input"],
        "results": result_rows(attachments),
        "new_since_request": [a for a in attachments if since and a.uploaded_at >= since and a.kind == "input"],
        "documents": {d["code"]: d["name"] for d in dossier.procedure_version.documents},
        "can_withdraw": Action.WITHDRAW in may,
        "can_supplement": Action.SUPPLEMENT in may,
        "supplement_form": supplement_form or SupplementForm(
            documents=_supplement_documents(dossier, request_event)),
        "withdraw_form": withdraw_form or ReasonForm(auto_id="withdraw_%s"),
        "step": dossier.current_step(),
    }
    if dossier.status == Status.SUBMITTED:
        context["expected_due"] = due_if_received(dossier.procedure_version, "online", dossier.receiving_unit_id)
    return render(request, "portal/dossier.html", context, status=status)


@citizen_required
def dossier_page(request: HttpRequest, code: str) -> HttpResponse:
    return _page(request, _own_dossier(request, code))


@citizen_required
def submitted(request: HttpRequest, code: str) -> HttpResponse:
    """The confirmation after an online submission: the code, the dates and what happens next."""
    dossier = _own_dossier(request, code)
    version = dossier.procedure_version
    cal = work_calendar(dossier.receiving_unit_id)
    latest = dossier.current_step_due_at
    return render(request, "portal/submitted.html", {
        "d": dossier, "check_by": latest,
        "due_if_now": due_if_received(version, "online", dossier.receiving_unit_id),
        "due_latest": due_if_received(version, "online", dossier.receiving_unit_id, at=latest) if latest else None,
        "working_now": cal.is_working_day(dossier.submitted_at.date()) if dossier.submitted_at else True,
    })


@citizen_required
@require_POST
def supplement(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _own_dossier(request, code)
    events = dossier_events(dossier)
    request_event = latest_supplement_request(events) if dossier.status == Status.SUPPLEMENT else None
    form = SupplementForm(request.POST, request.FILES, documents=_supplement_documents(dossier, request_event))
    actor = actor_of(request)
    if not form.is_valid() or request_event is None:
        if request_event is None:
            messages.error(request, _("Hồ sơ không ở trạng thái chờ bổ sung."))
            return redirect("portal:dossier", code=code)
        return _page(request, dossier, supplement_form=form, status=400)
    uploaded = 0
    for doc in dossier.procedure_version.documents:
        for upload in request.FILES.getlist(f"doc_{doc['code']}"):
            try:
                attachment_add(actor=actor, code=code, document=doc["code"], filename=upload.name or "tep",
                               chunks=upload.chunks())
                uploaded += 1
            except DomainError as exc:
                form.add_error(f"doc_{doc['code']}", f"{upload.name}: {exc.message}")
    dossier = _own_dossier(request, code)
    if not form.errors and attachments_since(dossier, request_event.at) == 0:
        form.add_error(None, _("Vui lòng đính kèm ít nhất một giấy tờ cần bổ sung."))
    if form.errors:
        if uploaded:
            messages.info(request, _("Đã lưu %(n)d tệp hợp lệ; vui lòng sửa các tệp bị lỗi.") % {"n": uploaded})
        return _page(request, dossier, supplement_form=form, status=400)
    try:
        dossier_supplement(actor=actor, code=code, note=form.cleaned_data["note"])
    except DomainError as exc:
        form_error(form, exc, {"note": "note"})
        return _page(request, dossier, supplement_form=form, status=400)
    messages.success(request, _("Đã gửi hồ sơ bổ sung. Cơ quan sẽ tiếp tục giải quyết."))
    return redirect("portal:dossier", code=code)


@citizen_required
@require_POST
def withdraw(request: HttpRequest, code: str) -> HttpResponse:
    _own_dossier(request, code)
    form = ReasonForm(request.POST, auto_id="withdraw_%s")
    if form.is_valid():
        try:
            dossier_withdraw(actor=actor_of(request), code=code, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form_error(form, exc, {"reason": "reason"})
        else:
            messages.success(request, _("Hồ sơ đã được rút theo yêu cầu của bạn."))
            return redirect("portal:dossier", code=code)
    return _page(request, _own_dossier(request, code), withdraw_form=form, status=400)


@citizen_required
def download(request: HttpRequest, code: str, attachment_id: str) -> FileResponse:
    dossier = _own_dossier(request, code)
    try:
        attachment = attachment_get(dossier, attachment_id)
    except NotFound as exc:
        raise Http404 from exc
    return stored_file_response(attachment.sha256, attachment.content_type, attachment.name)
