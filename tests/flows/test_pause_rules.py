"""Pause rules (domain-rules §4): a supplement under the `restart` rule counts the full limit again
from the supplement; a financial obligation pauses the clock like a supplement."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from motcua.accounts.models import User
from motcua.accounts.selectors import actor_for
from motcua.dossiers.services import ApplicantData, dossier_create, dossier_perform

VN = ZoneInfo("Asia/Ho_Chi_Minh")
UNIT = "000.01.31.H45"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN)


def who(username: str):
    return actor_for(User.objects.get(username=username))


@pytest.mark.django_db
def test_restart_rule_counts_the_limit_again_and_keeps_the_receipt_time(catalogue):
    desk, specialist = who("tiepnhan.viettri"), who("chuyenvien.viettri")
    # 1.001612 Đăng ký thành lập hộ kinh doanh: 3 working days, pause rule "restart".
    d = dossier_create(actor=desk, procedure_code="1.001612", channel="direct", receiving_unit_code=UNIT,
                       applicant=ApplicantData(name="Lê Văn Cường"), at=at("2026-03-02 08:00"))
    assert d.due_at == at("2026-03-05 08:00")
    dossier_perform(actor=desk, code=d.code, action="forward", body={}, at=at("2026-03-02 08:30"))
    dossier_perform(actor=specialist, code=d.code, action="request-supplement",
                    body={"reason": "Thiếu giấy tờ", "items": [{"name": "Bản sao giấy tờ pháp lý"}]},
                    at=at("2026-03-02 10:00"))
    d = dossier_perform(actor=desk, code=d.code, action="supplement", body={}, at=at("2026-03-04 09:00"))
    assert d.status == 4
    assert d.received_at == at("2026-03-02 08:00")
    assert d.clock_start == at("2026-03-04 09:00")
    assert d.due_at == d.original_due_at == at("2026-03-09 09:00")


@pytest.mark.django_db
def test_financial_obligation_pauses_the_clock(catalogue):
    desk, specialist = who("tiepnhan.viettri"), who("chuyenvien.viettri")
    # 1.004884 Đăng ký lại khai sinh: 5 working days, pause rule "pause".
    d = dossier_create(actor=desk, procedure_code="1.004884", channel="direct", receiving_unit_code=UNIT,
                       applicant=ApplicantData(name="Lê Văn Cường"), at=at("2026-03-02 08:00"))
    assert d.due_at == at("2026-03-09 08:00")
    dossier_perform(actor=desk, code=d.code, action="forward", body={}, at=at("2026-03-02 08:30"))
    d = dossier_perform(actor=specialist, code=d.code, action="request-payment",
                        body={"fees": [{"code": "LP01", "amount": 8000}]}, at=at("2026-03-02 14:00"))
    assert d.status == 6
    # Paid on Friday 16:00: Mon 14:00–17:00 (3 h) + Tue–Thu (24 h) + Fri 07:00–16:00 (7 h) = 34 h paused.
    d = dossier_perform(actor=desk, code=d.code, action="confirm-payment", body={}, at=at("2026-03-06 16:00"))
    assert d.status == 4
    assert d.fees.get(code="LP01").paid
    # Mon 9/3 08:00 + 34 working hours: four full days (32 h) reach Fri 13/3 08:00, two more hours 10:00.
    assert d.due_at == d.original_due_at == at("2026-03-13 10:00")
    pauses = list(d.pauses.values_list("kind", "working_seconds"))
    assert pauses == [("payment", 34 * 3600)]
