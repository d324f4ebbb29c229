"""The procedure body of the API contract, shared by the API, the import command and the seed."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from motcua.core.text import nfc

Text = Annotated[str, AfterValidator(nfc)]
NonEmpty = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(nfc)]
UNIT_CODE = r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$"


class FieldIn(BaseModel):
    code: Annotated[str, Field(min_length=1, max_length=32)]
    name: NonEmpty


class TimeLimitIn(BaseModel):
    value: Annotated[Decimal, Field(ge=0, le=10000)]
    unit: Literal["working_days", "working_hours", "calendar_days"]


class FeeIn(BaseModel):
    code: Annotated[str, Field(min_length=1, max_length=32)]
    name: NonEmpty
    amount: Annotated[int, Field(ge=0)]
    collect_at: Literal["receipt", "result"] = "receipt"


class DocumentIn(BaseModel):
    code: Annotated[str, Field(min_length=1, max_length=32)]
    name: NonEmpty
    copy_type: Literal["original", "certified_copy", "copy", "electronic"] = "original"
    count: Annotated[int, Field(ge=0, le=1000)] = 1
    required: bool = True
    template: Text | None = None


class StepIn(BaseModel):
    name: NonEmpty
    role: Literal["reception", "specialist", "leader"]
    unit: Annotated[str, Field(min_length=1, max_length=32)]
    hours: Annotated[Decimal, Field(ge=0, le=100000)]

    @model_validator(mode="after")
    def _unit_shape(self) -> StepIn:
        if (self.unit not in {"receiving", "handling"} and not re.match(UNIT_CODE, self.unit)
                and not re.match(r"^@[a-z_]{1,30}$", self.unit)):
            raise ValueError("unit must be 'receiving', 'handling', an agency code or '@<function>'")
        return self


class ProcedureIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    code: Annotated[str, Field(pattern=r"^[0-9A-Za-z.\-_]{1,32}$")]
    name: NonEmpty
    field: FieldIn
    level: Literal["province", "department", "commune", "centre"]
    time_limit: TimeLimitIn
    online_time_limit: TimeLimitIn | None = None
    cutoff_time: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] | None = None
    online_mode: Literal["full", "partial", "none"] = "none"
    pause_rule: Literal["pause", "restart"] = "pause"
    handling_unit: Annotated[str, Field(min_length=1, max_length=16)] = "receiving"
    fees: list[FeeIn] = []
    documents: list[DocumentIn] = []
    workflow: list[StepIn] = []
    description: Text = ""
    legal_basis: list[Text] = []
    result: Text = ""
    agency: Text = ""

    @model_validator(mode="after")
    def _handling_shape(self) -> ProcedureIn:
        if self.handling_unit != "receiving" and not re.match(UNIT_CODE, self.handling_unit):
            raise ValueError("handling_unit must be 'receiving' or an agency code")
        return self
