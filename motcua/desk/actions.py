"""Which actions an official may take on a dossier now, and the form and service of each.

What is allowed comes from the transition table (`next_status`) and the official's parties
(`parties_of`), exactly as the services decide; the page offers nothing the service would refuse
for the official's role."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Membership
from motcua.accounts.selectors import Actor
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.dossiers.models import Consultation, Dossier
from motcua.dossiers.services import (
    dossier_accept,
    dossier_apologize,
    dossier_confirm_payment,
    dossier_forward,
    dossier_refuse,
    dossier_request_payment,
    dossier_request_supplement,
    dossier_resolve,
    dossier_return,
    dossier_stop,
    dossier_withdraw,
)
from motcua.dossiers.services.common import parties_of
from motcua.dossiers.services.create import resolve_step_unit
from motcua.dossiers.services.steps import (
    dossier_answer_consultation,
    dossier_claim,
    dossier_consult,
    dossier_reassign,
    dossier_send_back,
)
from motcua.units.models import Unit
from motcua.workflow.domain import TransitionError, next_status

from .forms import (
    AnswerConsultationForm,
    ApologizeForm,
    ConsultForm,
    EmptyForm,
    ForwardForm,
    NoteForm,
    PaymentForm,
    ReasonForm,
    ReassignForm,
    ResolveForm,
    SendBackForm,
    SupplementOnBehalfForm,
    SupplementRequestForm,
)


@dataclass(frozen=True)
class DeskAction:
    name: str
    label: Any
    button: Any
    style: str = ""  # "ok", "danger" or "" (the look of the button)
    primary: bool = False  # shown open


ACTIONS: dict[str, DeskAction] = {a.name: a for a in [
    DeskAction("answer-consultation", _("Trả lời xin ý kiến"), _("Gửi ý kiến trả lời"), "ok", True),
    DeskAction("claim", _("Nhận xử lý"), _("Nhận xử lý bước này")),
    DeskAction("accept", _("Tiếp nhận hồ sơ"), _("Tiếp nhận"), "ok", True),
    DeskAction("request-supplement", _("Yêu cầu bổ sung hồ sơ"), _("Gửi yêu cầu bổ sung")),
    DeskAction("refuse", _("Từ chối tiếp nhận"), _("Từ chối tiếp nhận"), "danger"),
    DeskAction("supplement", _("Nhận hồ sơ bổ sung thay người nộp"), _("Xác nhận đã bổ sung")),
    DeskAction("forward", _("Hoàn thành bước này và chuyển bước tiếp theo"), _("Chuyển xử lý"), "ok", True),
    DeskAction("request-payment", _("Yêu cầu thực hiện nghĩa vụ tài chính"), _("Gửi yêu cầu nộp phí")),
    DeskAction("confirm-payment", _("Xác nhận đã nộp phí, lệ phí"), _("Xác nhận đã nộp"), "ok", True),
    DeskAction("consult", _("Xin ý kiến đơn vị khác"), _("Gửi xin ý kiến")),
    DeskAction("send-back", _("Trả lại bước trước"), _("Trả lại")),
    DeskAction("reassign", _("Giao lại cho cán bộ khác"), _("Giao lại")),
    DeskAction("resolve", _("Phê duyệt kết quả giải quyết"), _("Ký duyệt, hoàn thành"), "ok", True),
    DeskAction("return", _("Trả kết quả cho người nộp"), _("Đã trả kết quả"), "ok", True),
    DeskAction("apologize", _("Xin lỗi và hẹn lại ngày trả kết quả"), _("Lập phiếu xin lỗi")),
    DeskAction("stop", _("Dừng xử lý hồ sơ"), _("Dừng xử lý"), "danger"),
    DeskAction("withdraw", _("Rút hồ sơ theo yêu cầu của người nộp"), _("Rút hồ sơ"), "danger"),
]}


def _forward_possible(dossier: Dossier) -> bool:
    """The approval step ends with `resolve`, and the last step has nowhere to go (the same rule
    dossier_forward enforces)."""
    steps: list[dict[str, Any]] = dossier.procedure_version.workflow
    index = dossier.current_step_index
    if index is None or index + 1 >= len(steps):
        return False
    return not (steps[index]["role"] == "leader" and not any(s["role"] == "leader" for s in steps[index + 1:]))


def available_actions(actor: Actor, dossier: Dossier) -> list[DeskAction]:
    parties = parties_of(actor, dossier)
    allowed = []
    for name, action in ACTIONS.items():
        try:
            next_status(dossier.status, name, parties, dossier.paused_from_status)
        except TransitionError:
            continue
        if name == "forward" and not _forward_possible(dossier):
            continue
        if name == "apologize" and dossier.apology_count >= int(settings.MOTCUA["MAX_APOLOGIES"]):
            continue
        # Claiming is for a step nobody holds yet (the service refuses a step held by another).
        if name == "claim" and dossier.current_assignee_id is not None:
            continue
        if name == "send-back" and not earlier_steps(dossier):
            continue
        if name == "answer-consultation" and not open_consultations(actor, dossier):
            continue
        allowed.append(action)
    return allowed


def next_step_assignees(dossier: Dossier) -> list[tuple[str, str]]:
    steps: list[dict[str, Any]] = dossier.procedure_version.workflow
    index = dossier.current_step_index
    if index is None or index + 1 >= len(steps):
        return []
    step = steps[index + 1]
    unit_id = resolve_step_unit(dossier, step)
    rows = (Membership.objects.filter(unit_id=unit_id, role=step["role"], user__is_active=True)
            .select_related("user").order_by("user__full_name"))
    return [(m.user.username, m.user.full_name or m.user.username) for m in rows]


def step_officials(dossier: Dossier) -> list[tuple[str, str]]:
    """Who may be given the current step: active officials with its role at its unit."""
    step = dossier.current_step()
    if step is None or dossier.current_step_unit_id is None:
        return []
    rows = (Membership.objects.filter(unit_id=dossier.current_step_unit_id, role=step["role"], user__is_active=True)
            .select_related("user").order_by("user__full_name", "user__username"))
    return [(m.user.username, m.user.full_name or m.user.username) for m in rows]


def earlier_steps(dossier: Dossier) -> list[tuple[int, str]]:
    steps: list[dict[str, Any]] = dossier.procedure_version.workflow
    index = dossier.current_step_index
    if index is None or dossier.status != 4:
        return []
    return [(i, f"{i + 1}. {steps[i]['name']}") for i in range(min(index, len(steps)))]


def consult_units(dossier: Dossier) -> list[tuple[str, str]]:
    return [(u.code, u.name) for u in Unit.objects.filter(is_active=True).exclude(pk=dossier.current_step_unit_id)
            .order_by("name")]


def open_consultations(actor: Actor, dossier: Dossier) -> list[Consultation]:
    """Consultations of this dossier waiting for an answer from one of the official's units."""
    units = actor.unit_ids()
    if not units:
        return []
    return list(dossier.consultations.filter(unit_id__in=units, answered_at__isnull=True)
                .select_related("unit").order_by("asked_at", "id"))


