"""The desk's step actions (claim, reassign, send back, consult and answer), its new worklists, the
official forms and the tracking book, signed results, digitised scans and the document store."""

from __future__ import annotations

import io
import re

import pytest

from motcua.dossiers.models import Attachment, Consultation, Dossier, ResultDraft

from .files import TEXT, pdf_bytes, png_bytes
from .helpers import actor, assert_invalid, field_error, online_dossier, text, upload, walk_in_dossier

pytestmark = pytest.mark.django_db

DESK = "/desk/"
CENTRE = "000.01.31.H45"


def action_names(html: str) -> set[str]:
    return set(re.findall(r'action="/desk/ho-so/[^/]+/thao-tac/([a-z-]+)/"', html))


def at_specialist_step(procedure: str = "1.004884", *, online: bool = False) -> Dossier:
    """A dossier received and forwarded by reception: the specialists' step of Việt Trì, nobody
    holds it. `online`: submitted by Nguyễn Văn An with his account."""
    from motcua.dossiers.services import dossier_accept, dossier_forward

    if online:
        dossier = online_dossier(procedure=procedure)
        dossier_accept(actor=actor("tiepnhan.viettri"), code=dossier.code)
    else:
        dossier = walk_in_dossier(procedure=procedure)
    return dossier_forward(actor=actor("tiepnhan.viettri"), code=dossier.code)


def second_specialist() -> None:
    from motcua.accounts.models import Membership, User, UserKind
    from motcua.units.models import Unit

    user = User.objects.create_user(username="chuyenvien2.viettri", password="motcua-demo",
                                    full_name="Đào Thị Xuân", kind=UserKind.OFFICIAL)
    Membership.objects.create(user=user, unit=Unit.objects.get(code=CENTRE), role="specialist")


def consultations_table(html: str) -> str:
    start = html.index('data-testid="consultations"')
    return html[start:html.index("</table>", start)]


def answer_card_count(html: str) -> int:
    return len(re.findall(r'id="action-answer-consultation"', html))


# --- claim and reassign ---------------------------------------------------------------------------

def test_claim_then_reassign_within_the_pool(client_as, frozen):
    second_specialist()
    dossier = at_specialist_step()
    url = f"/desk/ho-so/{dossier.code}/"
    specialist, colleague, leader = (client_as(u) for u in ("chuyenvien.viettri", "chuyenvien2.viettri",
                                                           "lanhdao.viettri"))
    html = text(specialist.get(url))
    assert {"claim", "forward", "consult", "send-back", "reassign"} <= action_names(html)
    assert "Chưa giao: bất kỳ cán bộ nào có vai trò của bước này" in html
    assert "claim" in action_names(text(colleague.get(url)))

    r = specialist.post(url + "thao-tac/claim/", {"version": str(dossier.row_version)})
    assert r.status_code == 302
    dossier.refresh_from_db()
    assert dossier.current_assignee.username == "chuyenvien.viettri"
    html = text(specialist.get(url))
    assert re.search(r'data-testid="assignee">Trần Minh Quân', html)
    assert "claim" not in action_names(html) and "forward" in action_names(html)
    # The step is taken: the colleague can no longer claim it, nor act on it.
    html = text(colleague.get(url))
    assert action_names(html) == set()
    r = colleague.post(url + "thao-tac/claim/", {})
    assert r.status_code == 403 and "Bạn không thể thực hiện thao tác này" in text(r)

    # The leader of the unit gives it to the colleague; only officials of the step's role are offered.
    html = text(leader.get(url))
    assert "reassign" in action_names(html)
    assert 'value="chuyenvien2.viettri"' in html and 'value="tiepnhan.viettri"' not in html
    r = leader.post(url + "thao-tac/reassign/", {"reassign-assignee": "tiepnhan.viettri"})
    assert r.status_code == 400
    html = text(r)
    assert "Người được giao không có vai trò của bước hiện tại" in field_error(html, "id_reassign-assignee")
    assert_invalid(html, "id_reassign-assignee")
    r = leader.post(url + "thao-tac/reassign/", {"reassign-assignee": "chuyenvien2.viettri",
                                                 "reassign-note": "Chị Xuân xử lý giúp"})
    assert r.status_code == 302
    dossier.refresh_from_db()
    assert dossier.current_assignee.username == "chuyenvien2.viettri"
    assert "forward" in action_names(text(colleague.get(url)))
    assert "forward" not in action_names(text(specialist.get(url)))
    # Back to the pool.
    assert leader.post(url + "thao-tac/reassign/", {"reassign-assignee": ""}).status_code == 302
    dossier.refresh_from_db()
    assert dossier.current_assignee is None
    html = text(specialist.get(url))
    assert "Giao lại" in html and "Chị Xuân xử lý giúp" in html  # the history names the step actions


