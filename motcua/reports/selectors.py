"""Statistics reads: Biểu II.06a, Biểu II.07b and the Decision 766 index, per unit and period.

Every count is one SQL aggregation (conditional ``COUNT … FILTER`` grouped by procedure version)
so that a province-wide year stays fast at millions of dossiers; no Python loop over dossiers.

A dossier belongs to a unit through its **handling unit** (the competent unit that decides it, the
unit the report holds to account); a unit's report covers the unit and every unit below it. A
dossier received at a commune centre and decided by a department counts for the department.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, Count, Exists, F, Max, Min, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from motcua.accounts.models import User
from motcua.accounts.selectors import Actor
from motcua.calendar.domain import WorkCalendar
from motcua.calendar.selectors import work_calendar
from motcua.catalog.domain import default_workflow
from motcua.catalog.models import Field, Procedure, ProcedureLevel, ProcedureVersion
from motcua.core import clock
from motcua.core.errors import Forbidden, NotFound, ValidationFailed
from motcua.core.text import fold
from motcua.dossiers.models import Attachment, Dossier, DossierEvent
from motcua.feedback import stats as feedback_stats
from motcua.feedback.models import Petition
from motcua.units.models import Unit
from motcua.units.selectors import unit_descendant_ids, unit_get_by_code
from motcua.workflow.domain import PAUSED, UNFINISHED

from . import domain
from .domain import Measure, Period
from .models import ReportJob

# -- scope ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """A unit and the ids of the units its report covers (None: every unit, no filter needed)."""

    unit: Unit
    unit_ids: frozenset[int] | None

    def dossier_filter(self) -> Q:
        return Q() if self.unit_ids is None else Q(handling_unit_id__in=sorted(self.unit_ids))

    def covers(self, unit_id: int) -> bool:
        return self.unit_ids is None or unit_id in self.unit_ids


def report_scope(unit_code: str) -> Scope:
    unit = unit_get_by_code(unit_code)
    ids = unit_descendant_ids({unit.pk})
    total = Unit.objects.count()
    return Scope(unit=unit, unit_ids=None if len(ids) >= total else frozenset(ids))


def report_access(actor: Actor, scope: Scope) -> None:
    """Supervisors and leaders see reports of their units and those below; admins of all."""
    if actor.is_admin or actor.system:
        return
    if scope.unit.pk in actor.supervised_unit_ids():
        return
    raise Forbidden("forbidden", "Bạn không có quyền xem báo cáo của đơn vị này.",
                    details={"unit": scope.unit.code})


def report_period(first: Any, last: Any) -> Period:
    try:
        return Period(first, last)
    except domain.PeriodError as exc:
        raise ValidationFailed("invalid_period", "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.",
                               details={"from": str(first), "to": str(last)}) from exc


# -- the II.06a sets ----------------------------------------------------------------------------------


def base_q(period: Period) -> Q:
    """Received before the end of the period and not finished before its start."""
    return Q(received_at__lt=period.end) & (Q(finished_at__isnull=True) | Q(finished_at__gte=period.start))


def cell_q(period: Period, cell: str) -> Q:
    """The condition of one II.06a cell (inside :func:`base_q`)."""
    s, e = period.start, period.end
    resolved = Q(finished_at__lt=e)
    in_progress = Q(finished_at__isnull=True) | Q(finished_at__gte=e)
    within = Q(due_at__isnull=True) | Q(due_at__gte=e)
    cells = {
        "received.total": Q(),
        "received.carried_over": Q(received_at__lt=s),
        "received.online": Q(received_at__gte=s, channel="online"),
        "received.direct_postal": Q(received_at__gte=s) & ~Q(channel="online"),
        "resolved.total": resolved,
        "resolved.early": resolved & Q(outcome="early"),
        "resolved.on_time": resolved & ~Q(outcome__in=["early", "late"]),
        "resolved.late": resolved & Q(outcome="late"),
        "in_progress.total": in_progress,
        "in_progress.within_time": in_progress & within,
        "in_progress.overdue": in_progress & Q(due_at__lt=e),
    }
    if cell not in cells:
        raise KeyError(cell)
    return cells[cell]


II06A_CELLS = (
    "received.total", "received.online", "received.direct_postal", "received.carried_over",
    "resolved.total", "resolved.early", "resolved.on_time", "resolved.late",
    "in_progress.total", "in_progress.within_time", "in_progress.overdue",
)


@contextmanager
def aggregation() -> Iterator[None]:
    """Big aggregations on PostgreSQL run without JIT: compiling the expressions of these
    one-pass scans costs more (~0.5 s) than it saves. A no-op elsewhere."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        yield


