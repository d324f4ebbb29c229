"""The contract's "Ratings and petitions (PAKN)" over HTTP: shapes, permissions, states, error codes,
deadlines in working time, the public page without contact data."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import CITIZEN_AN, CITIZEN_BINH, VIETTRI, VIETTRI_UBND, VINHYEN, at, error_of, iso

DESK, SPECIALIST, LEADER = "tiepnhan.viettri", "chuyenvien.viettri", "lanhdao.viettri"
GOOD = {"overall": "very_satisfied", "criteria": {"attitude": "satisfied", "timeliness": "very_satisfied",
                                                  "clarity": "satisfied"}, "comment": "Cán bộ hướng dẫn tận tình."}


def finished(world: Any, *, returned: bool = True) -> str:
    """An online dossier of An's, received, handled, resolved (and returned)."""
    code = world.online()["code"]
    world.act(DESK, code, "accept")
    world.act(DESK, code, "forward")
    world.act(SPECIALIST, code, "forward")
    world.act(LEADER, code, "resolve", {"decision": "approved"})
    if returned:
        world.act(DESK, code, "return")
    return code


# -- ratings ----------------------------------------------------------------------------------------


def test_the_applicant_rates_a_returned_dossier_once(world: Any) -> None:
    code = finished(world)
    r = world(CITIZEN_AN).post(f"/dossiers/{code}/rating", GOOD)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["dossier"] == code and body["overall"] == "very_satisfied"
    assert body["criteria"] == GOOD["criteria"] and body["comment"] == GOOD["comment"]
    assert body["channel"] == "api" and body["created_at"] == iso("2026-02-23 09:00")
    # Attributed to the officials who handled it, from its events.
    assert {o["username"] for o in body["officials"]} == {DESK, SPECIALIST, LEADER}
    assert world(CITIZEN_AN).get(f"/dossiers/{code}/rating").json() == body
    assert world(LEADER).get(f"/dossiers/{code}/rating").json() == body
    error_of(world(CITIZEN_AN).post(f"/dossiers/{code}/rating", GOOD), 409, "already_rated")


def test_a_resolved_dossier_can_be_rated_an_unfinished_one_cannot(world: Any) -> None:
    code = finished(world, returned=False)
    assert world(CITIZEN_AN).post(f"/dossiers/{code}/rating", GOOD).status_code == 201
    pending = world.online()["code"]
    error_of(world(CITIZEN_AN).post(f"/dossiers/{pending}/rating", GOOD), 409, "not_finished")
    world.act(DESK, pending, "accept")
    error_of(world(CITIZEN_AN).post(f"/dossiers/{pending}/rating", GOOD), 409, "not_finished")


def test_only_the_applicant_rates(world: Any) -> None:
    code = finished(world)
    error_of(world(CITIZEN_BINH).post(f"/dossiers/{code}/rating", GOOD), 404, "not_found")
    error_of(world(DESK).post(f"/dossiers/{code}/rating", GOOD), 403, "forbidden")
    error_of(world(CITIZEN_BINH).get(f"/dossiers/{code}/rating"), 404)
    error_of(world(CITIZEN_AN).get(f"/dossiers/{code}/rating"), 404, "not_found")  # not rated yet
    error_of(world.api().post(f"/dossiers/{code}/rating", GOOD), 401)


@pytest.mark.parametrize(("body", "field"), [
    ({**GOOD, "overall": "excellent"}, "overall"),
    ({**GOOD, "criteria": {"attitude": "satisfied", "timeliness": "satisfied"}}, "criteria.clarity"),
    ({**GOOD, "criteria": {**GOOD["criteria"], "speed": "satisfied"}}, "criteria.speed"),
])
def test_a_wrong_rating_names_the_field(world: Any, body: dict[str, Any], field: str) -> None:
    code = finished(world)
    assert error_of(world(CITIZEN_AN).post(f"/dossiers/{code}/rating", body), 400, "invalid_rating")["details"] == {
        "field": field}
    error_of(world(CITIZEN_AN).post(f"/dossiers/{code}/rating", {"overall": "satisfied"}), 400, "invalid_request")


