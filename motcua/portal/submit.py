"""Online submission in three steps: contact and place, documents, review. What was entered and the
files already uploaded are kept on the server (in the session) until the dossier is submitted."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import ngettext

from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.selectors import procedure_get
from motcua.core.errors import DomainError, NotFound
from motcua.dossiers.models import Attachment
from motcua.dossiers.selectors import due_if_received
from motcua.dossiers.services import (
    ApplicantData,
    DocumentReceived,
    StoredFile,
    document_store,
    documents_missing,
    dossier_receive,
    file_available,
    file_store,
)

from .catalogue import receiving_units
from .common import actor_of, citizen_required
from .forms import ApplicantForm, DocumentsForm
from .templatetags.ui import DELIVERY, copy_type

STEP_NAMES = [_l("Thông tin liên hệ"), _l("Giấy tờ"), _l("Xem lại và nộp")]


def _procedure(code: str) -> tuple[Procedure, ProcedureVersion]:
    try:
        procedure = procedure_get(code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    version = procedure.current
    assert version is not None
    if version.online_mode == "none":
        raise Http404("Thủ tục này chưa cung cấp dịch vụ công trực tuyến.")
    return procedure, version


def _key(code: str) -> str:
    return f"motcua-submit:{code}"


def _draft(request: HttpRequest, code: str) -> dict[str, Any]:
    draft = request.session.get(_key(code))
    return draft if isinstance(draft, dict) else {"files": {}}


def _save(request: HttpRequest, code: str, draft: dict[str, Any]) -> None:
    request.session[_key(code)] = draft
    request.session.modified = True


def _deliveries(version: ProcedureVersion) -> list[tuple[str, str]]:
    codes = ["online", "postal", "desk"] if version.online_mode == "full" else ["desk", "postal"]
    return [(c, str(DELIVERY[c])) for c in codes]


def _received(version: ProcedureVersion, draft: dict[str, Any]) -> list[DocumentReceived]:
    """What the draft holds of each document: files uploaded (stored) and documents reused from the
    citizen's store."""
    files: dict[str, list[dict[str, Any]]] = draft.get("files", {})
    received = []
    for doc in version.documents:
        kept = files.get(doc["code"], [])
        received.append(DocumentReceived(doc["code"], files=tuple(StoredFile.of(i) for i in kept if not i.get("reuse")),
                                         reused=tuple(str(i["reuse"]) for i in kept if i.get("reuse"))))
    return received


def _missing_required(version: ProcedureVersion, draft: dict[str, Any]) -> list[str]:
    return documents_missing(version.documents, _received(version, draft))


def _bound(request: HttpRequest) -> tuple[Any, Any]:
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


def document_hint(doc: dict[str, Any]) -> str:
    """'Bản chính · 1 bản · bắt buộc' under a document's name."""
    need = _("bắt buộc") if doc.get("required") else _("nộp khi thuộc trường hợp này")
    count = int(doc.get("count") or 1)
    copies = ngettext("%(n)s bản", "%(n)s bản", count) % {"n": count}
    return f"{copy_type(doc.get('copy_type', ''))} · {copies} · {need}"


def _context(procedure: Procedure, version: ProcedureVersion, step: int, **extra: Any) -> dict[str, Any]:
    return {"procedure": procedure, "v": version, "step": step, "step_names": STEP_NAMES, **extra}


@citizen_required
def applicant_step(request: HttpRequest, code: str) -> HttpResponse:
    procedure, version = _procedure(code)
    user = request.user
    draft = _draft(request, code)
    units = [(u.code, u.name) for u in receiving_units(version.level)]
    initial = {
        "receiving_unit": draft.get("receiving_unit", ""), "phone": draft.get("phone", user.phone),
        "email": draft.get("email", user.email), "address": draft.get("address", user.address),
        "result_delivery": draft.get("result_delivery", _deliveries(version)[0][0]),
    }
    form = ApplicantForm(request.POST if request.method == "POST" else None, initial=initial, units=units,
                         deliveries=_deliveries(version))
    if request.method == "POST" and form.is_valid():
        draft.update(form.cleaned_data)
        draft.setdefault("files", {})
        _save(request, code, draft)
        return redirect("portal:submit_documents", code=code)
    return render(request, "portal/submit_applicant.html", _context(procedure, version, 1, form=form))


def _store(request: HttpRequest) -> list[Attachment]:
    """The citizen's document store: digitised papers and results of their earlier dossiers."""
    return list(document_store(user=request.user)[:50])


