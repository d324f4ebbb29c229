"""Signed results: real PAdES signatures made at `resolve`, checked by /verify and /xac-thuc/, and
tampered copies caught."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from motcua.audit.models import AuditEntry
from motcua.dossiers.models import Attachment, Dossier, ResultDraft

from .conftest import error, image_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def _fonts(data: bytes) -> set[str]:
    from pypdf import PdfReader

    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        fonts = page["/Resources"].get_object().get("/Font") or {}
        for ref in fonts.get_object().values():
            names.add(str(ref.get_object().get("/BaseFont")))
    return names


def _download(desk, who: str, code: str, attachment_id: str) -> bytes:
    r = desk(who).get(f"/dossiers/{code}/attachments/{attachment_id}")
    assert r.status_code == 200
    return b"".join(r.streaming_content)


def _verify(data: bytes, name: str = "ket-qua.pdf") -> dict:
    r = Client().post("/api/v1/verify", {"file": upload(name, data)})
    assert r.status_code == 200, r.content
    return r.json()


def _resolve_with_draft(desk, draft: bytes | None = None, decision: str = "approved", note: str = "") -> tuple[str, dict]:
    code = desk.walk_in()
    desk.to_leader(code)
    if draft is not None:
        r = desk("lanhdao.viettri").upload(f"/dossiers/{code}/result", {"file": upload("du-thao.pdf", draft)})
        assert r.status_code == 201, r.content
    desk.act("lanhdao.viettri", code, "resolve", {"decision": decision, "note": note})
    dossier = desk.dossier(code)
    results = [a for a in dossier["attachments"] if a["kind"] == "result"]
    assert len(results) == 1, dossier["attachments"]
    return code, results[0]


def test_approved_draft_is_signed_with_qr_and_verifies(signing, desk):
    code = desk.walk_in()
    desk.to_leader(code)
    draft = pdf_bytes("Giấy khai sinh — dự thảo")
    # The specialist's step is over: only the current step's handler (the leader) may upload the draft.
    error(desk("chuyenvien.viettri").upload(f"/dossiers/{code}/result", {"file": upload("d.pdf", draft)}),
          403, "forbidden")
    r = desk("lanhdao.viettri").upload(f"/dossiers/{code}/result", {"file": upload("du-thao.pdf", draft)})
    assert r.status_code == 201 and r.json()["kind"] == "draft"
    assert desk("lanhdao.viettri").get(f"/dossiers/{code}/result").json()["sha256"] == r.json()["sha256"]
    desk.act("lanhdao.viettri", code, "resolve", {"decision": "approved"})

    dossier = desk.dossier(code)
    result = next(a for a in dossier["attachments"] if a["kind"] == "result")
    assert result["content_type"] == "application/pdf" and result["document"] == "KQ"
    assert result["signature"]["signer"] == "Đặng Văn Hùng"
    assert result["signature"]["intact"] is True and result["signature"]["trusted"] is True
    assert result["signature"]["signed_at"].startswith("2026-02-23T09:00")
    assert not ResultDraft.objects.filter(dossier__code=code).exists()

    data = _download(desk, "tiepnhan.viettri", code, result["id"])
    assert data.startswith(pdf_bytes("Giấy khai sinh — dự thảo")[:8])
    assert len(data) > len(draft)
    # The QR code's caption on the page is the public check URL of this very attachment.
    assert f"https://motcua.phutho.gov.vn/xac-thuc/{result['id']}/" in _pdf_text(data)

    check = _verify(data)
    assert check == {"signed": True, "intact": True, "trusted": True, "dossier": code,
                     "signers": [{"name": "Đặng Văn Hùng", "signed_at": "2026-02-23T09:00:00+07:00",
                                  "intact": True, "trusted": True}]}
    entry = AuditEntry.objects.filter(action="dossier.attach", data__attachment=result["id"]).get()
    assert entry.data["kind"] == "result" and entry.data["signed"] is True and entry.data["from_draft"] is True
    assert entry.actor_label == "lanhdao.viettri"


def test_result_from_template_in_vietnamese_when_no_draft(signing, desk):
    code, result = _resolve_with_draft(desk, draft=None, note="Đã cấp bản chính")
    data = _download(desk, "tiepnhan.viettri", code, result["id"])
    text = _pdf_text(data)
    assert "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in text
    assert "Đăng ký khai sinh" in text and "Nguyễn Văn An" in text and code in text
    assert "Đặng Văn Hùng" in text
    assert any("Liberation-Serif" in f for f in _fonts(data)), _fonts(data)
    assert _verify(data)["intact"] is True


def test_denied_attaches_a_signed_refusal_letter(signing, desk):
    code, result = _resolve_with_draft(desk, draft=pdf_bytes("not used"), decision="denied",
                                       note="Giấy chứng sinh không hợp lệ")
    assert result["document"] == "TBKGQ"
    data = _download(desk, "tiepnhan.viettri", code, result["id"])
    text = _pdf_text(data)
    assert "THÔNG BÁO" in text and "Giấy chứng sinh không hợp lệ" in text
    check = _verify(data)
    assert check["signed"] and check["intact"] and check["trusted"] and check["dossier"] == code


def test_tampered_copies_fail_intact(signing, desk):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader

    code, result = _resolve_with_draft(desk, draft=pdf_bytes("bản gốc"))
    data = _download(desk, "tiepnhan.viettri", code, result["id"])
    signature = PdfFileReader(io.BytesIO(data)).embedded_signatures[0]
    start, length = signature.byte_range[0], signature.byte_range[1]

    # 1. One byte flipped inside the signed range.
    flipped = bytearray(data)
    position = start + length // 2
    flipped[position] = flipped[position] ^ 0x01 if flipped[position] not in (0x0A, 0x0D) else 0x20
    check = _verify(bytes(flipped))
    assert check["signed"] is True and check["intact"] is False

    # 2. An incremental update appended after the signature that draws over the page.
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    stream = writer.add_object(generic.StreamObject(stream_data=b"0 0 1 rg 0 0 300 300 re f"))
    writer.add_stream_to_page(0, stream)
    out = io.BytesIO()
    writer.write(out)
    changed = out.getvalue()
    assert changed.startswith(data)
    check = _verify(changed)
    assert check["signed"] is True and check["intact"] is False
    assert check["dossier"] == code  # still recognised as that dossier's result, and flagged

    # 3. The untouched file still verifies.
    assert _verify(data)["intact"] is True


def test_untrusted_signer_and_unsigned_pdf(signing, desk, settings, tmp_path):
    code, result = _resolve_with_draft(desk, draft=pdf_bytes())
    data = _download(desk, "tiepnhan.viettri", code, result["id"])
    settings.MOTCUA = {**settings.MOTCUA, "PKI_DIR": str(tmp_path / "empty")}
    check = _verify(data)
    assert check["signed"] is True and check["intact"] is True and check["trusted"] is False
    assert _verify(pdf_bytes("khong ky")) == {"signed": False, "intact": False, "trusted": False, "signers": [],
                                               "dossier": None}


def test_verify_refuses_what_is_not_a_pdf(files_dir):
    r = Client().post("/api/v1/verify", {"file": upload("anh.pdf", image_bytes("PNG"))})
    error(r, 415, "unsupported_type")
    r = Client().post("/api/v1/verify", {"file": upload("rong.pdf", b"")})
    error(r, 400, "empty_file")


def test_public_check_page(signing, desk):
    code, result = _resolve_with_draft(desk, draft=pdf_bytes())
    page = Client().get(f"/xac-thuc/{result['id']}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Văn bản hợp lệ" in html and "Đặng Văn Hùng" in html and code in html and "Đăng ký khai sinh" in html
    assert "0912345678" not in html and "025090000123" not in html  # nothing personal
    assert Client().get("/xac-thuc/00000000-0000-4000-8000-000000000000/").status_code == 404
    # An input attachment has no public page.
    r = desk.attach("tiepnhan.viettri", desk.walk_in(), "a.pdf", pdf_bytes())
    assert Client().get(f"/xac-thuc/{r.json()['id']}/").status_code == 404

    # Tampering with the stored file shows on the page.
    from motcua.documents.storage import open_stored

    path = open_stored(result["sha256"])
    raw = bytearray(path.read_bytes())
    raw[200] ^= 0x01
    path.write_bytes(bytes(raw))
    html = Client().get(f"/xac-thuc/{result['id']}/").content.decode()
    assert "Văn bản hợp lệ" not in html and "Không khớp mã băm đã lưu" in html


def test_public_upload_page(signing, desk):
    code, result = _resolve_with_draft(desk, draft=pdf_bytes())
    data = _download(desk, "tiepnhan.viettri", code, result["id"])
    client = Client()
    assert "Kiểm tra văn bản ký số" in client.get("/xac-thuc/").content.decode()
    html = client.post("/xac-thuc/", {"file": upload("kq.pdf", data)}).content.decode()
    assert "Chữ ký số hợp lệ" in html and code in html and "Đặng Văn Hùng" in html
    r = client.post("/xac-thuc/", {"file": upload("x.pdf", b"MZ\x00\x00")})
    assert r.status_code == 415 and "Chỉ chấp nhận tệp PDF" in r.content.decode()


def test_leader_without_credential(catalogue, desk, settings):
    """No credential: the draft is attached unsigned; without a draft there is no result. With
    REQUIRE_SIGNED_RESULTS the resolve is refused and nothing changes."""
    code, result = _resolve_with_draft(desk, draft=pdf_bytes("khong ky"))
    assert result["signature"] is None
    code = desk.walk_in()
    desk.to_leader(code)
    desk.act("lanhdao.viettri", code, "resolve", {"decision": "approved"})
    assert [a for a in desk.dossier(code)["attachments"] if a["kind"] == "result"] == []

    settings.MOTCUA = {**settings.MOTCUA, "REQUIRE_SIGNED_RESULTS": True}
    code = desk.walk_in()
    desk.to_leader(code)
    r = desk("lanhdao.viettri").act(code, "resolve", {"decision": "approved"})
    error(r, 409, "signing_not_configured")
    assert Dossier.objects.get(code=code).status == 4


def test_broken_credential_refuses_the_resolve(signing, desk, settings):
    from motcua.documents.models import SigningCredential

    SigningCredential.objects.filter(user__username="lanhdao.viettri").update(passphrase="sai")
    code = desk.walk_in()
    desk.to_leader(code)
    error(desk("lanhdao.viettri").act(code, "resolve", {"decision": "approved"}), 409, "signing_failed")
    assert Dossier.objects.get(code=code).status == 4
    assert not Attachment.objects.filter(dossier__code=code, kind="result").exists()


def test_draft_rules(signing, desk):
    code = desk.walk_in()
    error(desk("lanhdao.viettri").upload(f"/dossiers/{code}/result", {"file": upload("d.pdf", pdf_bytes())}),
          409, "invalid_transition")  # not in progress yet
    desk.to_leader(code)
    error(desk("lanhdao.viettri").upload(f"/dossiers/{code}/result", {"file": upload("d.docx", image_bytes())}),
          415, "unsupported_type")
    assert desk("lanhdao.viettri").get(f"/dossiers/{code}/result").status_code == 404


def test_reception_adds_the_unit_seal(signing, desk):
    code, result = _resolve_with_draft(desk, draft=pdf_bytes())
    before = _download(desk, "tiepnhan.viettri", code, result["id"])
    error(desk("chuyenvien.viettri").post(f"/dossiers/{code}/result/seal"), 403, "forbidden")
    r = desk("tiepnhan.viettri").post(f"/dossiers/{code}/result/seal")
    assert r.status_code == 200, r.content
    sealed = r.json()
    assert sealed["id"] == result["id"] and sealed["sha256"] != result["sha256"]
    assert sealed["signature"]["signer"] == "Đặng Văn Hùng" and sealed["signature"]["intact"] is True
    data = _download(desk, "tiepnhan.viettri", code, result["id"])
    assert data.startswith(before)  # the seal is an incremental update: the leader's signature stays intact
    check = _verify(data)
    assert check["intact"] and check["trusted"] and check["dossier"] == code
    assert [s["name"] for s in check["signers"]] == ["Đặng Văn Hùng", "Trung tâm Phục vụ hành chính công phường Việt Trì"]
    error(desk("tiepnhan.viettri").post(f"/dossiers/{code}/result/seal"), 409, "already_sealed")
    assert "Văn bản hợp lệ" in Client().get(f"/xac-thuc/{result['id']}/").content.decode()


def test_public_verification_is_rate_limited(files_dir, settings):
    settings.MOTCUA = {**settings.MOTCUA, "PUBLIC_VERIFICATIONS_PER_MINUTE": 2}
    client = Client()
    for _ in range(2):
        assert client.post("/api/v1/verify", {"file": upload("a.pdf", pdf_bytes())}).status_code == 200
    error(client.post("/api/v1/verify", {"file": upload("a.pdf", pdf_bytes())}), 429, "rate_limited")
    assert client.post("/xac-thuc/", {"file": upload("a.pdf", pdf_bytes())}).status_code == 429


def test_check_pdf_works_inside_a_running_event_loop(signing, desk):
    """ASGI callers run inside an event loop; validation must still see an intact, trusted signature."""
    import asyncio

    from motcua.documents.verification import check_pdf

    code, result = _resolve_with_draft(desk, draft=pdf_bytes())
    data = _download(desk, "tiepnhan.viettri", code, result["id"])

    async def check() -> object:
        return check_pdf(data)

    outcome = asyncio.run(check())
    assert outcome.signed and outcome.intact and outcome.trusted
