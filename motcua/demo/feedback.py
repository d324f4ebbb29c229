"""The demo's ratings and petitions (phản ánh, kiến nghị): a few finished dossiers rated from the
QR code and the kiosk, and petitions in every state, made through the same services as live ones.
Nguyễn Văn An's returned birth registration is left unrated so that the demo citizen can rate it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from motcua.accounts.models import User
from motcua.accounts.selectors import Actor, actor_for
from motcua.core import clock
from motcua.dossiers.services import ApplicantData, dossier_create, dossier_perform
from motcua.feedback.models import Petition, Rating
from motcua.feedback.services import Contact, petition_create, petition_perform, rating_submit

VIET_TRI = "000.01.31.H45"
VINH_YEN = "000.01.32.H45"


def _moment(days_ago: int, hour: int, minute: int = 15) -> datetime:
    """A working-day moment `days_ago` calendar days back (weekends stepped over backwards)."""
    moment = (clock.now() - timedelta(days=days_ago)).replace(hour=hour, minute=minute, second=0, microsecond=0)
    while moment.weekday() >= 5:
        moment -= timedelta(days=1)
    return moment


def _who(username: str) -> Actor:
    return actor_for(User.objects.get(username=username))


def _returned(unit: str, names: tuple[str, str, str], applicant: ApplicantData, procedure: str, t: datetime) -> str:
    desk, specialist, leader = (_who(n) for n in names)
    d = dossier_create(actor=desk, procedure_code=procedure, channel="direct", receiving_unit_code=unit,
                       applicant=applicant, at=t)
    dossier_perform(actor=desk, code=d.code, action="forward", body={}, at=t + timedelta(minutes=15))
    dossier_perform(actor=specialist, code=d.code, action="forward", body={"note": "Đủ điều kiện"},
                    at=t + timedelta(hours=1))
    dossier_perform(actor=leader, code=d.code, action="resolve", body={"decision": "approved"},
                    at=t + timedelta(hours=2))
    dossier_perform(actor=desk, code=d.code, action="return", body={}, at=t + timedelta(hours=3))
    return d.code


def _rate(code: str, overall: str, levels: tuple[str, str, str], comment: str, channel: str, at: datetime,
          kiosk: str = "") -> None:
    rating_submit(actor=Actor(user=None), code=code, overall=overall, verify="5678", channel=channel, kiosk=kiosk,
                  criteria=dict(zip(("attitude", "timeliness", "clarity"), levels, strict=True)), comment=comment,
                  at=at)


def seed_ratings() -> int:
    viet_tri = ("tiepnhan.viettri", "chuyenvien.viettri", "lanhdao.viettri")
    vinh_yen = ("tiepnhan.vinhyen", "chuyenvien.vinhyen", "lanhdao.vinhyen")
    rated = [
        (VIET_TRI, viet_tri, "Phạm Thị Lan", "1.001193", 12, "very_satisfied",
         ("very_satisfied", "very_satisfied", "satisfied"), "Cán bộ hướng dẫn rất tận tình.", "kiosk"),
        (VIET_TRI, viet_tri, "Hoàng Văn Nam", "2.000815", 8, "satisfied",
         ("satisfied", "satisfied", "satisfied"), "", "qr"),
        (VINH_YEN, vinh_yen, "Đỗ Thị Mai", "1.001193", 10, "dissatisfied",
         ("satisfied", "dissatisfied", "dissatisfied"), "Phải đi lại hai lần vì hướng dẫn chưa rõ.", "qr"),
        (VINH_YEN, vinh_yen, "Vũ Văn Tâm", "1.001193", 6, "satisfied",
         ("very_satisfied", "satisfied", "satisfied"), "", "kiosk"),
    ]
    for unit, names, name, procedure, days, overall, levels, comment, channel in rated:
        t = _moment(days, 8)
        code = _returned(unit, names, ApplicantData(name=name, phone="0905125678"), procedure, t)
        _rate(code, overall, levels, comment, channel, t + timedelta(hours=4),
              kiosk=unit if channel == "kiosk" else "")
    return len(rated)


PETITIONS: list[dict[str, Any]] = [
    {"title": "Đề nghị bố trí thêm ghế chờ tại Bộ phận một cửa",
     "content": "Buổi sáng thứ Hai người dân phải đứng chờ rất lâu vì thiếu ghế. Đề nghị bố trí thêm ghế chờ.",
     "category": "other", "unit": VIET_TRI, "days": 0, "steps": []},
    {"title": "Chưa nhận được kết quả đúng ngày hẹn",
     "content": "Tôi nộp hồ sơ chứng thực, giấy hẹn ghi trả trong ngày nhưng đến nay chưa nhận được kết quả.",
     "category": "dossier", "unit": VINH_YEN, "days": 8, "steps": []},
    {"title": "Phản ánh việc thu phí sao y bản chính",
     "content": "Cán bộ thu phí sao y cao hơn mức niêm yết. Liên hệ tôi qua số 0912 777 888.",
     "category": "conduct", "unit": VIET_TRI, "days": 3,
     "steps": [("tiepnhan.viettri", "request-info", {"note": "Đề nghị ông/bà cho biết ngày nộp hồ sơ và số biên lai."})]},
    {"title": "Kiến nghị niêm yết mẫu tờ khai đăng ký khai sinh tại quầy",
     "content": "Đề nghị niêm yết mẫu tờ khai đã điền sẵn để người dân tham khảo.", "category": "procedure",
     "unit": VIET_TRI, "days": 4, "citizen": "025090000123",
     "steps": [("tiepnhan.viettri", "accept", {})]},
    {"title": "Hướng dẫn nộp hồ sơ khai sinh trực tuyến chưa rõ",
     "content": "Trang nộp hồ sơ không nói rõ cần tải lên giấy chứng sinh bản gốc hay bản chụp.",
     "category": "procedure", "unit": VIET_TRI, "days": 9,
     "steps": [("tiepnhan.viettri", "accept", {}),
               ("chuyenvien.viettri", "answer", {"public": True, "answer":
                "Người nộp tải lên bản chụp hoặc bản quét giấy chứng sinh; bản gốc xuất trình khi nhận kết quả. "
                "Trung tâm đã bổ sung hướng dẫn trên trang thủ tục."})]},
    {"title": "Thời gian chờ gọi số buổi sáng quá lâu",
     "content": "Ngày thứ Hai tôi chờ hơn một giờ mới được gọi số. Đề nghị tăng quầy tiếp nhận buổi sáng.",
     "category": "other", "unit": VIET_TRI, "days": 20,
     "steps": [("tiepnhan.viettri", "accept", {}),
               ("lanhdao.viettri", "answer", {"public": True, "answer":
                "Từ tháng này Trung tâm mở thêm một quầy tiếp nhận vào sáng thứ Hai và thứ Ba. Cảm ơn ông/bà đã "
                "phản ánh."}),
               ("lanhdao.viettri", "publish", {})]},
    {"title": "Thái độ tiếp dân của cán bộ quầy hộ tịch",
     "content": "Cán bộ quầy hộ tịch trả lời cộc lốc, không hướng dẫn đầy đủ giấy tờ cần bổ sung.",
     "category": "conduct", "unit": VINH_YEN, "days": 25,
     "steps": [("tiepnhan.vinhyen", "accept", {}),
               ("lanhdao.vinhyen", "answer", {"public": True, "answer":
                "Trung tâm đã kiểm điểm, nhắc nhở cán bộ và tổ chức tập huấn kỹ năng giao tiếp. Xin lỗi ông/bà vì "
                "sự phiền hà."}),
               ("lanhdao.vinhyen", "publish", {})]},
    {"title": "Đề nghị giảm lệ phí cấp phép xây dựng",
     "content": "Đề nghị giảm lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ.", "category": "procedure",
     "unit": VIET_TRI, "days": 6,
     "steps": [("tiepnhan.viettri", "refuse", {"reason": "Mức lệ phí do Hội đồng nhân dân tỉnh quyết định; "
                                                           "kiến nghị đã được chuyển lời tới Sở Tài chính."})]},
    {"title": "Hỏi về thời hạn cấp lại giấy khai sinh",
     "content": "Tôi làm mất giấy khai sinh, xin hỏi thủ tục cấp bản sao mất bao lâu?", "category": "other",
     "unit": VINH_YEN, "days": 14,
     "steps": [("tiepnhan.vinhyen", "accept", {}),
               ("chuyenvien.vinhyen", "answer", {"public": False, "answer":
                "Cấp bản sao trích lục khai sinh được giải quyết trong ngày nếu nộp trước 15 giờ."})]},
]


def seed_petitions() -> int:
    senders = [("Lê Thị Hồng", "0977123456"), ("Trịnh Văn Đức", "0912777888"), ("Mai Thị Thảo", "0988234567")]
    for i, item in enumerate(PETITIONS):
        t = _moment(item["days"], 9, 10 + i) if item["days"] else clock.now()
        citizen = item.get("citizen")
        actor = _who(citizen) if citizen else Actor(user=None)
        name, phone = senders[i % len(senders)]
        p = petition_create(actor=actor, category=item["category"], title=item["title"], content=item["content"],
                            unit_code=item["unit"], contact=None if citizen else Contact(name=name, phone=phone),
                            channel="portal", at=t)
        for n, (username, action, body) in enumerate(item["steps"], start=1):
            petition_perform(actor=_who(username), petition_id=p.pk, action=action, body=body,
                             at=t + timedelta(hours=n))
    return len(PETITIONS)


def seed_feedback() -> int:
    """Idempotent: nothing is added once the demo has ratings or petitions."""
    if Rating.objects.exists() or Petition.objects.exists():
        return 0
    return seed_ratings() + seed_petitions()
