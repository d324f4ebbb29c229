"""Dashboard data for supervisors: on-time rate over time, ranking of units, channel mix, overdue
dossiers by unit and procedure, per-official workload and outcomes, and dossiers that sit without
any event ("entered but not processed"). Every figure is one grouped SQL aggregation.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Count, Min, Q, Sum

from motcua.accounts.models import User
from motcua.catalog.models import Procedure
from motcua.core import clock
from motcua.dossiers.models import ActorDay, Dossier
from motcua.feedback import stats as feedback_stats
from motcua.units.models import Unit
from motcua.workflow.domain import UNFINISHED, Status

from .domain import VN_TZ, Period, rate_of, rounded
from .selectors import UNPROCESSED_STATUSES, Scope, aggregation, cell_q, scoped_dossiers

# Received and not finished: what can be overdue.
ACTIVE = tuple(sorted(UNFINISHED - {Status.SUBMITTED}))


def _rate(numerator: int, denominator: int) -> float | None:
    rate = rate_of(numerator, denominator)
    return None if rate is None else rounded(rate, 4)


def _months(period: Period) -> list[tuple[str, datetime, datetime]]:
    """The calendar months the period touches, each clipped to the period (Vietnam time)."""
    out = []
    first = period.first.replace(day=1)
    while first <= period.last:
        following = (first + timedelta(days=32)).replace(day=1)
        start = max(datetime.combine(first, time(0), VN_TZ), period.start)
        end = min(datetime.combine(following, time(0), VN_TZ), period.end)
        out.append((f"{first:%Y-%m}", start, end))
        first = following
    return out


def on_time_by_month(scope: Scope, period: Period) -> list[dict[str, Any]]:
    """Dossiers resolved each month of the period and the share finished early or on time (months
    without a resolved dossier left out). Two conditional counts per month over one index range
    scan: cheaper than truncating every row's time to its month in Vietnam time."""
    months = _months(period)
    resolved = Q(finished_at__gte=period.start, finished_at__lt=period.end, received_at__isnull=False)
    aggregates: dict[str, Count] = {}
    for i, (_, start, end) in enumerate(months):
        in_month = Q(finished_at__gte=start, finished_at__lt=end)
        aggregates[f"t{i}"] = Count("pk", filter=in_month)
        aggregates[f"l{i}"] = Count("pk", filter=in_month & Q(outcome="late"))
    with aggregation():
        row = Dossier.objects.filter(resolved & scope.dossier_filter()).aggregate(**aggregates)
    out = []
    for i, (label, _, _) in enumerate(months):
        total, late = row[f"t{i}"], row[f"l{i}"]
        if total:
            out.append({"month": label, "resolved": total, "on_time": total - late, "rate": _rate(total - late, total)})
    return out


def unit_ranking(scope: Scope, period: Period) -> list[dict[str, Any]]:
    """Each unit below (and including) the scope's unit that handled dossiers in the period: its
    II.06a totals and its on-time rate (finished on time + in progress within time) / received,
    best first."""
    with aggregation():
        rows = list(
            scoped_dossiers(scope, period).values("handling_unit_id").annotate(
                received=Count("pk"),
                resolved=Count("pk", filter=cell_q(period, "resolved.total")),
                late=Count("pk", filter=cell_q(period, "resolved.late")),
                overdue=Count("pk", filter=cell_q(period, "in_progress.overdue")),
            ).order_by())
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[r["handling_unit_id"] for r in rows])}
    out = []
    for r in rows:
        good = r["received"] - r["late"] - r["overdue"]
        unit = units[r["handling_unit_id"]]
        out.append({"unit": {"code": unit.code, "name": unit.name}, "received": r["received"],
                    "resolved": r["resolved"], "late": r["late"], "overdue": r["overdue"],
                    "rate": _rate(good, r["received"])})
    out.sort(key=lambda x: (-(x["rate"] or 0), -x["received"], x["unit"]["code"]))
    return out


def channel_mix(scope: Scope, period: Period) -> dict[str, int]:
    new = Q(received_at__gte=period.start, received_at__lt=period.end)
    with aggregation():
        rows = Dossier.objects.filter(new & scope.dossier_filter()).values("channel").annotate(n=Count("pk")).order_by()
        counts = {r["channel"]: r["n"] for r in rows}
    return {"online": counts.get("online", 0), "direct": counts.get("direct", 0), "postal": counts.get("postal", 0)}


def overdue_now(scope: Scope, *, now: datetime | None = None, limit: int = 20) -> dict[str, list[dict[str, Any]]]:
    """Dossiers open now past their due date, by handling unit and by procedure (largest first)."""
    now = now or clock.now()
    base = Dossier.objects.filter(Q(status__in=ACTIVE, due_at__lt=now) & scope.dossier_filter())
    by_unit = list(base.values("handling_unit_id").annotate(n=Count("pk")).order_by("-n", "handling_unit_id")[:limit])
    by_proc = list(base.values("procedure_id").annotate(n=Count("pk")).order_by("-n", "procedure_id")[:limit])
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[r["handling_unit_id"] for r in by_unit])}
    procs = {p.pk: p for p in Procedure.objects.filter(pk__in=[r["procedure_id"] for r in by_proc])}
    return {
        "by_unit": [{"unit": {"code": units[r["handling_unit_id"]].code, "name": units[r["handling_unit_id"]].name},
                     "overdue": r["n"]} for r in by_unit],
        "by_procedure": [{"procedure": {"code": procs[r["procedure_id"]].code, "name": procs[r["procedure_id"]].name},
                          "overdue": r["n"]} for r in by_proc],
    }


