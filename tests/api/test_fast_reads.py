"""The fast read path: prepared reads, answers written without ninja's second pass, reference
copies of units and procedure versions, and worklists without the route semi-join — each checked
against what the plain ORM (or the schema) gives."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.core.prepared import PreparedMismatch, PreparedRead

from .conftest import CITIZEN_AN, STP, VIETTRI, World
from .test_attachments import make_pdf, upload


@pytest.fixture
def world(world: World, files_dir: Any) -> World:
    """The package's world (procedure 9.000001 published) with a private FILES_DIR."""
    return world


def _busy_dossier(world: World) -> dict[str, Any]:
    """A dossier with a fee, an attachment, a pause and a few events."""
    d = world.direct()
    r = upload(world("tiepnhan.viettri"), d["code"], make_pdf())
    assert r.status_code == 201, r.content
    world.act("tiepnhan.viettri", d["code"], "forward")
    world.act("chuyenvien.viettri", d["code"], "request-supplement",
              {"reason": "Thiếu giấy tờ", "items": [{"name": "Bản sao giấy khai sinh"}]})
    return d


# -- PreparedRead ----------------------------------------------------------------------------------


def _attachments_read() -> PreparedRead:
    from motcua.dossiers.models import Attachment

    return PreparedRead(
        "test-attachments",
        lambda ids: Attachment.objects.filter(dossier_id__in=ids).order_by("uploaded_at", "id").values(
            "id", "dossier_id", "uploaded_at", "signature", "size", "name"),
        params=lambda ids: ids,
    )


def test_a_prepared_read_gives_what_the_orm_gives_and_compiles_once(world: World) -> None:
    from motcua.dossiers.models import Attachment, Dossier

    first, second = _busy_dossier(world), _busy_dossier(world)
    ids = [Dossier.objects.get(code=first["code"]).pk, Dossier.objects.get(code=second["code"]).pk]
    read = _attachments_read()
    built: list[Any] = []
    real_build = read.build
    read.build = lambda *a: built.append(a) or real_build(*a)  # type: ignore[method-assign]
    for chosen in ([ids[0]], [ids[1]], ids):
        expected = list(Attachment.objects.filter(dossier_id__in=chosen).order_by("uploaded_at", "id").values(
            "id", "dossier_id", "uploaded_at", "signature", "size", "name"))
        assert expected  # UUIDs, aware datetimes, JSON and integers come back converted
        with CaptureQueriesContext(connection) as queries:
            got = read(chosen, shape=len(chosen))
        assert got == expected
        assert len(queries) == 1
        assert got[0]["uploaded_at"].tzinfo is not None
    # One compilation per shape: lists of one id (twice) and of two ids.
    assert [len(a[0]) for a in built] == [1, 2]


def test_wrong_parameters_are_refused_in_tests_and_fall_back_in_production(world: World, settings: Any,
                                                                           caplog: Any) -> None:
    from motcua.dossiers.models import Dossier

    d = _busy_dossier(world)
    pk = Dossier.objects.get(code=d["code"]).pk
    wrong = PreparedRead("test-wrong", lambda code: Dossier.objects.filter(code=code, status__gte=1).values("id"),
                         params=lambda code: [code])  # forgets the status parameter
    with pytest.raises(PreparedMismatch):
        wrong(d["code"])
    settings.MOTCUA = {**settings.MOTCUA, "VALIDATE_RESPONSES": False}
    wrong_too = PreparedRead("test-wrong-2", wrong.build, params=wrong.params)
    with caplog.at_level(logging.ERROR, logger="motcua.prepared"):
        assert wrong_too(d["code"]) == [{"id": pk}]
        assert wrong_too(d["code"]) == [{"id": pk}]  # still right, through the ORM
    assert sum("falling back" in r.message for r in caplog.records) == 1


def test_annotated_values_lists_can_be_prepared_but_not_model_queries(world: World) -> None:
    from django.db.models import Count, Window

    from motcua.dossiers.models import Dossier

    for _ in range(3):
        world.direct()

    def build(status: int) -> Any:
        return Dossier.objects.filter(status=status).annotate(total=Window(Count("pk"))).order_by("id").values_list(
            "id", "code", "total")

    read = PreparedRead("test-window", build, params=lambda status: [status])
    for status in (2, 1, 2):
        expected = [dict(zip(("id", "code", "total"), row, strict=True)) for row in build(status)]
        assert read(status) == expected
    with pytest.raises(PreparedMismatch):
        PreparedRead("test-models", lambda: Dossier.objects.all(), params=lambda: [])()


