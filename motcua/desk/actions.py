"""The actions an official may take on a dossier now, with the form of each.

Which actions: `dossier_available_actions` (the same predicates the services assert); their names,
buttons and services: the registry (`motcua.dossiers.services.ACTIONS`); here only the Django form
that collects each action's input (`ActionForm.payload()` gives the registry's input type)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from motcua.accounts.selectors import Actor
from motcua.core.errors import DomainError
from motcua.dossiers.models import Consultation, Dossier
from motcua.dossiers.selectors import dossier_available_actions
from motcua.dossiers.services import ACTIONS, ActionSpec, dossier_act
from motcua.workflow.domain import Action

from .action_forms import (
    ActionForm,
    AnswerConsultationForm,
    ApologizeForm,
    ClaimForm,
    ConsultForm,
    ForwardForm,
    NoteForm,
    PaymentForm,
    ReasonForm,
    ReassignForm,
    ResolveForm,
    SendBackForm,
    SupplementOnBehalfForm,
    SupplementRequestForm,
)

# The form of each action an official may take (the applicant's own `supplement` is the portal's).
FORMS: Mapping[str, type[ActionForm]] = {
    Action.ANSWER_CONSULTATION: AnswerConsultationForm,
    Action.CLAIM: ClaimForm,
    Action.ACCEPT: NoteForm,
    Action.REQUEST_SUPPLEMENT: SupplementRequestForm,
    Action.REFUSE: ReasonForm,
    Action.SUPPLEMENT: SupplementOnBehalfForm,
    Action.FORWARD: ForwardForm,
    Action.REQUEST_PAYMENT: PaymentForm,
    Action.CONFIRM_PAYMENT: NoteForm,
    Action.CONSULT: ConsultForm,
    Action.SEND_BACK: SendBackForm,
    Action.REASSIGN: ReassignForm,
    Action.RESOLVE: ResolveForm,
    Action.RETURN: NoteForm,
    Action.APOLOGIZE: ApologizeForm,
    Action.STOP: ReasonForm,
    Action.WITHDRAW: ReasonForm,
}


def available_actions(actor: Actor, dossier: Dossier) -> list[ActionSpec]:
    """The registry entries of the actions the official may take now, in the registry's order."""
    return [ACTIONS[name] for name in dossier_available_actions(actor, dossier) if name in FORMS]


def build_form(name: str, dossier: Dossier, data: Any = None, files: Any = None, *, actor: Actor) -> ActionForm:
    return FORMS[name].for_dossier(dossier, actor, data, files, prefix=name)


def perform(name: str, form: ActionForm, *, actor: Actor, code: str,
            expected_version: int | None) -> Dossier | Consultation:
    """Do the action with what the form holds (the one service behind it, through the registry)."""
    return dossier_act(actor=actor, code=code, action=name, payload=form.payload(), expected_version=expected_version)


# Where a service's `details.field` goes on the action forms.
ERROR_FIELDS = {"reason": "reason", "note": "note", "new_due_at": "new_due_at", "question": "question",
                "answer": "answer"}
# Errors that name no field but belong to one.
CODE_FIELDS = {"invalid_assignee": "assignee", "invalid_step": "step", "invalid_unit": "unit",
               "invalid_hours": "hours", "already_answered": "consultation"}


def error_field(form: ActionForm, exc: DomainError) -> None:
    """A service's error next to its field on an action form, else above the form."""
    target = ERROR_FIELDS.get(str(exc.details.get("field", ""))) or CODE_FIELDS.get(exc.code)
    form.add_error(target if target and target in form.fields else None, exc.message)
