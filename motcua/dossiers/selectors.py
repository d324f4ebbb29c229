"""Reads of dossiers, and the face of the read side (interfaces import from here): visibility is
decided here and only here (habit 6); what an actor may do now is `dossier_available_actions`
(availability.py); the smaller objects' shapes are in shapes.py, the step forms' choices in pools.py,
the pages' small reads in reads.py."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Window
from django.utils.translation import gettext as _

from motcua.accounts.selectors import Actor
from motcua.catalog.selectors import VersionRef, version_refs
from motcua.core import clock
from motcua.core.errors import NotFound
from motcua.core.prepared import PreparedRead
from motcua.core.text import fold
from motcua.units.selectors import unit_refs
from motcua.workflow.domain import STATUS_NAMES, UNFINISHED

from .availability import ACTION_NAMES, available_actions_of_row, dossier_available_actions
from .models import Attachment, Dossier, DossierEvent, DossierFee, DossierPause, DossierRoute
from .pools import (
    consultable_units,
    current_step_pool,
    dossier_consultations,
    next_step_pool,
    open_consultations,
    send_back_steps,
)
from .reads import (
    attachments_since,
    dossier_may_draft_result,
    dossier_on_route,
    dossier_receiver_name,
    due_if_received,
    public_lookup_allowed,
    result_draft_get,
)
from .shapes import (
    ATTACHMENT_COLUMNS,
    _attachment,
    attachment_representation,
    consultation_representation,
    draft_representation,
    result_rows,
    store_item_representation,
)
from .state import STATE_COLUMNS

__all__ = [  # besides what is defined here
    "ACTION_NAMES", "attachment_representation", "attachments_since", "consultable_units",
    "consultation_representation", "current_step_pool", "dossier_available_actions", "dossier_consultations",
    "dossier_may_draft_result", "dossier_on_route", "dossier_receiver_name", "draft_representation",
    "due_if_received", "next_step_pool", "open_consultations", "public_lookup_allowed", "result_draft_get",
    "result_rows", "send_back_steps", "store_item_representation",
]


def _visibility(actor: Actor) -> tuple[str, list[int]]:
    """Who sees what: ("all", []), ("none", []), ("own", [user id]) or ("route", [unit ids])."""
    if actor.is_admin or actor.system:
        return "all", []
    if actor.user is None:
        return "none", []
    units = actor.unit_ids() | actor.supervised_unit_ids()
    if not units:  # a citizen (or an official without a unit): their own dossiers
        return "own", [actor.user.pk]
    return "route", sorted(units)


def _visible(kind: str, values: list[int]) -> QuerySet[Dossier]:
    qs = Dossier.objects.all()
    if kind == "all":
        return qs
    if kind == "none":
        return qs.none()
    if kind == "own":
        return qs.filter(applicant_user_id=values[0])
    # An official: the dossiers whose route passes through their units. A semi-join on the indexed
    # route table; no OR with the applicant branch, so PostgreSQL can drive the plan from the route.
    return qs.filter(pk__in=DossierRoute.objects.filter(unit_id__in=values).values("dossier_id"))


def dossiers_visible_to(actor: Actor) -> QuerySet[Dossier]:
    return _visible(*_visibility(actor))


def visibility_key(actor: Actor) -> tuple[str, tuple[int, ...]]:
    """What `dossiers_visible_to(actor)` depends on, as a hashable key."""
    kind, values = _visibility(actor)
    return kind, tuple(values)


# One dossier by code among those visible (SQL compiled once per connection and visibility shape).
_BY_CODE = PreparedRead(
    "dossier-by-code",
    lambda kind, values, code, columns: _visible(kind, values).filter(code=code).values(*columns)[:1],
    params=lambda kind, values, code, columns: [*values, code],
)


def _visible_row(actor: Actor, code: str, columns: tuple[str, ...]) -> dict[str, Any]:
    kind, values = _visibility(actor)
    rows = [] if kind == "none" else _BY_CODE(kind, values, code, columns, shape=(kind, len(values), columns))
    if not rows:
        raise NotFound("not_found", _("Không tìm thấy hồ sơ %(code)s.") % {"code": code})
    return rows[0]


def dossier_visible(actor: Actor, code: str) -> Dossier:
    """The dossier row alone (no relation loaded) when the actor may see it; 404 otherwise."""
    dossier = dossiers_visible_to(actor).filter(code=code).first()
    if dossier is None:
        raise NotFound("not_found", _("Không tìm thấy hồ sơ %(code)s.") % {"code": code})
    return dossier


def dossier_get(actor: Actor, code: str) -> Dossier:
    """The dossier with what its pages show (procedure, units, pauses, fees, attachments)."""
    dossier = (
        dossiers_visible_to(actor)
        .select_related("procedure", "procedure_version", "receiving_unit", "handling_unit", "current_step_unit")
        .prefetch_related("pauses", "fees", "attachments")
        .filter(code=code)
        .first()
    )
    if dossier is None:
        raise NotFound("not_found", _("Không tìm thấy hồ sơ %(code)s.") % {"code": code})
    return dossier


def dossier_list(actor: Actor, *, status: int | None = None, procedure: str | None = None, unit: str | None = None,
                 overdue: bool | None = None, q: str | None = None) -> QuerySet[Dossier]:
    qs = dossiers_visible_to(actor)
    if status is not None:
        qs = qs.filter(status=status)
    if procedure:
        qs = qs.filter(procedure__code=procedure)
    if unit:
        qs = qs.filter(Exists(DossierRoute.objects.filter(dossier=OuterRef("pk"), unit__code=unit)))
    if overdue is not None:
        late = Q(status__in=UNFINISHED, due_at__lt=clock.now())
        qs = qs.filter(late) if overdue else qs.exclude(late)
    if q:
        text = q.strip()
        condition = Q(code__icontains=text) | Q(applicant_search__contains=fold(text))
        if len(text) >= 4:  # also the text recognised in scanned documents
            condition |= Q(Exists(Attachment.objects.filter(dossier=OuterRef("pk"), ocr_search__contains=fold(text))))
        qs = qs.filter(condition)
    return qs.select_related(
        "procedure", "procedure_version", "receiving_unit", "handling_unit", "current_step_unit"
    ).prefetch_related("pauses", "fees", "attachments").order_by("-id")


def dossier_counts_by_unit(actor: Actor) -> list[dict[str, Any]]:
    """Per handling unit, by name, of the dossiers the actor may see: `{name, status: {code: n},
    outcome: {outcome: n}, total}` (two grouped counts)."""
    visible = dossiers_visible_to(actor).order_by()
    rows: dict[int, dict[str, Any]] = {}
    for row in visible.values("handling_unit_id", "handling_unit__name", "status").annotate(n=Count("id")):
        unit = rows.setdefault(row["handling_unit_id"], {"name": row["handling_unit__name"], "status": {},
                                                         "outcome": {}, "total": 0})
        unit["status"][row["status"]] = row["n"]
        unit["total"] += row["n"]
    for done in visible.exclude(outcome="").values("handling_unit_id", "outcome").annotate(n=Count("id")):
        rows[done["handling_unit_id"]]["outcome"][done["outcome"]] = done["n"]
    return sorted(rows.values(), key=lambda u: str(u["name"]))


def dossier_events(dossier: Dossier) -> list[DossierEvent]:
    return list(
        DossierEvent.objects.filter(dossier=dossier)
        .select_related("actor", "actor_unit", "from_unit", "to_unit")
        .order_by("at", "id")
    )


def attachment_get(dossier: Dossier, attachment_id: str) -> Attachment:
    """An attachment of the dossier by its id (404 for an unknown or malformed id)."""
    try:
        key = uuid.UUID(str(attachment_id))
    except ValueError:
        key = None
    attachment = Attachment.objects.filter(dossier=dossier, id=key).first() if key is not None else None
    if attachment is None:
        raise NotFound("not_found", _("Không tìm thấy tệp đính kèm."))
    return attachment


def _dt(value: datetime | None) -> str | None:
    return clock.local(value).isoformat() if value else None


# -- Representations (the contract's shapes) ----------------------------------------------------------
# Built from column values rather than model instances: a page of dossiers is one query on the dossier
# table and one on each of pauses, fees and attachments; units and procedure versions come from the
# process's reference copies (motcua.units.selectors.unit_refs, motcua.catalog.selectors.version_refs),
# so no query joins them and no version's JSON is parsed per row.

DOSSIER_COLUMNS = tuple(dict.fromkeys((
    "id", "code", "procedure_version_id", "status", "channel", "receiving_unit_id", "handling_unit_id",
    "applicant_name", "applicant_id_number", "applicant_phone", "applicant_email", "applicant_address",
    "form_data", "sets", "result_delivery", "submitted_at", "received_at", "clock_start", "due_at",
    "original_due_at", "finished_at", "returned_at", "outcome", "decision", "supplement_requests",
    "apology_count", "current_step_index", "current_step_unit_id", "current_step_started_at",
    "current_step_due_at", "row_version", *STATE_COLUMNS,  # the state: what the actor may do now
)))
EVENT_COLUMNS = (
    "at", "action", "from_status", "to_status", "actor_username", "actor_full_name", "actor_unit_id",
    "from_unit_id", "to_unit_id", "step_name", "step_due_at", "step_outcome", "note", "data",
)


def dossier_view(actor: Actor, code: str) -> dict[str, Any]:
    """The representation of one dossier the actor may see (404 otherwise), with the actions the
    actor may do to it now (`available_actions`)."""
    return dossier_views([_visible_row(actor, code, DOSSIER_COLUMNS)], for_actor=actor)[0]


def dossier_visible_id(actor: Actor, code: str) -> int:
    """The id of a dossier the actor may see (404 otherwise)."""
    return int(_visible_row(actor, code, ("id",))["id"])


def dossier_page(qs: QuerySet[Dossier], start: int, end: int) -> list[dict[str, Any]]:
    """The representations of rows start..end of a dossier query (its order is kept)."""
    rows = list(qs.select_related(None).prefetch_related(None).values(*DOSSIER_COLUMNS)[start:end])
    return dossier_views(rows)


def dossier_page_counted(make_qs: Callable[[], QuerySet[Dossier]], start: int, end: int,
                         shape: Hashable | None = None) -> tuple[list[dict[str, Any]], int]:
    """`dossier_page` and the number of rows of the whole query, for bounded lists (the worklists):
    the page's ids come with the total (a window count) in one query, their columns from a prepared
    read; only a page past the end needs a separate count. With `shape` (a key that fixes the query,
    parameters included: `worklists.worklist_shape`) the ids query itself is compiled once per
    connection and not even built again."""

    def build() -> QuerySet[Dossier, Any]:
        return make_qs().select_related(None).prefetch_related(None).annotate(
            listed_total=Window(Count("pk"))).values_list("id", "listed_total")[start:end]

    if shape is None:
        found = [{"id": i, "listed_total": n} for i, n in build()]
    else:
        found = _PAGE_IDS(build, shape=(shape, start, end))
    if not found:
        return [], make_qs().count()
    ids = [row["id"] for row in found]
    by_id = {row["id"]: row for row in _BY_IDS(ids, shape=len(ids))}
    return dossier_views([by_id[i] for i in ids if i in by_id]), int(found[0]["listed_total"])


def _ids(ids: list[int]) -> list[int]:
    return ids


_PAUSES = PreparedRead("dossier-pauses", lambda ids: DossierPause.objects.filter(dossier_id__in=ids).order_by(
    "started_at", "id").values("dossier_id", "kind", "started_at", "ended_at"), params=_ids)
_FEES = PreparedRead("dossier-fees", lambda ids: DossierFee.objects.filter(dossier_id__in=ids).order_by(
    "id").values("dossier_id", "code", "name", "amount", "paid"), params=_ids)
_ATTACHMENTS = PreparedRead("dossier-attachments", lambda ids: Attachment.objects.filter(dossier_id__in=ids).order_by(
    "uploaded_at", "id").values(*ATTACHMENT_COLUMNS), params=_ids)
_EVENTS = PreparedRead("dossier-events", lambda dossier_id: DossierEvent.objects.filter(dossier_id=dossier_id).order_by(
    "at", "id").values(*EVENT_COLUMNS), params=lambda dossier_id: [dossier_id])


_PAGE_IDS = PreparedRead("page-ids", lambda build: build(), params=None)
_BY_IDS = PreparedRead("dossiers-by-ids", lambda ids: Dossier.objects.filter(id__in=ids).values(*DOSSIER_COLUMNS),
                       params=_ids)


def dossier_views(rows: list[dict[str, Any]], *, for_actor: Actor | None = None) -> list[dict[str, Any]]:
    """The representations of dossier rows; `for_actor`: each with the actor's `available_actions`."""
    if not rows:
        return []
    ids = list(dict.fromkeys(r["id"] for r in rows))
    pauses: dict[int, list[dict[str, Any]]] = {}
    for p in _PAUSES(ids, shape=len(ids)):
        pauses.setdefault(p["dossier_id"], []).append({"kind": p["kind"], "from": _dt(p["started_at"]),
                                                       "to": _dt(p["ended_at"])})
    fees: dict[int, list[dict[str, Any]]] = {}
    for f in _FEES(ids, shape=len(ids)):
        fees.setdefault(f.pop("dossier_id"), []).append(f)
    attachments: dict[int, list[dict[str, Any]]] = {}
    for a in _ATTACHMENTS(ids, shape=len(ids)):
        attachments.setdefault(a["dossier_id"], []).append(_attachment(a))
    versions = version_refs({r["procedure_version_id"] for r in rows})
    units = unit_refs({u for r in rows for u in (r["receiving_unit_id"], r["handling_unit_id"],
                                                  r["current_step_unit_id"]) if u is not None})
    views = [_dossier(r, versions[r["procedure_version_id"]], units, pauses.get(r["id"], []), fees.get(r["id"], []),
                      attachments.get(r["id"], [])) for r in rows]
    if for_actor is not None:
        for view, r in zip(views, rows, strict=True):
            view["available_actions"] = available_actions_of_row(
                for_actor, r, versions[r["procedure_version_id"]].workflow)
    return views


