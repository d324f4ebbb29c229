"""The dossier actions of the contract. Each is one transaction on a locked row."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.selectors import Actor
from motcua.calendar.domain import outcome as date_outcome
from motcua.core import clock
from motcua.core.errors import Conflict, ValidationFailed
from motcua.core.text import nfc
from motcua.workflow.domain import FINISHING, Status

from ..models import Dossier, DossierFee, DossierPause
from .common import add_route, check_transition, has_role_at, lock_dossier, record_event, require_text, step_outcome
from .create import enter_step
from .results import result_issue
from .timing import calendar_for, restart_clock, start_clock


def _now(at: datetime | None) -> datetime:
    return clock.local(at or clock.now())


def _check_time(dossier: Dossier, at: datetime) -> None:
    last = dossier.events.order_by("-at", "-id").values_list("at", flat=True).first()
    if last is not None and at < last:
        raise ValidationFailed("event_before_previous", _("Thời điểm thao tác sớm hơn thao tác trước đó."),
                               details={"previous": last.isoformat()})


def _save(dossier: Dossier) -> None:
    dossier.row_version += 1
    dossier.save()


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
        step = dossier.current_step()
        if step is not None:
            enter_step(dossier, dossier.current_step_index, at)
        return paused
    dossier.due_at = cal.shift_by_pause(dossier.due_at, paused)
    if dossier.original_due_at is not None:
        dossier.original_due_at = cal.shift_by_pause(dossier.original_due_at, paused)
    if dossier.current_step_due_at is not None:
        dossier.current_step_due_at = cal.shift_by_pause(dossier.current_step_due_at, paused)
    return paused


def _finish(dossier: Dossier, at: datetime, new_status: int) -> None:
    if dossier.status in (Status.SUPPLEMENT, Status.PAYMENT):
        _end_pause(dossier, at)
    dossier.status = new_status
    if new_status in FINISHING:
        dossier.finished_at = at
        if dossier.original_due_at is not None and new_status != Status.REFUSED:
            dossier.outcome = date_outcome(at, dossier.original_due_at)


def _complete_step(dossier: Dossier, at: datetime) -> tuple[dict[str, Any] | None, int | None, datetime | None, str]:
    step = dossier.current_step()
    return step, dossier.current_step_unit_id, dossier.current_step_due_at, step_outcome(at, dossier.current_step_due_at)


@transaction.atomic
def dossier_accept(*, actor: Actor, code: str, note: str = "", at: datetime | None = None,
                   expected_version: int | None = None) -> Dossier:
    at = _now(at)
    dossier = lock_dossier(code, expected_version)
    new = check_transition(actor, dossier, "accept")
    _check_time(dossier, at)
    step, unit_id, due, result = _complete_step(dossier, at)
    dossier.status = new
    start_clock(dossier, at)
    enter_step(dossier, dossier.current_step_index or 0, at)
    _save(dossier)
    record_event(dossier=dossier, actor=actor, action="accept", at=at, from_status=1, from_unit_id=unit_id,
                 to_unit_id=dossier.current_step_unit_id, step=step, step_due_at=due, step_outcome=result,
                 note=nfc(note), data={"checked_late": result == "late", "due_at": clock.local(dossier.due_at).isoformat(),
                                       "clock_start": clock.local(dossier.clock_start).isoformat()})
    return dossier


@transaction.atomic
def dossier_refuse(*, actor: Actor, code: str, reason: str, at: datetime | None = None,
                   expected_version: int | None = None) -> Dossier:
    at = _now(at)
    dossier = lock_dossier(code, expected_version)
    new = check_transition(actor, dossier, "refuse")
    reason = nfc(require_text(reason, "reason"))
    _check_time(dossier, at)
    step, unit_id, due, result = _complete_step(dossier, at)
    _finish(dossier, at, new)
    enter_step(dossier, None, at)
    _save(dossier)
    record_event(dossier=dossier, actor=actor, action="refuse", at=at, from_status=1, from_unit_id=unit_id,
                 step=step, step_due_at=due, step_outcome=result, note=reason, data={"reason": reason})
    return dossier


@transaction.atomic
def dossier_request_supplement(*, actor: Actor, code: str, reason: str, items: list[dict[str, Any]] | None = None,
                               at: datetime | None = None, expected_version: int | None = None) -> Dossier:
    at = _now(at)
    dossier = lock_dossier(code, expected_version)
    old = dossier.status
    new = check_transition(actor, dossier, "request-supplement")
    reason = nfc(require_text(reason, "reason"))
    clean_items = []
    for item in items or []:
        name = nfc(str(item.get("name") or "").strip())
        if not name:
            raise ValidationFailed("invalid_items", _("Mỗi giấy tờ cần bổ sung phải có tên."))
        clean_items.append({"document": item.get("document") or None, "name": name,
                            "note": nfc(str(item.get("note") or ""))})
    _check_time(dossier, at)
    _start_pause(dossier, "supplement", at)
    dossier.status = new
    dossier.supplement_requests += 1
    _save(dossier)
    record_event(dossier=dossier, actor=actor, action="request-supplement", at=at, from_status=old,
                 from_unit_id=dossier.current_step_unit_id, to_unit_id=dossier.receiving_unit_id, note=reason,
                 data={"reason": reason, "items": clean_items, "round": dossier.supplement_requests,
                       "repeated": dossier.supplement_requests > 1})
    return dossier


@transaction.atomic
def dossier_supplement(*, actor: Actor, code: str, note: str = "", at: datetime | None = None,
                       expected_version: int | None = None) -> Dossier:
    at = _now(at)
    dossier = lock_dossier(code, expected_version)
    new = check_transition(actor, dossier, "supplement")
    _check_time(dossier, at)
    paused = _end_pause(dossier, at)
    dossier.status = new
    _save(dossier)
    record_event(dossier=dossier, actor=actor, action="supplement", at=at, from_status=Status.SUPPLEMENT,
                 to_unit_id=dossier.current_step_unit_id, note=nfc(note),
                 data={"paused_working_seconds": int(paused.total_seconds())})
    return dossier


@transaction.atomic
def dossier_forward(*, actor: Actor, code: str, note: str = "", assignee: str | None = None,
                    at: datetime | None = None, expected_version: int | None = None) -> Dossier:
    at = _now(at)
    dossier = lock_dossier(code, expected_version)
    old = dossier.status
    new = check_transition(actor, dossier, "forward")
    steps: list[dict[str, Any]] = dossier.procedure_version.workflow
    index = dossier.current_step_index
    if index is None or index + 1 >= len(steps):
        raise Conflict("invalid_transition", _("Hồ sơ không còn bước tiếp theo để chuyển."),
                       details={"action": "forward", "status": old})
    if steps[index]["role"] == "leader" and not any(s["role"] == "leader" for s in steps[index + 1:]):
        raise Conflict("invalid_transition", _("Bước phê duyệt kết thúc bằng thao tác giải quyết (resolve)."),
                       details={"action": "forward", "status": old})
    _check_time(dossier, at)
    step, unit_id, due, result = _complete_step(dossier, at)
    dossier.status = new
    next_step = enter_step(dossier, index + 1, at)
    if assignee:
        from motcua.accounts.models import User

        user = User.objects.filter(username=assignee, is_active=True).first()
        if user is None or next_step is None or not has_role_at(user.pk, str(next_step["role"]),
                                                                  dossier.current_step_unit_id or 0):
            raise ValidationFailed("invalid_assignee", _("Người được giao không có vai trò của bước tiếp theo."),
                                   details={"assignee": assignee})
        dossier.current_assignee = user
    _save(dossier)
    add_route(dossier, dossier.current_step_unit_id)
    record_event(dossier=dossier, actor=actor, action="forward", at=at, from_status=old, from_unit_id=unit_id,
                 to_unit_id=dossier.current_step_unit_id, step=step, step_due_at=due, step_outcome=result,
                 note=nfc(note), data={"next_step": next_step["name"] if next_step else None,
                                       "next_step_due_at": dossier.current_step_due_at.isoformat()
                                       if dossier.current_step_due_at else None,
                                       "assignee": assignee})
    return dossier


@transaction.atomic
def dossier_request_payment(*, actor: Actor, code: str, fees: list[dict[str, Any]], note: str = "",
                            at: datetime | None = None, expected_version: int | None = None) -> Dossier:
    at = _now(at)
    dossier = lock_dossier(code, expected_version)
    new = check_transition(actor, dossier, "request-payment")
    if not fees:
        raise ValidationFailed("fees_required", _("Vui lòng nêu khoản phí, lệ phí phải nộp."))
    known = {f["code"]: f for f in dossier.procedure_version.fees}
    _check_time(dossier, at)
    for fee in fees:
        amount = int(fee["amount"])
        if amount < 0:
            raise ValidationFailed("invalid_amount", _("Số tiền không hợp lệ."))
        DossierFee.objects.update_or_create(
            dossier=dossier, code=str(fee["code"]),
            defaults={"amount": amount, "paid": False, "paid_at": None,
                      "name": str(fee.get("name") or known.get(fee["code"], {}).get("name", ""))},
        )
    _start_pause(dossier, "payment", at)
    dossier.status = new
    _save(dossier)
    record_event(dossier=dossier, actor=actor, action="request-payment", at=at, from_status=Status.IN_PROGRESS,
                 from_unit_id=dossier.current_step_unit_id, to_unit_id=dossier.receiving_unit_id, note=nfc(note),
                 data={"fees": [{"code": str(f["code"]), "amount": int(f["amount"])} for f in fees]})
    return dossier


@transaction.atomic
def dossier_confirm_payment(*, actor: Actor, code: str, note: str = "", at: datetime | None = None,
                            expected_version: int | None = None) -> Dossier:
    at = _now(at)
    dossier = lock_dossier(code, expected_version)
    new = check_transition(actor, dossier, "confirm-payment")
    _check_time(dossier, at)
    paused = _end_pause(dossier, at)
    dossier.fees.filter(paid=False).update(paid=True, paid_at=at)
    dossier.status = new
    _save(dossier)
    record_event(dossier=dossier, actor=actor, action="confirm-payment", at=at, from_status=Status.PAYMENT,
                 to_unit_id=dossier.current_step_unit_id, note=nfc(note),
                 data={"paused_working_seconds": int(paused.total_seconds())})
    return dossier


@transaction.atomic
def dossier_resolve(*, actor: Actor, code: str, decision: str = "approved", note: str = "",
                    at: datetime | None = None, expected_version: int | None = None) -> Dossier:
    at = _now(at)
    dossier = lock_dossier(code, expected_version)
    new = check_transition(actor, dossier, "resolve")
    if decision not in {"approved", "denied"}:
        raise ValidationFailed("invalid_decision", _("Quyết định phải là approved hoặc denied."))
    _check_time(dossier, at)
    step, unit_id, due, result = _complete_step(dossier, at)
    _finish(dossier, at, new)
    dossier.decision = decision
    index = dossier.current_step_index
    enter_step(dossier, None if index is None else index + 1, at)
    _save(dossier)
    add_route(dossier, dossier.current_step_unit_id)
    record_event(dossier=dossier, actor=actor, action="resolve", at=at, from_status=Status.IN_PROGRESS,
                 from_unit_id=unit_id, to_unit_id=dossier.current_step_unit_id, step=step, step_due_at=due,
                 step_outcome=result, note=nfc(note), data={"decision": decision, "outcome": dossier.outcome})
    result_issue(actor=actor, dossier=dossier, decision=decision, note=nfc(note), at=at)  # signed result (issue 6)
    return dossier


@transaction.atomic
def dossier_return(*, actor: Actor, code: str, note: str = "", at: datetime | None = None,
                   expected_version: int | None = None) -> Dossier:
    at = _now(at)
    dossier = lock_dossier(code, expected_version)
    new = check_transition(actor, dossier, "return")
    _check_time(dossier, at)
    step, unit_id, due, result = _complete_step(dossier, at)
    dossier.status = new
    dossier.returned_at = at
    enter_step(dossier, None, at)
    _save(dossier)
    record_event(dossier=dossier, actor=actor, action="return", at=at, from_status=Status.RESOLVED,
                 from_unit_id=unit_id or dossier.receiving_unit_id, step=step, step_due_at=due,
                 step_outcome=result, note=nfc(note), data={"result_delivery": dossier.result_delivery})
    return dossier


@transaction.atomic
def dossier_withdraw(*, actor: Actor, code: str, reason: str, at: datetime | None = None,
                     expected_version: int | None = None) -> Dossier:
    at = _now(at)
    dossier = lock_dossier(code, expected_version)
    old = dossier.status
    new = check_transition(actor, dossier, "withdraw")
    reason = nfc(require_text(reason, "reason"))
    _check_time(dossier, at)
    unit_id = dossier.current_step_unit_id
    _finish(dossier, at, new)
    enter_step(dossier, None, at)
    _save(dossier)
    record_event(dossier=dossier, actor=actor, action="withdraw", at=at, from_status=old, from_unit_id=unit_id,
                 note=reason, data={"reason": reason, "outcome": dossier.outcome or None})
    return dossier


@transaction.atomic
def dossier_stop(*, actor: Actor, code: str, reason: str, at: datetime | None = None,
                 expected_version: int | None = None) -> Dossier:
    at = _now(at)
    dossier = lock_dossier(code, expected_version)
    old = dossier.status
    new = check_transition(actor, dossier, "stop")
    reason = nfc(require_text(reason, "reason"))
    _check_time(dossier, at)
    unit_id = dossier.current_step_unit_id
    _finish(dossier, at, new)
    enter_step(dossier, None, at)
    _save(dossier)
    record_event(dossier=dossier, actor=actor, action="stop", at=at, from_status=old, from_unit_id=unit_id,
                 note=reason, data={"reason": reason, "outcome": dossier.outcome or None})
    return dossier


@transaction.atomic
def dossier_apologize(*, actor: Actor, code: str, reason: str, new_due_at: datetime,
                      at: datetime | None = None, expected_version: int | None = None) -> Dossier:
    """Mẫu 04: apology with a new appointment date, once, before the due date. The original
    due date stays on record for the outcome."""
    at = _now(at)
    dossier = lock_dossier(code, expected_version)
    check_transition(actor, dossier, "apologize")
    reason = nfc(require_text(reason, "reason"))
    if dossier.apology_count >= int(settings.MOTCUA["MAX_APOLOGIES"]):
        raise Conflict("apology_already_issued", _("Hồ sơ đã có phiếu xin lỗi và hẹn lại ngày trả kết quả."))
    if new_due_at.tzinfo is None:
        raise ValidationFailed("datetime_without_offset", _("Thời điểm phải có múi giờ."))
    assert dossier.due_at is not None
    if new_due_at <= dossier.due_at:
        raise ValidationFailed("invalid_new_due_at", _("Ngày hẹn mới phải sau ngày hẹn trả hiện tại."),
                               details={"due_at": clock.local(dossier.due_at).isoformat()})
    if at > dossier.due_at:
        raise Conflict("apology_too_late", _("Phiếu xin lỗi phải được lập trước ngày hẹn trả kết quả."))
    _check_time(dossier, at)
    cal = calendar_for(dossier)
    warn_window = cal.working_time_between(at, dossier.due_at) < timedelta(hours=float(cal.hours_per_working_day))
    old_due = dossier.due_at
    dossier.due_at = clock.local(new_due_at)
    dossier.apology_count += 1
    _save(dossier)
    record_event(dossier=dossier, actor=actor, action="apologize", at=at, from_status=dossier.status,
                 from_unit_id=dossier.handling_unit_id, note=reason,
                 data={"reason": reason, "previous_due_at": clock.local(old_due).isoformat(),
                       "new_due_at": dossier.due_at.isoformat(), "within_last_working_day": warn_window})
    return dossier


def _parse_dt(value: Any) -> datetime:
    if isinstance(value, datetime):
        result = value
    else:
        try:
            result = datetime.fromisoformat(str(value))
        except ValueError as exc:
            raise ValidationFailed("invalid_datetime", _("Thời điểm không đúng định dạng ISO 8601.")) from exc
    if result.tzinfo is None:
        raise ValidationFailed("datetime_without_offset", _("Thời điểm phải có múi giờ (ví dụ +07:00)."))
    return result


ACTIONS: dict[str, Callable[..., Dossier]] = {
    "accept": lambda b, **kw: dossier_accept(note=b.get("note") or "", **kw),
    "refuse": lambda b, **kw: dossier_refuse(reason=b.get("reason") or "", **kw),
    "request-supplement": lambda b, **kw: dossier_request_supplement(
        reason=b.get("reason") or "", items=b.get("items") or [], **kw),
    "supplement": lambda b, **kw: dossier_supplement(note=b.get("note") or "", **kw),
    "forward": lambda b, **kw: dossier_forward(note=b.get("note") or "", assignee=b.get("assignee"), **kw),
    "request-payment": lambda b, **kw: dossier_request_payment(
        fees=b.get("fees") or [], note=b.get("note") or "", **kw),
    "confirm-payment": lambda b, **kw: dossier_confirm_payment(note=b.get("note") or "", **kw),
    "resolve": lambda b, **kw: dossier_resolve(
        decision=b.get("decision") or "approved", note=b.get("note") or "", **kw),
    "return": lambda b, **kw: dossier_return(note=b.get("note") or "", **kw),
    "withdraw": lambda b, **kw: dossier_withdraw(reason=b.get("reason") or "", **kw),
    "stop": lambda b, **kw: dossier_stop(reason=b.get("reason") or "", **kw),
    "apologize": lambda b, **kw: dossier_apologize(
        reason=b.get("reason") or "", new_due_at=_parse_dt(b.get("new_due_at")), **kw),
}


def _step_actions() -> dict[str, Callable[..., Any]]:
    from .steps import dossier_answer_consultation, dossier_claim, dossier_consult, dossier_reassign, dossier_send_back

    return {
        "claim": lambda b, **kw: dossier_claim(**kw),
        "reassign": lambda b, **kw: dossier_reassign(assignee=b.get("assignee"), note=b.get("note") or "", **kw),
        "send-back": lambda b, **kw: dossier_send_back(reason=b.get("reason") or "", step=b.get("step"), **kw),
        "consult": lambda b, **kw: dossier_consult(unit=str(b.get("unit") or ""), question=b.get("question") or "",
                                                   hours=b.get("hours", 8), **kw),
        "answer-consultation": lambda b, **kw: dossier_answer_consultation(
            consultation=int(b.get("consultation") or 0), answer=b.get("answer") or "", **kw),
    }


def dossier_perform(*, actor: Actor, code: str, action: str, body: dict[str, Any], at: datetime | None = None,
                    expected_version: int | None = None) -> Dossier:
    """Dispatch an action by its contract name."""
    handler = ACTIONS.get(action) or _step_actions().get(action)
    if handler is None:
        raise ValidationFailed("unknown_action", f"Không có thao tác {action!r}.", details={"action": action},
                               status=404)
    if action == "apologize" and not body.get("new_due_at"):
        raise ValidationFailed("invalid_new_due_at", _("Vui lòng nhập ngày hẹn trả mới."))
    result = handler(body, actor=actor, code=code, at=at, expected_version=expected_version)
    return result if isinstance(result, Dossier) else Dossier.objects.get(code=code)