def test_claim_is_refused_to_officials_outside_the_step(client_as, frozen):
    dossier = at_specialist_step()
    url = f"/desk/ho-so/{dossier.code}/"
    html = text(client_as("tiepnhan.viettri").get(url))
    assert not {"claim", "reassign", "consult", "send-back"} & action_names(html)
    r = client_as("tiepnhan.viettri").post(url + "thao-tac/claim/", {})
    assert r.status_code == 403
    assert client_as("chuyenvien.lacson").post(url + "thao-tac/claim/", {}).status_code == 404
    assert client_as("chuyenvien.viettri").post(url + "thao-tac/nhay-coc/", {}).status_code == 404
    dossier.refresh_from_db()
    assert dossier.current_assignee is None


# --- send back ------------------------------------------------------------------------------------

def test_send_back_to_an_earlier_step_needs_a_reason(client_as, frozen):
    from motcua.dossiers.services import dossier_forward

    dossier = at_specialist_step()
    dossier_forward(actor=actor("chuyenvien.viettri"), code=dossier.code)  # now at step 3 (index 2)
    client = client_as("chuyenvien.viettri")
    url = f"/desk/ho-so/{dossier.code}/"
    html = text(client.get(url))
    assert "send-back" in action_names(html)
    # Earlier steps are offered, the previous one first chosen; not the current one.
    assert re.search(r'<option value="1" selected>2\. Tra cứu Cơ sở dữ liệu hộ tịch, xác minh</option>', html)
    assert '<option value="0">1. Tiếp nhận hồ sơ</option>' in html
    assert '<option value="2"' not in html
    r = client.post(url + "thao-tac/send-back/", {"send-back-step": "1", "send-back-reason": " "})
    assert r.status_code == 400 and field_error(text(r), "id_send-back-reason") == "Vui lòng nhập lý do."
    r = client.post(url + "thao-tac/send-back/", {"send-back-step": "2", "send-back-reason": "Thiếu xác minh"})
    html = text(r)
    assert r.status_code == 400
    assert "Chỉ có thể trả lại một bước trước bước hiện tại" in field_error(html, "id_send-back-step")
    assert "Thiếu xác minh" in html  # kept
    r = client.post(url + "thao-tac/send-back/", {"send-back-step": "1", "send-back-reason": "Cần kết quả xác minh"})
    assert r.status_code == 302
    dossier.refresh_from_db()
    assert dossier.current_step_index == 1 and dossier.status == 4
    html = text(client.get(url))
    assert "Trả lại bước trước" in html and "Cần kết quả xác minh" in html
    assert re.search(r'aria-current="step">\s*<td[^>]*>Tra cứu Cơ sở dữ liệu hộ tịch', html)


# --- consult and answer ---------------------------------------------------------------------------

