"""Shared pieces of the dossier services: parties, locking, events, routes."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from motcua.accounts.models import Membership
from motcua.accounts.selectors import Actor
from motcua.audit.services import audit_record
from motcua.calendar.domain import outcome as date_outcome
from motcua.core import clock
from motcua.core.errors import Conflict, DomainError, Forbidden, NotFound, ValidationFailed
from motcua.units.models import Unit
from motcua.workflow.domain import Party, TransitionError, next_status
from motcua.workflow.permissions import Refusal, needs_consultation, parties, refusal
from motcua.workflow.steps import Step

from ..models import ActorDay, Consultation, Dossier, DossierEvent, DossierRoute
from ..state import state_of

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


def consulted(actor: Actor, dossier: Dossier) -> bool:
    """Whether one of the actor's units was asked for an opinion on the dossier and has not answered
    (the consultations are read only when the dossier has open ones)."""
    units = actor.unit_ids()
    return bool(units) and dossier.open_consultations > 0 and Consultation.objects.filter(
        dossier_id=dossier.pk, unit_id__in=units, answered_at__isnull=True).exists()


def parties_of(actor: Actor, dossier: Dossier, *, action: str | None = None) -> frozenset[Party]:
    """How the actor stands towards the dossier (workflow.permissions.parties). The consultations
    are read only for an `action` that depends on them (without one, CONSULTED is never included)."""
    ask = action is not None and needs_consultation(dossier.status, action)
    return parties(actor, state_of(dossier), consulted=ask and consulted(actor, dossier))


def action_time(at: datetime | None) -> datetime:
    """When an action happens: `at` (imports replay history) or now, in Vietnam time."""
    return clock.local(at or clock.now())


def save_changed(dossier: Dossier) -> None:
    """Save a changed dossier with its next row version (If-Match, `expected_version`)."""
    dossier.row_version += 1
    dossier.save()


def check_time(dossier: Dossier, at: datetime) -> None:
    """An action may not be dated before the dossier's latest event (replayed histories)."""
    last = dossier.events.order_by("-at", "-id").values_list("at", flat=True).first()
    if last is not None and at < last:
        raise ValidationFailed("event_before_previous", _("Thời điểm thao tác sớm hơn thao tác trước đó."),
                               details={"previous": last.isoformat()})


def lock_dossier(code: str, expected_version: int | None = None) -> Dossier:
    dossier = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("procedure_version", "procedure", "receiving_unit", "handling_unit", "current_step_unit")
        .filter(code=code)
        .first()
    )
    if dossier is None:
        raise NotFound("not_found", _("Không tìm thấy hồ sơ %(code)s.") % {"code": code})
    if expected_version is not None and dossier.row_version != expected_version:
        raise Conflict("stale_dossier", _("Hồ sơ vừa được người khác cập nhật; vui lòng tải lại."),
                       details={"current_version": dossier.row_version})
    return dossier


def check_transition(actor: Actor, dossier: Dossier, action: str) -> int:
    """The status after `action` by the actor (the gate, workflow.domain.next_status), or 409
    `invalid_transition` (not in this status) / 403 `forbidden` (not this actor)."""
    try:
        return next_status(dossier.status, action, parties_of(actor, dossier, action=action),
                           dossier.paused_from_status)
    except TransitionError as exc:
        if exc.code == "forbidden":
            raise Forbidden("forbidden", _("Bạn không có quyền thực hiện thao tác này với hồ sơ."),
                            details={"action": action}) from exc
        raise Conflict("invalid_transition", _("Không thể thực hiện thao tác này ở trạng thái hiện tại của hồ sơ."),
                       details={"action": action, "status": dossier.status}) from exc


# The error each refusal of workflow.permissions.refusal is answered with.
REFUSALS: dict[Refusal, tuple[type[DomainError], str, StrPromise]] = {
    Refusal.NO_NEXT_STEP: (Conflict, "invalid_transition", _l("Hồ sơ không còn bước tiếp theo để chuyển.")),
    Refusal.APPROVAL_ENDS_WITH_RESOLVE: (
        Conflict, "invalid_transition", _l("Bước phê duyệt kết thúc bằng thao tác giải quyết (resolve).")),
    Refusal.ALREADY_CLAIMED: (Conflict, "already_claimed", _l("Bước này đã có cán bộ nhận xử lý.")),
    Refusal.NO_EARLIER_STEP: (
        ValidationFailed, "invalid_step", _l("Chỉ có thể trả lại một bước trước bước hiện tại.")),
    Refusal.NOT_RECEIVED: (
        Conflict, "invalid_transition", _l("Hồ sơ chưa được tiếp nhận nên chưa có ngày hẹn trả để xin lỗi.")),
    Refusal.APOLOGY_ALREADY_ISSUED: (
        Conflict, "apology_already_issued", _l("Hồ sơ đã có phiếu xin lỗi và hẹn lại ngày trả kết quả.")),
    Refusal.APOLOGY_TOO_LATE: (
        Conflict, "apology_too_late", _l("Phiếu xin lỗi phải được lập trước ngày hẹn trả kết quả.")),
}


