"""Step-level work inside a status: claim and reassign a step, send a dossier back to an earlier
step, consult another unit (xin ý kiến) and answer it (issue 4, domain-rules §4 per-step rules)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.accounts.selectors import Actor
from motcua.core import clock
from motcua.core.errors import Conflict, NotFound, ValidationFailed
from motcua.core.text import nfc
from motcua.units.selectors import unit_get_by_code
from motcua.workflow.domain import Action
from motcua.workflow.steps import send_back_target

from ..models import Consultation, Dossier
from .common import (
    action_time,
    add_route,
    check_refusal,
    check_transition,
    has_role_at,
    lock_dossier,
    record_event,
    require_text,
    save_changed,
    step_outcome,
)
from .routing import enter_step
from .timing import calendar_for


@transaction.atomic
def dossier_claim(*, actor: Actor, code: str, at: datetime | None = None,
                  expected_version: int | None = None) -> Dossier:
    """An official of the step's pool takes the current step for themselves."""
    at = action_time(at)
    dossier = lock_dossier(code, expected_version)
    check_transition(actor, dossier, Action.CLAIM)
    check_refusal(dossier, Action.CLAIM, at)  # a step someone holds goes on with `reassign`
    assert actor.user is not None
    dossier.current_assignee = actor.user
    save_changed(dossier)
    record_event(dossier=dossier, actor=actor, action=Action.CLAIM, at=at, from_status=dossier.status,
                 from_unit_id=dossier.current_step_unit_id, to_unit_id=dossier.current_step_unit_id,
                 data={"assignee": actor.user.username})
    return dossier


@transaction.atomic
def dossier_reassign(*, actor: Actor, code: str, assignee: str | None, note: str = "", at: datetime | None = None,
                     expected_version: int | None = None) -> Dossier:
    """Give the current step to another official holding its role at its unit (or back to the pool)."""
    at = action_time(at)
    dossier = lock_dossier(code, expected_version)
    check_transition(actor, dossier, Action.REASSIGN)
    step = dossier.current_step()
    user = None
    if assignee:
        user = User.objects.filter(username=assignee, is_active=True).first()
        if user is None or step is None or not has_role_at(user.pk, step.role, dossier.current_step_unit_id or 0):
            raise ValidationFailed("invalid_assignee", _("Người được giao không có vai trò của bước hiện tại."),
                                   details={"assignee": assignee})
    previous = dossier.current_assignee.username if dossier.current_assignee else None
    dossier.current_assignee = user
    save_changed(dossier)
    record_event(dossier=dossier, actor=actor, action=Action.REASSIGN, at=at, from_status=dossier.status,
                 from_unit_id=dossier.current_step_unit_id, to_unit_id=dossier.current_step_unit_id, note=nfc(note),
                 data={"from": previous, "to": assignee or None})
    return dossier


@transaction.atomic
def dossier_send_back(*, actor: Actor, code: str, reason: str, step: int | None = None, at: datetime | None = None,
                      expected_version: int | None = None) -> Dossier:
    """Return the dossier to an earlier step (default: the previous one), with a reason."""
    at = action_time(at)
    dossier = lock_dossier(code, expected_version)
    old = dossier.status
    new = check_transition(actor, dossier, Action.SEND_BACK)
    reason = nfc(require_text(reason, "reason"))
    index = dossier.current_step_index
    invalid = {"current": index, "step": step}
    check_refusal(dossier, Action.SEND_BACK, at, details=invalid)
    target = send_back_target(dossier.steps, index, step)
    if target is None:
        raise ValidationFailed("invalid_step", _("Chỉ có thể trả lại một bước trước bước hiện tại."), details=invalid)
    current, unit_id, due = dossier.current_step(), dossier.current_step_unit_id, dossier.current_step_due_at
    result = step_outcome(at, due)
    dossier.status = new
    enter_step(dossier, target, at)
    save_changed(dossier)
    add_route(dossier, dossier.current_step_unit_id)
    record_event(dossier=dossier, actor=actor, action=Action.SEND_BACK, at=at, from_status=old, from_unit_id=unit_id,
                 to_unit_id=dossier.current_step_unit_id, step=current, step_due_at=due, step_outcome=result,
                 note=reason, data={"reason": reason, "to_step": target})
    return dossier


@transaction.atomic
def dossier_consult(*, actor: Actor, code: str, unit: str, question: str, hours: float | Decimal = 8,
                    at: datetime | None = None, expected_version: int | None = None) -> Consultation:
    """Ask another unit's opinion; its answer is due in `hours` working hours."""
    at = action_time(at)
    dossier = lock_dossier(code, expected_version)
    check_transition(actor, dossier, Action.CONSULT)
    question = nfc(require_text(question, "question"))
    target = unit_get_by_code(unit)
    if target.pk == dossier.current_step_unit_id:
        raise ValidationFailed("invalid_unit", _("Không thể xin ý kiến chính đơn vị đang xử lý."))
    try:
        amount = Decimal(str(hours))
    except InvalidOperation as exc:
        raise ValidationFailed("invalid_hours", _("Số giờ không hợp lệ.")) from exc
    if not Decimal(0) < amount <= Decimal(400):
        raise ValidationFailed("invalid_hours", _("Thời hạn trả lời phải từ 0 đến 400 giờ làm việc."))
    due = calendar_for(dossier).add_working_time(at, timedelta(hours=float(amount)))
    consultation = Consultation.objects.create(dossier=dossier, unit=target, question=question, asked_by=actor.user,
                                               asked_at=at, due_at=due)
    dossier.open_consultations += 1
    save_changed(dossier)
    add_route(dossier, target.pk)
    record_event(dossier=dossier, actor=actor, action=Action.CONSULT, at=at, from_status=dossier.status,
                 from_unit_id=dossier.current_step_unit_id, to_unit_id=target.pk, note=question,
                 data={"consultation": consultation.pk, "due_at": clock.local(due).isoformat()})
    return consultation


@transaction.atomic
def dossier_answer_consultation(*, actor: Actor, code: str, consultation: int | None, answer: str,
                                at: datetime | None = None, expected_version: int | None = None) -> Consultation:
    """A consulted unit gives its opinion (once per consultation)."""
    at = action_time(at)
    dossier = lock_dossier(code, expected_version)
    check_transition(actor, dossier, Action.ANSWER_CONSULTATION)
    answer = nfc(require_text(answer, "answer"))
    row = (Consultation.objects.select_for_update().filter(pk=consultation, dossier=dossier).first()
           if consultation is not None else None)
    if row is None:
        raise NotFound("not_found", _("Không tìm thấy yêu cầu xin ý kiến."))
    if row.answered_at is not None:
        raise Conflict("already_answered", _("Yêu cầu xin ý kiến này đã được trả lời."))
    if not actor.system and row.unit_id not in actor.unit_ids():
        raise ValidationFailed("forbidden", _("Chỉ đơn vị được xin ý kiến mới trả lời."), status=403)
    row.answer, row.answered_by, row.answered_at = answer, actor.user, at
    row.outcome = step_outcome(at, row.due_at)
    row.save(update_fields=["answer", "answered_by", "answered_at", "outcome"])
    dossier.open_consultations = max(dossier.open_consultations - 1, 0)
    save_changed(dossier)
    record_event(dossier=dossier, actor=actor, action=Action.ANSWER_CONSULTATION, at=at, from_status=dossier.status,
                 from_unit_id=row.unit_id, to_unit_id=dossier.current_step_unit_id, step_outcome=row.outcome,
                 note=answer, data={"consultation": row.pk, "due_at": clock.local(row.due_at).isoformat()})
    return row
