"""A dossier as the workflow rules read it (`motcua.workflow.permissions.DossierState`): from a model
instance (the services, on the locked row) or from a row of columns (the fast read path, which never
loads a model). Both give the same state for the same dossier."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from motcua.workflow.permissions import DossierState
from motcua.workflow.steps import Steps, steps_of

from .models import Dossier

# The columns `state_of_row` reads (besides those of the version's workflow).
STATE_COLUMNS = (
    "status", "paused_from_status", "applicant_user_id", "receiving_unit_id", "handling_unit_id",
    "current_step_index", "current_step_unit_id", "current_assignee_id", "apology_count", "due_at",
    "open_consultations",
)


def state_of(dossier: Dossier) -> DossierState:
    return DossierState(
        status=dossier.status, paused_from=dossier.paused_from_status, applicant_id=dossier.applicant_user_id,
        receiving_unit_id=dossier.receiving_unit_id, handling_unit_id=dossier.handling_unit_id,
        steps=dossier.steps, step_index=dossier.current_step_index, step_unit_id=dossier.current_step_unit_id,
        assignee_id=dossier.current_assignee_id, apology_count=dossier.apology_count, due_at=dossier.due_at,
    )


# Typed steps of the workflows the reference copies hold (catalog.selectors.version_refs), by the
# identity of the workflow's list: a copy is shared and never changed, and the entry keeps it alive,
# so its identity is not reused while the entry is here.
_STEPS: dict[int, tuple[Sequence[Mapping[str, Any]], Steps]] = {}
_STEPS_MAX = 5000


def _steps_of_copy(workflow: Sequence[Mapping[str, Any]]) -> Steps:
    kept = _STEPS.get(id(workflow))
    if kept is not None and kept[0] is workflow:
        return kept[1]
    if len(_STEPS) >= _STEPS_MAX:
        _STEPS.clear()
    steps = steps_of(workflow)
    _STEPS[id(workflow)] = (workflow, steps)
    return steps


def state_of_row(row: Mapping[str, Any], workflow: Sequence[Mapping[str, Any]]) -> DossierState:
    """`row` holds `STATE_COLUMNS`; `workflow` is the pinned version's, from the reference copies
    (shared, never changed: its typed steps are kept)."""
    steps: Steps = _steps_of_copy(workflow)
    return DossierState(
        status=row["status"], paused_from=row["paused_from_status"], applicant_id=row["applicant_user_id"],
        receiving_unit_id=row["receiving_unit_id"], handling_unit_id=row["handling_unit_id"], steps=steps,
        step_index=row["current_step_index"], step_unit_id=row["current_step_unit_id"],
        assignee_id=row["current_assignee_id"], apology_count=row["apology_count"], due_at=row["due_at"],
    )