# -- petitions --------------------------------------------------------------------------------------

CONTACT = {"name": "Phạm Thị Hoa", "phone": "0912 000 111", "email": "hoa@example.vn"}


def petition_body(**overrides: Any) -> dict[str, Any]:
    body = {"category": "procedure", "title": "Đề nghị niêm yết rõ lệ phí chứng thực",
            "content": "Tại bộ phận một cửa không thấy bảng lệ phí. Liên hệ 0912000111.", "unit": VIETTRI,
            "contact": CONTACT}
    body.update(overrides)
    return body


def file_petition(world: Any, who: str | None = None, **overrides: Any) -> dict[str, Any]:
    client = world(who) if who else world.api()
    r = client.post("/petitions", petition_body(**overrides))
    assert r.status_code == 201, r.content
    return r.json()


def test_anyone_files_a_petition_with_its_deadlines_in_working_days(world: Any) -> None:
    p = file_petition(world)
    assert set(p) >= {"id", "code", "category", "title", "content", "unit", "dossier", "status", "received_at",
                      "deadlines", "answered_at", "answer", "overdue"}
    assert p["status"] == "received" and p["unit"] == {"code": VIETTRI,
                                                       "name": "Trung tâm Phục vụ hành chính công phường Việt Trì"}
    assert p["received_at"] == iso("2026-02-23 09:00") and p["dossier"] is None
    # Monday 23/2/2026 09:00: 6 working hours on Monday, then Tue, Wed…
    assert p["deadlines"]["decide_by"] == iso("2026-02-25 09:00")
    assert p["deadlines"]["request_info_by"] == iso("2026-03-02 09:00")
    assert p["deadlines"]["answer_by"] == iso("2026-03-16 09:00")
    assert p["deadlines"]["publish_by"] is None
    assert p["answered_at"] is None and p["answer"] is None and p["overdue"] is False
    assert p["code"].startswith("PA-260223-")
    assert p["contact"] == {"name": "Phạm Thị Hoa", "phone": "0912000111", "email": "hoa@example.vn"}


def test_a_citizen_files_with_a_token_and_reads_their_own(world: Any) -> None:
    p = file_petition(world, CITIZEN_AN, contact=None, category="dossier")
    assert p["contact"] == {"name": "Nguyễn Văn An", "phone": "0912345678", "email": "an@example.vn"}
    assert world(CITIZEN_AN).get(f"/petitions/{p['id']}").json()["code"] == p["code"]
    assert [i["code"] for i in world(CITIZEN_AN).get("/petitions").json()["items"]] == [p["code"]]
    error_of(world(CITIZEN_BINH).get(f"/petitions/{p['id']}"), 404, "not_found")
    assert world(CITIZEN_BINH).get("/petitions").json() == {"items": [], "count": 0}
    error_of(world.api().get(f"/petitions/{p['id']}"), 401)


def test_a_petition_about_a_dossier_goes_to_its_handling_unit(world: Any) -> None:
    code = world.online()["code"]
    p = file_petition(world, CITIZEN_AN, unit=None, dossier=code, category="dossier")
    assert p["unit"]["code"] == VIETTRI and p["dossier"] == code
    error_of(world.api().post("/petitions", petition_body(dossier="000.01.31.H45-260223-9999")), 400,
             "unknown_dossier")
    error_of(world.api().post("/petitions", petition_body(unit=None)), 400, "unit_required")


@pytest.mark.parametrize(("overrides", "status", "code"), [
    ({"category": "complaint"}, 400, "invalid_category"),
    ({"unit": "000.99.99.H99"}, 400, "unknown_unit"),
    ({"title": "  "}, 400, "title_required"),
    ({"content": ""}, 400, "content_required"),
    ({"contact": {"name": "Hoa", "phone": "12"}}, 400, "invalid_phone"),
    ({"contact": {"name": "Hoa", "phone": ""}}, 400, "invalid_phone"),
    ({"contact": {"name": "", "phone": "0912000111"}}, 400, "contact_name_required"),
    ({"contact": {"name": "Hoa", "phone": "0912000111", "email": "hoa@"}}, 400, "invalid_email"),
    ({"title": 12}, 400, "invalid_request"),
    ({"content": "x" * 10_001}, 400, "text_too_long"),
])
def test_bad_petitions_are_refused_with_a_code(world: Any, overrides: dict[str, Any], status: int, code: str) -> None:
    error_of(world.api().post("/petitions", petition_body(**overrides)), status, code)
    assert world.admin.get("/petitions").json()["count"] == 0