def _unit_ref(units: dict[int, tuple[str, str]], unit_id: int | None) -> dict[str, str] | None:
    if unit_id is None or unit_id not in units:
        return None
    code, name = units[unit_id]
    return {"code": code, "name": name}


def _dossier(r: dict[str, Any], version: VersionRef, units: dict[int, tuple[str, str]],
             pauses: list[dict[str, Any]], fees: list[dict[str, Any]],
             attachments: list[dict[str, Any]]) -> dict[str, Any]:
    index = r["current_step_index"]
    step = version.workflow[index] if index is not None and index < len(version.workflow) else None
    step_unit = units.get(r["current_step_unit_id"]) if r["current_step_unit_id"] is not None else None
    return {
        "code": r["code"],
        "procedure": {"code": version.procedure_code, "name": version.name, "version": version.version},
        "status": {"code": r["status"], "name": STATUS_NAMES[r["status"]]},
        "channel": r["channel"],
        "applicant": {
            "name": r["applicant_name"], "id_number": r["applicant_id_number"], "phone": r["applicant_phone"],
            "email": r["applicant_email"], "address": r["applicant_address"],
        },
        "receiving_unit": _unit_ref(units, r["receiving_unit_id"]),
        "handling_unit": _unit_ref(units, r["handling_unit_id"]),
        "submitted_at": _dt(r["submitted_at"]),
        "received_at": _dt(r["received_at"]),
        "clock_start": _dt(r["clock_start"]),
        "due_at": _dt(r["due_at"]),
        "original_due_at": _dt(r["original_due_at"]),
        "finished_at": _dt(r["finished_at"]),
        "returned_at": _dt(r["returned_at"]),
        "pauses": pauses,
        "supplement_requests": r["supplement_requests"],
        "current_step": (
            {"name": step["name"], "role": step["role"], "unit": step_unit[0] if step_unit else None,
             "due_at": _dt(r["current_step_due_at"]), "started_at": _dt(r["current_step_started_at"])}
            if step else None
        ),
        "outcome": r["outcome"] or None,
        "decision": r["decision"] or None,
        "apology_issued": r["apology_count"] > 0,
        "sets": r["sets"],
        "result_delivery": r["result_delivery"],
        "form_data": r["form_data"],
        "attachments": attachments,
        "fees": fees,
        "version": r["row_version"],
    }


