"""Request and response shapes of the v1 API (the contract)."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, create_model

from motcua.core.text import nfc
from motcua.dossiers.services import ACTION_SPECS

Text = Annotated[str, AfterValidator(nfc)]
Short = Annotated[str, Field(max_length=255), AfterValidator(nfc)]
LongText = Annotated[str, Field(max_length=5000), AfterValidator(nfc)]
RoleName = Literal["reception", "specialist", "leader", "supervisor", "admin"]


class Error(BaseModel):
    code: str
    message: str
    details: dict[str, Any] = {}


class TokenIn(BaseModel):
    username: Annotated[str, Field(min_length=1, max_length=150)]
    password: Annotated[str, Field(min_length=1, max_length=256)]


class TokenOut(BaseModel):
    token: str
    expires_at: AwareDatetime


class RegisterIn(BaseModel):
    id_number: Annotated[str, Field(max_length=32)]
    full_name: Annotated[str, Field(min_length=1, max_length=255), AfterValidator(nfc)]
    phone: Annotated[str, Field(max_length=20)] = ""
    email: Annotated[str, Field(max_length=254)] = ""
    password: Annotated[str, Field(min_length=1, max_length=256)]
    birth_date: date | None = None


class UnitRef(BaseModel):
    code: str
    name: str


class MeOut(BaseModel):
    username: str
    full_name: str
    kind: Literal["citizen", "official"]
    unit: UnitRef | None = None
    roles: list[str]
    units: list[dict[str, Any]] = []


class CitizenOut(BaseModel):
    """The registered citizen: the shape of `GET /me`, plus the contact details given."""

    username: str
    full_name: str
    kind: Literal["citizen", "official"]
    unit: UnitRef | None = None
    roles: list[str] = []
    id_number: str
    phone: str
    email: str


class UnitIn(BaseModel):
    code: Annotated[str, Field(pattern=r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")]
    name: Annotated[str, Field(min_length=1, max_length=255), AfterValidator(nfc)]
    level: Literal["province", "department", "commune", "centre"]
    parent: str | None = None
    working_hours: Annotated[str, Field(max_length=64)] = ""


class UnitOut(BaseModel):
    code: str
    name: str
    level: str
    parent: str | None
    working_hours: str


class OfficialIn(BaseModel):
    username: Annotated[str, Field(min_length=1, max_length=150, pattern=r"^[\w.@+-]+$")]
    password: Annotated[str, Field(min_length=1, max_length=256)]
    full_name: Annotated[str, Field(min_length=1, max_length=255), AfterValidator(nfc)]
    unit: str
    roles: Annotated[list[RoleName], Field(min_length=1)]
    email: Annotated[str, Field(max_length=254)] = ""


class OfficialOut(BaseModel):
    username: str
    full_name: str
    kind: str
    unit: UnitRef
    roles: list[str]


class CalendarDayIn(BaseModel):
    date: date
    kind: Literal["holiday", "working"]
    name: Annotated[str, Field(min_length=1, max_length=255), AfterValidator(nfc)]


class CalendarDayOut(BaseModel):
    date: date
    working: bool
    name: str


class DueDateOut(BaseModel):
    received_at: AwareDatetime
    clock_start: AwareDatetime
    due_at: AwareDatetime


class ApplicantIn(BaseModel):
    name: Short = ""
    id_number: Annotated[str, Field(max_length=32)] = ""
    phone: Annotated[str, Field(max_length=20)] = ""
    email: Annotated[str, Field(max_length=254)] = ""
    address: Annotated[str, Field(max_length=500), AfterValidator(nfc)] = ""
    birth_date: date | None = None


FORM_DATA_MAX_BYTES = 256 * 1024


def _form_data_size(value: dict[str, Any]) -> dict[str, Any]:
    """The e-form's answers: a few kilobytes in practice; refuse what only fills the database."""
    if len(json.dumps(value, ensure_ascii=False, default=str).encode()) > FORM_DATA_MAX_BYTES:
        raise ValueError(f"form_data is larger than {FORM_DATA_MAX_BYTES // 1024} KB")
    return value


class DossierIn(BaseModel):
    procedure: Annotated[str, Field(min_length=1, max_length=32)]
    channel: Literal["online", "direct", "postal"]
    receiving_unit: Annotated[str, Field(min_length=1, max_length=32)]
    applicant: ApplicantIn | None = None
    form_data: Annotated[dict[str, Any], AfterValidator(_form_data_size)] = {}
    sets: Annotated[int, Field(ge=1, le=100)] = 1
    result_delivery: Literal["desk", "postal", "online"] = "desk"
    handling_unit: Annotated[str, Field(max_length=32)] | None = None
    # The documents reception holds on paper (desk channels): when given, every required document of
    # the procedure must be among them (400 documents_missing), as on the desk's receive page.
    received_documents: Annotated[list[Annotated[str, Field(max_length=32)]], Field(max_length=100)] | None = None


