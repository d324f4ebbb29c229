"""Receiving a walk-in or postal dossier on behalf of the applicant, and its receipt.

Fast path for a commune officer: search the procedure, type (or prefill) the applicant, tick the
documents received, attach scans, press one button, print the receipt."""

from __future__ import annotations

import uuid
from typing import Any

import segno
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from motcua.accounts.models import Role
from motcua.catalog.models import Procedure
from motcua.catalog.selectors import procedure_get, procedure_list
from motcua.core.errors import DomainError, NotFound
from motcua.dossiers.selectors import applicant_prefill, dossier_get, dossier_receiver_name
from motcua.dossiers.services import (
    ApplicantData,
    DocumentReceived,
    StoredFile,
    dossier_receive,
    file_available,
    file_store,
)
from motcua.units.selectors import unit_choices

from .common import actor_of, form_error, official_required
from .counter import link_served_ticket
from .forms import ProcedureSearchForm, ReceiveForm

APPLICANT_FIELDS = {"applicant.name": "name", "applicant.id_number": "id_number", "applicant.phone": "phone",
                    "applicant.email": "email", "applicant.address": "address"}


def _reception_units(request: HttpRequest) -> list[tuple[str, str]]:
    actor = actor_of(request)
    return unit_choices(actor.units_with(Role.RECEPTION))


@official_required
def pick_procedure(request: HttpRequest) -> HttpResponse:
    if not _reception_units(request):
        return render(request, "desk/forbidden.html", status=403)
    form = ProcedureSearchForm(request.GET or None)
    q = form.cleaned_data["q"].strip() if form.is_bound and form.is_valid() else ""
    procedures = list(procedure_list(q=q or None)[:30])
    return render(request, "desk/receive_pick.html", {"form": form, "procedures": procedures, "q": q})


def _key(draft: str) -> str:
    return f"motcua-receive:{draft}"


def _draft_id(request: HttpRequest) -> str:
    """One draft per form on screen (two tabs receiving two dossiers keep their files apart)."""
    value = request.POST.get("draft", "")
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return str(uuid.uuid4())


def _prefill(request: HttpRequest, id_number: str) -> dict[str, str] | None:
    return applicant_prefill(actor_of(request), id_number)