def max_apologies() -> int:
    return int(str(settings.MOTCUA["MAX_APOLOGIES"]))


def check_refusal(dossier: Dossier, action: str, at: datetime, details: dict[str, Any] | None = None) -> None:
    """Raise the error of the condition `action` adds to the table (workflow.permissions.refusal)."""
    why = refusal(action, state_of(dossier), at=at, max_apologies=max_apologies())
    if why is not None:
        kind, code, message = REFUSALS[why]
        if code == "invalid_transition":
            details = {"action": action, "status": dossier.status}
        raise kind(code, str(message), details=details or {})


def actor_unit_for(actor: Actor, preferred: list[int | None]) -> int | None:
    for unit_id in preferred:
        if unit_id is not None and unit_id in actor.roles_by_unit:
            return unit_id
    units = sorted(actor.roles_by_unit)
    return units[0] if units else None


def add_route(dossier: Dossier, *unit_ids: int | None) -> None:
    existing = set(DossierRoute.objects.filter(dossier=dossier).values_list("unit_id", flat=True))
    for unit_id in {u for u in unit_ids if u is not None} - existing:
        try:
            with transaction.atomic():
                DossierRoute.objects.create(dossier=dossier, unit_id=unit_id)
        except IntegrityError:  # pragma: no cover - another writer added it under our lock
            pass


def record_event(*, dossier: Dossier, actor: Actor, action: str, at: datetime, from_status: int | None,
                 from_unit_id: int | None = None, to_unit_id: int | None = None, step: Step | None = None,
                 step_due_at: datetime | None = None, step_outcome: str = "", note: str = "",
                 data: dict[str, Any] | None = None) -> DossierEvent:
    user = actor.user
    event = DossierEvent.objects.create(
        dossier=dossier, at=at, action=action, from_status=from_status, to_status=dossier.status,
        actor=user, actor_username=user.username if user else "system",
        actor_full_name=(user.full_name or user.username) if user else "Hệ thống",
        actor_unit_id=actor_unit_for(actor, [from_unit_id, dossier.receiving_unit_id, dossier.handling_unit_id]),
        from_unit_id=from_unit_id, to_unit_id=to_unit_id,
        step_name=step.name if step else "", step_due_at=step_due_at, step_outcome=step_outcome,
        note=note, data=data or {},
    )
    if user is not None:
        _count_actor_day(event)
    audit_record(actor=actor, action=f"dossier.{action}", obj=dossier, at=at,
                 data={"code": dossier.code, "from": from_status, "to": dossier.status})
    return event


def _count_actor_day(event: DossierEvent) -> None:
    """Add the event to its user's counts of the day (models.ActorDay), in the event's transaction."""
    table = ActorDay._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, actor_id, unit_key, actions, steps, late_steps, resolved) "  # noqa: S608 - our table
            f"VALUES (%s, %s, %s, 1, %s, %s, %s) ON CONFLICT (day, actor_id, unit_key) DO UPDATE SET "
            f"actions = {table}.actions + 1, steps = {table}.steps + excluded.steps, "
            f"late_steps = {table}.late_steps + excluded.late_steps, resolved = {table}.resolved + excluded.resolved",
            [clock.local(event.at).date(), event.actor_id, event.actor_unit_id or 0, int(event.step_outcome != ""),
             int(event.step_outcome == "late"), int(event.action == "resolve")],
        )


def step_outcome(done_at: datetime, due: datetime | None) -> str:
    """Early / on time / late for a hand-over: late when the step deadline has passed, early
    when done on an earlier date than the deadline, else on time."""
    if due is None:
        return ""
    if done_at > due:
        return "late"
    return "early" if date_outcome(done_at, due) == "early" else "on_time"


def unit_by_id(unit_id: int) -> Unit:
    return Unit.objects.get(pk=unit_id)


def has_role_at(user_id: int, role: str, unit_id: int) -> bool:
    return Membership.objects.filter(user_id=user_id, role=role, unit_id=unit_id).exists()


def require_text(value: str | None, field: str) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError("reason_required", _("Vui lòng nhập lý do."), details={"field": field})
    return text
