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
)


def state_of(dossier: Dossier) -> DossierState:
    return DossierState(
        status=dossier.status, paused_from=dossier.paused_from_status, applicant_id=dossier.applicant_user_id,
        receiving_unit_id=dossier.receiving_unit_id, handling_unit_id=dossier.handling_unit_id,
        steps=dossier.steps, step_index=dossier.current_step_index, step_unit_id=dossier.current_step_unit_id,
        assignee_id=dossier.current_assignee_id, apology_count=dossier.apology_count, due_at=dossier.due_at,
    )


def state_of_row(row: Mapping[str, Any], workflow: Sequence[Mapping[str, Any]]) -> DossierState:
    """`row` holds `STATE_COLUMNS`; `workflow` is the pinned version's (from the reference copies)."""
    steps: Steps = steps_of(workflow)
    return DossierState(
        status=row["status"], paused_from=row["paused_from_status"], applicant_id=row["applicant_user_id"],
        receiving_unit_id=row["receiving_unit_id"], handling_unit_id=row["handling_unit_id"], steps=steps,
        step_index=row["current_step_index"], step_unit_id=row["current_step_unit_id"],
        assignee_id=row["current_assignee_id"], apology_count=row["apology_count"], due_at=row["due_at"],
    )
