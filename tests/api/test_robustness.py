"""Bad input never makes a 500: malformed JSON, wrong types, missing fields, huge or strange
strings, unknown names — always a 4xx with the error shape."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from .conftest import APPLICANT, VIETTRI, World, error_of, procedure_body

DESK = "tiepnhan.viettri"


def raw_post(client: Any, path: str, data: bytes | str, content_type: str = "application/json") -> Any:
    return client.client.post(f"/api/v1{path}", data, content_type=content_type, headers=client.headers)


def assert_4xx(response: Any) -> dict[str, Any]:
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    return error_of(response, response.status_code)


WRITE_PATHS = ["/dossiers", "/auth/token", "/auth/register", "/admin/units", "/admin/officials", "/admin/calendar",
               "/admin/procedures", "/import/dossiers"]

MALFORMED = [
    b"{", b"{'procedure': 1}", b"not json at all", b"\xff\xfe\x00garbage", b"[", b'{"a": }', b"\x00",
    b'{"procedure": "9.000001",}', b"{" * 100_000, b"[" * 5000 + b"]" * 5000, b"null", b"[]", b"42", b'"text"',
    b"true", b'{"procedure": NaN}',
]


@pytest.mark.parametrize("path", WRITE_PATHS)
def test_malformed_bodies_are_400(world, path):
    client = world.admin
    for data in MALFORMED:
        body = assert_4xx(raw_post(client, path, data))
        assert body["code"]


def test_malformed_action_bodies_are_400(world):
    code = world.direct()["code"]
    for data in MALFORMED:
        r = raw_post(world(DESK), f"/dossiers/{code}/actions/forward", data)
        if data in (b"null",):
            assert r.status_code in (200, 400), r.status_code  # an empty body is allowed for forward
            if r.status_code == 200:
                code = world.direct()["code"]
            continue
        assert_4xx(r)


def test_wrong_content_types(world):
    for ctype in ("text/plain", "application/xml", "application/x-www-form-urlencoded"):
        r = raw_post(world(DESK), "/dossiers", json.dumps({"procedure": "9.000001"}), content_type=ctype)
        assert_4xx(r)


DOSSIER = {"procedure": "9.000001", "channel": "direct", "receiving_unit": VIETTRI, "applicant": APPLICANT}

WRONG_TYPES: list[dict[str, Any]] = [
    {"procedure": 9000001}, {"procedure": None}, {"procedure": ["9.000001"]}, {"procedure": {"code": "x"}},
    {"channel": 1}, {"channel": None}, {"receiving_unit": 123}, {"receiving_unit": None},
    {"applicant": "Lê Văn Cường"}, {"applicant": []}, {"applicant": {**APPLICANT, "name": 5}},
    {"applicant": {**APPLICANT, "phone": 901234567}}, {"applicant": {**APPLICANT, "birth_date": "hôm qua"}},
    {"sets": "2"}, {"sets": 1.5}, {"sets": True}, {"sets": -1}, {"sets": 10**40}, {"sets": None},
    {"form_data": []}, {"form_data": "x"}, {"result_delivery": 3},
]


@pytest.mark.parametrize("patch", WRONG_TYPES, ids=[json.dumps(p, ensure_ascii=True)[:40] for p in WRONG_TYPES])
def test_wrong_types_are_400(world, patch):
    r = world(DESK).post("/dossiers", {**DOSSIER, **patch})
    if r.status_code == 201:  # lax but harmless coercions are tolerated only for these
        assert patch in ({"sets": "2"}, {"sets": True}), patch
        return
    body = error_of(r, 400)
    assert body["code"]


@pytest.mark.parametrize("missing", ["procedure", "channel", "receiving_unit"])
def test_missing_fields_are_400(world, missing):
    body = {k: v for k, v in DOSSIER.items() if k != missing}
    details = error_of(world(DESK).post("/dossiers", body), 400)["details"]
    assert details  # says what is wrong


HUGE = "Đ" * 300_000


@pytest.mark.parametrize("patch", [
    {"procedure": HUGE}, {"receiving_unit": HUGE}, {"applicant": {**APPLICANT, "name": HUGE}},
    {"applicant": {**APPLICANT, "address": HUGE}}, {"applicant": {**APPLICANT, "id_number": HUGE}},
    {"applicant": {**APPLICANT, "email": HUGE}}, {"form_data": {"x": "y" * 3_000_000}},
])
def test_huge_strings_are_refused(world, patch):
    r = world(DESK).post("/dossiers", {**DOSSIER, **patch})
    assert_4xx(r)


def test_huge_strings_elsewhere(world):
    admin = world.admin
    assert_4xx(admin.post("/admin/units", {"code": "000.09.99.H45", "name": HUGE, "level": "commune"}))
    assert_4xx(admin.post("/admin/procedures", procedure_body(name=HUGE)))
    assert_4xx(admin.post("/admin/calendar", {"date": "2026-03-03", "kind": "holiday", "name": HUGE}))
    assert_4xx(Client().post("/api/v1/auth/token", {"username": HUGE, "password": HUGE},
                             content_type="application/json"))
    code = world.direct()["code"]
    assert_4xx(world(DESK).act(code, "request-supplement", {"reason": HUGE}))
    assert_4xx(world(DESK).act(code, "forward", {"note": HUGE}))


def test_huge_query_strings(world):
    for path, params in (("/procedures", {"q": "đăng ký " * 2000}), ("/dossiers", {"q": "x" * 20_000}),
                         ("/units", {"parent": "x" * 10_000})):
        client = world(DESK)
        r = client.get(path, **params)
        assert r.status_code in (200, 400), (path, r.status_code)
        if r.status_code == 400:
            error_of(r, 400)


STRANGE = ["\x00", "a\x00b", "\ud800", "\udfff", "😀 Nguyễn", "\u202e", "\ufeff", "\r\n\t", "' OR 1=1 --", "%00",
           "../../etc/passwd", "<script>alert(1)</script>", "\\", "\u0301"]


@pytest.mark.parametrize("text", STRANGE, ids=[repr(s) for s in STRANGE])
def test_strange_strings_never_500(world, text):
    desk = world(DESK)
    responses = [
        desk.post("/dossiers", {**DOSSIER, "applicant": {**APPLICANT, "name": f"Lê {text}",
                                                         "address": text}, "form_data": {text: text}}),
        desk.post("/dossiers", {**DOSSIER, "procedure": text}),
        desk.post("/dossiers", {**DOSSIER, "receiving_unit": text}),
        Client().post("/api/v1/auth/token", {"username": text, "password": text}, content_type="application/json"),
        world.admin.post("/admin/calendar", {"date": "2026-03-03", "kind": "holiday", "name": f"x{text}"}),
        world.admin.post("/admin/units", {"code": "000.09.99.H45", "name": f"x{text}", "level": "commune"}),
    ]
    code = world.direct()["code"]
    responses.append(desk.act(code, "request-supplement", {"reason": f"x{text}", "items": [{"name": f"x{text}"}]}))
    responses.append(desk.act(code, "supplement", {"note": text}))
    try:
        text.encode()
    except UnicodeEncodeError:
        pass  # a lone surrogate cannot even be put in a URL; JSON bodies carry it (above)
    else:
        responses += in_urls(world, text)
    for r in responses:
        assert r.status_code < 500, (r.status_code, r.content[:300])
        if r.status_code >= 400:
            error_of(r, r.status_code)


def in_urls(world: World, text: str) -> list[Any]:
    desk = world(DESK)
    return [
        desk.get("/dossiers", q=text),
        desk.get("/dossiers", procedure=text, unit=text),
        desk.get(f"/dossiers/{text}"),
        desk.get("/procedures", q=text, field=text),
        desk.get(f"/procedures/{text}"),
        desk.get("/units", parent=text),
        desk.get(f"/calendar/due-date?received_at={text}&amount=1"),
        Client().get("/api/v1/public/dossiers/x", {"verify": text}),
        Client().get(f"/api/v1/public/dossiers/{text}", {"verify": "1234"}),
    ]


def test_strange_json_string_escapes(world):
    for data in (b'{"procedure": "\\ud800"}', b'{"procedure": "\\u0000"}',
                 b'{"procedure": "9.000001", "channel": "direct", "receiving_unit": "000.01.31.H45", '
                 b'"applicant": {"name": "L\\u0000"}}',
                 b'{"procedure": "9.000001", "channel": "direct", "receiving_unit": "000.01.31.H45", '
                 b'"applicant": {"name": "Le"}, "form_data": {"k": "\\u0000\\ud800"}}'):
        r = raw_post(world(DESK), "/dossiers", data)
        assert r.status_code < 500, (data, r.status_code, r.content[:300])
        if r.status_code >= 400:
            error_of(r, r.status_code)


@pytest.mark.parametrize("path", [
    "/nothing-here", "/dossiers/x/y/z", "/v2/dossiers", "/dossiers/%E2%82%AC/events", "/procedures/" + "9" * 5000,
])
def test_unknown_paths_are_json_404(world, path):
    r = world(DESK).get(path)
    error_of(r, 404)


def test_wrong_methods_are_json_405(world):
    desk = world(DESK)
    for method, path in (("put", "/dossiers"), ("delete", "/me"), ("patch", "/procedures"),
                         ("get", "/auth/token"), ("get", "/admin/units")):
        r = getattr(desk.client, method)(f"/api/v1{path}", headers=desk.headers)
        assert r.status_code == 405, (method, path, r.status_code)
        error_of(r, 405)


@pytest.mark.parametrize("headers", [
    {"Authorization": "Bearer " + "x" * 10_000},
    {"Authorization": "Bearer \u00e9\u00e8"},
    {"Authorization": "Bearer a b c"},
    {"Authorization": "bearer"},
])
def test_strange_tokens_are_401(world, headers):
    assert_4xx(Client().get("/api/v1/me", headers=headers))


def test_strange_if_match_and_idempotency_headers(world):
    code = world.direct()["code"]
    desk = world(DESK)
    for value in ("W/\"1\"", "*", "-1", "99999999999999999999999", "\u00e9", "1, 2"):
        r = desk.act(code, "request-supplement", {"reason": "x"}, headers={"If-Match": value})
        assert r.status_code < 500, (value, r.status_code)
        if r.status_code >= 400:
            error_of(r, r.status_code)
        else:
            desk.act(code, "supplement", {})
    r = desk.post("/dossiers", DOSSIER, headers={"Idempotency-Key": "é" * 10})
    assert r.status_code < 500


def test_action_on_every_status_with_an_empty_body_never_500(world: World):
    code = world.direct()["code"]
    for action in ("accept", "refuse", "request-supplement", "supplement", "forward", "request-payment",
                   "confirm-payment", "resolve", "return", "withdraw", "stop", "apologize"):
        for who in (DESK, "chuyenvien.viettri", "lanhdao.viettri"):
            r = world(who).client.post(f"/api/v1/dossiers/{code}/actions/{action}", content_type="application/json",
                                       headers=world(who).headers)
            assert r.status_code < 500, (action, who, r.status_code, r.content[:200])


def test_a_json_body_over_the_request_limit_is_413(world, settings):
    from motcua.dossiers.models import Dossier

    body = json.dumps({**DOSSIER, "form_data": {"x": "y" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)}})
    error_of(raw_post(world(DESK), "/dossiers", body), 413, "request_too_large")
    assert Dossier.objects.count() == 0
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    error_of(raw_post(world(DESK), "/dossiers", json.dumps({**DOSSIER, "form_data": {"x": "y" * 2000}})), 413)
    assert raw_post(world(DESK), "/dossiers", json.dumps(DOSSIER)).status_code == 201
