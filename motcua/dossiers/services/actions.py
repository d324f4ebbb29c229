"""The dossier actions of the contract. Each is one transaction on a locked row: the gate
(`check_transition`), the conditions the action adds (`check_refusal`), the change, an event and an
audit row. The registry (`registry.py`) names them, with their inputs, for the API, the desk and
the import."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.accounts.selectors import Actor
from motcua.calendar.domain import outcome as date_outcome
from motcua.core import clock
from motcua.core.errors import ValidationFailed
from motcua.core.text import nfc
from motcua.workflow.domain import FINISHING, PAUSED, Action, Status
from motcua.workflow.steps import Step, next_index

from ..models import Dossier, DossierFee, DossierPause
from . import effects
from .common import (
    action_time,
    add_route,
    check_refusal,
    check_time,
    check_transition,
    has_role_at,
    lock_dossier,
    record_event,
    require_text,
    save_changed,
    step_outcome,
)
from .inputs import FeeLine, SupplementItem
from .results import result_prepare
from .routing import enter_step
from .timing import calendar_for, restart_clock, start_clock


def _start_pause(dossier: Dossier, kind: str, at: datetime) -> None:
    dossier.paused_from_status = dossier.status
    DossierPause.objects.create(dossier=dossier, kind=kind, started_at=at)


def _end_pause(dossier: Dossier, at: datetime) -> timedelta:
    """Close the open pause; move the due dates by the paused working time (or restart the
    clock, by the procedure's pause rule). Returns the paused working time."""
    pause = dossier.pauses.filter(ended_at__isnull=True).order_by("-started_at").first()
    dossier.paused_from_status = None
    if pause is None:
        return timedelta(0)
    cal = calendar_for(dossier)
    paused = cal.working_time_between(pause.started_at, at)
    pause.ended_at = at
    pause.working_seconds = int(paused.total_seconds())
    pause.save(update_fields=["ended_at", "working_seconds"])
    if dossier.due_at is None:  # paused before receipt: the clock had not started
        return paused
    if dossier.procedure_version.pause_rule == "restart" and pause.kind == "supplement":
        restart_clock(dossier, at)
        if dossier.current_step() is not None:
            enter_step(dossier, dossier.current_step_index, at)
        return paused
    dossier.due_at = cal.shift_by_pause(dossier.due_at, paused)
    if dossier.original_due_at is not None:
        dossier.original_due_at = cal.shift_by_pause(dossier.original_due_at, paused)
    if dossier.current_step_due_at is not None:
        dossier.current_step_due_at = cal.shift_by_pause(dossier.current_step_due_at, paused)
    return paused


def _finish(dossier: Dossier, at: datetime, new_status: int) -> None:
    if dossier.status in PAUSED:
        _end_pause(dossier, at)
    dossier.status = new_status
    if new_status in FINISHING:
        dossier.finished_at = at
        if dossier.original_due_at is not None and new_status != Status.REFUSED:
            dossier.outcome = date_outcome(at, dossier.original_due_at)


def _complete_step(dossier: Dossier, at: datetime) -> tuple[Step | None, int | None, datetime | None, str]:
    step = dossier.current_step()
    return step, dossier.current_step_unit_id, dossier.current_step_due_at, step_outcome(at, dossier.current_step_due_at)


@transaction.atomic
def dossier_accept(*, actor: Actor, code: str, note: str = "", at: datetime | None = None,
                   expected_version: int | None = None) -> Dossier:
    at = action_time(at)
    dossier = lock_dossier(code, expected_version)
    new = check_transition(actor, dossier, Action.ACCEPT)
    check_time(dossier, at)
    step, unit_id, due, result = _complete_step(dossier, at)
    dossier.status = new
    start_clock(dossier, at)
    enter_step(dossier, dossier.current_step_index or 0, at)
    save_changed(dossier)
    assert dossier.due_at is not None and dossier.clock_start is not None
    record_event(dossier=dossier, actor=actor, action=Action.ACCEPT, at=at, from_status=Status.SUBMITTED,
                 from_unit_id=unit_id, to_unit_id=dossier.current_step_unit_id, step=step, step_due_at=due,
                 step_outcome=result, note=nfc(note),
                 data={"checked_late": result == "late", "due_at": clock.local(dossier.due_at).isoformat(),
                       "clock_start": clock.local(dossier.clock_start).isoformat()})
    return dossier


@transaction.atomic
def dossier_refuse(*, actor: Actor, code: str, reason: str, at: datetime | None = None,
                   expected_version: int | None = None) -> Dossier:
    at = action_time(at)
    dossier = lock_dossier(code, expected_version)
    new = check_transition(actor, dossier, Action.REFUSE)
    reason = nfc(require_text(reason, "reason"))
    check_time(dossier, at)
    step, unit_id, due, result = _complete_step(dossier, at)
    _finish(dossier, at, new)
    enter_step(dossier, None, at)
    save_changed(dossier)
    record_event(dossier=dossier, actor=actor, action=Action.REFUSE, at=at, from_status=Status.SUBMITTED,
                 from_unit_id=unit_id, step=step, step_due_at=due, step_outcome=result, note=reason,
                 data={"reason": reason})
    return dossier


@transaction.atomic
def dossier_request_supplement(*, actor: Actor, code: str, reason: str, items: Sequence[SupplementItem] = (),
                               at: datetime | None = None, expected_version: int | None = None) -> Dossier:
    at = action_time(at)
    dossier = lock_dossier(code, expected_version)
    old = dossier.status
    new = check_transition(actor, dossier, Action.REQUEST_SUPPLEMENT)
    reason = nfc(require_text(reason, "reason"))
    clean_items = []
    for item in items:
        name = nfc(item.name.strip())
        if not name:
            raise ValidationFailed("invalid_items", _("Mỗi giấy tờ cần bổ sung phải có tên."))
        clean_items.append({"document": item.document or None, "name": name, "note": nfc(item.note or "")})
    check_time(dossier, at)
    _start_pause(dossier, "supplement", at)
    dossier.status = new
    dossier.supplement_requests += 1
    save_changed(dossier)
    record_event(dossier=dossier, actor=actor, action=Action.REQUEST_SUPPLEMENT, at=at, from_status=old,
                 from_unit_id=dossier.current_step_unit_id, to_unit_id=dossier.receiving_unit_id, note=reason,
                 data={"reason": reason, "items": clean_items, "round": dossier.supplement_requests,
                       "repeated": dossier.supplement_requests > 1})
    return dossier


@transaction.atomic
def dossier_supplement(*, actor: Actor, code: str, note: str = "", at: datetime | None = None,
                       expected_version: int | None = None) -> Dossier:
    at = action_time(at)
    dossier = lock_dossier(code, expected_version)
    new = check_transition(actor, dossier, Action.SUPPLEMENT)
    check_time(dossier, at)
    paused = _end_pause(dossier, at)
    dossier.status = new
    save_changed(dossier)
    record_event(dossier=dossier, actor=actor, action=Action.SUPPLEMENT, at=at, from_status=Status.SUPPLEMENT,
                 to_unit_id=dossier.current_step_unit_id, note=nfc(note),
                 data={"paused_working_seconds": int(paused.total_seconds())})
    return dossier


@transaction.atomic
def dossier_forward(*, actor: Actor, code: str, note: str = "", assignee: str | None = None,
                    at: datetime | None = None, expected_version: int | None = None) -> Dossier:
    at = action_time(at)
    dossier = lock_dossier(code, expected_version)
    old = dossier.status
    new = check_transition(actor, dossier, Action.FORWARD)
    check_refusal(dossier, Action.FORWARD, at)
    check_time(dossier, at)
    step, unit_id, due, result = _complete_step(dossier, at)
    dossier.status = new
    next_step = enter_step(dossier, next_index(dossier.steps, dossier.current_step_index), at)
    if assignee:
        user = User.objects.filter(username=assignee, is_active=True).first()
        if user is None or next_step is None or not has_role_at(user.pk, next_step.role,
                                                                  dossier.current_step_unit_id or 0):
            raise ValidationFailed("invalid_assignee", _("Người được giao không có vai trò của bước tiếp theo."),
                                   details={"assignee": assignee})
        dossier.current_assignee = user
    save_changed(dossier)
    add_route(dossier, dossier.current_step_unit_id)
    record_event(dossier=dossier, actor=actor, action=Action.FORWARD, at=at, from_status=old, from_unit_id=unit_id,
                 to_unit_id=dossier.current_step_unit_id, step=step, step_due_at=due, step_outcome=result,
                 note=nfc(note), data={"next_step": next_step.name if next_step else None,
                                       "next_step_due_at": dossier.current_step_due_at.isoformat()
                                       if dossier.current_step_due_at else None,
                                       "assignee": assignee})
    return dossier


@transaction.atomic
def dossier_request_payment(*, actor: Actor, code: str, fees: Sequence[FeeLine], note: str = "",
                            at: datetime | None = None, expected_version: int | None = None) -> Dossier:
    at = action_time(at)
    dossier = lock_dossier(code, expected_version)
    new = check_transition(actor, dossier, Action.REQUEST_PAYMENT)
    if not fees:
        raise ValidationFailed("fees_required", _("Vui lòng nêu khoản phí, lệ phí phải nộp."))
    known = {str(f["code"]): str(f.get("name", "")) for f in dossier.procedure_version.fees}
    check_time(dossier, at)
    for fee in fees:
        if fee.amount < 0:
            raise ValidationFailed("invalid_amount", _("Số tiền không hợp lệ."))
        DossierFee.objects.update_or_create(
            dossier=dossier, code=fee.code,
            defaults={"amount": fee.amount, "paid": False, "paid_at": None,
                      "name": fee.name or known.get(fee.code, "")},
        )
    _start_pause(dossier, "payment", at)
    dossier.status = new
    save_changed(dossier)
    record_event(dossier=dossier, actor=actor, action=Action.REQUEST_PAYMENT, at=at, from_status=Status.IN_PROGRESS,
                 from_unit_id=dossier.current_step_unit_id, to_unit_id=dossier.receiving_unit_id, note=nfc(note),
                 data={"fees": [{"code": f.code, "amount": f.amount} for f in fees]})
    return dossier


@transaction.atomic
def dossier_confirm_payment(*, actor: Actor, code: str, note: str = "", at: datetime | None = None,
                            expected_version: int | None = None) -> Dossier:
    at = action_time(at)
    dossier = lock_dossier(code, expected_version)
    new = check_transition(actor, dossier, Action.CONFIRM_PAYMENT)
    check_time(dossier, at)
    paused = _end_pause(dossier, at)
    dossier.fees.filter(paid=False).update(paid=True, paid_at=at)
    dossier.status = new
    save_changed(dossier)
    record_event(dossier=dossier, actor=actor, action=Action.CONFIRM_PAYMENT, at=at, from_status=Status.PAYMENT,
                 to_unit_id=dossier.current_step_unit_id, note=nfc(note),
                 data={"paused_working_seconds": int(paused.total_seconds())})
    return dossier


@transaction.atomic
def dossier_resolve(*, actor: Actor, code: str, decision: str = "approved", note: str = "",
                    at: datetime | None = None, expected_version: int | None = None) -> Dossier:
    """The leader's decision. The signed result (or refusal letter) is made once the decision is
    committed (`results.result_issue`, an effect); a leader whose credential is missing (when signed
    results are required) or cannot be opened is refused before anything is written."""
    at = action_time(at)
    dossier = lock_dossier(code, expected_version)
    new = check_transition(actor, dossier, Action.RESOLVE)
    if decision not in {"approved", "denied"}:
        raise ValidationFailed("invalid_decision", _("Quyết định phải là approved hoặc denied."))
    check_time(dossier, at)
    result_prepare(actor)
    step, unit_id, due, result = _complete_step(dossier, at)
    _finish(dossier, at, new)
    dossier.decision = decision
    enter_step(dossier, next_index(dossier.steps, dossier.current_step_index), at)
    save_changed(dossier)
    add_route(dossier, dossier.current_step_unit_id)
    event = record_event(dossier=dossier, actor=actor, action=Action.RESOLVE, at=at, from_status=Status.IN_PROGRESS,
                         from_unit_id=unit_id, to_unit_id=dossier.current_step_unit_id, step=step, step_due_at=due,
                         step_outcome=result, note=nfc(note), data={"decision": decision, "outcome": dossier.outcome})
    effects.schedule(effects.ISSUE_RESULT, event.pk)
    return dossier


@transaction.atomic
def dossier_return(*, actor: Actor, code: str, note: str = "", at: datetime | None = None,
                   expected_version: int | None = None) -> Dossier:
    at = action_time(at)
    dossier = lock_dossier(code, expected_version)
    new = check_transition(actor, dossier, Action.RETURN)
    check_time(dossier, at)
    step, unit_id, due, result = _complete_step(dossier, at)
    dossier.status = new
    dossier.returned_at = at
    enter_step(dossier, None, at)
    save_changed(dossier)
    record_event(dossier=dossier, actor=actor, action=Action.RETURN, at=at, from_status=Status.RESOLVED,
                 from_unit_id=unit_id or dossier.receiving_unit_id, step=step, step_due_at=due,
                 step_outcome=result, note=nfc(note), data={"result_delivery": dossier.result_delivery})
    return dossier


def _close(actor: Actor, code: str, action: Action, reason: str, at: datetime | None,
           expected_version: int | None) -> Dossier:
    """Withdraw or stop: finish the dossier with a reason, wherever it stands."""
    at = action_time(at)
    dossier = lock_dossier(code, expected_version)
    old = dossier.status
    new = check_transition(actor, dossier, action)
    reason = nfc(require_text(reason, "reason"))
    check_time(dossier, at)
    unit_id = dossier.current_step_unit_id
    _finish(dossier, at, new)
    enter_step(dossier, None, at)
    save_changed(dossier)
    record_event(dossier=dossier, actor=actor, action=action, at=at, from_status=old, from_unit_id=unit_id,
                 note=reason, data={"reason": reason, "outcome": dossier.outcome or None})
    return dossier


@transaction.atomic
def dossier_withdraw(*, actor: Actor, code: str, reason: str, at: datetime | None = None,
                     expected_version: int | None = None) -> Dossier:
    """The applicant withdraws the dossier (or reception records it on their behalf)."""
    return _close(actor, code, Action.WITHDRAW, reason, at, expected_version)


@transaction.atomic
def dossier_stop(*, actor: Actor, code: str, reason: str, at: datetime | None = None,
                 expected_version: int | None = None) -> Dossier:
    """The leader of the handling unit stops processing the dossier."""
    return _close(actor, code, Action.STOP, reason, at, expected_version)


@transaction.atomic
def dossier_apologize(*, actor: Actor, code: str, reason: str, new_due_at: datetime | None,
                      at: datetime | None = None, expected_version: int | None = None) -> Dossier:
    """Mẫu 04: apology with a new appointment date, once, before the due date. The original
    due date stays on record for the outcome."""
    if new_due_at is None:
        raise ValidationFailed("invalid_new_due_at", _("Vui lòng nhập ngày hẹn trả mới."))
    at = action_time(at)
    dossier = lock_dossier(code, expected_version)
    check_transition(actor, dossier, Action.APOLOGIZE)
    reason = nfc(require_text(reason, "reason"))
    check_refusal(dossier, Action.APOLOGIZE, at)
    if new_due_at.tzinfo is None:
        raise ValidationFailed("datetime_without_offset", _("Thời điểm phải có múi giờ."))
    assert dossier.due_at is not None  # check_refusal: a dossier not received has nothing to apologise for
    if new_due_at <= dossier.due_at:
        raise ValidationFailed("invalid_new_due_at", _("Ngày hẹn mới phải sau ngày hẹn trả hiện tại."),
                               details={"due_at": clock.local(dossier.due_at).isoformat()})
    check_time(dossier, at)
    cal = calendar_for(dossier)
    warn_window = cal.working_time_between(at, dossier.due_at) < timedelta(hours=float(cal.hours_per_working_day))
    old_due = dossier.due_at
    dossier.due_at = clock.local(new_due_at)
    dossier.apology_count += 1
    save_changed(dossier)
    record_event(dossier=dossier, actor=actor, action=Action.APOLOGIZE, at=at, from_status=dossier.status,
                 from_unit_id=dossier.handling_unit_id, note=reason,
                 data={"reason": reason, "previous_due_at": clock.local(old_due).isoformat(),
                       "new_due_at": dossier.due_at.isoformat(), "within_last_working_day": warn_window})
    return dossier