def _consultation_label(row: Consultation) -> str:
    question = row.question if len(row.question) <= 80 else row.question[:79] + "…"
    return _("%(unit)s: %(question)s (hạn %(due)s)") % {
        "unit": row.unit.name, "question": question, "due": f"{clock.local(row.due_at):%H:%M %d/%m/%Y}"}


def build_form(name: str, dossier: Dossier, data: Any = None, files: Any = None, *,
               actor: Actor | None = None) -> forms.Form:
    prefix = name
    version = dossier.procedure_version
    if name in {"refuse", "withdraw", "stop"}:
        return ReasonForm(data, prefix=prefix)
    if name == "request-supplement":
        return SupplementRequestForm(data, prefix=prefix, documents=version.documents)
    if name == "supplement":
        return SupplementOnBehalfForm(data, files, prefix=prefix, documents=version.documents)
    if name == "forward":
        return ForwardForm(data, prefix=prefix, assignees=next_step_assignees(dossier))
    if name == "request-payment":
        return PaymentForm(data, prefix=prefix, fees=version.fees)
    if name == "resolve":
        return ResolveForm(data, prefix=prefix)
    if name == "apologize":
        return ApologizeForm(data, prefix=prefix)
    if name == "claim":
        return EmptyForm(data, prefix=prefix)
    if name == "reassign":
        return ReassignForm(data, prefix=prefix, officials=step_officials(dossier))
    if name == "send-back":
        return SendBackForm(data, prefix=prefix, steps=earlier_steps(dossier))
    if name == "consult":
        return ConsultForm(data, prefix=prefix, units=consult_units(dossier))
    if name == "answer-consultation":
        rows = open_consultations(actor, dossier) if actor is not None else []
        return AnswerConsultationForm(data, prefix=prefix, open_items=[(r.pk, _consultation_label(r)) for r in rows])
    return NoteForm(data, prefix=prefix)


