"""Pure rules of the statistics (domain-rules §7, §8): no ORM, no settings, no I/O.

Biểu II.06a counts dossiers for a period ``[from, to]`` of whole days in Vietnam time. With
``S`` = ``from`` 00:00 and ``E`` = ``to`` + 1 day 00:00 (that is ``to`` 24:00), a *received* dossier
(one with a receipt time; a dossier refused at intake never was) is in the report when it was
received before ``E`` and not finished before ``S``. Then, exactly one of each pair holds:

* received: ``carried_over`` when received before ``S``, else new in the period, by channel
  (``online`` or ``direct_postal``);
* ``resolved`` when finished (statuses 9, 10, 7, 8) before ``E``, split ``early`` / ``on_time`` /
  ``late`` by the date rule against the original due date (stored as the dossier's outcome);
  else ``in_progress`` at ``E``, ``within_time`` when its due date is at or after ``E``, else
  ``overdue``.

So the identity *received total = resolved total + in-progress total* holds by construction.
:func:`classify` states the rule for one dossier; the selectors compute the same sets in SQL.

The Decision 766 index: five groups worth 100 points; each indicator turns a rate into points,
full at its threshold, else ``rate × max / threshold``. The sub-indicator weights are configurable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from motcua.calendar.domain import outcome as date_outcome
from motcua.workflow.domain import Status
from motcua.workflow.steps import starts_at_the_desk, steps_of

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# Statuses whose end time counts as "resolved" (contract: withdrawn and stopped included).
FINISHED_STATUSES = frozenset({Status.WITHDRAWN, Status.STOPPED, Status.RESOLVED, Status.RETURNED})
# Statuses that mean "a result was produced" (for the electronic-result indicators).
RESULT_STATUSES = frozenset({Status.RESOLVED, Status.RETURNED})

RECEIVED_KEYS = ("total", "online", "direct_postal", "carried_over")
RESOLVED_KEYS = ("total", "early", "on_time", "late")
IN_PROGRESS_KEYS = ("total", "within_time", "overdue")


class PeriodError(ValueError):
    """An impossible period (``from`` after ``to``)."""


@dataclass(frozen=True)
class Period:
    """Whole days in Vietnam time, both ends included."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.first > self.last:
            raise PeriodError("the period starts after it ends")

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(0), VN_TZ)

    @property
    def end(self) -> datetime:
        """``to`` 24:00: the first instant after the period."""
        return datetime.combine(self.last + timedelta(days=1), time(0), VN_TZ)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


# -- Biểu II.06a ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DossierFacts:
    """What the classification needs to know about one dossier."""

    status: int
    channel: str
    received_at: datetime | None
    finished_at: datetime | None
    due_at: datetime | None
    original_due_at: datetime | None = None
    outcome: str = ""


def finished_at_of(facts: DossierFacts) -> datetime | None:
    return facts.finished_at if facts.status in FINISHED_STATUSES else None


def in_report(facts: DossierFacts, period: Period) -> bool:
    """Received before the end of the period and not finished before its start."""
    if facts.received_at is None:
        return False
    finished = finished_at_of(facts)
    return facts.received_at < period.end and (finished is None or finished >= period.start)


def resolved_outcome(facts: DossierFacts) -> str:
    """The national date rule; the stored outcome when there is one."""
    if facts.outcome in {"early", "on_time", "late"}:
        return facts.outcome
    finished = finished_at_of(facts)
    if finished is not None and facts.original_due_at is not None:
        return date_outcome(finished, facts.original_due_at)
    return "on_time"