@official_required
def receive(request: HttpRequest, code: str) -> HttpResponse:
    units = _reception_units(request)
    if not units:
        return render(request, "desk/forbidden.html", status=403)
    try:
        procedure: Procedure = procedure_get(code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    version = procedure.current
    assert version is not None
    documents = list(version.documents)
    draft = _draft_id(request)
    staged: dict[str, list[dict[str, Any]]] = request.session.get(_key(draft)) or {}
    notice = ""
    if request.method != "POST":
        form = ReceiveForm(units=units, documents=documents)
        return render(request, "desk/receive_form.html", _ctx(procedure, version, form, {}, notice, draft))

    data = request.POST.copy()
    # Files chosen now are kept (checked and stored) even when something else is wrong.
    form = ReceiveForm(data, request.FILES, units=units, documents=documents)
    htmx_prefill = "prefill" in data and bool(getattr(request, "htmx", False))
    if not htmx_prefill:
        for drop in data.getlist("drop"):
            doc_code, _sep, index = drop.partition(":")
            kept = staged.get(doc_code, [])
            if index.isdigit() and int(index) < len(kept):
                kept[int(index)] = None  # type: ignore[call-overload]
        staged = {k: [i for i in v if i] for k, v in staged.items()}
    file_errors: dict[str, list[str]] = {}
    if not htmx_prefill:
        for doc in documents:
            for upload in request.FILES.getlist(f"file_{doc['code']}"):
                try:
                    staged.setdefault(doc["code"], []).append(file_store(upload.chunks(), upload.name).as_dict())
                except DomainError as exc:
                    file_errors.setdefault(doc["code"], []).append(f"{upload.name}: {exc.message}")
    request.session[_key(draft)] = staged

    if "prefill" in data:
        found = _prefill(request, data.get("id_number", "").strip())
        if found:
            for name, value in found.items():
                data[name] = value
            notice = _("Đã điền thông tin từ hồ sơ trước của %(name)s. Vui lòng kiểm tra lại.") % {"name": found["name"]}
        else:
            notice = _("Không tìm thấy hồ sơ trước với số định danh này; vui lòng nhập thông tin.")
        initial: dict[str, Any] = {name: data.get(name, "") for name in
                                   ("receiving_unit", "channel", "id_number", "name", "phone", "email", "address",
                                    "sets", "result_delivery")}
        initial.update({f"got_{doc['code']}": bool(data.get(f"got_{doc['code']}")) for doc in documents})
        form = ReceiveForm(initial=initial, units=units, documents=documents)  # not validated: nothing to correct yet
        return _page(request, _ctx(procedure, version, form, staged, notice, draft))

    valid = form.is_valid()
    for doc_code, errors in file_errors.items():
        for error in errors:
            form.add_error(f"file_{doc_code}", error)
    if not valid or file_errors:
        return _page(request, _ctx(procedure, version, form, staged, notice, draft), status=400)
    d = form.cleaned_data
    received = [DocumentReceived(doc["code"], on_paper=bool(d.get(f"got_{doc['code']}")),
                                 files=tuple(StoredFile.of(item) for item in staged.get(doc["code"], [])))
                for doc in documents]
    try:
        dossier = dossier_receive(
            actor=actor_of(request), procedure_code=procedure.code, channel=d["channel"],
            receiving_unit_code=d["receiving_unit"], documents=received, sets=d["sets"],
            result_delivery=d["result_delivery"],
            applicant=ApplicantData(name=d["name"], id_number=d["id_number"], phone=d["phone"], email=d["email"],
                                    address=d["address"]),
        )
    except DomainError as exc:
        if exc.code in {"documents_missing", "file_missing"}:
            _documents_errors(form, staged, exc)
            request.session[_key(draft)] = staged
        else:
            form_error(form, exc, APPLICANT_FIELDS)
        return _page(request, _ctx(procedure, version, form, staged, notice, draft), status=400)
    request.session.pop(_key(draft), None)
    link_served_ticket(actor_of(request), dossier.code)
    return redirect("desk:receipt", code=dossier.code)


def _documents_errors(form: ReceiveForm, staged: dict[str, list[dict[str, Any]]], exc: DomainError) -> None:
    """The required-documents rule's refusal, next to each document's fields; the lost files are
    dropped from the draft."""
    for doc_code in exc.details.get("documents", []):
        form.add_error(f"got_{doc_code}", _("Chưa nhận giấy tờ bắt buộc này: đánh dấu đã nhận hoặc tải bản quét."))
    for doc_code in exc.details.get("lost", []):
        staged[doc_code] = [item for item in staged.get(doc_code, []) if file_available(StoredFile.of(item))]
        form.add_error(f"file_{doc_code}", _("Tệp đã tải trước đó không còn; vui lòng tải lại."))


def _page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, "desk/receive_form.html", context, status=status)


def _ctx(procedure: Procedure, version: Any, form: ReceiveForm, staged: dict[str, Any], notice: str,
         draft: str) -> dict[str, Any]:
    return {"procedure": procedure, "v": version, "form": form, "rows": form.doc_rows(staged), "notice": notice,
            "draft": draft}


@official_required
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả (HTML, ready to print; the official PDF form comes
    from the forms module)."""
    try:
        dossier = dossier_get(actor_of(request), code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    lookup = request.build_absolute_uri(f"/tra-cuu/?ma={dossier.code}")
    qr = segno.make(lookup, error="m").svg_inline(scale=3, title=_("Mã QR tra cứu hồ sơ"))
    received = set((dossier.form_data or {}).get("received_documents", []))
    attached = {a.document for a in dossier.attachments.all()}
    docs = [{**d, "received": d["code"] in received or d["code"] in attached}
            for d in dossier.procedure_version.documents]
    receiver = dossier_receiver_name(dossier)
    return render(request, "desk/receipt.html", {
        "d": dossier, "qr": mark_safe(qr), "lookup": lookup,  # noqa: S308 - SVG made by segno from our URL
        "docs": [doc for doc in docs if doc["received"]], "receiver": receiver or "",
    })