def perform(name: str, form: forms.Form, *, actor: Actor, code: str, expected_version: int | None) -> Any:
    """Call the one service behind an action with what the form holds."""
    data = form.cleaned_data
    common = {"actor": actor, "code": code, "expected_version": expected_version}
    calls: dict[str, Callable[[], Any]] = {
        "claim": lambda: dossier_claim(**common),
        "reassign": lambda: dossier_reassign(assignee=data.get("assignee") or None, note=data.get("note", ""),
                                             **common),
        "send-back": lambda: dossier_send_back(reason=data["reason"], step=data["step"], **common),
        "consult": lambda: dossier_consult(unit=data["unit"], question=data["question"], hours=data["hours"],
                                           **common),
        "answer-consultation": lambda: dossier_answer_consultation(
            consultation=data["consultation"], answer=data["answer"], **common),
        "accept": lambda: dossier_accept(note=data.get("note", ""), **common),
        "refuse": lambda: dossier_refuse(reason=data["reason"], **common),
        "request-supplement": lambda: dossier_request_supplement(
            reason=data["reason"], items=form.items(), **common),  # type: ignore[attr-defined]
        "forward": lambda: dossier_forward(note=data.get("note", ""), assignee=data.get("assignee") or None, **common),
        "request-payment": lambda: dossier_request_payment(
            fees=form.fees(), note=data.get("note", ""), **common),  # type: ignore[attr-defined]
        "confirm-payment": lambda: dossier_confirm_payment(note=data.get("note", ""), **common),
        "resolve": lambda: dossier_resolve(decision=data["decision"], note=data.get("note", ""), **common),
        "return": lambda: dossier_return(note=data.get("note", ""), **common),
        "withdraw": lambda: dossier_withdraw(reason=data["reason"], **common),
        "stop": lambda: dossier_stop(reason=data["reason"], **common),
        "apologize": lambda: dossier_apologize(reason=data["reason"], new_due_at=data["new_due_at"], **common),
    }
    return calls[name]()


# Where a service's `details.field` goes on the action forms.
ERROR_FIELDS = {"reason": "reason", "note": "note", "new_due_at": "new_due_at", "question": "question",
                "answer": "answer"}
# Errors that name no field but belong to one.
CODE_FIELDS = {"invalid_assignee": "assignee", "invalid_step": "step", "invalid_unit": "unit",
               "invalid_hours": "hours", "already_answered": "consultation"}


def error_field(form: forms.Form, exc: DomainError) -> None:
    """A service's error next to its field on an action form, else above the form."""
    target = ERROR_FIELDS.get(str(exc.details.get("field", ""))) or CODE_FIELDS.get(exc.code)
    form.add_error(target if target and target in form.fields else None, exc.message)
