"""Sample data for every form, for the PNG previews in docs/forms/ (render_form_samples). It mirrors
a dossier of the demo province received at a commune centre and handled by a department."""

from __future__ import annotations

from datetime import date, datetime

from motcua.core.clock import VN_TZ

from .data import (
    Agency,
    Apology,
    Applicant,
    BookRow,
    ControlRow,
    ControlSlip,
    FormData,
    Header,
    ReceiptSlip,
    Refusal,
    SubmittedDocument,
    SupplementItem,
    SupplementRequest,
    TrackingBook,
)


def _t(day: int, hour: int, minute: int, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=VN_TZ)


DESK = Agency(name="Trung tâm Phục vụ hành chính công phường Việt Trì", parent_name="Ủy ban nhân dân phường Việt Trì")
DEPARTMENT = Agency(name="Sở Tư pháp tỉnh Phú Thọ", parent_name="Ủy ban nhân dân tỉnh Phú Thọ", desk=False)
APPLICANT = Applicant(name="Nguyễn Văn An", address="Phường Việt Trì, tỉnh Phú Thọ", phone="0912345678",
                      email="an@example.vn", id_number="025090000123")
CODE = "000.01.31.H45-260302-0007"
REQUEST = "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam"
PLACE = "Phú Thọ"


def sample_forms() -> dict[str, FormData]:
    received, due = _t(2, 8, 15), _t(16, 8, 15)
    return {
        "mau-01": ReceiptSlip(
            header=Header(agency=DESK, place=PLACE, issued_at=received), code=CODE, applicant=APPLICANT,
            request=REQUEST,
            documents=[
                SubmittedDocument("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "original", 1),
                SubmittedDocument("Bản chụp thẻ Căn cước hoặc Hộ chiếu của người được cấp Phiếu", "copy", 1),
            ],
            sets=1, time_limit="10 ngày làm việc", received_at=received, due_at=due,
            result_place="Bộ phận tiếp nhận và trả kết quả, Trung tâm Phục vụ hành chính công phường Việt Trì",
            book_number="2026", book_sequence=7, receiver_name="Nguyễn Thị Thu",
            lookup_url=f"http://127.0.0.1:8000/tra-cuu/?code={CODE}", channel="direct",
            rating_url=f"http://127.0.0.1:8000/danh-gia/?ma={CODE}",
        ),
        "mau-02": SupplementRequest(
            header=Header(agency=DESK, place=PLACE, issued_at=_t(3, 9, 40), number="3/HDHS"), code=CODE,
            applicant=APPLICANT, request=REQUEST,
            items=[SupplementItem("Bản chụp thẻ Căn cước hoặc Hộ chiếu của người được cấp Phiếu", photocopy=1,
                                  note="Bản chụp bị mờ, không đọc được số định danh")],
            reason="Giấy tờ tùy thân nộp kèm không rõ thông tin", officer_name="Phạm Văn Dũng",
            officer_unit="Sở Tư pháp tỉnh Phú Thọ", officer_phone="02103846123",
            officer_email="chuyenvien.stp@phutho.gov.vn",
        ),
        "mau-03": Refusal(
            header=Header(agency=DESK, place=PLACE, issued_at=_t(2, 8, 5)), code="000.01.31.H45-260302-0006",
            applicant=APPLICANT, request="Đăng ký khai sinh",
            reason="Việc khai sinh đã được đăng ký tại Ủy ban nhân dân xã Lạc Sơn; đề nghị cấp bản sao trích lục.",
            officer_name="Nguyễn Thị Thu",
            contact="Trung tâm Phục vụ hành chính công phường Việt Trì, điện thoại 02103812345",
        ),
        "mau-04": Apology(
            header=Header(agency=DEPARTMENT, place=PLACE, issued_at=_t(13, 10, 0), number="1/PXL"), code=CODE,
            applicant=APPLICANT, request=REQUEST, agency_name="Sở Tư pháp tỉnh Phú Thọ", received_at=received,
            original_due_at=_t(17, 10, 5), reason="Chờ kết quả xác minh của cơ quan Công an",
            new_due_at=_t(20, 16, 0), signer_name="Hoàng Văn Thắng",
        ),
        "mau-05": ControlSlip(
            header=Header(agency=DESK, place=PLACE, issued_at=_t(18, 9, 30)), code=CODE, applicant=APPLICANT,
            request=REQUEST, received_at=received, due_at=due, new_due_at=_t(20, 16, 0),
            handling_unit="Sở Tư pháp tỉnh Phú Thọ", coordinating_units=[],
            rows=[
                ControlRow("Trung tâm Phục vụ hành chính công phường Việt Trì", "Sở Tư pháp tỉnh Phú Thọ", _t(2, 10, 0),
                           "Đúng hạn", "", "Nguyễn Thị Thu", "Phạm Văn Dũng", "Tiếp nhận hồ sơ"),
                ControlRow("Sở Tư pháp tỉnh Phú Thọ", "Trung tâm Phục vụ hành chính công phường Việt Trì",
                           _t(3, 9, 40), "", "Yêu cầu bổ sung: Giấy tờ tùy thân nộp kèm không rõ thông tin",
                           "Phạm Văn Dũng", "Nguyễn Thị Thu"),
                ControlRow("Tổ chức, cá nhân: Nguyễn Văn An", "Sở Tư pháp tỉnh Phú Thọ", _t(4, 14, 10), "",
                           "Đã bổ sung hồ sơ", "Nguyễn Văn An", "Phạm Văn Dũng"),
                ControlRow("Sở Tư pháp tỉnh Phú Thọ", "Sở Tư pháp tỉnh Phú Thọ", _t(12, 16, 20), "Quá hạn", "",
                           "Phạm Văn Dũng", "Phạm Văn Dũng", "Tra cứu, xác minh thông tin lý lịch tư pháp"),
                ControlRow("Sở Tư pháp tỉnh Phú Thọ", "Sở Tư pháp tỉnh Phú Thọ", _t(16, 9, 0), "Trước hạn", "",
                           "Phạm Văn Dũng", "Hoàng Văn Thắng", "Lập Phiếu lý lịch tư pháp"),
                ControlRow("Sở Tư pháp tỉnh Phú Thọ", "Trung tâm Phục vụ hành chính công phường Việt Trì",
                           _t(17, 15, 0), "Trước hạn", "Đồng ý", "Hoàng Văn Thắng", "Nguyễn Thị Thu",
                           "Lãnh đạo ký Phiếu lý lịch tư pháp"),
                ControlRow("Trung tâm Phục vụ hành chính công phường Việt Trì", "Tổ chức, cá nhân: Nguyễn Văn An",
                           _t(18, 8, 30), "Đúng hạn", "", "Nguyễn Thị Thu", "Nguyễn Văn An", "Trả kết quả"),
            ],
        ),
        "mau-06": TrackingBook(
            header=Header(agency=DESK, place=PLACE, issued_at=_t(31, 16, 0)), unit_code="000.01.31.H45",
            period_from=date(2026, 3, 1), period_to=date(2026, 3, 31), book_number="2026",
            rows=[
                BookRow(6, "000.01.31.H45-260302-0005", "Đăng ký khai sinh", 1, "Trần Thị Bình",
                        "Xã Lạc Sơn, tỉnh Phú Thọ; 0987654321", "Trung tâm Phục vụ hành chính công phường Việt Trì",
                        _t(2, 7, 40), _t(3, 7, 40), _t(2, 8, 0), _t(2, 14, 30), _t(2, 15, 10)),
                BookRow(7, CODE, REQUEST, 1, "Nguyễn Văn An", "Phường Việt Trì, tỉnh Phú Thọ; 0912345678",
                        "Sở Tư pháp tỉnh Phú Thọ", received, due, _t(2, 10, 0), _t(17, 15, 0), _t(18, 8, 30),
                        "Đã xin lỗi, hẹn lại 20/3/2026"),
                BookRow(8, "000.01.31.H45-260305-0001", "Chứng thực bản sao từ bản chính giấy tờ, văn bản", 2,
                        "Lê Văn Cường", "0901234567", "Trung tâm Phục vụ hành chính công phường Việt Trì",
                        _t(5, 9, 0), _t(5, 17, 0), _t(5, 9, 10)),
            ],
        ),
    }