def official_workload(scope: Scope, period: Period, *, limit: int = 50) -> list[dict[str, Any]]:
    """Hand-overs each official made in the period at the scope's units, and how many of them were
    late against the step deadline (Mẫu 05 outcomes), busiest first. Read from the daily counts
    written with each event (dossiers.models.ActorDay), not from the events themselves."""
    days = ActorDay.objects.filter(day__gte=period.first, day__lte=period.last)
    if scope.unit_ids is not None:
        days = days.filter(unit_key__in=sorted(scope.unit_ids))
    with aggregation():
        rows = list(
            days.values("actor_id").annotate(
                actions=Sum("actions"), steps=Sum("steps"), late=Sum("late_steps"), resolved=Sum("resolved"),
            ).order_by("-actions", "actor_id")[:limit])
    ratings = feedback_stats.official_ratings(scope.unit_ids, period.start, period.end)
    # Officials rated in the period without a hand-over in it are listed too (after the others).
    rows += [{"actor_id": pk, "actions": 0, "steps": 0, "late": 0, "resolved": 0}
             for pk in sorted(set(ratings) - {r["actor_id"] for r in rows})]
    users = {u.pk: u for u in User.objects.filter(pk__in=[r["actor_id"] for r in rows])}
    return [{"official": {"username": users[r["actor_id"]].username, "full_name": users[r["actor_id"]].full_name},
             "actions": r["actions"], "steps": r["steps"], "late_steps": r["late"], "resolved": r["resolved"],
             "on_time_rate": _rate(r["steps"] - r["late"], r["steps"]),
             **_official_rating(ratings.get(r["actor_id"]))} for r in rows]


def _official_rating(row: dict[str, Any] | None) -> dict[str, Any]:
    """The ratings of the dossiers an official handled (feedback.RatingOfficial): how many, how many
    "dissatisfied", and the share satisfied or very satisfied (None without ratings)."""
    row = row or {"ratings": 0, "dissatisfied": 0, "satisfaction_rate": None}
    return {"ratings": row["ratings"], "dissatisfied": row["dissatisfied"],
            "satisfaction_rate": row["satisfaction_rate"]}


def satisfaction_by_unit(scope: Scope, period: Period, *, now: datetime | None = None) -> list[dict[str, Any]]:
    """Per unit of the scope: the ratings of the dossiers it handled in the period (satisfaction
    rate = satisfied or very satisfied / rated) and its petitions of the period (kept their deadlines,
    overdue now); best satisfaction first, units without ratings last."""
    now = now or clock.now()
    rates = feedback_stats.unit_rates(scope.unit_ids, period.start, period.end, min(period.end, now), now)
    units = {u.pk: u for u in Unit.objects.filter(pk__in=list(rates))}
    out = [{"unit": {"code": units[pk].code, "name": units[pk].name}, **row} for pk, row in rates.items()]
    out.sort(key=lambda r: (r["satisfaction_rate"] is None, -(r["satisfaction_rate"] or 0), -r["ratings"],
                            r["unit"]["code"]))
    return out


def idle_dossiers(scope: Scope, *, days: int = 3, now: datetime | None = None,
                  limit: int = 50) -> dict[str, list[dict[str, Any]]]:
    """"Entered but not processed": open dossiers (waiting to be checked, received or in progress —
    not paused) whose current step started more than `days` calendar days ago with no hand-over
    since, counted by the unit of their current step and by the official assigned."""
    now = now or clock.now()
    threshold = now - timedelta(days=days)
    base = Dossier.objects.filter(Q(status__in=UNPROCESSED_STATUSES, current_step_started_at__lt=threshold)
                                  & scope.dossier_filter())
    by_unit = list(base.values("current_step_unit_id").annotate(n=Count("pk"), oldest=Min("current_step_started_at"))
                   .order_by("-n", "current_step_unit_id")[:limit])
    by_official = list(base.filter(current_assignee__isnull=False).values("current_assignee_id")
                       .annotate(n=Count("pk")).order_by("-n", "current_assignee_id")[:limit])
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[r["current_step_unit_id"] for r in by_unit if r[
        "current_step_unit_id"]])}
    users = {u.pk: u for u in User.objects.filter(pk__in=[r["current_assignee_id"] for r in by_official])}
    return {
        "by_unit": [{"unit": {"code": units[r["current_step_unit_id"]].code,
                              "name": units[r["current_step_unit_id"]].name} if r["current_step_unit_id"] else None,
                     "idle": r["n"], "oldest": clock.local(r["oldest"]).isoformat()} for r in by_unit],
        "by_official": [{"official": {"username": users[r["current_assignee_id"]].username,
                                      "full_name": users[r["current_assignee_id"]].full_name},
                         "idle": r["n"]} for r in by_official],
    }


def dashboard(scope: Scope, period: Period, *, now: datetime | None = None) -> dict[str, Any]:
    return {
        "unit": {"code": scope.unit.code, "name": scope.unit.name}, "from": period.first, "to": period.last,
        "on_time_by_month": on_time_by_month(scope, period),
        "units": unit_ranking(scope, period),
        "channels": channel_mix(scope, period),
        "overdue": overdue_now(scope, now=now),
        "officials": official_workload(scope, period),
        "idle": idle_dossiers(scope, now=now),
        "satisfaction": satisfaction_by_unit(scope, period, now=now),
    }
