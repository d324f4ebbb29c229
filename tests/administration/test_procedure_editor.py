"""The procedure-version editor through the Django client: each check of the catalogue comes back
as a Vietnamese message on its field, rows are added and removed by buttons, nothing is published
before the preview's confirmation, a version without documents is refused, files go in and out."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.audit.models import AuditEntry
from motcua.catalog.models import Procedure
from motcua.catalog.schemas import ProcedureIn
from tests.pages.helpers import assert_invalid, field_error, text

pytestmark = pytest.mark.django_db

URL = "/quan-tri/thu-tuc/1.001193/phien-ban-moi/"
ENGLISH = ("Input should", "value_error", "String should", "workflow_exceeds", "Field required", "unit must")


def _current(client: Any, url: str = URL) -> dict[str, Any]:
    """What the editor's form posts as drawn (the current version's values)."""
    r = client.get(url)
    assert r.status_code == 200
    return dict(r.context["form"].data)


def _version() -> int:
    return Procedure.objects.select_related("current").get(code="1.001193").current.version


def _check(client: Any, data: dict[str, Any], url: str = URL) -> Any:
    r = client.post(url, {**data, "action": "check"})
    assert r.status_code == 200
    return r


def _refused(client: Any, data: dict[str, Any], url: str = URL) -> str:
    r = _check(client, data, url)
    html = text(r)
    assert r.templates[0].name == "administration/procedure_editor.html", "expected the editor with errors"
    assert "Chưa thể phát hành" in html
    for word in ENGLISH:
        assert word not in html
    return html


@pytest.fixture
def admin(client_as, frozen):
    return client_as("admin")


def test_only_administrators_open_the_editor(client_as):
    r = client_as().get(URL)
    assert r.status_code == 302 and r["Location"].startswith("/admin/login/")
    assert client_as("tiepnhan.viettri").get(URL).status_code == 403
    assert client_as("admin").get("/quan-tri/thu-tuc/9.999999/phien-ban-moi/").status_code == 404


def test_the_editor_shows_the_current_version_in_vietnamese_fields(admin):
    r = admin.get(URL)
    html = text(r)
    assert "Soạn phiên bản mới (đang áp dụng: phiên bản 1)" in html
    assert 'name="body"' not in html and "JSON)" not in html  # no JSON textarea any more
    for label in ("Tên giấy tờ", "Loại bản", "Số lượng", "Bắt buộc nộp", "Mẫu đơn, tờ khai", "Mức thu (đồng)",
                  "Người thực hiện", "Đơn vị thực hiện", "Số giờ làm việc", "Thời hạn giải quyết"):
        assert label in html
    assert "Tờ khai đăng ký khai sinh" in html and 'value="8000"' in html
    assert '<option value="receiving" selected>Bộ phận Một cửa nơi tiếp nhận hồ sơ</option>' in html
    assert "Tổng hiện tại: 8 giờ làm việc trên 8 giờ của thời hạn." in html
    form = r.context["form"]
    assert form.data["documents-TOTAL_FORMS"] == "6" and form.data["workflow-TOTAL_FORMS"] == "4"


def test_rows_are_added_removed_and_moved_by_buttons_without_checking(admin):
    data = _current(admin)
    r = admin.post(URL, {**data, "add": "documents"})
    html = text(r)
    assert r.context["form"].data["documents-TOTAL_FORMS"] == "7"
    assert "Chưa thể phát hành" not in html and 'id="id_documents-6-name"' in html
    data = dict(r.context["form"].data)
    r = admin.post(URL, {**data, "remove": "documents-0"})
    rows = r.context["form"].data
    assert rows["documents-TOTAL_FORMS"] == "6"
    assert rows["documents-0-name"].startswith("Giấy chứng sinh")
    r = admin.post(URL, {**dict(rows), "up": "workflow-2"})
    assert r.context["form"].data["workflow-1-name"] == "Phê duyệt, ký kết quả"
    assert _version() == 1


@pytest.mark.parametrize(("field", "value", "message"), [
    ("documents-0-name", "", "Không được để trống."),
    ("documents-0-count", "hai", "Phải là một số nguyên."),
    ("documents-0-count", "-1", "Không được nhỏ hơn 0."),
    ("fees-0-amount", "tám nghìn", "Phải là một số nguyên."),
    ("fees-0-name", "", "Không được để trống."),
    ("workflow-1-hours", "-2", "Không được nhỏ hơn 0."),
    ("workflow-1-hours", "nhiều", "Phải là một số, ví dụ 2 hoặc 0,5."),
    ("workflow-0-name", "", "Không được để trống."),
    ("time_limit_value", "", "Không được để trống."),
    ("time_limit_value", "ba", "Phải là một số, ví dụ 2 hoặc 0,5."),
    ("online_time_limit_value", "100000", "Không được lớn hơn 10000."),
    ("cutoff_time", "25:00", "Giờ phải có dạng HH:MM, ví dụ 15:00."),
    ("name", "", "Không được để trống."),
    ("field", "", "Không được để trống."),
    ("documents-0-copy_type", "scan", "Hãy chọn một giá trị trong danh sách."),
    ("documents-1-code", "TK01", "Mã thành phần hồ sơ bị trùng."),
    ("workflow-1-unit", "000.99.99.H99", "Không có đơn vị mã 000.99.99.H99."),
    ("handling_unit", "000.99.99.H99", "Không có đơn vị mã 000.99.99.H99."),
])
def test_each_check_comes_back_in_vietnamese_on_its_field(admin, field, value, message):
    data = _current(admin)
    html = _refused(admin, {**data, field: value})
    assert message in field_error(html, f"id_{field}")
    assert_invalid(html, f"id_{field}")
    assert f'href="#id_{field}"' in html  # the summary links to the field
    assert _version() == 1


def test_a_workflow_longer_than_the_time_limit_is_refused_on_the_workflow(admin):
    data = _current(admin)
    html = _refused(admin, {**data, "workflow-1-hours": "40"})
    assert "Tổng thời gian các bước vượt quá thời hạn giải quyết." in html
    assert 'href="#workflow-section"' in html
    assert "Tổng hiện tại: 44 giờ làm việc trên 8 giờ của thời hạn." in html
    # Every problem at once: a malformed row does not hide the workflow's total.
    html = _refused(admin, {**data, "workflow-1-hours": "40", "workflow-2-name": "", "documents-0-count": "x"})
    assert "Tổng thời gian các bước vượt quá thời hạn giải quyết." in html
    assert "Không được để trống." in field_error(html, "id_workflow-2-name")
    assert "Phải là một số nguyên." in field_error(html, "id_documents-0-count")
    # Two working days leave room: the same steps pass once the limit is raised.
    r = _check(admin, {**data, "workflow-1-hours": "12", "time_limit_value": "2"})
    assert r.templates[0].name == "administration/procedure_preview.html"


def test_a_version_without_documents_cannot_be_published(admin):
    data = _current(admin)
    for i in range(6):
        data[f"documents-{i}-name"] = ""
        data[f"documents-{i}-code"] = ""
        data[f"documents-{i}-template"] = ""
    html = _refused(admin, data)  # rows left empty are dropped: no documents remain
    assert "Phiên bản phải có ít nhất một thành phần hồ sơ." in html
    assert 'href="#documents-section"' in html
    data["documents-TOTAL_FORMS"] = "0"
    assert "Phiên bản phải có ít nhất một thành phần hồ sơ." in _refused(admin, data)
    # Nor by posting a confirmation directly, around the preview.
    body = json.loads(admin.get("/quan-tri/thu-tuc/1.001193/tai-ve/").content)[0]
    body["documents"] = []
    r = admin.post(URL, {"action": "publish", "payload": json.dumps(body), "base": "1"})
    assert r.status_code == 200 and "Phiên bản phải có ít nhất một thành phần hồ sơ." in text(r)
    assert _version() == 1


def test_publishing_goes_through_a_preview_and_a_confirmation(admin, client_as):
    data = _current(admin)
    data.update({"documents-0-name": "Tờ khai đăng ký khai sinh (mẫu mới)", "time_limit_value": "2",
                 "cutoff_time": "15:00", "workflow-1-hours": "12", "fees-0-amount": "10.000"})
    r = _check(admin, data)
    html = text(r)
    assert r.templates[0].name == "administration/procedure_preview.html"
    assert "Xem trước và xác nhận phát hành phiên bản 2" in html
    # The due date from the calendar: Tuesday 10 March 09:00 + 2 working days.
    assert "Nộp trực tiếp bây giờ (Thứ Ba, 10/03/2026 lúc 09:00) → <strong>hạn trả Thứ Năm, 12/03/2026 lúc 09:00" in html
    # After the 15:00 cut-off the clock starts the next working day (Wednesday 07:00 + 16 hours).
    assert ("Nộp trực tiếp sau giờ nhận trong ngày (Thứ Ba, 10/03/2026 lúc 15:30) → "
            "<strong>hạn trả Thứ Năm, 12/03/2026 lúc 17:00") in html
    assert "Trang thủ tục công dân sẽ thấy" in html and "Tờ khai đăng ký khai sinh (mẫu mới)" in html
    assert "10.000" in html and "2 ngày làm việc" in html
    for label in ("Thời hạn giải quyết", "Giờ nhận hồ sơ trong ngày", "Thành phần hồ sơ", "Phí, lệ phí",
                  "Quy trình nội bộ"):
        assert f"<li>{label}</li>" in html
    assert "Xác nhận phát hành phiên bản 2" in html
    assert _version() == 1  # nothing published by the preview

    back = admin.post(URL, {"action": "edit", "payload": r.context["payload"]})
    assert back.context["form"].data["documents-0-name"] == "Tờ khai đăng ký khai sinh (mẫu mới)"

    confirm = {"action": "publish", "payload": r.context["payload"], "base": r.context["base"]}
    assert confirm["base"] == 1
    r = admin.post(URL, confirm)
    assert r.status_code == 302 and r["Location"] == URL
    procedure = Procedure.objects.select_related("current").get(code="1.001193")
    v = procedure.current
    assert v.version == 2 and v.time_limit_value == 2 and v.cutoff_time.strftime("%H:%M") == "15:00"
    assert v.documents[0] == {"code": "TK01", "name": "Tờ khai đăng ký khai sinh (mẫu mới)", "copy_type": "original",
                              "count": 1, "required": True,
                              "template": "Mẫu Tờ khai đăng ký khai sinh (Thông tư 04/2020/TT-BTP, sửa đổi bởi "
                                          "Thông tư 04/2024/TT-BTP)"}
    assert v.fees[0]["amount"] == 10000 and v.workflow[1]["hours"] == 12
    assert procedure.versions.get(version=1).documents[0]["name"] == "Tờ khai đăng ký khai sinh"
    assert AuditEntry.objects.filter(action="procedure.publish", object_id=str(v.pk)).exists()
    page = text(admin.get(URL))
    assert "Đã phát hành phiên bản 2 của thủ tục 1.001193." in page
    # The same confirmation again is stale: version 2 was published since its preview.
    again = text(admin.post(URL, confirm))
    assert "Trong lúc bạn xem trước, phiên bản 2 đã được phát hành." in again and _version() == 2
    portal = text(client_as().get("/thu-tuc/1.001193/"))
    assert "Tờ khai đăng ký khai sinh (mẫu mới)" in portal and "Phiên bản 2" in portal


def test_new_rows_get_codes_and_a_new_procedure_is_created_with_its_first_version(admin):
    url = "/quan-tri/thu-tuc/moi/"
    data = _current(admin, url)
    assert data["documents-TOTAL_FORMS"] == "1" and data["workflow-TOTAL_FORMS"] == "4"
    data.update({"code": "2.000999", "name": "Xác nhận tình trạng hôn nhân (thử nghiệm)", "field": "HOTICH",
                 "level": "commune", "time_limit_value": "3", "time_limit_unit": "working_days",
                 "documents-0-name": "Tờ khai", "fees-TOTAL_FORMS": "1", "fees-0-name": "Lệ phí",
                 "fees-0-amount": "15000", "fees-0-collect_at": "receipt",
                 "workflow-1-hours": "12", "workflow-0-hours": "4", "workflow-2-hours": "4", "workflow-3-hours": "4"})
    r = _check(admin, data, url)
    assert r.templates[0].name == "administration/procedure_preview.html", text(r)
    assert "Xem trước và xác nhận phát hành phiên bản 1" in text(r)
    r = admin.post(url, {"action": "publish", "payload": r.context["payload"]})
    assert r.status_code == 302
    v = Procedure.objects.get(code="2.000999").current
    assert v.version == 1 and v.documents[0]["code"] == "TP01" and v.fees[0]["code"] == "LP01"
    # The code is taken now.
    html = _refused(admin, data, url)
    assert "Đã có thủ tục mã này" in field_error(html, "id_code")
    bad = _refused(admin, {**data, "code": "mã có dấu"}, url)
    assert "Mã chỉ gồm chữ cái không dấu" in field_error(bad, "id_code")


def test_export_and_import_as_files(admin):
    r = admin.get("/quan-tri/thu-tuc/1.001193/tai-ve/")
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    (body,) = json.loads(r.content)
    ProcedureIn.model_validate(body)  # what import_catalogue reads
    body["documents"][0]["name"] = "Tờ khai từ tệp"
    upload = SimpleUploadedFile("thu-tuc.json", json.dumps([body]).encode(), "application/json")
    r = admin.post(URL, {"action": "import", "file": upload})
    assert r.context["form"].data["documents-0-name"] == "Tờ khai từ tệp"
    assert "Đã nạp nội dung từ tệp" in text(r) and _version() == 1
    r = admin.post(URL, {"action": "import", "file": SimpleUploadedFile("x.json", b"{not json")}, follow=True)
    assert "Tệp không hợp lệ" in text(r)


def test_the_admin_list_leads_to_the_editor(admin):
    procedure = Procedure.objects.get(code="1.001193")
    html = text(admin.get("/admin/catalog/procedure/"))
    assert f'href="{URL}"' in html
    r = admin.get("/admin/catalog/procedure/add/")
    assert r.status_code == 302 and r["Location"] == "/quan-tri/thu-tuc/moi/"
    change = text(admin.get(f"/admin/catalog/procedure/{procedure.pk}/change/"))
    assert f'href="{URL}"' in change
