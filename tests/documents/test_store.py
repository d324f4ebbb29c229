"""Digitisation at the desk, scans of several pages, and the citizen's document store with reuse."""

from __future__ import annotations

import io

import pytest

from motcua.audit.models import AuditEntry
from motcua.dossiers.models import Attachment

from .conftest import AN, BINH, error, image_bytes, pdf_bytes, stored_files, upload

pytestmark = pytest.mark.django_db


def test_desk_marks_a_scanned_document_as_digitised(desk):
    code = desk.walk_in()
    r = desk.attach("tiepnhan.viettri", code, "giay-chung-sinh.pdf", pdf_bytes(), document="GT01", digitised="true")
    assert r.status_code == 201, r.content
    assert r.json()["digitised"] == {"by": "tiepnhan.viettri", "full_name": "Nguyễn Thị Thu",
                                     "at": "2026-02-23T09:00:00+07:00"}
    plain = desk.attach("tiepnhan.viettri", code, "to-khai.pdf", pdf_bytes("khac"))
    assert plain.json()["digitised"] is None
    shown = {a["name"]: a["digitised"] for a in desk.dossier(code)["attachments"]}
    assert shown["giay-chung-sinh.pdf"]["by"] == "tiepnhan.viettri" and shown["to-khai.pdf"] is None


def test_a_citizen_cannot_claim_digitisation(desk, files_dir):
    code = desk.online()
    r = desk.attach(AN, code, "to-khai.pdf", pdf_bytes(), digitised="true")
    error(r, 403, "forbidden")
    assert stored_files(files_dir) == []
    assert desk.attach(AN, code, "to-khai.pdf", pdf_bytes()).status_code == 201


def test_page_images_become_one_digitised_pdf(desk):
    from pypdf import PdfReader

    code = desk.walk_in()
    pages = [upload("trang-1.jpg", image_bytes("JPEG", (300, 420))), upload("trang-2.png", image_bytes("PNG", (300, 420))),
             upload("trang-3.jpg", image_bytes("JPEG", (420, 300)))]
    r = desk("tiepnhan.viettri").upload(f"/dossiers/{code}/attachments/scan",
                                       {"document": "GT01", "name": "giay-chung-sinh", "files": pages})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["content_type"] == "application/pdf" and body["name"] == "giay-chung-sinh.pdf"
    assert body["digitised"]["by"] == "tiepnhan.viettri"
    data = b"".join(desk("tiepnhan.viettri").get(f"/dossiers/{code}/attachments/{body['id']}").streaming_content)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 3
    assert float(reader.pages[2].mediabox.width) > float(reader.pages[2].mediabox.height)  # landscape page kept

    bad = [upload("trang-1.jpg", image_bytes("JPEG")), upload("virus.jpg", b"MZ" + b"\0" * 100)]
    r = desk("tiepnhan.viettri").upload(f"/dossiers/{code}/attachments/scan", {"document": "GT01", "files": bad})
    assert error(r, 415, "unsupported_type")["details"] == {"page": 2}
    r = desk(AN).upload(f"/dossiers/{desk.online()}/attachments/scan",
                        {"document": "GT01", "files": [upload("a.png", image_bytes())]})
    error(r, 403, "forbidden")


def _earlier_dossier_with_documents(desk, signing: bool) -> tuple[str, str, str]:
    """A walk-in dossier of An with a digitised birth certificate, resolved (with a signed result
    when the leader has a credential). Returns (code, digitised id, result id or "")."""
    code = desk.walk_in()
    r = desk.attach("tiepnhan.viettri", code, "giay-chung-sinh.pdf", pdf_bytes("chung sinh"), document="GT01",
                    digitised="true")
    digitised_id = r.json()["id"]
    desk.attach("tiepnhan.viettri", code, "to-khai.pdf", pdf_bytes("to khai"))  # not digitised: not in the store
    desk.to_leader(code)
    desk.act("lanhdao.viettri", code, "resolve", {"decision": "approved"})
    results = [a["id"] for a in desk.dossier(code)["attachments"] if a["kind"] == "result"]
    assert bool(results) == signing
    return code, digitised_id, results[0] if results else ""