def classify(facts: DossierFacts, period: Period) -> frozenset[str]:
    """The II.06a cells a dossier falls into, e.g. ``{"received.online", "resolved.late"}``;
    empty when it is not in the report."""
    if not in_report(facts, period):
        return frozenset()
    assert facts.received_at is not None
    cells = {"received.total"}
    if facts.received_at < period.start:
        cells.add("received.carried_over")
    elif facts.channel == "online":
        cells.add("received.online")
    else:
        cells.add("received.direct_postal")
    finished = finished_at_of(facts)
    if finished is not None and finished < period.end:
        cells |= {"resolved.total", f"resolved.{resolved_outcome(facts)}"}
    else:
        cells.add("in_progress.total")
        within = facts.due_at is None or facts.due_at >= period.end
        cells.add("in_progress.within_time" if within else "in_progress.overdue")
    return frozenset(cells)


def empty_counts() -> dict[str, dict[str, int]]:
    return {
        "received": dict.fromkeys(RECEIVED_KEYS, 0),
        "resolved": dict.fromkeys(RESOLVED_KEYS, 0),
        "in_progress": dict.fromkeys(IN_PROGRESS_KEYS, 0),
    }


def counts_from_cells(cell_sets: Iterable[frozenset[str]]) -> dict[str, dict[str, int]]:
    """Add up :func:`classify` results (the reference the SQL aggregation is tested against)."""
    counts = empty_counts()
    for cells in cell_sets:
        for cell in cells:
            group, key = cell.split(".")
            counts[group][key] += 1
    return counts


def add_counts(target: dict[str, dict[str, int]], other: Mapping[str, Mapping[str, int]]) -> None:
    for group, values in other.items():
        for key, value in values.items():
            target[group][key] += value


def identity_holds(counts: Mapping[str, Mapping[str, int]]) -> bool:
    received, resolved, progress = counts["received"], counts["resolved"], counts["in_progress"]
    return (
        received["total"] == received["online"] + received["direct_postal"] + received["carried_over"]
        and resolved["total"] == resolved["early"] + resolved["on_time"] + resolved["late"]
        and progress["total"] == progress["within_time"] + progress["overdue"]
        and received["total"] == resolved["total"] + progress["total"]
    )


# -- Decision 766 -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorDef:
    key: str
    name: str
    max_points: Decimal
    threshold: Decimal  # the rate at which the indicator scores full points


@dataclass(frozen=True)
class GroupDef:
    key: str
    name: str
    max_points: Decimal
    indicators: tuple[IndicatorDef, ...]