def test_a_read_whose_shape_fixes_the_query_is_checked_on_every_reuse(world: World) -> None:
    from motcua.dossiers.models import Dossier

    d = world.direct()
    read = PreparedRead("test-keyed", lambda code: Dossier.objects.filter(code=code).values("code"), params=None)
    assert read(d["code"], shape="one") == [{"code": d["code"]}]
    assert read(d["code"], shape="one") == [{"code": d["code"]}]
    with pytest.raises(PreparedMismatch):  # the shape did not capture the code
        read("000.01.31.H45-260223-9999", shape="one")


# -- answers checked against their schema ----------------------------------------------------------


def test_a_fast_answer_that_drifts_from_its_schema_fails() -> None:
    from motcua.api.fast import ResponseDrift, check_response, json_response
    from motcua.api.schemas import PublicDossierOut

    good = {"code": "X", "procedure": {"code": "1", "name": "Thủ tục"}, "status": {"code": 2, "name": "Được tiếp nhận"},
            "received_at": "2026-02-23T09:00:00+07:00", "due_at": None, "finished_at": None}
    check_response(PublicDossierOut, good)
    response = json_response(PublicDossierOut, good)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "Thủ tục".encode() in response.content  # UTF-8, not \\u escapes
    for broken in ({k: v for k, v in good.items() if k != "due_at"},  # a field left out
                   {**good, "status": {"code": "2", "name": "Được tiếp nhận"}},  # a number sent as text
                   {**good, "received_at": "2026-02-23 09:00"},  # not an ISO time with its offset
                   {**good, "extra": 1}):  # a field the schema does not declare
        with pytest.raises((ResponseDrift, ValueError)):
            check_response(PublicDossierOut, broken)


def test_detail_list_and_worklist_answers_are_the_same_dossier(world: World) -> None:
    d = _busy_dossier(world)
    detail = world("chuyenvien.viettri").get(f"/dossiers/{d['code']}").json()
    listed = [x for x in world("chuyenvien.viettri").get("/dossiers", page_size=200).json()["items"]
              if x["code"] == d["code"]]
    # The detail alone also says what the caller may do to the dossier now.
    assert listed == [{k: v for k, v in detail.items() if k != "available_actions"}]
    assert isinstance(detail["available_actions"], list)
    assert detail["pauses"] and detail["fees"] and detail["attachments"]
    assert detail["receiving_unit"]["code"] == VIETTRI


# -- reference copies ------------------------------------------------------------------------------


def test_unit_names_follow_a_rename(world: World, settings: Any) -> None:
    from motcua.units.models import Unit
    from motcua.units.selectors import unit_refs

    unit = Unit.objects.get(code=VIETTRI)
    assert unit_refs({unit.pk})[unit.pk][0] == VIETTRI
    Unit.objects.filter(pk=unit.pk).update(name="Tên mới (đổi ở tiến trình khác)")
    # Another server process changed it: this process sees it after REFERENCE_CACHE_SECONDS.
    settings.MOTCUA = {**settings.MOTCUA, "REFERENCE_CACHE_SECONDS": 0}
    assert unit_refs({unit.pk})[unit.pk][1] == "Tên mới (đổi ở tiến trình khác)"
    unit.refresh_from_db()
    unit.name = "Tên mới hơn"
    unit.save()  # this process: at once
    settings.MOTCUA = {**settings.MOTCUA, "REFERENCE_CACHE_SECONDS": 3600}
    assert unit_refs({unit.pk})[unit.pk][1] == "Tên mới hơn"


def test_a_retired_unit_is_still_named(world: World) -> None:
    from motcua.units.models import Unit
    from motcua.units.selectors import invalidate, unit_refs

    d = world.direct()
    Unit.objects.filter(code=VIETTRI).update(is_active=False)
    invalidate()
    unit = Unit.objects.get(code=VIETTRI)
    assert unit_refs({unit.pk}) == {unit.pk: (unit.code, unit.name)}
    assert world("admin").get(f"/dossiers/{d['code']}").json()["receiving_unit"]["code"] == VIETTRI


def test_a_field_rename_reaches_the_procedure_search(world: World) -> None:
    from motcua.catalog.models import Field, Procedure

    procedure = Procedure.objects.select_related("field").get(code="9.000001")
    first = world("admin").get("/procedures", q="thử nghiệm hợp đồng").json()["items"][0]
    field = Field.objects.get(pk=procedure.field_id)
    field.name = "Lĩnh vực đổi tên"
    field.save()
    again = world("admin").get("/procedures", q="thử nghiệm hợp đồng").json()["items"][0]
    assert first["field"]["name"] != again["field"]["name"] == "Lĩnh vực đổi tên"