def test_a_wrong_token_is_not_taken_for_an_anonymous_sender(world: Any) -> None:
    r = world.api().client.post("/api/v1/petitions", petition_body(), content_type="application/json",
                                headers={"Authorization": "Bearer nope"})
    error_of(r, 401)


def test_filing_is_limited_per_address_and_per_contact(world: Any, settings: Any) -> None:
    settings.MOTCUA = {**settings.MOTCUA, "PETITIONS_PER_HOUR_PER_ADDRESS": 4, "PETITIONS_PER_DAY_PER_CONTACT": 2}
    file_petition(world)
    file_petition(world)
    error_of(world.api().post("/petitions", petition_body()), 429, "rate_limited")  # third from that phone
    file_petition(world, contact={"name": "Lê Văn Bảy", "phone": "0987000222"})
    error_of(world.api().post("/petitions", petition_body(contact={"name": "Lý Thị Tám", "phone": "0987000333"})),
             429, "rate_limited")  # fifth attempt from the address


def test_the_unit_answers_and_publishes_and_the_public_sees_no_contact(world: Any) -> None:
    p = file_petition(world)
    pid = p["id"]
    assert world(DESK).get(f"/petitions/{pid}").json()["available_actions"] == [
        "accept", "refuse", "request-info", "transfer"]
    accepted = world(DESK).post(f"/petitions/{pid}/actions/accept").json()
    assert accepted["status"] == "accepted" and accepted["available_actions"] == ["answer"]
    answer = ("Bộ phận một cửa đã niêm yết bảng phí, lệ phí chứng thực tại quầy số 2. Cảm ơn bà Phạm Thị Hoa "
              "(0912000111, hoa@example.vn).")
    answered = world(SPECIALIST).post(f"/petitions/{pid}/actions/answer", {"answer": answer, "public": True}).json()
    assert answered["status"] == "answered" and answered["answer"] == answer
    assert answered["answered_at"] == iso("2026-02-23 09:00")
    assert answered["deadlines"]["publish_by"] == iso("2026-02-25 09:00")
    published = world(LEADER).post(f"/petitions/{pid}/actions/publish").json()
    assert published["status"] == "published" and published["available_actions"] == []

    listed = world.api().get("/public/petitions", q="le phi chung thuc").json()
    assert listed["count"] == 1
    item = listed["items"][0]
    assert item["code"] == p["code"] and "contact" not in item
    text = str(item)
    for personal in ("0912000111", "0912 000 111", "hoa@example.vn", "Phạm Thị Hoa"):
        assert personal not in text
    assert item["answer"].startswith("Bộ phận một cửa đã niêm yết bảng phí")
    assert world.api().get("/public/petitions", q="khong co").json()["count"] == 0
    assert world.api().get("/public/petitions", unit=VIETTRI_UBND).json()["count"] == 1  # the unit and below
    assert world.api().get("/public/petitions", unit=VINHYEN).json()["count"] == 0
    assert world.api().get(f"/public/petitions/{p['code']}").json() == item
    events = world(DESK).get(f"/petitions/{pid}/events").json()["items"]
    assert [e["action"] for e in events] == ["create", "accept", "answer", "publish"]