def test_consult_another_unit_which_answers(client_as, frozen):
    dossier = at_specialist_step()
    url = f"/desk/ho-so/{dossier.code}/"
    specialist, stp = client_as("chuyenvien.viettri"), client_as("chuyenvien.stp")
    html = text(specialist.get(url))
    assert 'value="000.00.12.H45"' in html  # Sở Tư pháp may be asked
    assert f'<option value="{CENTRE}"' not in html  # not the unit handling the step
    r = specialist.post(url + "thao-tac/consult/", {"consult-unit": "", "consult-question": "",
                                                    "consult-hours": "0"})
    html = text(r)
    assert r.status_code == 400
    assert field_error(html, "id_consult-unit") == "Vui lòng chọn đơn vị được xin ý kiến."
    assert field_error(html, "id_consult-question") == "Vui lòng nhập nội dung xin ý kiến."
    assert "từ 0,5 đến 400 giờ" in field_error(html, "id_consult-hours")
    r = specialist.post(url + "thao-tac/consult/", {"consult-unit": CENTRE, "consult-question": "Hỏi chính mình",
                                                    "consult-hours": "4"})
    assert r.status_code == 400 and "không hợp lệ" in field_error(text(r), "id_consult-unit")
    assert stp.get(url).status_code == 404  # not on the dossier's route yet

    r = specialist.post(url + "thao-tac/consult/", {"consult-unit": "000.00.12.H45", "consult-hours": "4",
                                                    "consult-question": "Xin ý kiến về bản gốc sổ hộ tịch"})
    assert r.status_code == 302
    consultation = Consultation.objects.get()
    html = text(specialist.get(url))
    table = consultations_table(html)
    assert "Sở Tư pháp tỉnh Phú Thọ" in table and "Xin ý kiến về bản gốc sổ hộ tịch" in table
    assert "10/03/2026 15:00" in table and "Chưa trả lời" in table  # 09:00 + 4 working hours (lunch break)
    assert answer_card_count(html) == 0  # the asking unit does not answer

    # Sở Tư pháp sees it in its worklist, with the count, and answers.
    html = text(stp.get(DESK, {"ds": "consultations"}))
    assert re.search(r'<span class="n">1</span> Xin ý kiến chờ trả lời', html) and dossier.code in html
    html = text(stp.get(url))
    assert action_names(html) == {"answer-consultation"}
    assert f'<option value="{consultation.pk}" selected>Sở Tư pháp tỉnh Phú Thọ: Xin ý kiến' in html
    r = stp.post(url + "thao-tac/answer-consultation/", {"answer-consultation-consultation": str(consultation.pk),
                                                         "answer-consultation-answer": ""})
    assert r.status_code == 400
    assert field_error(text(r), "id_answer-consultation-answer") == "Vui lòng nhập ý kiến trả lời."
    r = stp.post(url + "thao-tac/answer-consultation/", {"answer-consultation-consultation": "999999",
                                                         "answer-consultation-answer": "Thống nhất"})
    assert r.status_code == 400
    assert "không còn chờ" in field_error(text(r), "id_answer-consultation-consultation")
    r = stp.post(url + "thao-tac/answer-consultation/", {"answer-consultation-consultation": str(consultation.pk),
                                                         "answer-consultation-answer": "Thống nhất, bản gốc hợp lệ"})
    assert r.status_code == 302
    consultation.refresh_from_db()
    assert consultation.answer == "Thống nhất, bản gốc hợp lệ" and consultation.outcome in {"early", "on_time"}
    html = text(specialist.get(url))
    assert "Thống nhất, bản gốc hợp lệ" in html and "Chưa trả lời" not in html
    assert re.search(r'class="badge (early|on_time)"', consultations_table(html))
    # Answered: nothing more to do for Sở Tư pháp, who still may read the dossier.
    html = text(stp.get(url))
    assert action_names(html) == set()
    r = stp.post(url + "thao-tac/answer-consultation/", {"answer-consultation-consultation": str(consultation.pk),
                                                         "answer-consultation-answer": "Lần nữa"})
    assert r.status_code == 403
    assert re.search(r'<span class="n">0</span> Xin ý kiến chờ trả lời', text(stp.get(DESK)))


# --- worklists ------------------------------------------------------------------------------------

def test_home_lists_at_risk_and_consultations_with_counts(client_as, frozen):
    from motcua.dossiers.services.steps import dossier_consult

    soon = at_specialist_step("1.001193")  # 1 working day in all: due within one working day
    later = at_specialist_step("1.004884")
    dossier_consult(actor=actor("chuyenvien.viettri"), code=later.code, unit="000.00.12.H45", question="Ý kiến?")
    html = text(client_as("chuyenvien.viettri").get(DESK, {"ds": "at_risk"}))
    assert re.search(r'<span class="n">1</span> Có nguy cơ trễ hạn', html)
    assert re.search(r'<h2 id="worklist-title">Có nguy cơ trễ hạn</h2>', html)
    assert soon.code in html and later.code not in html
    assert re.search(r'class="card count-card alert"[^>]*data-list="at_risk"', html)
    html = text(client_as("chuyenvien.stp").get(DESK))
    # With nothing else to do, Sở Tư pháp opens on the list that has something.
    assert re.search(r'<h2 id="worklist-title">Xin ý kiến chờ trả lời</h2>', html) and later.code in html
    assert re.search(r'<span class="n">0</span> Có nguy cơ trễ hạn', html)


