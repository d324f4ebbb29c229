"""Worklists of the desk and the API: what an official has to do now, and what is at risk."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import timedelta

from django.db.models import Count, Q, QuerySet

from motcua.accounts.models import Role
from motcua.accounts.selectors import Actor
from motcua.calendar.selectors import work_calendar
from motcua.core import clock
from motcua.workflow.domain import AT_STEP, PAUSED, UNFINISHED, Status

from .models import Consultation, Dossier
from .selectors import dossiers_visible_to, visibility_key

WORKLISTS = ("to_check", "my_steps", "due_soon", "overdue", "at_risk", "paused", "to_return", "consultations")
WORKLIST_NAMES = {
    "to_check": "Hồ sơ trực tuyến chờ kiểm tra",
    "my_steps": "Hồ sơ đang chờ tôi xử lý",
    "due_soon": "Sắp đến hạn (trong 1 ngày làm việc)",
    "overdue": "Quá hạn",
    "at_risk": "Có nguy cơ trễ hạn",
    "paused": "Tạm dừng (chờ bổ sung, chờ nộp phí)",
    "to_return": "Chờ trả kết quả",
    "consultations": "Xin ý kiến chờ trả lời",
}


def _my_steps(actor: Actor) -> Q:
    condition = Q(pk__in=[])
    user_id = actor.user.pk if actor.user else None
    for unit, roles in actor.roles_by_unit.items():
        for role in roles:
            condition |= Q(current_step_unit_id=unit, current_step_role=role)
    return condition & Q(status__in=AT_STEP) & (Q(current_assignee__isnull=True) | Q(current_assignee_id=user_id))


def _soon() -> tuple[object, object]:
    now = clock.now()
    return now, work_calendar().add_working_time(now, timedelta(hours=8))


def worklist_filter(actor: Actor, name: str) -> Q:
    now, soon = _soon()
    mine = Q(receiving_unit_id__in=actor.unit_ids()) | Q(handling_unit_id__in=actor.unit_ids()) | Q(
        current_step_unit_id__in=actor.unit_ids())
    filters: dict[str, Callable[[], Q]] = {
        "to_check": lambda: Q(status=Status.SUBMITTED, receiving_unit_id__in=actor.units_with(Role.RECEPTION)),
        "my_steps": lambda: _my_steps(actor),
        "due_soon": lambda: mine & Q(status__in=AT_STEP, due_at__gte=now, due_at__lte=soon),
        "overdue": lambda: mine & Q(status__in=AT_STEP, due_at__lt=now),
        "at_risk": lambda: mine & Q(status__in=AT_STEP) & (Q(current_step_due_at__lt=now) | Q(due_at__lte=soon)),
        "paused": lambda: mine & Q(status__in=PAUSED),
        "to_return": lambda: Q(status=Status.RESOLVED, receiving_unit_id__in=actor.units_with(Role.RECEPTION)),
        "consultations": lambda: Q(pk__in=Consultation.objects.filter(
            unit_id__in=actor.unit_ids(), answered_at__isnull=True).values("dossier_id")),
    }
    return filters[name]()


def _candidates(actor: Actor, name: str) -> QuerySet[Dossier]:
    """The dossiers a worklist is chosen from.

    Every list but "consultations" asks for dossiers whose receiving, handling or current-step unit
    is one of the official's own units. Those units are always on the dossier's route (services.common
    .add_route at creation and at every change of step), so such dossiers are visible to the official
    by construction (tests/flows/test_route_invariant.py checks it): the lists do not repeat the
    route semi-join, which on a busy unit makes PostgreSQL read the unit's whole route history."""
    if name == "consultations" or not actor.unit_ids():
        return dossiers_visible_to(actor)
    return Dossier.objects.all()


# Lists whose query depends on the official alone, not on the time of the request.
TIMELESS = frozenset({"to_check", "my_steps", "paused", "to_return", "consultations"})


def worklist_shape(actor: Actor, name: str) -> Hashable | None:
    """A key that fixes the query of a list, parameters included (None for the lists that depend on
    the time): the user, their roles by unit and what they may see."""
    if name not in TIMELESS or actor.user is None:
        return None
    roles = tuple(sorted((unit, tuple(sorted(r))) for unit, r in actor.roles_by_unit.items()))
    return name, actor.user.pk, roles, visibility_key(actor)


def worklist(actor: Actor, name: str) -> QuerySet[Dossier]:
    qs = _candidates(actor, name).filter(worklist_filter(actor, name))
    order = ("due_at", "id") if name not in {"to_check"} else ("submitted_at", "id")
    return qs.select_related(
        "procedure", "procedure_version", "receiving_unit", "handling_unit", "current_step_unit"
    ).prefetch_related("pauses", "fees", "attachments").order_by(*order)


# Every worklist but "consultations" lies within these statuses and the official's own units.
WORKLIST_STATUSES = UNFINISHED | {Status.RESOLVED}


def worklist_counts(actor: Actor) -> dict[str, int]:
    """Every worklist's count: one aggregate over the dossiers of the official's units in the lists'
    statuses (found through the unit and status indexes, not by reading every dossier the official
    has ever seen) and one count of the consultations waiting for an answer."""
    names = [name for name in WORKLISTS if name != "consultations"]
    aggregates = {name: Count("pk", filter=worklist_filter(actor, name)) for name in names}
    units = actor.unit_ids()
    candidates = _candidates(actor, "my_steps").filter(
        Q(receiving_unit_id__in=units) | Q(handling_unit_id__in=units) | Q(current_step_unit_id__in=units),
        status__in=WORKLIST_STATUSES)
    counts = candidates.aggregate(**aggregates)
    counts["consultations"] = _candidates(actor, "consultations").filter(
        worklist_filter(actor, "consultations")).count()
    return {name: int(counts.get(name) or 0) for name in WORKLISTS}