@pytest.mark.parametrize(("steps", "action", "body"), [
    ([], "publish", {}),
    ([], "answer", {"answer": "Trả lời"}),
    ([("accept", {})], "accept", {}),
    ([("accept", {})], "refuse", {"reason": "Không thuộc thẩm quyền"}),
    ([("accept", {})], "request-info", {"note": "Bổ sung"}),
    ([("accept", {}), ("answer", {"answer": "Riêng", "public": False})], "publish", {}),
    ([("refuse", {"reason": "Trùng lặp"})], "accept", {}),
    ([("accept", {}), ("answer", {"answer": "Công khai", "public": True}), ("publish", {})], "answer",
     {"answer": "Lần nữa"}),
    ([("request-info", {"note": "Cần thêm ảnh"})], "request-info", {"note": "Lần hai"}),
])
def test_wrong_state_is_invalid_transition(world: Any, steps: list[tuple[str, dict[str, Any]]], action: str,
                                           body: dict[str, Any]) -> None:
    pid = file_petition(world)["id"]
    for step, step_body in steps:
        r = world(DESK).post(f"/petitions/{pid}/actions/{step}", step_body)
        assert r.status_code == 200, r.content
    error_of(world(DESK).post(f"/petitions/{pid}/actions/{action}", body), 409, "invalid_transition")


def test_request_info_then_decide(world: Any) -> None:
    p = file_petition(world, CITIZEN_AN, contact=None)
    pid = p["id"]
    r = world(DESK).post(f"/petitions/{pid}/actions/request-info", {"note": "Xin gửi thêm ảnh bảng niêm yết."})
    assert r.json()["status"] == "info_requested" and r.json()["info_request"] == "Xin gửi thêm ảnh bảng niêm yết."
    assert world(CITIZEN_AN).get(f"/petitions/{pid}").json()["available_actions"] == ["provide-info"]
    error_of(world(DESK).post(f"/petitions/{pid}/actions/provide-info", {"note": "x"}), 403, "forbidden")
    assert world(CITIZEN_AN).post(f"/petitions/{pid}/actions/provide-info",
                                  {"note": "Ảnh chụp ngày 20/2."}).json()["status"] == "info_requested"
    assert world(DESK).post(f"/petitions/{pid}/actions/refuse",
                            {"reason": "Nội dung đã được trả lời."}).json()["status"] == "refused"
    error_of(world(DESK).post(f"/petitions/{pid}/actions/accept"), 409, "invalid_transition")


def test_action_bodies_and_permissions(world: Any) -> None:
    pid = file_petition(world)["id"]
    error_of(world(DESK).post(f"/petitions/{pid}/actions/refuse", {}), 400, "reason_required")
    error_of(world(DESK).post(f"/petitions/{pid}/actions/request-info", {"note": ""}), 400, "note_required")
    error_of(world(DESK).post(f"/petitions/{pid}/actions/fly"), 404, "unknown_action")
    # A supervisor above the unit sees it but does not handle it; another unit's official sees nothing.
    assert world("giamsat.viettri").get(f"/petitions/{pid}").status_code == 200
    error_of(world("giamsat.viettri").post(f"/petitions/{pid}/actions/accept"), 403, "forbidden")
    error_of(world("tiepnhan.vinhyen").post(f"/petitions/{pid}/actions/accept"), 404)
    error_of(world(CITIZEN_BINH).post(f"/petitions/{pid}/actions/accept"), 404)
    world(DESK).post(f"/petitions/{pid}/actions/accept")
    error_of(world(DESK).post(f"/petitions/{pid}/actions/answer", {"answer": ""}), 400, "answer_required")
    error_of(world(DESK).post(f"/petitions/{pid}/actions/answer", {"answer": "A", "public": "yes"}), 400,
             "invalid_public")
    error_of(world(DESK).get("/petitions/abc"), 404)
    error_of(world(DESK).get("/petitions/99999999999999999999"), 404)


def test_transfer_to_the_competent_unit(world: Any) -> None:
    pid = file_petition(world)["id"]
    moved = world(DESK).post(f"/petitions/{pid}/actions/transfer", {"unit": VINHYEN, "note": "Thuộc phường Vĩnh Yên"})
    assert moved.status_code == 200, moved.content
    assert moved.json()["unit"]["code"] == VINHYEN and moved.json()["available_actions"] == []
    error_of(world(DESK).get(f"/petitions/{pid}"), 404)
    p = world("tiepnhan.vinhyen").get(f"/petitions/{pid}").json()
    assert p["unit"]["code"] == VINHYEN and p["deadlines"]["decide_by"] == iso("2026-02-25 09:00")
    error_of(world("tiepnhan.vinhyen").post(f"/petitions/{pid}/actions/transfer", {"unit": VINHYEN}), 400, "same_unit")
    error_of(world("tiepnhan.vinhyen").post(f"/petitions/{pid}/actions/transfer", {"unit": VIETTRI_UBND}), 400,
             "unit_without_officials")