def event_views(dossier_id: int) -> list[dict[str, Any]]:
    """The dossier's events, oldest first, in the contract's shape."""
    rows = _EVENTS(dossier_id)
    units = unit_refs({u for e in rows for u in (e["actor_unit_id"], e["from_unit_id"], e["to_unit_id"]) if u})

    def code(unit_id: int | None) -> str | None:
        return units[unit_id][0] if unit_id in units else None

    return [{
        "at": _dt(e["at"]),
        "action": e["action"],
        "from_status": e["from_status"],
        "to_status": e["to_status"],
        "actor": {"username": e["actor_username"], "full_name": e["actor_full_name"], "unit": code(e["actor_unit_id"])},
        "from_unit": code(e["from_unit_id"]),
        "to_unit": code(e["to_unit_id"]),
        "step": {"name": e["step_name"], "due_at": _dt(e["step_due_at"])} if e["step_name"] else None,
        "step_outcome": e["step_outcome"] or None,
        "note": e["note"],
        "data": e["data"],
    } for e in rows]


# -- Lines of the desk's dossier tables ---------------------------------------------------------------

LINE_COLUMNS = ("code", "status", "procedure_version_id", "applicant_name", "current_step_index",
                "current_step_due_at", "due_at")


@dataclass(frozen=True)
class DossierLine:
    """A dossier as one line of a table shows it."""

    code: str
    status: int
    procedure_name: str
    applicant_name: str
    current_step_name: str
    current_step_due_at: datetime | None
    due_at: datetime | None