def scoped_dossiers(scope: Scope, period: Period) -> QuerySet[Dossier]:
    return Dossier.objects.filter(base_q(period) & scope.dossier_filter())


def _aggregates(period: Period) -> dict[str, Count]:
    """Seven counts from which every cell follows (the rest by difference, so that the sums
    and the identity hold by construction)."""
    return {
        "n": Count("pk"),
        "carried": Count("pk", filter=cell_q(period, "received.carried_over")),
        "online": Count("pk", filter=cell_q(period, "received.online")),
        "resolved": Count("pk", filter=cell_q(period, "resolved.total")),
        "early": Count("pk", filter=cell_q(period, "resolved.early")),
        "late": Count("pk", filter=cell_q(period, "resolved.late")),
        "overdue": Count("pk", filter=cell_q(period, "in_progress.overdue")),
    }


def _counts(row: dict[str, Any]) -> dict[str, dict[str, int]]:
    n, resolved, in_progress = row["n"], row["resolved"], row["n"] - row["resolved"]
    return {
        "received": {"total": n, "online": row["online"], "direct_postal": n - row["carried"] - row["online"],
                     "carried_over": row["carried"]},
        "resolved": {"total": resolved, "early": row["early"], "on_time": resolved - row["early"] - row["late"],
                     "late": row["late"]},
        "in_progress": {"total": in_progress, "within_time": in_progress - row["overdue"],
                        "overdue": row["overdue"]},
    }


def ii06a(scope: Scope, period: Period) -> dict[str, Any]:
    """Biểu II.06a: one row per field (the field of the procedure version each dossier was
    received under), fields without dossiers left out, in the alphabetical order of their names."""
    with aggregation():
        grouped: list[dict[str, Any]] = [dict(r) for r in scoped_dossiers(scope, period).values("procedure_version_id")
                   .annotate(**_aggregates(period)).order_by()]
    version_fields = dict(ProcedureVersion.objects.values_list("id", "field_id"))
    by_field: dict[int, dict[str, dict[str, int]]] = {}
    for row in grouped:
        field_id = version_fields[row["procedure_version_id"]]
        domain.add_counts(by_field.setdefault(field_id, domain.empty_counts()), _counts(row))
    fields = {f.pk: f for f in Field.objects.filter(pk__in=by_field)}
    rows = []
    totals = domain.empty_counts()
    for field_id, counts in sorted(by_field.items(), key=lambda kv: (fold(fields[kv[0]].name), kv[0])):
        field = fields[field_id]
        rows.append({"field": {"code": field.code, "name": field.name}, **counts})
        domain.add_counts(totals, counts)
    return {"unit": {"code": scope.unit.code, "name": scope.unit.name}, "from": period.first, "to": period.last,
            "rows": rows, "totals": totals}


# -- procedures under a unit's authority ------------------------------------------------------------


def _scope_units(scope: Scope) -> list[Unit]:
    qs = Unit.objects.select_related("parent")
    return list(qs if scope.unit_ids is None else qs.filter(pk__in=scope.unit_ids))


def procedures_in_scope(scope: Scope) -> list[dict[str, Any]]:
    """The active procedures (their current versions) a unit and those below it answer for:
    those whose handling unit is one of them, and those handled by the receiving unit at a level
    one of them serves. The catalogue as it stands now."""
    units = _scope_units(scope)
    codes = {u.code for u in units}
    levels: set[str] = set()
    for u in units:
        levels |= domain.procedure_levels_for(u.level, u.parent.level if u.parent else None)
    versions = (
        ProcedureVersion.objects.filter(pk__in=Procedure.objects.filter(is_active=True).values("current_id"))
        .values("id", "procedure_id", "name", "field_id", "level", "online_mode", "handling_unit", "fees",
                "documents", "workflow", "time_limit_value", "time_limit_unit", "agency", "result", "legal_basis",
                "description")
    )
    return [dict(v) for v in versions if v["handling_unit"] in codes or (v["handling_unit"] == "receiving"
                                                                           and v["level"] in levels)]


