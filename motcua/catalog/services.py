"""Publishing procedures. Posting an existing code creates a new version, effective at once;
dossiers already received keep the version they pinned."""

from __future__ import annotations

import json
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext
from pydantic import ValidationError

from motcua.accounts.selectors import Actor
from motcua.audit.services import audit_record
from motcua.core import clock
from motcua.core.errors import ValidationFailed
from motcua.core.text import fold
from motcua.units.models import Unit

from .domain import default_workflow, workflow_problem
from .models import Field, Procedure, ProcedureVersion
from .schemas import ProcedureIn

DATA_FILE = Path(__file__).parent / "data" / "procedures.json"


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=lambda v: _number(v) if isinstance(v, Decimal) else str(v)))


@dataclass(frozen=True)
class Problem:
    """One reason a procedure body cannot be published: a stable code, a Vietnamese message, where
    in the body it lies (e.g. ("workflow", 2, "unit"), ("documents",)) and details for the API."""

    code: str
    message: str
    where: tuple[str | int, ...] = ()
    details: dict[str, Any] = dc_field(default_factory=dict)


def _unit_problems(data: ProcedureIn) -> list[Problem]:
    def internal(code: str) -> bool:
        return code in {"receiving", "handling"} or code.startswith("@")

    places: list[tuple[str, tuple[str | int, ...]]] = [(data.handling_unit, ("handling_unit",))]
    places += [(s.unit, ("workflow", i, "unit")) for i, s in enumerate(data.workflow)]
    codes = {c for c, _ in places if not internal(c)}
    known = set(Unit.objects.filter(code__in=codes).values_list("code", flat=True))
    missing = sorted(codes - known)
    return [
        Problem("unknown_unit", gettext("Không có đơn vị mã %(code)s.") % {"code": code}, where,
                {"units": missing})
        for code, where in places if code in missing
    ]


def procedure_problems(data: ProcedureIn, *, require_documents: bool = False) -> list[Problem]:
    """Every reason `data` cannot be published, in the order `procedure_publish` reports the first
    one: unknown units, a workflow longer than the time limit (or the online one), duplicate codes
    and, with `require_documents` (the editor), a version without any document."""
    problems = _unit_problems(data)
    steps = [s.model_dump() for s in data.workflow] or default_workflow(data.time_limit.value, data.time_limit.unit)
    timed = [(str(s["role"]), Decimal(str(s["hours"]))) for s in steps]
    problem = workflow_problem(timed, data.time_limit.value, data.time_limit.unit)
    if problem:
        problems.append(Problem(
            problem, gettext("Tổng thời gian các bước vượt quá thời hạn giải quyết."), ("workflow",),
            {"hours": float(sum(h for _, h in timed))},
        ))
    if data.online_time_limit is not None:
        online_problem = workflow_problem(timed, data.online_time_limit.value, data.online_time_limit.unit)
        if online_problem:
            problems.append(Problem(online_problem,
                                    gettext("Tổng thời gian các bước vượt quá thời hạn giải quyết trực tuyến."),
                                    ("workflow",)))
    codes: list[tuple[str, list[str], str, str]] = [
        ("documents", [d.code for d in data.documents], "duplicate_document_code",
         gettext("Mã thành phần hồ sơ bị trùng.")),
        ("fees", [f.code for f in data.fees], "duplicate_fee_code", gettext("Mã phí, lệ phí bị trùng.")),
    ]
    for kind, row_codes, code, message in codes:
        seen: set[str] = set()
        for i, row_code in enumerate(row_codes):
            if row_code in seen:
                problems.append(Problem(code, message, (kind, i, "code")))
            seen.add(row_code)
    if require_documents and not data.documents:
        problems.append(Problem("no_documents", gettext("Phiên bản phải có ít nhất một thành phần hồ sơ."),
                                ("documents",)))
    return problems