def dossier_line_rows(qs: QuerySet[Dossier]) -> QuerySet[Dossier, dict[str, Any]]:
    """The columns a line needs (paginate this, then turn the page into `dossier_lines`)."""
    rows: QuerySet[Dossier, dict[str, Any]] = qs.select_related(None).prefetch_related(None).values(*LINE_COLUMNS)
    return rows


def dossier_lines(rows: Iterable[dict[str, Any]]) -> list[DossierLine]:
    rows = list(rows)
    versions = version_refs({r["procedure_version_id"] for r in rows})
    lines = []
    for r in rows:
        version = versions[r["procedure_version_id"]]
        index = r["current_step_index"]
        step = version.workflow[index] if index is not None and index < len(version.workflow) else None
        lines.append(DossierLine(code=r["code"], status=r["status"], procedure_name=version.name,
                                 applicant_name=r["applicant_name"], current_step_name=step["name"] if step else "",
                                 current_step_due_at=r["current_step_due_at"], due_at=r["due_at"]))
    return lines


_PUBLIC = PreparedRead("dossier-public", lambda code: Dossier.objects.filter(code=code).values(
    "code", "procedure_version_id", "status", "applicant_phone", "received_at", "due_at", "finished_at")[:1],
    params=lambda code: [code])


def dossier_public(code: str, verify: str, *, address: str | None = None) -> dict[str, Any]:
    """Public lookup by code and the last 4 digits of the applicant's phone; nothing personal.
    With the caller's `address`, the look-up counts against its budget first."""
    if address is not None:
        public_lookup_allowed(address)
    rows = _PUBLIC(code)
    row = rows[0] if rows else None
    if row is None or len(verify) != 4 or not row["applicant_phone"].endswith(verify):
        raise NotFound("not_found", _("Không tìm thấy hồ sơ với mã và số điện thoại đã nhập."))
    version = version_refs({row["procedure_version_id"]})[row["procedure_version_id"]]
    return {
        "code": row["code"],
        "procedure": {"code": version.procedure_code, "name": version.name},
        "status": {"code": row["status"], "name": STATUS_NAMES[row["status"]]},
        "received_at": _dt(row["received_at"]),
        "due_at": _dt(row["due_at"]),
        "finished_at": _dt(row["finished_at"]),
    }


def applicant_prefill(actor: Actor, id_number: str) -> dict[str, str] | None:
    """The applicant's data from their latest dossier this official may see, to prefill a desk form.
    Reading personal data by ID number is recorded in the audit trail."""
    if not id_number:
        return None
    earlier = dossiers_visible_to(actor).filter(applicant_id_number=id_number).order_by("-id").first()
    if earlier is None:
        return None
    from motcua.audit.services import audit_record

    audit_record(actor=actor, action="dossier.read_applicant", obj=earlier, data={"purpose": "prefill"})
    return {"name": earlier.applicant_name, "phone": earlier.applicant_phone, "email": earlier.applicant_email,
            "address": earlier.applicant_address, "id_number": id_number}