# --- official forms and the tracking book ---------------------------------------------------------

def test_print_links_follow_what_happened(client_as, frozen):
    dossier = walk_in_dossier()
    client = client_as("tiepnhan.viettri")
    url = f"/desk/ho-so/{dossier.code}/"
    html = text(client.get(url))
    links = set(re.findall(rf'href="/desk/ho-so/{re.escape(dossier.code)}/mau/(mau-0\d)/"', html))
    assert links == {"mau-01", "mau-05"}
    r = client.get(url + "mau/mau-01/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert "inline" in r["Content-Disposition"] and f"{dossier.code}-mau-01.pdf" in r["Content-Disposition"]
    r = client.get(url + "mau/mau-03/")
    assert r.status_code == 409
    assert "Hồ sơ không bị từ chối tiếp nhận" in text(r) and f'href="{url}"' in text(r)
    assert client.get(url + "mau/mau-99/").status_code == 404
    assert client_as("tiepnhan.lacson").get(url + "mau/mau-01/").status_code == 404
    assert client_as("025090000123").get(url + "mau/mau-01/").status_code == 403
    # The receipt links to the official Mẫu 01.
    assert f'href="{url}mau/mau-01/"' in text(client.get(url + "bien-nhan/"))
    # After an apology, Mẫu 04 is offered too.
    client_as("lanhdao.viettri").post(url + "thao-tac/apologize/", {"apologize-reason": "Chờ xác minh",
                                                                     "apologize-new_due_at": "2026-03-13T16:00"})
    assert "mau/mau-04/" in text(client.get(url))


def test_supplement_and_refusal_forms_for_an_online_dossier(client_as, frozen):
    dossier = online_dossier()
    client = client_as("tiepnhan.viettri")
    url = f"/desk/ho-so/{dossier.code}/"
    assert "/mau/" not in text(client.get(url))  # not received: nothing to print yet
    client.post(url + "thao-tac/request-supplement/", {"request-supplement-reason": "Thiếu giấy chứng sinh",
                                                       "request-supplement-documents": ["GT01"]})
    assert set(re.findall(r"/mau/(mau-0\d)/", text(client.get(url)))) == {"mau-02"}
    assert client.get(url + "mau/mau-02/")["Content-Type"] == "application/pdf"
    other = online_dossier()
    client.post(f"/desk/ho-so/{other.code}/thao-tac/refuse/", {"refuse-reason": "Không thuộc thẩm quyền"})
    assert set(re.findall(r"/mau/(mau-0\d)/", text(client.get(f"/desk/ho-so/{other.code}/")))) == {"mau-03"}


def test_tracking_book_page_and_downloads(client_as, frozen):
    dossier = walk_in_dossier(name="Hoàng Thị Yến")
    client = client_as("tiepnhan.viettri")
    html = text(client.get("/desk/so-theo-doi/"))
    assert re.search(rf'<option value="{CENTRE}" selected>', html)
    assert 'value="2026-03-01"' in html and 'value="2026-03-10"' in html
    assert dossier.code in html and "Hoàng Thị Yến" in html
    query = {"unit": CENTRE, "date_from": "2026-03-01", "date_to": "2026-03-10"}
    r = client.get("/desk/so-theo-doi/", {**query, "dinh-dang": "pdf"})
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert "attachment" in r["Content-Disposition"]
    r = client.get("/desk/so-theo-doi/", {**query, "dinh-dang": "xlsx"})
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(r.content)).active
    assert dossier.code in [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    # Bad periods are explained next to the dates; nothing breaks.
    html = text(client.get("/desk/so-theo-doi/", {**query, "date_from": "2026-03-11"}))
    assert "Ngày bắt đầu phải trước" in field_error(html, "id_date_from")
    html = text(client.get("/desk/so-theo-doi/", {**query, "date_from": "2024-01-01"}))
    assert "tối đa 366 ngày" in field_error(html, "id_date_to")
    r = client.get("/desk/so-theo-doi/", {**query, "date_to": "31/02/2026"})
    assert r.status_code == 400 and field_error(text(r), "id_date_to") == "Ngày không hợp lệ."
    # Only the units the official may read.
    r = client_as("tiepnhan.lacson").get("/desk/so-theo-doi/", query)
    assert r.status_code == 400 and field_error(text(r), "id_unit") == "Đơn vị không hợp lệ."
    html = text(client_as("giamsat.tinh").get("/desk/so-theo-doi/", query))
    assert dossier.code in html  # the province's supervisor reads every unit's book
    assert client_as("025090000123").get("/desk/so-theo-doi/").status_code == 403


# --- documents: digitised scans, the store, drafts and signed results -----------------------------

def test_digitised_flag_on_desk_uploads(client_as, frozen):
    dossier = walk_in_dossier()
    client = client_as("tiepnhan.viettri")
    url = f"/desk/ho-so/{dossier.code}/"
    html = text(client.get(url))
    assert re.search(r'<input type="checkbox" name="upload-digitised"[^>]*checked', html)
    client.post(url + "tai-len/", {"upload-document": "TK01", "upload-files": upload("to-khai.png", png_bytes()),
                                   "upload-digitised": "on"})
    client.post(url + "tai-len/", {"upload-document": "GT01", "upload-files": upload("ban-dien-tu.pdf", pdf_bytes())})
    scanned = Attachment.objects.get(name="to-khai.png")
    electronic = Attachment.objects.get(name="ban-dien-tu.pdf")
    assert scanned.digitised_by_username == "tiepnhan.viettri" and electronic.digitised_at is None
    html = text(client.get(url))
    assert html.count('data-testid="digitised"') == 1
    assert "Số hóa từ bản giấy: Nguyễn Thị Thu, 10/03/2026 09:00" in html


def test_reuse_from_the_applicants_store_at_the_desk(client_as, frozen):
    earlier = walk_in_dossier(id_number="025090000999", name="Đoàn Minh Khôi")
    client = client_as("tiepnhan.viettri")
    client.post(f"/desk/ho-so/{earlier.code}/tai-len/", {
        "upload-document": "GT04", "upload-files": upload("cccd.png", png_bytes()), "upload-digitised": "on"})
    source = Attachment.objects.get(dossier=earlier)
    dossier = walk_in_dossier(id_number="025090000999", name="Đoàn Minh Khôi")
    url = f"/desk/ho-so/{dossier.code}/"
    html = text(client.get(url))
    assert "Dùng lại giấy tờ từ kho dữ liệu của người nộp" in html and f'value="{source.id}"' in html
    assert re.search(r'<option value="GT04" selected>', html)  # the same requirement, preselected
    # Another applicant's dossier shows nothing of Khôi's store.
    assert f'value="{source.id}"' not in text(client.get(f"/desk/ho-so/{walk_in_dossier().code}/"))
    r = client.post(url + "dung-lai/", {"attachment": str(source.id), "document": "GT04"})
    assert r.status_code == 302
    reused = Attachment.objects.get(dossier=dossier)
    assert reused.reused_from_code == earlier.code and reused.sha256 == source.sha256
    html = text(client.get(url))
    assert f"Dùng lại từ hồ sơ {earlier.code}" in html
    r = client.post(url + "dung-lai/", {"attachment": str(source.id), "document": "GT04"})
    assert r.status_code == 409 and "đã được dùng lại" in text(r)
    r = client.post(url + "dung-lai/", {"attachment": "khong-phai-ma", "document": "GT04"})
    assert r.status_code == 400 and "Không tìm thấy tài liệu" in text(r)
    r = client_as("chuyenvien.lacson").post(url + "dung-lai/", {"attachment": str(source.id), "document": "GT04"})
    assert r.status_code == 404
    assert Attachment.objects.filter(dossier=dossier).count() == 1


def test_handler_uploads_a_draft_that_the_leader_signs(client_as, frozen, signing):
    dossier = at_specialist_step("1.001193", online=True)
    code = dossier.code
    url = f"/desk/ho-so/{code}/"
    specialist, leader, reception = (client_as(u) for u in ("chuyenvien.viettri", "lanhdao.viettri",
                                                           "tiepnhan.viettri"))
    html = text(specialist.get(url))
    assert "Tải lên dự thảo kết quả" in html and "Tệp dự thảo kết quả (PDF)" in html
    assert "Tải lên dự thảo kết quả" not in text(reception.get(url))  # not the handler of this step
    r = reception.post(url + "ket-qua/", {"result-files": upload("du-thao.pdf", pdf_bytes("x"))})
    assert r.status_code == 400 and "Chỉ người xử lý bước hiện tại" in field_error(text(r), "id_result-files")
    r = specialist.post(url + "ket-qua/", {"result-files": upload("du-thao.txt", TEXT)})
    assert r.status_code == 400 and "du-thao.txt" in field_error(text(r), "id_result-files")
    r = specialist.post(url + "ket-qua/", {"result-files": upload("giay-khai-sinh.pdf", pdf_bytes("kq"))})
    assert r.status_code == 302
    assert ResultDraft.objects.get(dossier=dossier).name == "giay-khai-sinh.pdf"
    assert b"".join(specialist.get(url + "du-thao/").streaming_content).startswith(b"%PDF")
    assert client_as("025090000123").get(url + "du-thao/").status_code == 403
    specialist.post(url + "thao-tac/forward/", {})

    html = text(leader.get(url))
    hint = html[html.index('data-testid="resolve-hint"'):][:400]
    assert "dự thảo «giay-khai-sinh.pdf»" in hint and "chưa được cấu hình chứng thư" not in hint
    r = leader.post(url + "thao-tac/resolve/", {"resolve-decision": "approved", "resolve-note": "Đồng ý"})
    assert r.status_code == 302, text(r)
    result = Attachment.objects.get(dossier=dossier, kind="result")
    assert result.signature["signer"] == "Đặng Văn Hùng"
    for html in (text(reception.get(url)), text(client_as("025090000123").get(f"/ho-so/{code}/"))):
        listed = html[html.index('data-testid="results"'):]
        assert "Chữ ký số hợp lệ" in listed and "Ký bởi Đặng Văn Hùng, 10/03/2026 09:00" in listed
        assert f'href="/xac-thuc/{result.id}/"' in listed
    page = text(client_as().get(f"/xac-thuc/{result.id}/"))
    assert "Văn bản hợp lệ" in page and code in page


def test_resolve_without_a_credential_says_so(client_as, frozen):
    from motcua.dossiers.services import dossier_forward

    dossier = at_specialist_step("1.001193")
    dossier_forward(actor=actor("chuyenvien.viettri"), code=dossier.code)
    html = text(client_as("lanhdao.viettri").get(f"/desk/ho-so/{dossier.code}/"))
    hint = html[html.index('data-testid="resolve-hint"'):][:600]
    assert "Chưa có dự thảo" in hint and "chưa được cấu hình chứng thư ký số" in hint


# --- the shared account services at the desk ------------------------------------------------------

def test_desk_login_is_locked_after_repeated_failures(client_as, settings):
    settings.MOTCUA = {**settings.MOTCUA, "LOGIN_MAX_FAILURES": 3}
    client = client_as()
    for _ in range(3):
        html = text(client.post("/desk/dang-nhap/", {"username": "tiepnhan.viettri", "password": "sai"}))
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in field_error(html, "id_password")
    r = client.post("/desk/dang-nhap/", {"username": "tiepnhan.viettri", "password": "motcua-demo"})
    assert r.status_code == 200 and "Đăng nhập sai quá nhiều lần" in text(r)
    # The lock is the account's, wherever the attempt comes from (the portal shares it).
    assert "Đăng nhập sai quá nhiều lần" in text(client.post("/dang-nhap/", {"username": "tiepnhan.viettri",
                                                                              "password": "motcua-demo"}))


def test_the_desk_has_a_form_for_every_action_of_the_registry() -> None:
    from motcua.desk.actions import FORMS
    from motcua.dossiers.services import ACTIONS

    assert set(FORMS) == set(ACTIONS)
