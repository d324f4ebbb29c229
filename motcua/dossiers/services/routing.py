"""Routing a dossier through its pinned workflow: the competent handling unit at creation, the unit of
each step, and entering a step (its unit, role, start and deadline on the dossier row).

The rules are the step engine's (`motcua.workflow.steps`); this module only looks units up and
writes the row's fields. Call it from a service, inside its transaction.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from django.utils.translation import gettext as _

from motcua.catalog.models import ProcedureVersion
from motcua.core.errors import ValidationFailed
from motcua.units.models import Unit
from motcua.units.selectors import unit_get_by_code, unit_nearest_with_function
from motcua.workflow.steps import RoutingRefused, Step, competent, handling_route, step_at, step_unit

from ..models import Dossier
from .timing import step_deadline


def handling_unit_for(version: ProcedureVersion, receiving: Unit, override: str | None = None) -> Unit:
    """The unit competent to decide (`workflow.steps.handling_route`), or 400 `invalid_handling_unit`."""
    try:
        route = handling_route(named=version.handling_unit, receiving=receiving.code, override=override)
    except RoutingRefused as exc:
        raise ValidationFailed("invalid_handling_unit", _("Thủ tục này do đơn vị khác có thẩm quyền giải quyết."),
                               details={"handling_unit": exc.named}) from exc
    if route.code == receiving.code:
        return receiving
    target = unit_get_by_code(route.code)
    if route.check_level and not competent(version.level, target.level):
        raise ValidationFailed("invalid_handling_unit", _("Đơn vị được chọn không có thẩm quyền với thủ tục này."),
                               details={"handling_unit": target.code, "level": version.level})
    return target


def _unit_id(code: str) -> int:
    return unit_get_by_code(code).pk


def step_unit_id(dossier: Dossier, step: Step) -> int:
    """The id of the unit `step` runs at for this dossier, or 400 `unknown_unit`."""
    found = step_unit(step, receiving=dossier.receiving_unit_id, handling=dossier.handling_unit_id,
                      with_function=partial(unit_nearest_with_function, dossier.handling_unit_id),
                      by_code=_unit_id)
    if found is None:
        raise ValidationFailed("unknown_unit", f"Không tìm thấy đơn vị có chức năng {step.function!r} cho hồ sơ.",
                               details={"unit": step.unit})
    return found


def enter_step(dossier: Dossier, index: int | None, at: datetime) -> Step | None:
    """Make step `index` current (None or past the end: no current step)."""
    step = step_at(dossier.steps, index)
    if step is None:
        dossier.current_step_index = None
        dossier.current_step_unit_id = None
        dossier.current_step_role = ""
        dossier.current_step_started_at = None
        dossier.current_step_due_at = None
        dossier.current_assignee = None
        return None
    dossier.current_step_index = index
    dossier.current_step_unit_id = step_unit_id(dossier, step)
    dossier.current_step_role = step.role.value
    dossier.current_step_started_at = at
    dossier.current_step_due_at = step_deadline(dossier, step, at)
    dossier.current_assignee = None
    return step