def _action_body() -> type[BaseModel]:
    """The body of `POST /dossiers/{code}/actions/{action}`: every field of every action's input in
    the registry (motcua.dossiers.services.inputs), optional here; the action validates its own
    fields again (`action_input`). A field two actions share has one shape."""
    fields: dict[str, Any] = {}
    users: dict[str, list[str]] = {}
    for spec in ACTION_SPECS:
        for name, info in spec.input.model_fields.items():
            annotation = info.rebuild_annotation()
            if name in fields and fields[name][0] != annotation | None:
                raise TypeError(f"the field {name!r} has two shapes among the actions' inputs")
            fields[name] = (annotation | None, None)
            users.setdefault(name, []).append(spec.name)
    described = {name: (kind, Field(default, description="Used by: " + ", ".join(users[name])))
                 for name, (kind, default) in fields.items()}
    return create_model("ActionIn", __config__=ConfigDict(extra="ignore"),
                        __doc__="The body of every action; each action reads the fields it needs (contract "
                                "table; motcua.dossiers.services.registry).", **described)


ActionIn: type[BaseModel] = _action_body()


class AttachmentOut(BaseModel):
    id: str
    document: str
    name: str
    size: int
    sha256: str
    content_type: str
    kind: str
    uploaded_at: AwareDatetime | None = None
    digitised: dict[str, Any] | None = None
    reused_from: str | None = None
    signature: dict[str, Any] | None = None


class StatusOut(BaseModel):
    code: int
    name: str


class ApplicantOut(BaseModel):
    name: str
    id_number: str
    phone: str
    email: str
    address: str


class StepOut(BaseModel):
    name: str
    role: str | None = None
    unit: str | None = None
    due_at: AwareDatetime | None = None
    started_at: AwareDatetime | None = None


# "from" is a Python keyword, so this shape is built with create_model.
PauseOut = create_model(
    "PauseOut", kind=(str, ...), **{"from": (AwareDatetime, ...)}, to=(AwareDatetime | None, None),
)


class FeeOut(BaseModel):
    code: str
    name: str = ""
    amount: int
    paid: bool


class ProcedureRef(BaseModel):
    code: str
    name: str
    version: int


class DossierOut(BaseModel):
    code: str
    procedure: ProcedureRef
    status: StatusOut
    channel: str
    applicant: ApplicantOut
    receiving_unit: UnitRef
    handling_unit: UnitRef
    submitted_at: AwareDatetime | None
    received_at: AwareDatetime | None
    clock_start: AwareDatetime | None
    due_at: AwareDatetime | None
    original_due_at: AwareDatetime | None
    finished_at: AwareDatetime | None
    returned_at: AwareDatetime | None
    pauses: list[PauseOut]  # type: ignore[valid-type]
    supplement_requests: int
    current_step: StepOut | None
    outcome: Literal["early", "on_time", "late"] | None
    decision: str | None = None
    apology_issued: bool = False
    sets: int = 1
    result_delivery: str = "desk"
    form_data: dict[str, Any] = {}
    attachments: list[AttachmentOut]
    fees: list[FeeOut]
    version: int


class DossierDetailOut(DossierOut):
    """One dossier as its caller sees it: with the actions the caller may do to it now."""

    available_actions: list[str]


class DossierList(BaseModel):
    items: list[DossierOut]
    count: int


class ActorOut(BaseModel):
    username: str
    full_name: str
    unit: str | None


class EventOut(BaseModel):
    at: AwareDatetime
    action: str
    from_status: int | None
    to_status: int
    actor: ActorOut
    from_unit: str | None
    to_unit: str | None
    step: dict[str, Any] | None
    step_outcome: Literal["early", "on_time", "late"] | None
    note: str
    data: dict[str, Any] = {}


class EventList(BaseModel):
    items: list[EventOut]
    count: int


class PublicDossierOut(BaseModel):
    code: str
    procedure: dict[str, str]
    status: StatusOut
    received_at: AwareDatetime | None
    due_at: AwareDatetime | None
    finished_at: AwareDatetime | None


class ImportIn(BaseModel):
    dossiers: Annotated[list[dict[str, Any]], Field(max_length=1000)]


class ImportOut(BaseModel):
    codes: list[str]