@transaction.atomic
def procedure_publish(*, actor: Actor, data: ProcedureIn, at: datetime | None = None,
                      require_documents: bool = False) -> ProcedureVersion:
    """Create the procedure or a new version of it. `require_documents`: refuse a version without
    documents (the editor asks it; the API and the catalogue files keep the contract's optional
    list, see decision 0165)."""
    problems = procedure_problems(data, require_documents=require_documents)
    if problems:
        first = problems[0]
        raise ValidationFailed(first.code, first.message, details=first.details or None)
    steps = [s.model_dump() for s in data.workflow] or default_workflow(data.time_limit.value, data.time_limit.unit)

    field, _ = Field.objects.get_or_create(code=data.field.code, defaults={"name": data.field.name})
    if field.name != data.field.name:
        field.name = data.field.name
        field.save(update_fields=["name"])
    procedure = Procedure.objects.select_for_update().filter(code=data.code).first()
    if procedure is None:
        procedure = Procedure.objects.create(
            code=data.code, name=data.name, field=field, level=data.level, online_mode=data.online_mode,
            search_text=fold(f"{data.code} {data.name}"),
        )
        number = 1
    else:
        last = procedure.versions.order_by("-version").values_list("version", flat=True).first() or 0
        number = last + 1
    cutoff = time.fromisoformat(data.cutoff_time) if data.cutoff_time else None
    version = ProcedureVersion.objects.create(
        procedure=procedure, version=number, effective_from=at or clock.now(), name=data.name, field=field,
        level=data.level, time_limit_value=data.time_limit.value, time_limit_unit=data.time_limit.unit,
        online_time_limit_value=data.online_time_limit.value if data.online_time_limit else None,
        online_time_limit_unit=data.online_time_limit.unit if data.online_time_limit else "",
        cutoff_time=cutoff, online_mode=data.online_mode, pause_rule=data.pause_rule,
        handling_unit=data.handling_unit,
        fees=_jsonable([f.model_dump() for f in data.fees]),
        documents=_jsonable([d.model_dump(exclude_none=True) for d in data.documents]),
        workflow=_jsonable(steps), description=data.description, legal_basis=list(data.legal_basis),
        result=data.result, agency=data.agency,
    )
    procedure.current = version
    procedure.name = data.name
    procedure.field = field
    procedure.level = data.level
    procedure.online_mode = data.online_mode
    procedure.search_text = fold(f"{data.code} {data.name}")
    procedure.is_active = True
    procedure.save()
    audit_record(actor=actor, action="procedure.publish", obj=version,
                 data={"code": data.code, "version": number})
    return version


def procedure_import_file(*, actor: Actor, path: Path = DATA_FILE, only_new: bool = True) -> tuple[int, int]:
    """Publish every procedure of a catalogue file (a JSON array of procedure bodies).

    With `only_new`, a procedure whose current version already has the same content is
    skipped, so importing the same file twice creates nothing. Returns (published, skipped).
    """
    items = json.loads(path.read_text(encoding="utf-8"))
    published = skipped = 0
    for index, raw in enumerate(items):
        try:
            data = ProcedureIn.model_validate(raw)
        except ValidationError as exc:
            raise ValidationFailed("invalid_catalogue", f"Thủ tục thứ {index + 1} không hợp lệ: {exc}",
                                   details={"index": index}) from exc
        current = Procedure.objects.filter(code=data.code).select_related("current").first()
        if only_new and current is not None and current.current is not None and _same(current.current, data):
            skipped += 1
            continue
        procedure_publish(actor=actor, data=data)
        published += 1
    return published, skipped


def _same(version: ProcedureVersion, data: ProcedureIn) -> bool:
    from .selectors import procedure_body

    theirs = ProcedureIn.model_validate(procedure_body(version)).model_dump()
    ours = data.model_dump()
    if not data.workflow:
        ours["workflow"] = theirs["workflow"]
    return bool(theirs == ours)
