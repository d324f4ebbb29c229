"""Shared pieces of the dossier services: parties, locking, events, routes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import Membership
from motcua.accounts.selectors import Actor
from motcua.audit.services import audit_record
from motcua.calendar.domain import outcome as date_outcome
from motcua.core import clock
from motcua.core.errors import Conflict, DomainError, Forbidden, NotFound
from motcua.units.models import Unit
from motcua.workflow.domain import Party, TransitionError, next_status

from ..models import ActorDay, Dossier, DossierEvent, DossierRoute


def parties_of(actor: Actor, dossier: Dossier) -> set[Party]:
    parties: set[Party] = set()
    if actor.system:
        parties.add(Party.SYSTEM)
    if actor.user is not None and dossier.applicant_user_id == actor.user.pk:
        parties.add(Party.APPLICANT)
    if actor.has_role("reception", dossier.receiving_unit_id):
        parties.add(Party.RECEPTION)
    step = dossier.current_step()
    if step is not None and actor.has_role(str(step["role"]), dossier.current_step_unit_id):
        parties.add(Party.POOL)
        # A step assigned to a named official is theirs; unassigned, the whole pool may act.
        if dossier.current_assignee_id is None or (actor.user is not None
                                                   and dossier.current_assignee_id == actor.user.pk):
            parties.add(Party.HANDLER)
    if actor.unit_ids() and dossier.consultations.filter(
            unit_id__in=actor.unit_ids(), answered_at__isnull=True).exists():
        parties.add(Party.CONSULTED)
    if actor.has_role("leader", dossier.handling_unit_id):
        parties.add(Party.LEADER)
    steps = dossier.procedure_version.workflow
    leader_now = step is not None and step["role"] == "leader"
    no_leader_step = not any(s["role"] == "leader" for s in steps)
    if (leader_now or no_leader_step) and (
        Party.LEADER in parties or (leader_now and Party.HANDLER in parties)
    ):
        parties.add(Party.LEADER_AT_STEP)
    return parties


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
    try:
        return next_status(dossier.status, action, parties_of(actor, dossier), dossier.paused_from_status)
    except TransitionError as exc:
        if exc.code == "forbidden":
            raise Forbidden("forbidden", _("Bạn không có quyền thực hiện thao tác này với hồ sơ."),
                            details={"action": action}) from exc
        raise Conflict("invalid_transition", _("Không thể thực hiện thao tác này ở trạng thái hiện tại của hồ sơ."),
                       details={"action": action, "status": dossier.status}) from exc


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
                 from_unit_id: int | None = None, to_unit_id: int | None = None, step: dict[str, Any] | None = None,
                 step_due_at: datetime | None = None, step_outcome: str = "", note: str = "",
                 data: dict[str, Any] | None = None) -> DossierEvent:
    user = actor.user
    event = DossierEvent.objects.create(
        dossier=dossier, at=at, action=action, from_status=from_status, to_status=dossier.status,
        actor=user, actor_username=user.username if user else "system",
        actor_full_name=(user.full_name or user.username) if user else "Hệ thống",
        actor_unit_id=actor_unit_for(actor, [from_unit_id, dossier.receiving_unit_id, dossier.handling_unit_id]),
        from_unit_id=from_unit_id, to_unit_id=to_unit_id,
        step_name=str(step["name"]) if step else "", step_due_at=step_due_at, step_outcome=step_outcome,
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
