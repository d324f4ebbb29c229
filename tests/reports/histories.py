"""Crafted dossier histories for the report tests, imported through POST /api/v1/import/dossiers.

Việt Trì (centre 000.01.31.H45, under the commune 000.00.31.H45) handles every dossier below but
N (Lạc Sơn) and O (received at Việt Trì, handled by Sở Tư pháp). Working hours 07:00–11:30,
13:30–17:00 (8 h a day); Tết 2026 closes Sat 14/2 – Sun 22/2. Due dates worked out by hand:

* 1.004222 (thường trú, CUTRU) — 7 working days = 56 h.
* 1.004194 (tạm trú, CUTRU) — 3 working days = 24 h.
* 1.001193 (khai sinh, HOTICH) — 1 working day = 8 h.
* 3.000333 (lý lịch tư pháp, LLTP) — 10 working days, handled by Sở Tư pháp.

Period under test: February 2026 (1/2 00:00 – 1/3 00:00).

| id | procedure | channel | received | due (original) | end | Feb 2026 |
|----|-----------|---------|----------|----------------|-----|----------|
| A | 1.004222 | direct | Mon 26/1 08:00 | Wed 4/2 08:00 | resolved Mon 2/2 | carried over, early |
| B | 1.001193 | direct | Mon 5/1 09:00 | Tue 6/1 09:00 | resolved Tue 6/1 | not counted (finished before) |
| C | 1.001193 | direct | Tue 3/2 09:00 | Wed 4/2 09:00 | resolved Wed 4/2 10:00 | new, on time (same date) |
| D | 1.004222 | direct | Thu 12/2 10:00 | Mon 2/3 10:00 (Tết) | — | new, in progress within time |
| E | 1.001193 | online | accepted Tue 3/2 08:00 | Wed 4/2 08:00 | — | new online, overdue |
| F | 1.001193 | online | refused Thu 5/2 | — | refused | not counted (never received) |
| G | 1.004222 | direct | Mon 9/2 08:00 | Wed 25/2 08:00 (Tết) | withdrawn Wed 11/2 | new, early |
| H | 1.004222 | direct | Mon 2/2 08:00 | Wed 11/2 08:00 | stopped Thu 26/2 | new, late |
| I | 1.001193 | direct | Mon 9/2 08:00 | Tue 10/2 08:00 + 16 h paused = Thu 12/2 08:00 | resolved 12/2 15:00 | on time |
| J | 1.004222 | direct | Mon 23/2 08:00 | Wed 4/3 08:00 | supplement asked Tue 24/2, open | new, within time |
| K | 1.001193 | direct | Thu 26/2 09:00 | Fri 27/2 09:00 | resolved Mon 2/3 | new, overdue at 28/2 |
| L | 1.001193 | direct | Mon 2/3 09:00 | Tue 3/3 09:00 | resolved Tue 3/3 10:00 | not counted (after) |
| M | 1.004222 | postal | Wed 4/2 09:00 | Fri 13/2 09:00 | resolved Fri 6/2 | new, early |
| N | 1.001193 | direct at Lạc Sơn | Tue 3/2 08:00 | Wed 4/2 08:00 | resolved Tue 3/2 15:00 | other unit: early |
| O | 3.000333 | direct, handled by Sở Tư pháp | Tue 10/2 08:00 | Tue 3/3 08:00 (Tết) | — | other unit: within time |
| P | 1.004194 | online | accepted Fri 30/1 08:00 | Wed 4/2 08:00 | resolved Thu 5/2 | carried over, late |
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")
VIET_TRI = "000.01.31.H45"
VIET_TRI_COMMUNE = "000.00.31.H45"
LAC_SON = "000.01.33.H45"
PROVINCE = "000.00.00.H45"
SO_TU_PHAP = "000.00.12.H45"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN)


def iso(text: str) -> str:
    return at(text).isoformat()


def ev(action: str, when: str, **body: Any) -> dict[str, Any]:
    return {"at": iso(when), "action": action, **body}


def desk(procedure: str, received: str, events: list[dict[str, Any]], *, channel: str = "direct",
         unit: str = VIET_TRI, name: str = "Nguyễn Văn An") -> dict[str, Any]:
    return {"procedure": procedure, "channel": channel, "receiving_unit": unit,
            "applicant": {"name": name, "phone": "0912345678"},
            "submitted_at": iso(received), "received_at": iso(received), "events": events}


def online(procedure: str, submitted: str, events: list[dict[str, Any]], *, unit: str = VIET_TRI) -> dict[str, Any]:
    return {"procedure": procedure, "channel": "online", "receiving_unit": unit,
            "applicant": {"name": "Trần Thị Bình", "phone": "0987654321"},
            "submitted_at": iso(submitted), "events": events}


def to_leader(day: str) -> list[dict[str, Any]]:
    """Reception hands over at 08:30, the specialist to the leader at 09:00, on `day`."""
    return [ev("forward", f"{day} 08:30", note="Chuyển thẩm định"), ev("forward", f"{day} 09:00", note="Trình ký")]


def resolved(day: str, when: str) -> list[dict[str, Any]]:
    return [*to_leader(day), ev("resolve", when, decision="approved")]


SUPPLEMENT = {"reason": "Thiếu giấy tờ", "items": [{"name": "Bản sao giấy tờ tùy thân"}]}

HISTORIES: dict[str, dict[str, Any]] = {
    "A": desk("1.004222", "2026-01-26 08:00", [*to_leader("2026-01-27"), ev("resolve", "2026-02-02 10:00")]),
    "B": desk("1.001193", "2026-01-05 09:00", [*resolved("2026-01-06", "2026-01-06 10:00"),
                                               ev("return", "2026-01-06 15:00")]),
    "C": desk("1.001193", "2026-02-03 09:00", [*to_leader("2026-02-04"), ev("resolve", "2026-02-04 10:00"),
                                               ev("return", "2026-02-05 08:00")]),
    "D": desk("1.004222", "2026-02-12 10:00", [ev("forward", "2026-02-12 11:00")]),
    "E": online("1.001193", "2026-02-02 20:00", [ev("accept", "2026-02-03 08:00"), *to_leader("2026-02-03")]),
    "F": online("1.001193", "2026-02-05 09:00", [ev("refuse", "2026-02-05 10:00", reason="Không đúng thẩm quyền")]),
    "G": desk("1.004222", "2026-02-09 08:00", [ev("forward", "2026-02-09 09:00"),
                                              ev("withdraw", "2026-02-11 10:00", reason="Người nộp rút hồ sơ")]),
    "H": desk("1.004222", "2026-02-02 08:00", [ev("forward", "2026-02-02 09:00"),
                                              ev("stop", "2026-02-26 10:00", reason="Không đủ điều kiện")]),
    "I": desk("1.001193", "2026-02-09 08:00", [
        ev("forward", "2026-02-09 08:30"), ev("request-supplement", "2026-02-09 10:00", **SUPPLEMENT),
        ev("supplement", "2026-02-11 10:00", note="Đã bổ sung"), ev("forward", "2026-02-12 14:00"),
        ev("resolve", "2026-02-12 15:00", decision="approved"), ev("return", "2026-02-13 08:00")]),
    "J": desk("1.004222", "2026-02-23 08:00", [ev("request-supplement", "2026-02-24 09:00", **SUPPLEMENT)]),
    "K": desk("1.001193", "2026-02-26 09:00", [*to_leader("2026-02-27"), ev("resolve", "2026-03-02 10:00")]),
    "L": desk("1.001193", "2026-03-02 09:00", [*to_leader("2026-03-03"), ev("resolve", "2026-03-03 10:00")]),
    "M": desk("1.004222", "2026-02-04 09:00", [*resolved("2026-02-05", "2026-02-06 10:00")], channel="postal"),
    "N": desk("1.001193", "2026-02-03 08:00", [*resolved("2026-02-03", "2026-02-03 15:00")], unit=LAC_SON),
    "O": desk("3.000333", "2026-02-10 08:00", [ev("forward", "2026-02-10 09:00")]),
    "P": online("1.004194", "2026-01-29 10:00", [ev("accept", "2026-01-30 08:00"),
                                                 *resolved("2026-02-02", "2026-02-05 10:00")]),
}


def import_histories(admin: Any) -> dict[str, str]:
    """Import every history in one call; returns the dossier code of each letter."""
    letters = sorted(HISTORIES)
    r = admin.post("/import/dossiers", {"dossiers": [HISTORIES[k] for k in letters]})
    assert r.status_code in (200, 201), r.content
    return dict(zip(letters, r.json()["codes"], strict=True))


def counts(received: tuple[int, int, int, int], resolved: tuple[int, int, int, int],
           in_progress: tuple[int, int, int]) -> dict[str, dict[str, int]]:
    return {
        "received": dict(zip(("total", "online", "direct_postal", "carried_over"), received, strict=True)),
        "resolved": dict(zip(("total", "early", "on_time", "late"), resolved, strict=True)),
        "in_progress": dict(zip(("total", "within_time", "overdue"), in_progress, strict=True)),
    }


# February 2026 for Việt Trì, counted by hand from the table above.
FEB_VIET_TRI = {
    # C, E, I, K: E online; C, I resolved on time; E, K overdue at 28/2 24:00.
    "HOTICH": counts((4, 1, 3, 0), (2, 0, 2, 0), (2, 0, 2)),
    # A, P carried over; D, G, H, J, M new (M by post); A, G, M early, H, P late; D, J within time.
    "CUTRU": counts((7, 0, 5, 2), (5, 3, 0, 2), (2, 2, 0)),
}
FEB_VIET_TRI_TOTALS = counts((11, 1, 8, 2), (7, 3, 2, 2), (4, 2, 2))
# The whole province adds N (HOTICH at Lạc Sơn, early) and O (LLTP at Sở Tư pháp, within time).
FEB_PROVINCE = {
    "HOTICH": counts((5, 1, 4, 0), (3, 1, 2, 0), (2, 0, 2)),
    "CUTRU": FEB_VIET_TRI["CUTRU"],
    "LLTP": counts((1, 0, 1, 0), (0, 0, 0, 0), (1, 1, 0)),
}
FEB_PROVINCE_TOTALS = counts((13, 1, 10, 2), (8, 4, 2, 2), (5, 3, 2))
# March 2026 for Việt Trì: D, E, J, K carried over; L new; K late (due 27/2), L on time;
# D (due 2/3 10:00), E (due 4/2) and J (due 4/3, still paused) overdue at 31/3 24:00.
MAR_VIET_TRI_TOTALS = counts((5, 0, 1, 4), (2, 0, 1, 1), (3, 0, 3))
