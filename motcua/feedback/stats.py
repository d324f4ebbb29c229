"""Figures of ratings and petitions for the reports (766 group 5, dashboards, the desk's rates per
unit). Units are given as ids (None: every unit) and periods as instants, so that this lower layer
needs nothing from `reports`. Every figure is one grouped query; petitions and ratings are few next
to dossiers, and no query here scans the dossiers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from .models import Petition, Rating, RatingOfficial

Units = Iterable[int] | None


def _units(field: str, unit_ids: Units) -> Q:
    return Q() if unit_ids is None else Q(**{f"{field}__in": sorted(unit_ids)})


# -- petitions --------------------------------------------------------------------------------------


def petition_late_q(at: datetime) -> Q:
    """Petitions that missed a deadline as of instant ``at``: the SQL of
    :func:`motcua.feedback.domain.missed_deadlines` (what happened before ``at`` counts)."""
    info = Q(info_requested_at__lt=at)
    accepted = Q(accepted_at__lt=at)
    refused = Q(refused_at__lt=at)
    answered = Q(answered_at__lt=at)
    published = Q(published_at__lt=at)

    def decided_after(deadline: str) -> Q:
        return (accepted & Q(accepted_at__gt=F(deadline))) | (refused & Q(refused_at__gt=F(deadline)))

    return (
        (info & Q(info_requested_at__gt=F("info_by")))
        | (~info & decided_after("decide_by"))
        | (info & decided_after("answer_by"))
        | (accepted & answered & Q(answered_at__gt=F("answer_by")))
        | (answered & Q(public=True) & published & Q(published_at__gt=F("publish_by")))
        # the step owed at `at`, past its deadline
        | (~accepted & ~refused & ~info & Q(decide_by__lt=at))
        | (~accepted & ~refused & info & Q(answer_by__lt=at))
        | (accepted & ~answered & Q(answer_by__lt=at))
        | (accepted & answered & Q(public=True) & ~published & Q(publish_by__lt=at))
    )


def petitions_in_period(unit_ids: Units, start: datetime, end: datetime) -> QuerySet[Petition]:
    """Petitions the units had to handle in ``[start, end)``: received before the end and not
    closed (refused, answered privately, published) before the start."""
    return Petition.objects.filter(_units("unit_id", unit_ids), Q(received_at__lt=end)
                                   & (Q(closed_at__isnull=True) | Q(closed_at__gte=start)))


def petition_counts(unit_ids: Units, start: datetime, end: datetime, at: datetime) -> dict[str, int]:
    """How many petitions were in the period and how many kept every deadline due by ``at``."""
    row = petitions_in_period(unit_ids, start, end).aggregate(
        total=Count("pk"), late=Count("pk", filter=petition_late_q(at)))
    return {"total": row["total"], "in_time": row["total"] - row["late"], "late": row["late"]}


# -- complaints and "dislike" against dossiers ------------------------------------------------------


def complained_codes(at: datetime) -> QuerySet[Any]:
    """The codes of :func:`complained_codes_q` as one subquery (a union of the few codes): joined
    from this small side, a report looks the dossiers up by their unique code instead of probing
    every dossier of the period."""
    disliked = Rating.objects.filter(overall="dissatisfied", created_at__lt=at).order_by().values("dossier_code")
    petitioned = (Petition.objects.filter(received_at__lt=at).exclude(dossier_code="").exclude(refused_at__lt=at)
                  .order_by().values("dossier_code"))
    return disliked.union(petitioned)


def complained_codes_q(at: datetime, field: str = "code") -> Q:
    """Dossiers (by their code in ``field``) that had, before ``at``, a "dissatisfied" rating or a
    petition about them that was not refused: domain-rules §8 counts them against satisfaction."""
    return Q(**{f"{field}__in": complained_codes(at)})


# -- ratings ----------------------------------------------------------------------------------------


def _rating_counts(prefix: str = "") -> dict[str, Count]:
    return {
        "ratings": Count("pk"),
        "very_satisfied": Count("pk", filter=Q(**{f"{prefix}overall": "very_satisfied"})),
        "satisfied": Count("pk", filter=Q(**{f"{prefix}overall": "satisfied"})),
        "dissatisfied": Count("pk", filter=Q(**{f"{prefix}overall": "dissatisfied"})),
    }


def _with_rate(row: dict[str, Any]) -> dict[str, Any]:
    n = row["ratings"]
    row["satisfaction_rate"] = round((row["very_satisfied"] + row["satisfied"]) / n, 4) if n else None
    return row


def rating_totals(unit_ids: Units, start: datetime, end: datetime) -> dict[str, Any]:
    row = Rating.objects.filter(_units("handling_unit_id", unit_ids), created_at__gte=start,
                                created_at__lt=end).aggregate(**_rating_counts())
    return _with_rate(dict(row))


def official_ratings(unit_ids: Units, start: datetime, end: datetime) -> dict[int, dict[str, Any]]:
    """Per official (user id): the ratings in ``[start, end)`` of dossiers they handled at the
    units, and the share "satisfied" or "very satisfied"."""
    rows = (RatingOfficial.objects.filter(_units("unit_id", unit_ids), rating__created_at__gte=start,
                                          rating__created_at__lt=end)
            .values("official_id").annotate(**_rating_counts("rating__")).order_by())
    return {r["official_id"]: _with_rate(dict(r)) for r in rows}


def unit_rates(unit_ids: Units, start: datetime, end: datetime, at: datetime,
               now: datetime) -> dict[int, dict[str, Any]]:
    """Per unit (id): ratings of the dossiers it handled in the period and their satisfaction rate;
    petitions of the period, how many kept their deadlines (as of ``at``) and how many are overdue
    ``now``."""
    out: dict[int, dict[str, Any]] = {}
    ratings = (Rating.objects.filter(_units("handling_unit_id", unit_ids), created_at__gte=start, created_at__lt=end)
               .values("handling_unit_id").annotate(**_rating_counts()).order_by())
    for r in ratings:
        out[r["handling_unit_id"]] = _with_rate({k: v for k, v in r.items() if k != "handling_unit_id"})
    empty_ratings = _with_rate({"ratings": 0, "very_satisfied": 0, "satisfied": 0, "dissatisfied": 0})
    petitions = (petitions_in_period(unit_ids, start, end).values("unit_id").annotate(
        petitions=Count("pk"), late=Count("pk", filter=petition_late_q(at)),
        overdue_now=Count("pk", filter=Q(current_deadline__lt=now, closed_at__isnull=True))).order_by())
    for p in petitions:
        row = out.setdefault(p["unit_id"], dict(empty_ratings))
        row["petitions"] = p["petitions"]
        row["in_time"] = p["petitions"] - p["late"]
        row["overdue_now"] = p["overdue_now"]
    for row in out.values():
        row.setdefault("petitions", 0)
        row.setdefault("in_time", 0)
        row.setdefault("overdue_now", 0)
        row["in_time_rate"] = round(row["in_time"] / row["petitions"], 4) if row["petitions"] else None
    return out