def _reuse(request: HttpRequest, version: ProcedureVersion, files: dict[str, list[dict[str, Any]]],
           value: str) -> None:
    """`DOC:attachment id` → keep a reference to the stored document (attached at submission)."""
    doc_code, _sep, attachment_id = value.partition(":")
    source = next((a for a in _store(request) if str(a.id) == attachment_id), None)
    if doc_code not in {d["code"] for d in version.documents} or source is None:
        messages.error(request, _("Không tìm thấy giấy tờ này trong kho dữ liệu của bạn."))
        return
    kept = files.setdefault(doc_code, [])
    if any(item.get("reuse") == attachment_id for item in kept):
        messages.info(request, _("Giấy tờ %(name)s đã được chọn.") % {"name": source.name})
        return
    kept.append({"reuse": attachment_id, "sha256": source.sha256, "name": source.name, "size": source.size,
                 "content_type": source.content_type, "from": source.dossier.code})
    messages.success(request, _("Đã dùng lại %(name)s từ hồ sơ %(code)s.") % {"name": source.name,
                                                                               "code": source.dossier.code})


def _store_rows(store: list[Attachment], doc_code: str) -> list[Attachment]:
    """The store for one document: those filed under the same requirement first."""
    return sorted(store, key=lambda a: 0 if a.document == doc_code else 1)


@citizen_required
def documents_step(request: HttpRequest, code: str) -> HttpResponse:
    procedure, version = _procedure(code)
    draft = _draft(request, code)
    if not draft.get("receiving_unit"):
        return redirect("portal:submit", code=code)
    form = DocumentsForm(*_bound(request), documents=version.documents)
    files: dict[str, list[dict[str, Any]]] = draft.setdefault("files", {})
    if request.method == "POST" and form.is_valid():
        for doc in version.documents:
            for upload in request.FILES.getlist(f"doc_{doc['code']}"):
                try:
                    files.setdefault(doc["code"], []).append(file_store(upload.chunks(), upload.name).as_dict())
                except DomainError as exc:
                    form.add_error(f"doc_{doc['code']}", f"{upload.name}: {exc.message}")
        if request.POST.get("reuse"):
            _reuse(request, version, files, request.POST["reuse"])
            _save(request, code, draft)
            return redirect("portal:submit_documents", code=code)
        removal = request.POST.get("remove", "")
        if ":" in removal:
            doc_code, _sep, index = removal.partition(":")
            kept = files.get(doc_code, [])
            if index.isdigit() and int(index) < len(kept):
                removed = kept.pop(int(index))
                messages.info(request, _("Đã bỏ tệp %(name)s.") % {"name": removed["name"]})
        _save(request, code, draft)
        if removal:
            if not form.errors:
                return redirect("portal:submit_documents", code=code)
        else:
            for doc_code in _missing_required(version, draft):
                if f"doc_{doc_code}" not in form.errors:
                    form.add_error(f"doc_{doc_code}", _("Vui lòng đính kèm giấy tờ này (bắt buộc)."))
            if not form.errors:
                return redirect("portal:submit_review", code=code)
    store = _store(request)
    rows = [{"doc": d, "field": form[f"doc_{d['code']}"], "kept": files.get(d["code"], []), "hint": document_hint(d),
             "store": _store_rows(store, d["code"])} for d in version.documents]
    return render(request, "portal/submit_documents.html", _context(procedure, version, 2, form=form, rows=rows))


@citizen_required
def review_step(request: HttpRequest, code: str) -> HttpResponse:
    procedure, version = _procedure(code)
    draft = _draft(request, code)
    if not draft.get("receiving_unit"):
        return redirect("portal:submit", code=code)
    errors: list[str] = []
    files: dict[str, list[dict[str, Any]]] = draft.get("files", {})
    lost = [(d, item) for d in version.documents for item in files.get(d["code"], [])
            if not file_available(StoredFile.of(item))]
    if lost:
        for d, item in lost:
            files[d["code"]].remove(item)
        _save(request, code, draft)
        messages.warning(request, _("Một số tệp cần được tải lên lại."))
        return redirect("portal:submit_documents", code=code)
    if _missing_required(version, draft):
        return redirect("portal:submit_documents", code=code)
    unit_name = {u.code: u.name for u in receiving_units(version.level)}.get(draft["receiving_unit"], "")
    if request.method == "POST":
        actor = actor_of(request)
        user = request.user
        try:
            dossier = dossier_receive(
                actor=actor, procedure_code=procedure.code, channel="online",
                receiving_unit_code=draft["receiving_unit"], result_delivery=draft["result_delivery"],
                applicant=ApplicantData(name=user.full_name, id_number=user.id_number or "", phone=draft["phone"],
                                        email=draft.get("email", ""), address=draft.get("address", ""),
                                        birth_date=user.birth_date),
                documents=_received(version, draft),
            )
        except DomainError as exc:
            errors.append(exc.message)
        else:
            request.session.pop(_key(code), None)
            return redirect("portal:submitted", code=dossier.code)
    docs = [{"doc": d, "kept": files.get(d["code"], [])} for d in version.documents]
    return render(request, "portal/submit_review.html", _context(
        procedure, version, 3, draft=draft, docs=docs, unit_name=unit_name, errors=errors,
        delivery=str(DELIVERY.get(draft.get("result_delivery", ""), "")),
        due=due_if_received(version, "online"),
    ))