def test_document_store_lists_digitised_inputs_and_results(signing, desk):
    first, digitised_id, result_id = _earlier_dossier_with_documents(desk, signing=True)
    r = desk(AN).get("/me/documents")
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 2
    by_id = {item["id"]: item for item in body["items"]}
    assert set(by_id) == {digitised_id, result_id}
    assert by_id[result_id]["kind"] == "result" and by_id[result_id]["signature"]["intact"] is True
    assert by_id[digitised_id]["digitised"]["by"] == "tiepnhan.viettri"
    assert by_id[digitised_id]["dossier"] == first
    assert by_id[digitised_id]["procedure"] == {"code": "1.001193", "name": "Đăng ký khai sinh"}
    # Someone else's store is their own.
    assert desk(BINH).get("/me/documents").json() == {"items": [], "count": 0}
    assert desk(AN).get("/me/documents", page=0).status_code == 400


def test_reuse_in_a_second_dossier_with_one_call(signing, desk, files_dir):
    first, digitised_id, result_id = _earlier_dossier_with_documents(desk, signing=True)
    files_before = stored_files(files_dir)
    second = desk.online()
    r = desk(AN).post(f"/dossiers/{second}/attachments/reuse", {"attachment": digitised_id, "document": "GT01"})
    assert r.status_code == 201, r.content
    reused = r.json()
    assert reused["reused_from"] == first and reused["document"] == "GT01"
    source = Attachment.objects.get(id=digitised_id)
    assert reused["sha256"] == source.sha256 and reused["size"] == source.size
    assert reused["id"] != digitised_id
    # The applicant downloads the same bytes; nothing new was stored.
    data = b"".join(desk(AN).get(f"/dossiers/{second}/attachments/{reused['id']}").streaming_content)
    assert data == pdf_bytes("chung sinh")
    assert stored_files(files_dir) == files_before
    row = Attachment.objects.get(id=reused["id"])
    assert row.reused_from.code == first and row.reused_attachment_id == source.id
    entry = AuditEntry.objects.filter(action="dossier.attach", data__attachment=reused["id"]).get()
    assert entry.data["reused_from"] == first
    # A signed result can be reused too, and keeps its signature summary.
    r = desk(AN).post(f"/dossiers/{second}/attachments/reuse", {"attachment": result_id, "document": "GT04"})
    assert r.status_code == 201 and r.json()["signature"]["signer"] == "Đặng Văn Hùng"
    # Reusing the same document twice for one requirement is a conflict.
    error(desk(AN).post(f"/dossiers/{second}/attachments/reuse", {"attachment": digitised_id, "document": "GT01"}),
          409, "already_attached")
    assert [a["reused_from"] for a in desk.dossier(second, who=AN)["attachments"]] == [first, first]
    # Reused copies do not show twice in the store.
    assert desk(AN).get("/me/documents").json()["count"] == 2


def test_reuse_rules(signing, desk):
    first, digitised_id, _result = _earlier_dossier_with_documents(desk, signing=True)
    binh = desk.online(BINH)
    # Not in Bình's store.
    error(desk(BINH).post(f"/dossiers/{binh}/attachments/reuse", {"attachment": digitised_id, "document": "GT01"}),
          404, "not_found")
    second = desk.online()
    error(desk(AN).post(f"/dossiers/{second}/attachments/reuse", {"attachment": digitised_id, "document": "XX"}),
          400, "unknown_document")
    error(desk(AN).post(f"/dossiers/{second}/attachments/reuse", {"attachment": "not-a-uuid", "document": "GT01"}),
          400, "invalid_request")
    # Not from the dossier itself.
    error(desk("tiepnhan.viettri").post(f"/dossiers/{first}/attachments/reuse",
                                        {"attachment": digitised_id, "document": "GT01"}), 404, "not_found")
    # The desk can reuse on the applicant's behalf, from the applicant's store.
    walk_in = desk.walk_in()
    store = desk("tiepnhan.viettri").get(f"/dossiers/{walk_in}/document-store").json()
    assert digitised_id in {i["id"] for i in store["items"]}
    r = desk("tiepnhan.viettri").post(f"/dossiers/{walk_in}/attachments/reuse",
                                      {"attachment": digitised_id, "document": "GT01"})
    assert r.status_code == 201 and r.json()["reused_from"] == first


def test_only_the_applicant_and_officials_on_the_route_browse_the_store(desk):
    code = desk.online()
    assert desk(AN).get(f"/dossiers/{code}/document-store").status_code == 200
    assert desk("giamsat.viettri").get(f"/dossiers/{code}").status_code == 200  # may read the dossier...
    error(desk("giamsat.viettri").get(f"/dossiers/{code}/document-store"), 403, "forbidden")  # ...not the store
    assert desk(BINH).get(f"/dossiers/{code}/document-store").status_code == 404
