"""Who and what the step actions may name: the officials a step may be given to, the earlier steps a
dossier may be sent back to, the units it may consult, the consultations waiting for an actor's
answer. The choices the desk's forms offer; the services check the same conditions (an assignee
holds the step's role at its unit, `workflow.steps.send_back_targets`, a consulted unit is not the
step's own, a consultation is answered by the unit asked)."""

from __future__ import annotations

from motcua.accounts.models import Membership
from motcua.accounts.selectors import Actor
from motcua.units.models import Unit
from motcua.workflow.steps import next_index, send_back_targets, step_at

from .models import Consultation, Dossier
from .services.routing import step_unit_id


def _pool(unit_id: int, role: str) -> list[tuple[str, str]]:
    rows = (Membership.objects.filter(unit_id=unit_id, role=role, user__is_active=True)
            .select_related("user").order_by("user__full_name", "user__username"))
    return [(m.user.username, m.user.full_name or m.user.username) for m in rows]


def next_step_pool(dossier: Dossier) -> list[tuple[str, str]]:
    """(username, name) of the active officials who may be given the next step."""
    step = step_at(dossier.steps, next_index(dossier.steps, dossier.current_step_index))
    return [] if step is None else _pool(step_unit_id(dossier, step), step.role)


def current_step_pool(dossier: Dossier) -> list[tuple[str, str]]:
    """(username, name) of the active officials who may be given the current step."""
    step = dossier.current_step()
    if step is None or dossier.current_step_unit_id is None:
        return []
    return _pool(dossier.current_step_unit_id, step.role)


def send_back_steps(dossier: Dossier) -> list[tuple[int, str]]:
    """(index, name) of the steps the dossier may be sent back to."""
    steps = dossier.steps
    return [(i, steps[i].name) for i in send_back_targets(steps, dossier.current_step_index)]


def consultable_units(dossier: Dossier) -> list[tuple[str, str]]:
    """(code, name) of the units whose opinion may be asked: any active unit but the step's own."""
    units = Unit.objects.filter(is_active=True).order_by("name")
    if dossier.current_step_unit_id is not None:
        units = units.exclude(pk=dossier.current_step_unit_id)
    return [(u.code, u.name) for u in units]


def open_consultations(actor: Actor, dossier: Dossier) -> list[Consultation]:
    """The dossier's consultations waiting for an answer from one of the actor's units."""
    units = actor.unit_ids()
    if not units:
        return []
    return list(dossier.consultations.filter(unit_id__in=units, answered_at__isnull=True)
                .select_related("unit").order_by("asked_at", "id"))


def dossier_consultations(dossier: Dossier) -> list[Consultation]:
    """Every consultation of the dossier, oldest first."""
    return list(dossier.consultations.select_related("unit", "asked_by", "answered_by").order_by("asked_at", "id"))