# -- worklists -------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["tiepnhan.viettri", "chuyenvien.viettri", "lanhdao.viettri", "giamsat.viettri"])
def test_worklists_hold_what_the_route_check_would_hold(world: World, username: str) -> None:
    """Without the route semi-join the lists and counts are the same as with it."""
    from motcua.accounts.models import User
    from motcua.accounts.selectors import actor_for
    from motcua.dossiers.selectors import dossiers_visible_to
    from motcua.dossiers.worklists import WORKLISTS, worklist, worklist_counts, worklist_filter

    for _ in range(2):
        _busy_dossier(world)
    accepted = world.direct()
    world.act("tiepnhan.viettri", accepted["code"], "forward")
    world.online()
    actor = actor_for(User.objects.get(username=username))
    counts = worklist_counts(actor)
    for name in WORKLISTS:
        with_route = list(dossiers_visible_to(actor).filter(worklist_filter(actor, name)).order_by("id")
                          .values_list("code", flat=True))
        assert sorted(worklist(actor, name).values_list("code", flat=True)) == sorted(with_route), name
        assert counts[name] == len(with_route), name
    assert sum(counts.values()) > 0 or username == "giamsat.viettri"


def test_worklist_pages_and_counts(world: World) -> None:
    """The count comes with the page (a window count) and stays right past the last page."""
    codes = []
    for _ in range(3):
        d = world.direct()
        world.act("tiepnhan.viettri", d["code"], "forward")
        codes.append(d["code"])
    specialist = world("chuyenvien.viettri")
    pages = [specialist.get("/worklists/my_steps", page=n, page_size=2).json() for n in (1, 2, 3)]
    assert [p["count"] for p in pages] == [3, 3, 3]
    assert [len(p["items"]) for p in pages] == [2, 1, 0]
    listed = [x["code"] for p in pages for x in p["items"]]
    assert sorted(listed) == sorted(codes)
    whole = specialist.get("/worklists/my_steps", page_size=200).json()
    assert [x["code"] for x in whole["items"]] == listed  # the order of the list (due time) is kept
    assert whole["items"] == [x for p in pages for x in p["items"]]


# -- the per-official workload from daily counts ---------------------------------------------------


def _workload_from_events(scope: Any, period: Any) -> list[tuple[str, int, int, int, int]]:
    """The per-official workload counted from the events themselves (the reference)."""
    from django.db.models import Count, Q

    from motcua.dossiers.models import DossierEvent

    events = DossierEvent.objects.filter(at__gte=period.start, at__lt=period.end, actor__isnull=False)
    if scope.unit_ids is not None:
        events = events.filter(actor_unit_id__in=scope.unit_ids)
    rows = events.values("actor__username").annotate(
        actions=Count("pk"), steps=Count("pk", filter=~Q(step_outcome="")),
        late=Count("pk", filter=Q(step_outcome="late")), resolved=Count("pk", filter=Q(action="resolve")))
    return sorted((r["actor__username"], r["actions"], r["steps"], r["late"], r["resolved"]) for r in rows)


def _busy_province(world: World, clock: Any) -> None:
    from .conftest import at

    for day in ("2026-02-23 09:00", "2026-02-24 16:59", "2026-02-25 08:00"):
        clock.move_to(at(day))
        d = world.direct()
        world.act("tiepnhan.viettri", d["code"], "forward")
        world.act("chuyenvien.viettri", d["code"], "forward")
        world.act("lanhdao.viettri", d["code"], "resolve", {"decision": "approved"})
        online = world.online()
        world.act("tiepnhan.viettri", online["code"], "accept")
    clock.move_to(at("2026-03-10 10:00"))  # late steps
    late = world.direct()
    world.act("tiepnhan.viettri", late["code"], "forward")
    clock.move_to(at("2026-03-20 10:00"))
    world.act("chuyenvien.viettri", late["code"], "forward")


