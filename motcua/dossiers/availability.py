"""What an actor may do to a dossier now: `dossier_available_actions(actor, dossier)`.

The one answer the desk, the portal and the API give (the API's `available_actions`). Built on the
predicates the services assert (`motcua.workflow.permissions`: the parties, the transition table,
the conditions some actions add), walking the registry's actions in its order, so that every action
listed succeeds with a valid body and every action not listed is refused (403, 404 or 409).

Cheap enough for the busy detail read: the state comes from the dossier's row and the pinned
version's workflow (the process's reference copies), the roles from the actor. The only query is
whether one of the actor's units was consulted on the dossier, asked only when it can change the
answer: an official, a dossier with consultations waiting (`Dossier.open_consultations`) in a
status where a consulted unit may answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import partial
from typing import Any

from django.conf import settings

from motcua.accounts.selectors import Actor
from motcua.core import clock
from motcua.core.prepared import PreparedRead
from motcua.workflow.permissions import DossierState, possible_actions

from .models import Consultation, Dossier
from .services.registry import ACTION_SPECS
from .state import state_of, state_of_row

ACTION_NAMES: tuple[str, ...] = tuple(spec.name for spec in ACTION_SPECS)


def _open_for(dossier_id: int, unit_ids: list[int]) -> Any:
    return Consultation.objects.filter(dossier_id=dossier_id, unit_id__in=unit_ids,
                                       answered_at__isnull=True).values("id")[:1]


_OPEN_CONSULTATION = PreparedRead("open-consultation", _open_for,
                                  params=lambda dossier_id, unit_ids: [dossier_id, *unit_ids])


def _consulted(actor: Actor, dossier_id: int, open_consultations: int) -> bool:
    units = sorted(actor.unit_ids())
    return bool(units) and open_consultations > 0 and bool(
        _OPEN_CONSULTATION(dossier_id, units, shape=len(units)))


def _available(actor: Actor, state: DossierState, dossier_id: int, open_consultations: int,
               at: datetime | None) -> list[str]:
    return possible_actions(actor, state, ACTION_NAMES, at=clock.local(at or clock.now()),
                            max_apologies=int(str(settings.MOTCUA["MAX_APOLOGIES"])),
                            consulted=partial(_consulted, actor, dossier_id, open_consultations))


def dossier_available_actions(actor: Actor, dossier: Dossier, at: datetime | None = None) -> list[str]:
    """The names of the actions the actor may do to the dossier now, in the registry's order."""
    return _available(actor, state_of(dossier), dossier.pk, dossier.open_consultations, at)


def available_actions_of_row(actor: Actor, row: Mapping[str, Any], workflow: Sequence[Mapping[str, Any]],
                             at: datetime | None = None) -> list[str]:
    """The same answer from a row of columns (`state.STATE_COLUMNS` and `id`) and the pinned version's
    workflow: the fast read path never loads a model."""
    return _available(actor, state_of_row(row, workflow), int(row["id"]), int(row["open_consultations"]), at)