def has_approved_workflow(version: dict[str, Any]) -> bool:
    """A workflow published with the procedure, not the standard one generated when none was given."""
    steps = version["workflow"] or []
    if not steps:
        return False
    generated = default_workflow(version["time_limit_value"], version["time_limit_unit"])
    simplify = [(s["name"], s["role"], s["unit"], float(s["hours"])) for s in steps]
    return simplify != [(s["name"], s["role"], s["unit"], float(str(s["hours"]))) for s in generated]


def ii07b(scope: Scope, period: Period) -> dict[str, Any]:
    """Biểu II.07b: procedures by level — under the unit's authority, received and returned
    through the one-stop desk, with an approved internal workflow (and their online services)."""
    rows = []
    versions = procedures_in_scope(scope)
    totals = {"total": 0, "one_stop": 0, "with_workflow": 0, "online_full": 0, "online_partial": 0}
    for level, label in ProcedureLevel.choices:
        mine = [v for v in versions if v["level"] == level]
        if not mine:
            continue
        row = {
            "total": len(mine),
            "one_stop": sum(1 for v in mine if domain.received_at_one_stop_desk(v["workflow"] or [])),
            "with_workflow": sum(1 for v in mine if has_approved_workflow(v)),
            "online_full": sum(1 for v in mine if v["online_mode"] == "full"),
            "online_partial": sum(1 for v in mine if v["online_mode"] == "partial"),
        }
        for key, value in row.items():
            totals[key] += value
        rows.append({"level": {"code": level, "name": str(label)}, **row})
    return {"unit": {"code": scope.unit.code, "name": scope.unit.name}, "from": period.first, "to": period.last,
            "rows": rows, "totals": totals}


# -- Decision 766 -----------------------------------------------------------------------------------


def index_weights() -> dict[str, Any]:
    return dict(getattr(settings, "MOTCUA", {}).get("INDEX_766_WEIGHTS") or {})