def _d(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


# The decision's structure (domain-rules §8). Weights: (max points, threshold) per indicator; a
# group's indicators add up to the group's points. Override with settings.MOTCUA["INDEX_766_WEIGHTS"]
# = {"<group>.<indicator>": {"max_points": .., "threshold": ..}}; the override must keep each
# group's total.
INDEX_766: tuple[tuple[str, str, int, tuple[tuple[str, str, float, float], ...]], ...] = (
    ("publicity", "Công khai, minh bạch", 18, (
        ("published_on_time", "Thủ tục hành chính được công bố, công khai đúng hạn", 6, 1.0),
        ("information_complete", "Thủ tục hành chính được công khai đầy đủ thông tin", 6, 1.0),
        ("synced_to_portal", "Hồ sơ được đồng bộ lên Cổng Dịch vụ công quốc gia", 6, 1.0),
    )),
    ("progress", "Tiến độ giải quyết", 20, (
        ("on_time", "Hồ sơ giải quyết đúng hạn và đang giải quyết trong hạn", 20, 1.0),
    )),
    ("online", "Dịch vụ trực tuyến", 22, (
        ("procedures_online", "Thủ tục hành chính cung cấp dịch vụ công trực tuyến", 4, 0.8),
        ("services_with_dossiers", "Dịch vụ công trực tuyến có phát sinh hồ sơ", 4, 1.0),
        ("online_share", "Hồ sơ nộp trực tuyến", 6, 0.5),
        ("fee_procedures_payable_online", "Thủ tục có phí, lệ phí được thanh toán trực tuyến", 4, 0.8),
        ("paid_online", "Hồ sơ thanh toán trực tuyến", 4, 1.0),
    )),
    ("digitisation", "Số hóa hồ sơ", 22, (
        ("electronic_result", "Hồ sơ được cấp kết quả điện tử", 8, 1.0),
        ("digitised", "Hồ sơ được số hóa thành phần hồ sơ và kết quả", 7, 0.8),
        ("reused", "Hồ sơ khai thác, sử dụng lại dữ liệu đã số hóa", 7, 0.8),
    )),
    ("satisfaction", "Mức độ hài lòng", 18, (
        ("feedback_in_time", "Phản ánh, kiến nghị được xử lý đúng hạn", 6, 1.0),
        ("satisfaction", "Mức độ hài lòng của người dân, doanh nghiệp", 12, 0.9),
    )),
)
INDEX_766_MAX = Decimal(100)


class WeightsError(ValueError):
    pass


def index_definition(overrides: Mapping[str, Mapping[str, Any]] | None = None) -> tuple[GroupDef, ...]:
    """The groups with the decision's default weights, or the configured ones."""
    overrides = overrides or {}
    known = {f"{g[0]}.{i[0]}" for g in INDEX_766 for i in g[3]}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise WeightsError(f"unknown 766 indicators in INDEX_766_WEIGHTS: {unknown}")
    groups = []
    for key, name, points, indicators in INDEX_766:
        defs = []
        for ind_key, ind_name, max_points, threshold in indicators:
            override = overrides.get(f"{key}.{ind_key}", {})
            ind_max = _d(override.get("max_points", max_points))
            ind_threshold = _d(override.get("threshold", threshold))
            if ind_max < 0 or not Decimal(0) < ind_threshold <= Decimal(1):
                raise WeightsError(f"invalid weight for {key}.{ind_key}")
            defs.append(IndicatorDef(ind_key, ind_name, ind_max, ind_threshold))
        if sum((d.max_points for d in defs), Decimal(0)) != Decimal(points):
            raise WeightsError(f"the indicators of group {key!r} must add up to {points} points")
        groups.append(GroupDef(key, name, Decimal(points), tuple(defs)))
    return tuple(groups)


def rate_of(numerator: int, denominator: int) -> Decimal | None:
    if denominator <= 0:
        return None
    return Decimal(numerator) / Decimal(denominator)


def points_for(rate: Decimal | None, max_points: Decimal, threshold: Decimal) -> Decimal:
    """Full points at or above the threshold, else ``rate × max / threshold``; 0 without data."""
    if rate is None:
        return Decimal(0)
    if rate >= threshold:
        return max_points
    return max(rate, Decimal(0)) * max_points / threshold


def rounded(value: Decimal, places: int = 2) -> float:
    return float(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def points_number(value: Decimal) -> int | float:
    """Maximum points as the decision writes them: 18, not 18.0 (fractions kept when configured)."""
    return int(value) if value == value.to_integral_value() else rounded(value)


@dataclass(frozen=True)
class Part:
    """A number that explains an indicator (e.g. the dossiers late, and those with complaints, that
    satisfaction subtracts), with the dossier set behind it."""

    key: str
    name: str
    count: int


@dataclass(frozen=True)
class Measure:
    """What the system holds for one indicator: counts, or ``no_data`` with the reason."""

    numerator: int | None = None
    denominator: int | None = None
    no_data: bool = False
    note: str = ""
    dossiers: str | None = None  # the key of the dossier set behind the numerator
    petitions: str | None = None  # the key of the petition set behind the numerator (group 5)
    parts: tuple[Part, ...] = ()  # what the numerator leaves out, each with its own set


def satisfaction(total: int, late: int, complained: int) -> Measure:
    """Domain-rules §8: satisfaction = 100% − (overdue rate + rate with complaints or "dislike"),
    over the dossiers of the period (those of the progress indicator). ``late``: finished late or
    in progress past the due date; ``complained``: the other dossiers with a petition about them or
    a "dissatisfied" rating (a dossier both late and complained about is subtracted once, as late),
    so the numerator is the set of dossiers on time and without complaint."""
    return Measure(numerator=max(total - late - complained, 0), denominator=total,
                   dossiers="satisfaction.satisfaction",
                   parts=(Part("satisfaction.late", "Hồ sơ trễ hạn (đã giải quyết quá hạn hoặc đang quá hạn)", late),
                          Part("satisfaction.complaints", "Hồ sơ đúng hạn nhưng có phản ánh, kiến nghị hoặc "
                                                          "đánh giá không hài lòng", complained)))


def score_index(groups: tuple[GroupDef, ...], measures: Mapping[str, Measure]) -> dict[str, Any]:
    """The contract's index body (without unit and period) from the measures by
    ``"<group>.<indicator>"``. A missing measure counts as no data."""
    out_groups = []
    total = Decimal(0)
    for group in groups:
        group_points = Decimal(0)
        indicators = []
        for ind in group.indicators:
            measure = measures.get(f"{group.key}.{ind.key}", Measure(no_data=True))
            rate = None if measure.no_data else rate_of(measure.numerator or 0, measure.denominator or 0)
            points = points_for(rate, ind.max_points, ind.threshold)
            group_points += points
            item: dict[str, Any] = {
                "key": ind.key, "name": ind.name,
                "numerator": None if measure.no_data else measure.numerator,
                "denominator": None if measure.no_data else measure.denominator,
                "rate": None if rate is None else rounded(rate, 4),
                "points": rounded(points), "max_points": points_number(ind.max_points),
                "threshold": rounded(ind.threshold, 4),
            }
            if measure.no_data:
                item["no_data"] = True
            if measure.note:
                item["note"] = measure.note
            item["dossiers"] = measure.dossiers
            if measure.petitions:
                item["petitions"] = measure.petitions
            if measure.parts:
                item["parts"] = [{"key": p.key, "name": p.name, "count": p.count, "dossiers": p.key}
                                 for p in measure.parts]
            indicators.append(item)
        total += group_points
        out_groups.append({"key": group.key, "name": group.name, "points": rounded(group_points),
                           "max_points": points_number(group.max_points), "indicators": indicators})
    return {"total_points": rounded(total), "max_points": 100, "groups": out_groups}


# -- Biểu II.07b ------------------------------------------------------------------------------------

# The procedure levels a unit of each level answers for (procedures handled by "the receiving
# unit"); a centre answers for the levels of the unit it belongs to.
UNIT_PROCEDURE_LEVELS: dict[str, frozenset[str]] = {
    "province": frozenset({"province"}),
    "department": frozenset({"department"}),
    "commune": frozenset({"commune"}),
    "centre": frozenset({"centre"}),
}


def procedure_levels_for(unit_level: str, parent_level: str | None) -> frozenset[str]:
    levels = UNIT_PROCEDURE_LEVELS.get(unit_level, frozenset())
    if unit_level == "centre" and parent_level:
        levels |= UNIT_PROCEDURE_LEVELS.get(parent_level, frozenset())
        if parent_level == "province":
            levels |= {"department"}
    return levels


def information_complete(version: Mapping[str, Any]) -> bool:
    """The parts of a published procedure the index checks: name, field, documents, time limit,
    competent agency, result, legal basis and a description of the steps (fees may be none)."""
    return bool(
        str(version.get("name") or "").strip() and version.get("field_id") and version.get("documents")
        and version.get("time_limit_value") is not None and str(version.get("agency") or "").strip()
        and str(version.get("result") or "").strip() and version.get("legal_basis")
        and str(version.get("description") or "").strip()
    )


def received_at_one_stop_desk(workflow: list[Mapping[str, Any]]) -> bool:
    """Received and returned through the one-stop desk: the first step is reception at the
    receiving unit."""
    return starts_at_the_desk(steps_of(workflow))
