""""Entered but not processed": the working-day cut-off (pure), the selector and the page."""

from __future__ import annotations

import re

import pytest

from motcua.calendar.selectors import work_calendar
from motcua.reports.selectors import report_scope, unprocessed, working_days_before
from tests.reports.histories import PROVINCE, SO_TU_PHAP, VIET_TRI, VIET_TRI_COMMUNE, at, desk, ev

from .conftest import NOW, cell, field_error, text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("now", "days", "cutoff"), [
    # Fri 10/4 09:00 back 16 working hours: Fri 2 h, Thu 8 h, Wed 13:30–17:00 and 09:00–11:30.
    ("2026-04-10 09:00", 2, "2026-04-08 09:00"),
    # Across the lunch break: Fri 07:00–11:30 and 13:30–14:00 (5 h), then Thu 14:00–17:00.
    ("2026-04-10 14:00", 1, "2026-04-09 14:00"),
    # Across a weekend.
    ("2026-04-13 08:00", 1, "2026-04-10 08:00"),
    # Across Tết 2026 (Sat 14/2 – Sun 22/2 closed): Monday 23/2 back one working day is Friday 13/2.
    ("2026-02-23 09:00", 1, "2026-02-13 09:00"),
    # Outside working hours: Saturday noon back one day is Friday 07:00 (the whole of Friday).
    ("2026-04-11 12:00", 1, "2026-04-10 07:00"),
])
def test_the_cutoff_counts_working_time(province, now, days, cutoff):
    got = working_days_before(work_calendar(), at(now), days)
    assert got == at(cutoff)
    cal = work_calendar()
    assert cal.working_time_between(got, at(now)) == cal.limit_to_working_time(days, "working_days")


EXTRA = {
    # Received Wednesday 8/4 08:00, handed to the specialist step and claimed before 09:00: 2+ days idle.
    "X": desk("1.001193", "2026-04-08 08:00", [ev("forward", "2026-04-08 08:30"),
                                               ev("claim", "2026-04-08 08:45", actor="chuyenvien.viettri")]),
    # The same, handed over at 09:30: less than 2 working days idle, more than 1.
    "Y": desk("1.001193", "2026-04-08 09:00", [ev("forward", "2026-04-08 09:30")]),
    # Handed over on Thursday: less than one working day idle.
    "Z": desk("1.001193", "2026-04-09 10:00", [ev("forward", "2026-04-09 10:30")]),
}


@pytest.fixture
def extra(imported):
    r = imported.api("admin").post("/import/dossiers", {"dossiers": [EXTRA[k] for k in sorted(EXTRA)]})
    assert r.status_code in (200, 201), r.content
    imported.codes.update(dict(zip(sorted(EXTRA), r.json()["codes"], strict=True)))
    return imported


def test_the_selector_by_unit_and_official(extra):
    commune = unprocessed(report_scope(VIET_TRI_COMMUNE), working_days=2, now=NOW)
    # D (12/2), E (3/2) and X (8/4 08:45) are open without events; J is paused (waits for the applicant).
    assert commune["cutoff"] == at("2026-04-08 09:00")
    assert commune["total"] == 3
    assert [(u["unit"]["code"], u["idle"]) for u in commune["by_unit"]] == [(VIET_TRI, 3)]
    assert commune["by_unit"][0]["oldest"] == at("2026-02-03 09:00")  # E's last hand-over
    assert [(o["official"]["username"], o["idle"]) for o in commune["by_official"]] == [("chuyenvien.viettri", 1)]
    assert commune["unassigned"] == 2
    assert unprocessed(report_scope(VIET_TRI_COMMUNE), working_days=1, now=NOW)["total"] == 4  # and Y
    province = unprocessed(report_scope(PROVINCE), working_days=2, now=NOW)
    # O waits at Sở Tư pháp, the unit of its current step.
    assert {u["unit"]["code"]: u["idle"] for u in province["by_unit"]} == {VIET_TRI: 3, SO_TU_PHAP: 1}


def test_the_page(extra, page):
    client = page("giamsat.viettri")
    r = client.get("/bao-cao/ton-dong/")
    assert r.status_code == 200
    html = text(r)
    assert 'id="id_days"' in html and 'value="2"' in html  # the default
    assert "3 hồ sơ không có thao tác nào từ 08/04/2026 09:00 (2 ngày làm việc trở lên)" in html
    listed = re.findall(r'<tr data-code="([^"]+)">', html)
    assert [extra.letters([c]).pop() for c in listed] == ["E", "D", "X"]  # the longest waiting first
    assert cell(html, "code", extra.codes["X"], "days") == "2"  # Wed 08:45 → Fri 09:00: 16¼ working hours
    assert re.search(r'<tr data-official="chuyenvien.viettri"><th scope="row">Trần Minh Quân</th><td class="num">1<',
                     html)
    html = text(client.get("/bao-cao/ton-dong/", {"unit": VIET_TRI_COMMUNE, "days": "1"}))
    assert "4 hồ sơ không có thao tác nào từ 09/04/2026 09:00" in html
    assert extra.codes["Y"] in html and extra.codes["Z"] not in html


@pytest.mark.parametrize(("days", "message"), [
    ("0", "Số ngày phải từ 1 trở lên."), ("abc", "Số ngày phải là một số nguyên."), ("61", "Số ngày tối đa là 60."),
    ("", "Vui lòng nhập số ngày làm việc."),
])
def test_bad_days_are_explained_next_to_the_field(frozen, page, days, message):
    r = page("giamsat.viettri").get("/bao-cao/ton-dong/", {"unit": VIET_TRI_COMMUNE, "days": days})
    assert r.status_code == 400
    assert field_error(text(r), "id_days") == message
