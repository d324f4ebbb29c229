"""The demo province: Tỉnh Phú Thọ after the 2025 reform, its centres, two departments, three
communes, officials for every role, two citizens, the catalogue and a few dossiers."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from motcua.accounts.models import Membership, User, UserKind
from motcua.accounts.selectors import actor_for, system_actor
from motcua.calendar.services import calendar_load_defaults
from motcua.catalog.services import procedure_import_file
from motcua.core import clock
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import ApplicantData, dossier_create, dossier_perform
from motcua.units.models import Unit

PASSWORD = "motcua-demo"

# Units with a function: workflow steps written "@police" / "@social_insurance" go to the nearest one.
FUNCTION_UNITS: list[tuple[str, str, str, str, str]] = [
    ("000.02.31.H45", "Công an phường Việt Trì", "department", "000.00.31.H45", "police"),
    ("000.02.32.H45", "Công an phường Vĩnh Yên", "department", "000.00.32.H45", "police"),
    ("000.02.33.H45", "Công an xã Lạc Sơn", "department", "000.00.33.H45", "police"),
    ("000.00.40.H45", "Bảo hiểm xã hội tỉnh Phú Thọ", "department", "000.00.00.H45", "social_insurance"),
]

UNITS: list[tuple[str, str, str, str | None]] = [
    ("000.00.00.H45", "Ủy ban nhân dân tỉnh Phú Thọ", "province", None),
    ("000.00.01.H45", "Trung tâm Phục vụ hành chính công tỉnh Phú Thọ", "centre", "000.00.00.H45"),
    ("000.00.12.H45", "Sở Tư pháp tỉnh Phú Thọ", "department", "000.00.00.H45"),
    ("000.00.15.H45", "Sở Xây dựng tỉnh Phú Thọ", "department", "000.00.00.H45"),
    ("000.00.31.H45", "Ủy ban nhân dân phường Việt Trì", "commune", "000.00.00.H45"),
    ("000.01.31.H45", "Trung tâm Phục vụ hành chính công phường Việt Trì", "centre", "000.00.31.H45"),
    ("000.00.32.H45", "Ủy ban nhân dân phường Vĩnh Yên", "commune", "000.00.00.H45"),
    ("000.01.32.H45", "Trung tâm Phục vụ hành chính công phường Vĩnh Yên", "centre", "000.00.32.H45"),
    ("000.00.33.H45", "Ủy ban nhân dân xã Lạc Sơn", "commune", "000.00.00.H45"),
    ("000.01.33.H45", "Trung tâm Phục vụ hành chính công xã Lạc Sơn", "centre", "000.00.33.H45"),
]

# username, full name, unit, roles
OFFICIALS: list[tuple[str, str, str, list[str]]] = [
    ("giamsat.tinh", "Đỗ Thị Hạnh", "000.00.00.H45", ["supervisor"]),
    ("tiepnhan.tinh", "Lê Thị Mai", "000.00.01.H45", ["reception"]),
    ("chuyenvien.stp", "Phạm Văn Dũng", "000.00.12.H45", ["specialist"]),
    ("lanhdao.stp", "Hoàng Văn Thắng", "000.00.12.H45", ["leader"]),
    ("tiepnhan.stp", "Vũ Thị Lan", "000.00.12.H45", ["reception"]),
    ("chuyenvien.sxd", "Ngô Quang Huy", "000.00.15.H45", ["specialist"]),
    ("lanhdao.sxd", "Bùi Đức Long", "000.00.15.H45", ["leader"]),
    ("tiepnhan.viettri", "Nguyễn Thị Thu", "000.01.31.H45", ["reception"]),
    ("chuyenvien.viettri", "Trần Minh Quân", "000.01.31.H45", ["specialist"]),
    ("lanhdao.viettri", "Đặng Văn Hùng", "000.01.31.H45", ["leader"]),
    ("giamsat.viettri", "Phan Thị Hoa", "000.00.31.H45", ["supervisor"]),
    ("congan.viettri", "Hà Văn Kiên", "000.02.31.H45", ["specialist", "leader"]),
    ("congan.vinhyen", "Mạc Thị Yến", "000.02.32.H45", ["specialist", "leader"]),
    ("congan.lacson", "Lương Văn Bảo", "000.02.33.H45", ["specialist", "leader"]),
    ("chuyenvien.bhxh", "Kiều Thị Phương", "000.00.40.H45", ["specialist"]),
    ("lanhdao.bhxh", "Nghiêm Xuân Trường", "000.00.40.H45", ["leader"]),
    ("tiepnhan.vinhyen", "Lý Thị Ngọc", "000.01.32.H45", ["reception"]),
    ("chuyenvien.vinhyen", "Cao Văn Sơn", "000.01.32.H45", ["specialist"]),
    ("lanhdao.vinhyen", "Tạ Quang Vinh", "000.01.32.H45", ["leader"]),
    ("tiepnhan.lacson", "Bùi Thị Nhung", "000.01.33.H45", ["reception"]),
    ("chuyenvien.lacson", "Quách Văn Tùng", "000.01.33.H45", ["specialist"]),
    ("lanhdao.lacson", "Đinh Công Thành", "000.01.33.H45", ["leader"]),
]

CITIZENS: list[dict[str, Any]] = [
    {"id_number": "025090000123", "full_name": "Nguyễn Văn An", "phone": "0912345678", "email": "an@example.vn",
     "address": "Phường Việt Trì, tỉnh Phú Thọ", "birth_date": "1990-05-12"},
    {"id_number": "025195000456", "full_name": "Trần Thị Bình", "phone": "0987654321", "email": "binh@example.vn",
     "address": "Xã Lạc Sơn, tỉnh Phú Thọ", "birth_date": "1995-09-02"},
]


def _user(username: str, full_name: str, **extra: Any) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=full_name, **extra)
        user.set_password(PASSWORD)
        user.save()
    return user


@transaction.atomic
def seed_units_and_people() -> dict[str, int]:
    created_units = 0
    for code, name, level, parent in UNITS:
        _, created = Unit.objects.get_or_create(
            code=code, defaults={"name": name, "level": level,
                                 "parent": Unit.objects.get(code=parent) if parent else None})
        created_units += int(created)
    for code, name, level, parent, function in FUNCTION_UNITS:
        _, created = Unit.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "function": function,
                                 "parent": Unit.objects.get(code=parent)})
        created_units += int(created)
    admin = _user("admin", "Quản trị hệ thống", is_superuser=True, is_staff=True, kind=UserKind.OFFICIAL)
    Membership.objects.get_or_create(user=admin, unit=Unit.objects.get(code="000.00.00.H45"), role="admin")
    for username, full_name, unit_code, roles in OFFICIALS:
        user = _user(username, full_name, kind=UserKind.OFFICIAL, email=f"{username}@phutho.gov.vn")
        for role in roles:
            Membership.objects.get_or_create(user=user, unit=Unit.objects.get(code=unit_code), role=role)
    for c in CITIZENS:
        _user(c["id_number"], c["full_name"], kind=UserKind.CITIZEN, id_number=c["id_number"], phone=c["phone"],
              email=c["email"], address=c["address"], birth_date=c["birth_date"])
    return {"units": created_units}


def _working_moment(days_ago: int, hour: int) -> datetime:
    base = clock.now() - timedelta(days=days_ago)
    moment = base.replace(hour=hour, minute=15, second=0, microsecond=0)
    while moment.weekday() >= 5:
        moment -= timedelta(days=1)
    return moment


def seed_dossiers() -> int:
    """A handful of dossiers in different statuses, made through the same services as live ones."""
    if Dossier.objects.exists():
        return 0
    an = actor_for(User.objects.get(username="025090000123"))
    binh = actor_for(User.objects.get(username="025195000456"))
    desk = actor_for(User.objects.get(username="tiepnhan.viettri"))
    specialist = actor_for(User.objects.get(username="chuyenvien.viettri"))
    leader = actor_for(User.objects.get(username="lanhdao.viettri"))
    lacson = actor_for(User.objects.get(username="tiepnhan.lacson"))
    made = 0
    # 1. Submitted online, waiting to be checked.
    dossier_create(actor=an, procedure_code="1.001193", channel="online", receiving_unit_code="000.01.31.H45",
                   result_delivery="online", at=_working_moment(0, 8) if clock.now().hour >= 8 else None)
    made += 1
    # 2. Walk-in birth registration, handled and returned.
    t = _working_moment(9, 8)
    d = dossier_create(actor=desk, procedure_code="1.001193", channel="direct", receiving_unit_code="000.01.31.H45",
                       applicant=ApplicantData(name="Nguyễn Văn An", id_number="025090000123",
                                               phone="0912345678", address="Phường Việt Trì, tỉnh Phú Thọ"), at=t)
    dossier_perform(actor=desk, code=d.code, action="forward", body={"note": "Chuyển thẩm định"},
                    at=t + timedelta(minutes=20))
    dossier_perform(actor=specialist, code=d.code, action="forward", body={"note": "Đủ điều kiện"},
                    at=t + timedelta(hours=2))
    dossier_perform(actor=leader, code=d.code, action="resolve", body={"decision": "approved"},
                    at=t + timedelta(hours=3))
    dossier_perform(actor=desk, code=d.code, action="return", body={}, at=t + timedelta(hours=6))
    made += 1
    # 3. Online marriage registration accepted, then a supplement requested.
    t = _working_moment(3, 9)
    d = dossier_create(actor=binh, procedure_code="1.000894", channel="online", receiving_unit_code="000.01.33.H45",
                       at=t)
    dossier_perform(actor=lacson, code=d.code, action="request-supplement",
                    body={"reason": "Thiếu giấy xác nhận tình trạng hôn nhân",
                          "items": [{"name": "Giấy xác nhận tình trạng hôn nhân"}]}, at=t + timedelta(hours=1))
    made += 1
    # 4. Walk-in certification waiting for the specialist.
    t = _working_moment(0, 7) if clock.now().hour >= 8 else _working_moment(1, 10)
    d = dossier_create(actor=desk, procedure_code="2.000815", channel="direct", receiving_unit_code="000.01.31.H45",
                       applicant=ApplicantData(name="Lê Văn Cường", phone="0901234567"), at=t)
    dossier_perform(actor=desk, code=d.code, action="forward", body={}, at=t + timedelta(minutes=10))
    made += 1
    return made


def seed_signing_credentials(key_type: str = "rsa") -> int:
    """The demo CA and a PKCS#12 certificate for every demo leader (files under DATA_DIR/pki, the
    root trusted for verification); idempotent. Returns the number of credentials created."""
    from motcua.documents.models import SigningCredential
    from motcua.documents.pki import DemoSigner, demo_pki_ensure, p12_summary
    from motcua.documents.verification import pki_dir

    units = dict(Unit.objects.values_list("code", "name"))
    signers = [DemoSigner(username, full_name, units.get(unit_code, ""), f"{username}@phutho.gov.vn")
               for username, full_name, unit_code, roles in OFFICIALS if "leader" in roles]
    pki = demo_pki_ensure(pki_dir(), signers, passphrase=PASSWORD, key_type=key_type)
    made = 0
    for username, path in pki.p12.items():
        user = User.objects.get(username=username)
        if SigningCredential.objects.filter(user=user, pkcs12_path=str(path)).exists():
            continue
        subject, valid_until = p12_summary(path, PASSWORD)
        SigningCredential.objects.create(user=user, kind="pkcs12", label="Chứng thư ký số demo", pkcs12_path=str(path),
                                         passphrase=PASSWORD, subject=subject, valid_until=valid_until)
        made += 1
    return made


def seed_all() -> dict[str, int]:
    result = seed_units_and_people()
    result["calendar_days"] = calendar_load_defaults()
    published, _skipped = procedure_import_file(actor=system_actor())
    result["procedures"] = published
    result["signing_credentials"] = seed_signing_credentials()
    result["dossiers"] = seed_dossiers()
    from .feedback import seed_feedback

    result["feedback"] = seed_feedback()
    from .queue import seed_queue_setup, seed_queue_tickets

    result["queue"] = seed_queue_setup()
    result["tickets"] = seed_queue_tickets()
    return result
