"""Who may open the report pages: supervisors, leaders (their units) and administrators."""

from __future__ import annotations

import pytest

from tests.reports.histories import PROVINCE, VIET_TRI, VIET_TRI_COMMUNE

from .conftest import field_error, text

pytestmark = pytest.mark.django_db

PAGES = ["/bao-cao/", "/bao-cao/ii06a/", "/bao-cao/ii07b/", "/bao-cao/chi-so-766/", "/bao-cao/ton-dong/",
         "/bao-cao/bao-cao-nen/", "/bao-cao/ho-so/?set=received.total"]


def test_anonymous_visitors_are_sent_to_the_desk_login(page, frozen):
    for url in PAGES:
        r = page(None).get(url)
        assert r.status_code == 302, url
        assert r["Location"].startswith("/desk/dang-nhap/?next=/bao-cao/"), (url, r["Location"])


@pytest.mark.parametrize("username", ["025090000123", "chuyenvien.viettri", "tiepnhan.viettri"])
def test_citizens_and_officials_without_a_supervising_role_get_403(page, frozen, username):
    client = page(username)
    for url in PAGES:
        r = client.get(url)
        assert r.status_code == 403, (username, url)
        assert "Bạn không có quyền xem trang này" in text(r)
    assert client.post("/bao-cao/bao-cao-nen/", {"kind": "ii06a"}).status_code == 403


@pytest.mark.parametrize(("username", "top", "others"), [
    ("admin", PROVINCE, True),
    ("giamsat.tinh", PROVINCE, True),
    ("giamsat.viettri", VIET_TRI_COMMUNE, False),
    ("lanhdao.viettri", VIET_TRI, False),
])
def test_each_page_opens_on_the_readers_top_unit_and_this_year(page, frozen, username, top, others):
    client = page(username)
    for url in PAGES[:-1]:
        r = client.get(url)
        assert r.status_code == 200, (username, url, text(r)[:500])
    html = text(client.get("/bao-cao/ii06a/"))
    assert f'<option value="{top}" selected>' in html
    assert 'value="2026-01-01"' in html and 'value="2026-04-10"' in html  # this year up to today
    assert (f'<option value="{PROVINCE}"' in html) is others


def test_a_leader_sees_only_their_unit_and_is_told_so_next_to_the_field(page, frozen):
    client = page("lanhdao.viettri")
    r = client.get("/bao-cao/ii06a/", {"unit": PROVINCE, "date_from": "2026-02-01", "date_to": "2026-02-28"})
    assert r.status_code == 400
    html = text(r)
    assert field_error(html, "id_unit") == "Bạn không có quyền xem báo cáo của đơn vị này, hoặc đơn vị không tồn tại."
    assert 'aria-invalid="true"' in html and 'data-testid="ii06a"' not in html
    r = client.get("/bao-cao/ho-so/", {"unit": VIET_TRI_COMMUNE, "date_from": "2026-02-01", "date_to": "2026-02-28",
                                       "set": "received.total"})
    assert r.status_code == 400  # the commune is above the leader's centre
