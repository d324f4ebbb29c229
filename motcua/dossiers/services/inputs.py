"""What each dossier action takes: one typed input per action of the registry (`registry.py`).

The API validates a request's body with these shapes (its `ActionIn` is built from them), the import
validates each replayed event with them, and the desk's forms produce them; the services receive
their fields as typed keyword arguments and never parse a body. A field a body leaves out takes the
default here; what the service checks itself (a reason that must be given, a known document or fee,
a date after the due date) stays in the service, with its stable error code.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from motcua.core.text import nfc

Short = Annotated[str, Field(max_length=255), AfterValidator(nfc)]
LongText = Annotated[str, Field(max_length=5000), AfterValidator(nfc)]
Username = Annotated[str, Field(max_length=150)]
UnitCode = Annotated[str, Field(max_length=32)]


class ActionInput(BaseModel):
    """The base of every action's input: immutable; fields that belong to other actions are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class NoteIn(ActionInput):
    """accept, supplement, confirm-payment, return."""

    note: LongText = ""


class ReasonIn(ActionInput):
    """refuse, withdraw, stop."""

    reason: LongText = ""


class SupplementItem(BaseModel):
    """One paper the applicant must add (Mẫu 02)."""

    model_config = ConfigDict(frozen=True)

    document: Annotated[str, Field(max_length=32)] | None = None
    name: Short
    note: LongText | None = None


class SupplementRequestIn(ActionInput):
    reason: LongText = ""
    items: tuple[SupplementItem, ...] = ()


class ForwardIn(ActionInput):
    note: LongText = ""
    assignee: Username | None = None  # an official of the next step's pool; none: the whole pool


class FeeLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: Annotated[str, Field(min_length=1, max_length=32)]
    amount: Annotated[int, Field(ge=0)]
    name: Short | None = None


class PaymentRequestIn(ActionInput):
    fees: tuple[FeeLine, ...] = ()
    note: LongText = ""


class ResolveIn(ActionInput):
    decision: Literal["approved", "denied"] = "approved"
    note: LongText = ""


class ApologizeIn(ActionInput):
    reason: LongText = ""
    new_due_at: AwareDatetime | None = None


class ClaimIn(ActionInput):
    """claim: nothing to say."""


class ReassignIn(ActionInput):
    assignee: Username | None = None  # none: back to the step's pool
    note: LongText = ""


class SendBackIn(ActionInput):
    reason: LongText = ""
    step: Annotated[int, Field(ge=0, le=100)] | None = None  # default: the previous step


class ConsultIn(ActionInput):
    unit: UnitCode = ""
    question: LongText = ""
    hours: Annotated[float, Field(gt=0, le=400)] = 8


class AnswerConsultationIn(ActionInput):
    consultation: Annotated[int, Field(ge=1)] | None = None
    answer: LongText = ""
