"""The dossier page of the desk: data, attachments, the steps with their deadlines and outcomes, the
history, and only the actions this official may take now."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from motcua.accounts.selectors import Actor
from motcua.core.errors import DomainError, NotFound
from motcua.documents.responses import stored_file_response
from motcua.documents.signing import credential_for_user
from motcua.dossiers.models import Attachment, Dossier, DossierEvent
from motcua.dossiers.selectors import (
    attachment_get,
    dossier_consultations,
    dossier_events,
    dossier_get,
    dossier_may_draft_result,
    dossier_on_route,
    result_draft_get,
    result_rows,
)
from motcua.dossiers.services import (
    ACTIONS,
    attachment_add,
    attachment_reuse,
    document_store_for_dossier,
    dossier_supplement,
    result_draft_upload,
)
from motcua.workflow.domain import AT_STEP, FINAL, Status

from .action_forms import ActionForm
from .actions import FORMS, available_actions, build_form, error_field, perform
from .common import actor_of, official_required
from .forms import ResultUploadForm, UploadForm

EVENT_NAMES: dict[str, Any] = {
    "create": _l("Tạo hồ sơ"), "attach": _l("Đính kèm tệp"), "accept": _l("Tiếp nhận"),
    "refuse": _l("Từ chối tiếp nhận"), "request-supplement": _l("Yêu cầu bổ sung"), "supplement": _l("Đã bổ sung"),
    "forward": _l("Chuyển bước"), "request-payment": _l("Yêu cầu nộp phí"),
    "confirm-payment": _l("Xác nhận nộp phí"), "resolve": _l("Phê duyệt kết quả"), "return": _l("Trả kết quả"),
    "withdraw": _l("Rút hồ sơ"), "stop": _l("Dừng xử lý"), "apologize": _l("Xin lỗi, hẹn lại"),
    "claim": _l("Nhận xử lý"), "reassign": _l("Giao lại"), "send-back": _l("Trả lại bước trước"),
    "consult": _l("Xin ý kiến"), "answer-consultation": _l("Trả lời xin ý kiến"),
}
ROLE_NAMES: dict[str, Any] = {"reception": _l("Tiếp nhận và trả kết quả"), "specialist": _l("Chuyên viên"),
                              "leader": _l("Lãnh đạo")}


def _dossier(request: HttpRequest, code: str) -> Dossier:
    try:
        return dossier_get(actor_of(request), code)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _steps(dossier: Dossier, events: list[DossierEvent]) -> list[dict[str, Any]]:
    """Each completed step with its deadline, when it was done, by whom and its outcome; then the
    current step."""
    rows = [{"name": e.step_name, "due": e.step_due_at, "done": e.at, "outcome": e.step_outcome,
             "by": e.actor_full_name, "unit": e.from_unit.name if e.from_unit else ""}
            for e in events if e.step_name and e.action not in {"create", "attach"}]
    step = dossier.current_step()
    if step is not None and dossier.status not in FINAL:
        rows.append({"name": step.name, "due": dossier.current_step_due_at, "done": None, "outcome": "",
                     "by": dossier.current_assignee.full_name if dossier.current_assignee else "",
                     "unit": dossier.current_step_unit.name if dossier.current_step_unit else "",
                     "role": ROLE_NAMES.get(step.role, step.role), "current": True})
    return rows


FORM_NAMES: dict[str, Any] = {
    "mau-01": _l("Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    "mau-02": _l("Mẫu 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "mau-03": _l("Mẫu 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    "mau-04": _l("Mẫu 04 — Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    "mau-05": _l("Mẫu 05 — Phiếu kiểm soát quá trình giải quyết hồ sơ"),
}


def printable_forms(dossier: Dossier, events: list[DossierEvent]) -> list[tuple[str, Any]]:
    """The official forms that apply to the dossier now (the builders refuse the others)."""
    actions = {e.action for e in events}
    received = dossier.received_at is not None or any(e.to_status == Status.RECEIVED for e in events)
    wanted = [("mau-01", received), ("mau-02", "request-supplement" in actions), ("mau-03", "refuse" in actions),
              ("mau-04", "apologize" in actions), ("mau-05", received)]
    return [(form, FORM_NAMES[form]) for form, ok in wanted if ok]


def _store(actor: Actor, dossier: Dossier, can_attach: bool) -> list[Attachment]:
    if not can_attach:
        return []
    try:
        return list(document_store_for_dossier(dossier, actor)[:50])
    except DomainError:
        return []


def _render(request: HttpRequest, dossier: Dossier, *, bound: dict[str, ActionForm] | None = None,
            upload_form: UploadForm | None = None, result_form: ResultUploadForm | None = None,
            reuse_error: str = "", status: int = 200) -> HttpResponse:
    actor = actor_of(request)
    events = dossier_events(dossier)
    actions = available_actions(actor, dossier)
    bound = bound or {}
    action_forms = [{"action": a, "form": bound.get(a.name) or build_form(a.name, dossier, actor=actor),
                     "open": a.name in bound or (a.primary and not bound)} for a in actions]
    attachments = list(dossier.attachments.all())
    on_route = dossier_on_route(actor, dossier)
    open_ = dossier.status not in FINAL
    documents = dossier.procedure_version.documents
    drafting = dossier_may_draft_result(actor, dossier)
    draft = result_draft_get(dossier)
    resolving = any(a.name == "resolve" for a in actions)
    return render(request, "desk/dossier.html", {
        "d": dossier, "events": events, "event_names": EVENT_NAMES, "steps": _steps(dossier, events),
        "at_step": dossier.status in AT_STEP,
        "action_forms": action_forms, "version": dossier.row_version,
        "inputs": [a for a in attachments if a.kind == "input"],
        "results": result_rows(attachments),
        "documents": {d["code"]: d["name"] for d in documents},
        "document_choices": [(d["code"], d["name"]) for d in documents],
        "received_documents": set((dossier.form_data or {}).get("received_documents", [])),
        "can_upload": on_route and open_,
        "can_upload_result": on_route and dossier.status == Status.RESOLVED,
        # A refused draft upload is shown with its error, even to someone who may not upload it.
        "can_upload_draft": drafting or (result_form is not None and dossier.status == Status.IN_PROGRESS),
        "draft": draft if (drafting or resolving) else None,
        "resolving": resolving, "can_sign": resolving and credential_for_user(actor.user) is not None,
        "upload_form": upload_form or UploadForm(documents=documents, prefix="upload"),
        "result_form": result_form or ResultUploadForm(prefix="result", draft=drafting),
        "supplement_round": dossier.supplement_requests,
        "consultations": dossier_consultations(dossier),
        "forms": printable_forms(dossier, events),
        "store": _store(actor, dossier, on_route and open_), "reuse_error": reuse_error,
    }, status=status)


@official_required
def dossier_page(request: HttpRequest, code: str) -> HttpResponse:
    return _render(request, _dossier(request, code))


def _expected_version(request: HttpRequest) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


@official_required
@require_POST
def act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    dossier = _dossier(request, code)
    actor = actor_of(request)
    if action not in FORMS:
        raise Http404
    if action not in {a.name for a in available_actions(actor, dossier)}:
        messages.error(request, _("Bạn không thể thực hiện thao tác này với hồ sơ ở trạng thái hiện tại."))
        return _render(request, dossier, status=403)
    form = build_form(action, dossier, request.POST, request.FILES, actor=actor)
    if not form.is_valid():
        return _render(request, dossier, bound={action: form}, status=400)
    try:
        if action == "supplement":
            _supplement_on_behalf(request, form, actor=actor, code=code)
        else:
            perform(action, form, actor=actor, code=code, expected_version=_expected_version(request))
    except DomainError as exc:
        error_field(form, exc)
        return _render(request, _dossier(request, code), bound={action: form}, status=exc.status)
    if form.errors:
        return _render(request, _dossier(request, code), bound={action: form}, status=400)
    messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": ACTIONS[action].label})
    if action == "accept":
        return redirect("desk:receipt", code=code)
    return redirect("desk:dossier", code=code)


def _supplement_on_behalf(request: HttpRequest, form: ActionForm, *, actor: Any, code: str) -> None:
    """Reception received the missing papers: attach the scans, then close the supplement pause."""
    dossier = _dossier(request, code)
    for doc in dossier.procedure_version.documents:
        for upload in request.FILES.getlist(f"supplement-doc_{doc['code']}"):
            try:
                attachment_add(actor=actor, code=code, document=doc["code"], filename=upload.name or "tep",
                               chunks=upload.chunks(), digitised=True)
            except DomainError as exc:
                form.add_error(f"doc_{doc['code']}", f"{upload.name}: {exc.message}")
    if not form.errors:
        dossier_supplement(actor=actor, code=code, note=form.cleaned_data.get("note", ""),
                           expected_version=None)


@official_required
@require_POST
def upload(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier(request, code)
    form = UploadForm(request.POST, request.FILES, documents=dossier.procedure_version.documents, prefix="upload")
    if form.is_valid():
        saved = 0
        for item in request.FILES.getlist("upload-files"):
            try:
                attachment_add(actor=actor_of(request), code=code, document=form.cleaned_data["document"],
                               filename=item.name or "tep", chunks=item.chunks(),
                               digitised=form.cleaned_data["digitised"])
                saved += 1
            except DomainError as exc:
                form.add_error("files", f"{item.name}: {exc.message}")
        if not form.errors:
            messages.success(request, _("Đã lưu %(n)d tệp.") % {"n": saved})
            return redirect("desk:dossier", code=code)
    return _render(request, _dossier(request, code), upload_form=form, status=400)


@official_required
@require_POST
def upload_result(request: HttpRequest, code: str) -> HttpResponse:
    """While the dossier is being handled: the draft result (a PDF) that the leader's approval signs
    and attaches. Once resolved: a result file kept as it is (a paper result scanned)."""
    dossier = _dossier(request, code)
    drafting = dossier.status == Status.IN_PROGRESS
    form = ResultUploadForm(request.POST, request.FILES, prefix="result", draft=drafting)
    if form.is_valid():
        actor = actor_of(request)
        for item in request.FILES.getlist("result-files")[:1] if drafting else request.FILES.getlist("result-files"):
            try:
                if drafting:
                    result_draft_upload(actor=actor, code=code, filename=item.name or "du-thao.pdf",
                                        chunks=item.chunks())
                else:
                    attachment_add(actor=actor, code=code, document="KQ", kind="result",
                                   filename=item.name or "ket-qua", chunks=item.chunks())
            except DomainError as exc:
                form.add_error("files", f"{item.name}: {exc.message}")
        if not form.errors:
            messages.success(request, _("Đã lưu dự thảo kết quả.") if drafting else _("Đã lưu tệp kết quả."))
            return redirect("desk:dossier", code=code)
    return _render(request, dossier, result_form=form, status=400)


@official_required
def draft_download(request: HttpRequest, code: str) -> FileResponse:
    """The draft result, for the officials handling the dossier (never the applicant)."""
    dossier = _dossier(request, code)
    draft = result_draft_get(dossier)
    if draft is None or not dossier_on_route(actor_of(request), dossier):
        raise Http404
    return stored_file_response(draft.sha256, draft.content_type, draft.name, inline=request.GET.get("xem") == "1")


@official_required
@require_POST
def reuse(request: HttpRequest, code: str) -> HttpResponse:
    """Attach a document of the applicant's store (kho dữ liệu) with one click."""
    dossier = _dossier(request, code)
    attachment_id = request.POST.get("attachment", "")
    document = request.POST.get("document", "")
    try:
        uuid.UUID(attachment_id)
    except ValueError:
        return _render(request, dossier, reuse_error=_("Không tìm thấy tài liệu này trong kho dữ liệu."), status=400)
    try:
        attachment = attachment_reuse(actor=actor_of(request), code=code, attachment_id=attachment_id,
                                      document=document)
    except DomainError as exc:
        return _render(request, _dossier(request, code), reuse_error=exc.message, status=exc.status)
    messages.success(request, _("Đã dùng lại %(name)s từ hồ sơ %(code)s.") % {
        "name": attachment.name, "code": attachment.reused_from_code})
    return redirect("desk:dossier", code=code)


@official_required
def download(request: HttpRequest, code: str, attachment_id: str) -> FileResponse:
    """The exact bytes; `?xem=1` opens a PDF or an image in the browser instead of saving it."""
    dossier = _dossier(request, code)
    try:
        attachment = attachment_get(dossier, attachment_id)
    except NotFound as exc:
        raise Http404 from exc
    return stored_file_response(attachment.sha256, attachment.content_type, attachment.name,
                                inline=request.GET.get("xem") == "1")