def test_the_workload_from_daily_counts_is_the_workload_from_events(world: World, clock: Any) -> None:
    from motcua.reports.dashboard import official_workload
    from motcua.reports.domain import Period
    from motcua.reports.selectors import Scope, report_scope

    from .conftest import PROVINCE

    _busy_province(world, clock)
    province = report_scope(PROVINCE)
    centre = report_scope(VIETTRI)
    everyone = Scope(unit=province.unit, unit_ids=None)  # citizens' own events too
    from datetime import date

    periods = [Period(date(2026, 2, 23), date(2026, 2, 23)), Period(date(2026, 2, 24), date(2026, 2, 25)),
               Period(date(2026, 2, 1), date(2026, 3, 31)), Period(date(2026, 3, 20), date(2026, 3, 20))]
    seen_late = False
    for scope in (province, centre, everyone):
        for period in periods:
            got = sorted((r["official"]["username"], r["actions"], r["steps"], r["late_steps"], r["resolved"])
                         for r in official_workload(scope, period))
            assert got == _workload_from_events(scope, period), (scope.unit.code, period)
            seen_late |= any(row[3] for row in got)
    assert seen_late
    assert any(r["official"]["username"] == "025090000123"
               for r in official_workload(everyone, periods[2]))  # a citizen, counted without a unit


def test_the_migration_fills_the_daily_counts_of_earlier_events(world: World, clock: Any) -> None:
    import importlib

    from django.apps import apps
    from django.db import connection

    from motcua.dossiers.models import ActorDay

    _busy_province(world, clock)
    kept = sorted(ActorDay.objects.values_list("day", "actor_id", "unit_key", "actions", "steps", "late_steps",
                                               "resolved"))
    assert kept
    ActorDay.objects.all().delete()
    migration = importlib.import_module("motcua.dossiers.migrations.0006_actor_day")

    class Editor:  # what fill() uses of a schema editor (a real one cannot open inside a test's transaction)
        def __init__(self) -> None:
            self.connection = connection

        def execute(self, sql: str) -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql)

    migration.fill(apps, Editor())
    assert sorted(ActorDay.objects.values_list("day", "actor_id", "unit_key", "actions", "steps", "late_steps",
                                               "resolved")) == kept


@pytest.mark.parametrize("username", ["tiepnhan.viettri", "chuyenvien.viettri", "giamsat.viettri", "025090000123"])
def test_every_worklist_answers_every_role(world: World, username: str) -> None:
    """Also the lists that cannot hold anything for a role (no reception role: no "to_check")."""
    from motcua.dossiers.worklists import WORKLISTS

    world.online()
    client = world(username)
    for name in WORKLISTS:
        for _ in range(2):  # the second time through the kept SQL
            r = client.get(f"/worklists/{name}", page_size=5)
            assert r.status_code == 200, (name, r.content[:300])
            body = r.json()
            assert body["count"] >= len(body["items"])


def test_a_read_that_can_match_nothing_returns_nothing(world: World) -> None:
    from motcua.dossiers.models import Dossier

    world.direct()
    read = PreparedRead("test-nothing", lambda ids: Dossier.objects.filter(id__in=ids).values("id"), params=lambda ids: ids)
    assert read([], shape=0) == [] and read([], shape=0) == []
    keyed = PreparedRead("test-nothing-keyed", lambda: Dossier.objects.filter(pk__in=[]).values("id"), params=None)
    assert keyed(shape="none") == [] and keyed(shape="none") == []


def test_available_actions_cost_at_most_one_small_query(world: World) -> None:
    """The detail's `available_actions` come from the row it already read, the caller's roles and
    the version's workflow: no query at all, but for an official looking at a dossier with an open
    consultation (one indexed look-up: is it their unit's?)."""
    from motcua.accounts.models import User
    from motcua.accounts.selectors import actor_for
    from motcua.dossiers.selectors import dossier_view

    d = world.online()
    citizen, desk, consulted = (actor_for(User.objects.get(username=u))
                                for u in (CITIZEN_AN, "tiepnhan.viettri", "chuyenvien.stp"))

    def queries(actor: Any) -> list[str]:
        dossier_view(actor, d["code"])  # warms the reference copies and the prepared reads
        with CaptureQueriesContext(connection) as captured:
            view = dossier_view(actor, d["code"])
        assert isinstance(view["available_actions"], list)
        return [q["sql"] for q in captured.captured_queries]

    base = len(queries(citizen))  # the row, its pauses, fees and attachments
    assert base == 4
    assert len(queries(desk)) == base
    world.act("tiepnhan.viettri", d["code"], "accept")
    world.act("tiepnhan.viettri", d["code"], "forward")
    assert len(queries(citizen)) == len(queries(desk)) == base
    world.act("chuyenvien.viettri", d["code"], "consult", {"unit": STP, "question": "Ý kiến?"})
    assert len(queries(citizen)) == base
    with_desk = queries(desk)
    assert len(with_desk) == base + 1
    if with_desk[-1] is not None:  # PostgreSQL runs prepared reads server-side: their SQL is not recorded
        assert "consultation" in with_desk[-1]
    assert dossier_view(consulted, d["code"])["available_actions"] == ["answer-consultation"]