def _has_field(model: type[Any], name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def _result_q() -> Q:
    return Q(Exists(Attachment.objects.filter(dossier=OuterRef("pk"), kind="result")))


def _input_q() -> Q:
    return Q(Exists(Attachment.objects.filter(dossier=OuterRef("pk"), kind="input")))


def _reused_condition() -> Q | None:
    """An attachment reused from the applicant's earlier dossier (when the model records it)."""
    if not _has_field(Attachment, "reused_from"):
        return None
    field = Attachment._meta.get_field("reused_from")
    present = ~Q(reused_from__isnull=True)
    if field.get_internal_type() in {"CharField", "TextField"}:
        present &= ~Q(reused_from="")
    return present


def _reused_q() -> Q | None:
    condition = _reused_condition()
    if condition is None:
        return None
    return Q(Exists(Attachment.objects.filter(condition, dossier=OuterRef("pk"))))


def index_sets(period: Period) -> dict[str, tuple[Q, Q]]:
    """The dossier sets behind the dossier-based indicators: (numerator, denominator) conditions
    inside :func:`base_q`."""
    resolved = cell_q(period, "resolved.total")
    with_result = resolved & Q(status__in=sorted(domain.RESULT_STATUSES))
    new = Q(received_at__gte=period.start)
    sets = {
        "progress.on_time": (on_time_q(period), Q()),
        "online.online_share": (new & Q(channel="online"), new),
        "digitisation.electronic_result": (with_result & _result_q(), with_result),
        "digitisation.digitised": (with_result & _result_q() & _input_q(), with_result),
    }
    reused = _reused_q()
    if reused is not None:
        sets["digitisation.reused"] = (resolved & reused, resolved)
    on_time, late = on_time_q(period), late_q(period)
    complained = feedback_stats.complained_codes_q(period.end)
    sets["satisfaction.satisfaction"] = (on_time & ~complained, Q())
    sets["satisfaction.late"] = (late, Q())
    sets["satisfaction.complaints"] = (on_time & complained, Q())
    return sets


def on_time_q(period: Period) -> Q:
    """Finished on time (early included) or in progress within time at the end of the period."""
    return (cell_q(period, "resolved.total") & ~Q(outcome="late")) | cell_q(period, "in_progress.within_time")


def late_q(period: Period) -> Q:
    """The rest of the period's dossiers: finished late, or in progress past their due date."""
    return cell_q(period, "resolved.late") | cell_q(period, "in_progress.overdue")


NO_DATA_NOTES = {
    "publicity.published_on_time": "Hệ thống chưa lưu ngày ban hành quyết định công bố thủ tục hành chính.",
    "publicity.synced_to_portal": "Hệ thống chưa kết nối đồng bộ hồ sơ với Cổng Dịch vụ công quốc gia.",
    "online.fee_procedures_payable_online": "Hệ thống chưa có dữ liệu thanh toán trực tuyến.",
    "online.paid_online": "Hệ thống chưa có dữ liệu thanh toán trực tuyến.",
    "digitisation.reused": "Hệ thống chưa lưu dữ liệu khai thác, sử dụng lại giấy tờ đã số hóa.",
}


# Dossier-set indicators counted from attachments (see _attachment_counts), not by EXISTS per row.
ATTACHMENT_INDICATORS = ("digitisation.electronic_result", "digitisation.digitised", "digitisation.reused")
# Satisfaction: from the progress counts and a count over the few dossiers complained about
# (see _satisfaction), not by a probe per row of the main aggregation.
SATISFACTION_SETS = ("satisfaction.satisfaction", "satisfaction.late", "satisfaction.complaints")


def petitions_at(period: Period, now: datetime | None = None) -> datetime:
    """The instant the petitions' deadlines are judged at: the end of the period, or now when the
    period has not ended (a deadline still ahead is not missed yet)."""
    return min(period.end, now or clock.now())


def _satisfaction(scope: Scope, period: Period, counts: dict[str, int]) -> dict[str, Measure]:
    """766 group 5. Feedback handled in time: petitions of the scope's units in the period that kept
    every deadline due by the end of the period (or now). Satisfaction: domain.satisfaction over the
    dossiers of the progress indicator; the complained-about ones come from one indexed look-up of
    the few dossier codes that have a "dissatisfied" rating or a petition."""
    petitions = feedback_stats.petition_counts(scope.unit_ids, period.start, period.end, petitions_at(period))
    in_time = Measure(numerator=petitions["in_time"], denominator=petitions["total"],
                      petitions="satisfaction.feedback_in_time")
    total = counts["progress_on_time_den"]
    late = total - counts["progress_on_time_num"]
    complained = Dossier.objects.filter(base_q(period) & scope.dossier_filter() & on_time_q(period),
                                        code__in=feedback_stats.complained_codes(period.end)).count()
    return {"satisfaction.feedback_in_time": in_time,
            "satisfaction.satisfaction": domain.satisfaction(total, late, complained)}


def _attachment_counts(scope: Scope, period: Period) -> dict[str, int]:
    """Among dossiers resolved in the period: how many (with a result, statuses 9/10) hold a result
    file, how many hold both input and result files, and how many (any status) reused a stored
    document. One grouped pass over the attachments of those dossiers: at millions of rows this is
    several times faster than one EXISTS probe per dossier and indicator."""
    resolved = Q(dossier__finished_at__gte=period.start, dossier__finished_at__lt=period.end,
                 dossier__received_at__isnull=False)
    if scope.unit_ids is not None:
        resolved &= Q(dossier__handling_unit_id__in=sorted(scope.unit_ids))
    one = Value(1)
    reused = _reused_condition()
    flags = (Attachment.objects.filter(resolved).values("dossier_id").annotate(
        st=Max("dossier__status"),
        r=Max(Case(When(kind="result", then=one), default=Value(0))),
        i=Max(Case(When(kind="input", then=one), default=Value(0))),
        u=Max(Case(When(reused, then=one), default=Value(0))) if reused is not None else Max(Value(0)),
    ).order_by())
    with_result = Q(st__in=sorted(domain.RESULT_STATUSES))
    with aggregation():
        return flags.aggregate(
            result=Count("dossier_id", filter=with_result & Q(r=1)),
            digitised=Count("dossier_id", filter=with_result & Q(r=1, i=1)),
            reused=Count("dossier_id", filter=Q(u=1)),
        )


def index_766(scope: Scope, period: Period) -> dict[str, Any]:
    groups = domain.index_definition(index_weights())
    sets = {k: v for k, v in index_sets(period).items() if k not in ATTACHMENT_INDICATORS + SATISFACTION_SETS}
    resolved = cell_q(period, "resolved.total")
    aggregates = {"n": Count("pk"), "resolved": Count("pk", filter=resolved),
                  "with_result": Count("pk", filter=resolved & Q(status__in=sorted(domain.RESULT_STATUSES)))}
    for key, (numerator, denominator) in sets.items():
        slug = key.replace(".", "_")
        aggregates[f"{slug}_num"] = Count("pk", filter=numerator)
        aggregates[f"{slug}_den"] = Count("pk", filter=denominator) if denominator != Q() else Count("pk")
    # Grouped by procedure: the sums give the counts, and the procedures with new online dossiers
    # come with them (no second scan for "online services that received dossiers").
    aggregates["online_new"] = Count("pk", filter=Q(received_at__gte=period.start, channel="online"))
    with aggregation():
        rows: list[dict[str, Any]] = [
            dict(r) for r in scoped_dossiers(scope, period).values("procedure_id").annotate(**aggregates).order_by()]
    counts = {key: sum(r[key] for r in rows) for key in aggregates}
    with_online = {r["procedure_id"] for r in rows if r["online_new"]}
    measures: dict[str, Measure] = {}
    for key in sets:
        slug = key.replace(".", "_")
        measures[key] = Measure(numerator=counts[f"{slug}_num"], denominator=counts[f"{slug}_den"], dossiers=key)
    files = _attachment_counts(scope, period)
    measures["digitisation.electronic_result"] = Measure(
        numerator=files["result"], denominator=counts["with_result"], dossiers="digitisation.electronic_result")
    measures["digitisation.digitised"] = Measure(
        numerator=files["digitised"], denominator=counts["with_result"], dossiers="digitisation.digitised")
    if _reused_condition() is not None:
        measures["digitisation.reused"] = Measure(numerator=files["reused"], denominator=counts["resolved"],
                                                  dossiers="digitisation.reused")

    measures.update(_satisfaction(scope, period, counts))

    versions = procedures_in_scope(scope)
    complete = sum(1 for v in versions if domain.information_complete(v))
    measures["publicity.information_complete"] = Measure(numerator=complete, denominator=len(versions))
    online_versions = [v for v in versions if v["online_mode"] in {"full", "partial"}]
    measures["online.procedures_online"] = Measure(numerator=len(online_versions), denominator=len(versions))
    online_procedures = {v["procedure_id"] for v in online_versions}
    used = online_procedures & with_online
    measures["online.services_with_dossiers"] = Measure(numerator=len(used), denominator=len(online_procedures))
    for key, note in NO_DATA_NOTES.items():
        if key not in measures:
            measures[key] = Measure(no_data=True, note=note)
    body = domain.score_index(groups, measures)
    return {"unit": {"code": scope.unit.code, "name": scope.unit.name}, "from": period.first, "to": period.last,
            **body}


# -- the dossiers behind a figure -------------------------------------------------------------------


DOSSIER_SET_KEYS = (*II06A_CELLS, "progress.on_time", "online.online_share", "digitisation.electronic_result",
                    "digitisation.digitised", "digitisation.reused", *SATISFACTION_SETS)
PETITION_SET_KEYS = ("satisfaction.feedback_in_time",)


def report_dossiers(scope: Scope, period: Period, key: str, *, part: str = "numerator",
                    field: str | None = None) -> QuerySet[Dossier]:
    """The dossiers counted in one II.06a cell or behind one 766 indicator (its numerator or
    denominator), newest receipt first."""
    if key in II06A_CELLS:
        condition = cell_q(period, key)
    else:
        sets = index_sets(period)
        if key not in sets:
            raise ValidationFailed("unknown_set", f"Không có tập hồ sơ {key!r}.",
                                   details={"set": key, "known": list(DOSSIER_SET_KEYS)})
        condition = sets[key][0 if part == "numerator" else 1]
    qs = scoped_dossiers(scope, period).filter(condition)
    if field:
        qs = qs.filter(procedure_version__field__code=field)
    return qs.select_related("procedure", "procedure_version", "handling_unit").order_by("-received_at", "-id")


def report_petitions(scope: Scope, period: Period, key: str, *, part: str = "numerator",
                     now: datetime | None = None) -> QuerySet[Petition]:
    """The petitions behind a group 5 figure: those of the period (denominator), those that kept
    their deadlines (numerator) or those that missed one (`part=late`), the oldest receipt first."""
    if key not in PETITION_SET_KEYS:
        raise ValidationFailed("unknown_set", f"Không có tập phản ánh {key!r}.",
                               details={"set": key, "known": list(PETITION_SET_KEYS)})
    qs = feedback_stats.petitions_in_period(scope.unit_ids, period.start, period.end)
    late = feedback_stats.petition_late_q(petitions_at(period, now))
    if part == "numerator":
        qs = qs.exclude(late)
    elif part == "late":
        qs = qs.filter(late)
    return qs.select_related("unit").order_by("received_at", "id")


# -- pages: long periods, report jobs ----------------------------------------------------------------

# A period longer than this (in days) is computed as a background job (ReportJob) rather than while
# the page waits; settings.MOTCUA["REPORT_INLINE_MAX_DAYS"] overrides it.
REPORT_INLINE_MAX_DAYS = 366


def report_inline_max_days() -> int:
    return int(getattr(settings, "MOTCUA", {}).get("REPORT_INLINE_MAX_DAYS") or REPORT_INLINE_MAX_DAYS)


def report_is_long(period: Period) -> bool:
    """Too long to compute while a page waits: offer a background job instead."""
    return period.days > report_inline_max_days()


def report_jobs_of(actor: Actor, *, limit: int = 20) -> QuerySet[ReportJob]:
    """The latest report jobs the actor asked for (administrators: everyone's)."""
    qs = ReportJob.objects.select_related("unit").defer("result").order_by("-created_at")
    if not actor.is_admin:
        qs = qs.filter(requested_by_id=actor.user.pk if actor.user is not None else None)
    return qs[:limit]


def report_job_get(actor: Actor, job_id: Any) -> ReportJob:
    """One job of the actor's (administrators: any); someone else's is not found."""
    try:
        pk = uuid.UUID(str(job_id))
    except ValueError:
        pk = None
    job = ReportJob.objects.select_related("unit").filter(pk=pk).first() if pk else None
    if job is None or not (actor.is_admin or (actor.user is not None and job.requested_by_id == actor.user.pk)):
        raise NotFound("not_found", "Không tìm thấy yêu cầu lập báo cáo.")
    return job


# -- entered but not processed ----------------------------------------------------------------------

# Open dossiers the administration has to move: waiting to be checked, received, in progress. Paused
# ones (supplement, payment) wait for the applicant and are left out.
UNPROCESSED_STATUSES = tuple(sorted(UNFINISHED - PAUSED))


def working_days_before(cal: WorkCalendar, now: datetime, days: int) -> datetime:
    """The latest instant ``t`` such that at least ``days`` working days of working time lie in
    ``[t, now)`` (working hours, weekends, Tết and the swapped days of the calendar). Pure: a
    bisection on :meth:`WorkCalendar.working_time_between`, which never grows as ``t`` moves later."""
    need = cal.limit_to_working_time(days, "working_days")
    if need <= timedelta(0):
        return now
    low = now - timedelta(days=2 * days + 30)
    while cal.working_time_between(low, now) < need:
        low -= timedelta(days=2 * days + 30)
    high = now  # invariant: enough working time from `low`, not enough from `high`
    while high - low > timedelta(microseconds=1):
        middle = low + (high - low) / 2
        if cal.working_time_between(middle, now) >= need:
            low = middle
        else:
            high = middle
    return low


def working_days_between(cal: WorkCalendar, start: datetime, end: datetime) -> Decimal:
    """Working time in ``[start, end)`` in working days, one decimal (for display)."""
    per_day = cal.limit_to_working_time(1, "working_days")
    return (Decimal(cal.working_time_between(start, end) / timedelta(microseconds=1))
            / Decimal(per_day / timedelta(microseconds=1))).quantize(Decimal("0.1"), rounding=ROUND_DOWN)


def _last_event_at() -> Subquery:
    return Subquery(DossierEvent.objects.filter(dossier=OuterRef("pk")).order_by("-at", "-id").values("at")[:1])


def unprocessed_dossiers(scope: Scope, cutoff: datetime) -> QuerySet[Dossier]:
    """"Entered but not processed": open dossiers (statuses 1, 2, 4) entered at or before `cutoff`
    with no event after it, that the scope's units handle or hold at their current step; with
    ``at_unit`` (the unit of the current step, else the receiving unit) and ``last_event_at``, the
    longest waiting first."""
    entered = Coalesce("received_at", "submitted_at")
    where = Q(status__in=UNPROCESSED_STATUSES) & Q(~Exists(
        DossierEvent.objects.filter(dossier=OuterRef("pk"), at__gt=cutoff)))
    if scope.unit_ids is not None:
        ids = sorted(scope.unit_ids)
        where &= Q(handling_unit_id__in=ids) | Q(current_step_unit_id__in=ids)
    return (Dossier.objects.annotate(entered_at=entered).filter(where, entered_at__lte=cutoff)
            .annotate(at_unit=Coalesce("current_step_unit_id", "receiving_unit_id"), last_event_at=_last_event_at())
            .select_related("procedure_version", "handling_unit", "current_step_unit", "current_assignee")
            .order_by(F("last_event_at").asc(nulls_first=True), "entered_at", "id"))


def unprocessed(scope: Scope, *, working_days: int = 2, now: datetime | None = None,
                limit: int = 100) -> dict[str, Any]:
    """The units and the officials whose dossiers sit without any event for at least
    `working_days` working days (counted on the working calendar up to `now`): how many, and since
    when the oldest waits. Two grouped aggregations; the dossiers themselves come from
    :func:`unprocessed_dossiers` with the returned ``cutoff``."""
    now = now or clock.now()
    cutoff = working_days_before(work_calendar(), now, working_days)
    base = unprocessed_dossiers(scope, cutoff).select_related(None).order_by()
    with aggregation():
        by_unit = list(base.values("at_unit")  # type: ignore[misc]  # an annotation, not a field
                       .annotate(n=Count("pk"), oldest=Min("last_event_at")).order_by("-n", "at_unit")[:limit])
        by_official = list(base.values("current_assignee_id").annotate(n=Count("pk"), oldest=Min("last_event_at"))
                           .order_by("-n", "current_assignee_id")[:limit])
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[r["at_unit"] for r in by_unit])}
    users = {u.pk: u for u in User.objects.filter(pk__in=[r["current_assignee_id"] for r in by_official
                                                            if r["current_assignee_id"]])}
    officials = [{"official": {"username": users[r["current_assignee_id"]].username,
                               "full_name": users[r["current_assignee_id"]].full_name},
                  "idle": r["n"], "oldest": r["oldest"]} for r in by_official if r["current_assignee_id"]]
    unassigned = sum(r["n"] for r in by_official if not r["current_assignee_id"])
    return {
        "unit": {"code": scope.unit.code, "name": scope.unit.name}, "working_days": working_days,
        "now": now, "cutoff": cutoff, "total": base.count(),
        "by_unit": [{"unit": {"code": units[r["at_unit"]].code, "name": units[r["at_unit"]].name},
                     "idle": r["n"], "oldest": r["oldest"]} for r in by_unit],
        "by_official": officials, "unassigned": unassigned,
    }