def test_lists_filter_by_status_overdue_and_unit(world: Any, clock: Any) -> None:
    first = file_petition(world)
    clock.move_to(at("2026-02-24 10:00"))
    second = file_petition(world, unit=VINHYEN)
    world("tiepnhan.vinhyen").post(f"/petitions/{second['id']}/actions/accept")
    clock.move_to(at("2026-02-25 09:01"))  # first's decide_by has passed
    desk = world(DESK).get("/petitions").json()
    assert [i["code"] for i in desk["items"]] == [first["code"]] and desk["items"][0]["overdue"] is True
    supervisor = world("giamsat.tinh")
    assert supervisor.get("/petitions").json()["count"] == 2
    assert [i["code"] for i in supervisor.get("/petitions", overdue="true").json()["items"]] == [first["code"]]
    assert [i["code"] for i in supervisor.get("/petitions", overdue="false").json()["items"]] == [second["code"]]
    assert [i["code"] for i in supervisor.get("/petitions", status="accepted").json()["items"]] == [second["code"]]
    assert [i["code"] for i in supervisor.get("/petitions", unit=VINHYEN).json()["items"]] == [second["code"]]
    error_of(supervisor.get("/petitions", status="open"), 400, "invalid_status")
    error_of(supervisor.get("/petitions", unit="000.99.99.H99"), 400, "unknown_unit")
    # Accepting after decide_by is late, but the petition is no longer overdue until answer_by.
    late = world(DESK).post(f"/petitions/{first['id']}/actions/accept").json()
    assert late["overdue"] is False and late["current_deadline"] == late["deadlines"]["answer_by"]


def test_attachments_are_checked_like_every_upload(world: Any, files_dir: Any) -> None:
    from tests.pages.files import pdf_bytes

    p = file_petition(world, CITIZEN_AN, contact=None)
    url = f"/petitions/{p['id']}/attachments"
    r = world(CITIZEN_AN).upload(url, {"file": _file("anh.pdf", pdf_bytes("anh"))})
    assert r.status_code == 201, r.content
    error_of(world(CITIZEN_AN).upload(url, {"file": _file("virus.exe", b"MZ\x90\x00" * 50)}), 415, "unsupported_type")
    error_of(world(CITIZEN_AN).upload(url, {"file": _file("rong.pdf", b"")}), 400, "empty_file")
    got = world(DESK).get(f"/petitions/{p['id']}").json()["attachments"]
    assert [a["name"] for a in got] == ["anh.pdf"]
    download = world(DESK).client.get(f"/api/v1/petitions/{p['id']}/attachments/{got[0]['id']}",
                                      headers=world(DESK).headers)
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf_bytes("anh")
    world(DESK).post(f"/petitions/{p['id']}/actions/accept")
    error_of(world(CITIZEN_AN).upload(url, {"file": _file("anh2.pdf", pdf_bytes("anh2"))}), 409, "invalid_transition")


def _file(name: str, content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_the_list_puts_the_most_urgent_first_and_closed_ones_last(world: Any, clock: Any) -> None:
    closed = file_petition(world)
    world(DESK).post(f"/petitions/{closed['id']}/actions/refuse", {"reason": "Trùng lặp"})
    clock.move_to(at("2026-02-24 10:00"))
    later = file_petition(world)
    world(DESK).post(f"/petitions/{later['id']}/actions/accept")  # owed by answer_by, 15 working days
    clock.move_to(at("2026-02-24 11:00"))
    urgent = file_petition(world)  # owed by decide_by, 2 working days
    codes = [i["code"] for i in world("giamsat.tinh").get("/petitions").json()["items"]]
    assert codes == [urgent["code"], later["code"], closed["code"]]
