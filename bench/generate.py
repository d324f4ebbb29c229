#!/usr/bin/env python
"""Generate a realistic province into PostgreSQL for the benchmarks.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench \\
        .venv/bin/python bench/generate.py --reset --dossiers 1000000

1 province, its centre, 20 departments, 100 communes with their centres, 200 procedures in 20
fields, ~800 officials, 5,000 citizen accounts, and N dossiers over the two years before `--end`
with their events, routes, pauses, fees and attachment rows. Distributions follow what provincial
systems report: most dossiers at commune centres, popular procedures (Zipf), ~45 % online where
the procedure allows it, ~8 % with a supplement request, fees paid before the result, ~6 % late,
2 % withdrawn, 1 % stopped, 2 % of online submissions refused; due dates, pauses and outcomes use
the real working calendar (Tết included).

Small tables go through the ORM (procedures through the catalogue service); the big ones through
`COPY` from worker processes (one per core by default) with foreign-key triggers off and the
secondary indexes dropped during the load and rebuilt at the end. Not a test: run on purpose, into
a dedicated database (`--reset` drops and re-creates it).
"""

from __future__ import annotations

import argparse
import importlib
import io
import json
import multiprocessing as mp
import os
import random
import sys
import time
import uuid
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import accumulate
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    ADMIN,
    DEFAULT_URL,
    PASSWORD,
    PROVINCE_CENTRE_CODE,
    PROVINCE_CODE,
    SUPERVISOR,
    commune_centre_code,
    commune_code,
    department_code,
    log,
    reception,
    setup_django,
    specialist,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
N_DEPARTMENTS = 20
N_COMMUNES = 100
N_PROCEDURES = 200
N_CITIZENS = 5000
BIG_TABLES = ("dossiers_dossier", "dossiers_dossierroute", "dossiers_dossierpause", "dossiers_dossierfee",
              "dossiers_dossierevent", "dossiers_attachment", "dossiers_dossiercounter")

FIELDS = [
    ("HOTICH", "Hộ tịch"), ("CHUNGTHUC", "Chứng thực"), ("CUTRU", "Đăng ký, quản lý cư trú"),
    ("DATDAI", "Đất đai"), ("XAYDUNG", "Hoạt động xây dựng"), ("HKD", "Thành lập và hoạt động của hộ kinh doanh"),
    ("LAODONG", "Lao động, tiền lương"), ("BTXH", "Bảo trợ xã hội"), ("NCC", "Người có công"),
    ("GIAODUC", "Giáo dục và đào tạo"), ("YTE", "Y tế"), ("GTVT", "Đường bộ"), ("LLTP", "Lý lịch tư pháp"),
    ("MOITRUONG", "Môi trường"), ("NONGNGHIEP", "Trồng trọt và bảo vệ thực vật"), ("VANHOA", "Văn hóa"),
    ("DKKD", "Thành lập và hoạt động của doanh nghiệp"), ("DAUTU", "Đầu tư tại Việt Nam"),
    ("THUYLOI", "Thủy lợi"), ("TONGIAO", "Tín ngưỡng, tôn giáo"),
]
DEPARTMENTS = [
    "Sở Tư pháp", "Sở Xây dựng", "Sở Nội vụ", "Sở Tài chính", "Sở Công Thương", "Sở Nông nghiệp và Môi trường",
    "Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Văn hóa, Thể thao và Du lịch", "Sở Khoa học và Công nghệ",
    "Sở Dân tộc và Tôn giáo", "Sở Ngoại vụ", "Thanh tra tỉnh", "Ban Quản lý các khu công nghiệp",
    "Công an tỉnh", "Bảo hiểm xã hội tỉnh", "Cục Thuế tỉnh", "Kho bạc Nhà nước khu vực",
    "Sở Giao thông vận tải", "Sở Lao động - Thương binh và Xã hội",
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang", "Thu", "Hoàng", "Xuân", "Kim"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương", "Khánh",
         "Lan", "Linh", "Long", "Mai", "Nam", "Ngọc", "Nhung", "Phong", "Phúc", "Quân", "Sơn", "Tâm", "Thảo",
         "Thắng", "Trang", "Trung", "Tuấn", "Vinh", "Yến"]
VERBS = ["Cấp", "Đăng ký", "Cấp lại", "Điều chỉnh", "Xác nhận", "Thẩm định", "Gia hạn", "Thay đổi"]
OBJECTS = ["giấy phép", "giấy chứng nhận", "hồ sơ", "văn bản chấp thuận", "chứng chỉ", "thông tin", "quyết định"]


_fold: Any = None


def fold(text: str) -> str:
    global _fold
    if _fold is None:
        from motcua.core.text import fold as f

        _fold = f
    return str(_fold(text))


# -- COPY helpers -----------------------------------------------------------------------------------


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _esc_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False).translate(_ESCAPES)


_ESC: dict[type, Any] = {
    str: lambda v: v.translate(_ESCAPES),
    int: str,
    datetime: datetime.isoformat,
    bool: lambda v: "t" if v else "f",
    type(None): lambda v: "\\N",
    dict: _esc_json,
    list: _esc_json,
}


def esc(value: Any) -> str:
    """A value in COPY text format."""
    fn = _ESC.get(type(value))
    return fn(value) if fn is not None else str(value).translate(_ESCAPES)


def _t(value: datetime | None) -> str:
    return "\\N" if value is None else value.isoformat()


def _n(value: int | None) -> str:
    return "\\N" if value is None else str(value)


class WorkClock:
    """Working time as an integer offset (microseconds since the first working day's opening), for
    the many hand-over instants of the generator: the same instants as `WorkCalendar`, ~10× faster.
    Due dates themselves still come from the calendar."""

    def __init__(self, cal: Any, first: date, last: date) -> None:
        self.cal = cal
        self.bounds = cal.hours.bounds
        self.per_day = sum(e - s for s, e in self.bounds)
        self.days: list[date] = []
        self.index: dict[date, int] = {}
        self.next_index: dict[date, int] = {}
        d = first
        while d <= last:
            if cal.is_working_day(d):
                self.index[d] = len(self.days)
                self.days.append(d)
            self.next_index[d] = len(self.days)  # the first working day after d
            d += timedelta(days=1)

    def offset(self, t: datetime) -> int:
        """Working time before ``t`` (a local time), ``t`` moved forward to working time."""
        d = t.date()
        i = self.index.get(d)
        if i is None:
            return self.next_index[d] * self.per_day
        us = ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond
        within = 0
        for s, e in self.bounds:
            if us <= s:
                break
            within += min(us, e) - s
        if within >= self.per_day:
            return (i + 1) * self.per_day
        return i * self.per_day + within

    def instant(self, offset: int) -> datetime:
        i, rest = divmod(offset, self.per_day)
        if rest == 0 and i > 0:  # used up exactly at a close: that close
            i, rest = i - 1, self.per_day
        d = self.days[i]
        for s, e in self.bounds:
            if rest <= e - s:
                us = s + rest
                break
            rest -= e - s
        seconds, micro = divmod(us, 1_000_000)
        return datetime(d.year, d.month, d.day, seconds // 3600, seconds // 60 % 60, seconds % 60, micro, tzinfo=VN)

    def add(self, t: datetime, amount: timedelta) -> datetime:
        return self.instant(self.offset(t) + (amount.days * 86_400 + amount.seconds) * 1_000_000
                            + amount.microseconds)


class Table:
    """COPY rows into one model's table: the given fields in order, every other column its
    model default (so the generator keeps working when a field with a default is added)."""

    def __init__(self, model: Any, given: list[str], now: datetime) -> None:
        self.table = model._meta.db_table
        fields = {f.name: f for f in model._meta.concrete_fields}
        unknown = [g for g in given if g not in fields]
        if unknown:
            raise SystemExit(f"{self.table}: unknown fields {unknown}")
        self.given = given
        rest = []
        for f in model._meta.concrete_fields:
            if f.name in given or (f.primary_key and f.name not in given and getattr(f, "auto_created", False)):
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                default: Any = now
            elif f.has_default():
                default = f.get_default()
                if isinstance(default, uuid.UUID):
                    raise SystemExit(f"{self.table}.{f.name}: give a value for a UUID default")
            elif f.null:
                default = None
            elif f.primary_key and f.get_internal_type() in {"AutoField", "BigAutoField"}:
                continue
            else:
                raise SystemExit(f"{self.table}.{f.name} is NOT NULL without a default: generate it")
            rest.append((f.column, default))
        self.columns = [fields[g].column for g in given] + [c for c, _ in rest]
        self.suffix = "".join("\t" + esc(d) for _, d in rest)
        self.buffer = io.StringIO()
        self.count = 0

    def add_line(self, line: str) -> None:
        """A row already in COPY text format (the given fields only)."""
        self.buffer.write(line)
        self.buffer.write(self.suffix)
        self.buffer.write("\n")
        self.count += 1

    def add(self, *values: Any) -> None:
        self.buffer.write("\t".join([esc(v) for v in values]))
        self.buffer.write(self.suffix)
        self.buffer.write("\n")
        self.count += 1

    def flush(self, cursor: Any) -> None:
        if not self.count:
            return
        cols = ", ".join(f'"{c}"' for c in self.columns)
        with cursor.copy(f'COPY "{self.table}" ({cols}) FROM STDIN') as copy:
            copy.write(self.buffer.getvalue())
        self.buffer = io.StringIO()
        self.count = 0


# -- the static part: units, people, catalogue (ORM) ------------------------------------------------


def reset_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not name.startswith("motcua_bench"):
        raise SystemExit("--reset only drops databases named motcua_bench*")
    admin_url = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    log(f"database {name} re-created")


def build_static(seed: int) -> dict[str, Any]:
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from motcua.accounts.models import Membership, User, UserKind
    from motcua.accounts.selectors import system_actor
    from motcua.calendar.services import calendar_load_defaults
    from motcua.catalog.schemas import ProcedureIn
    from motcua.catalog.services import procedure_publish
    from motcua.units.models import Unit

    rng = random.Random(seed)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    if Unit.objects.exists():
        raise SystemExit("the database is not empty: use --reset")
    calendar_load_defaults()

    province = Unit.objects.create(code=PROVINCE_CODE, name="Ủy ban nhân dân tỉnh Mẫu Sơn", level="province")
    centre = Unit.objects.create(code=PROVINCE_CENTRE_CODE, name="Trung tâm Phục vụ hành chính công tỉnh Mẫu Sơn",
                                 level="centre", parent=province)
    departments = [Unit.objects.create(code=department_code(i + 1), name=f"{DEPARTMENTS[i]} tỉnh Mẫu Sơn",
                                       level="department", parent=province) for i in range(N_DEPARTMENTS)]
    communes, commune_centres = [], []
    for i in range(1, N_COMMUNES + 1):
        kind = "phường" if i % 4 == 0 else "xã"
        name = f"{kind} {rng.choice(GIVEN)} {rng.choice(['Hòa', 'Sơn', 'Lâm', 'Thủy', 'Tiến', 'Phú', 'An'])} {i}"
        commune = Unit.objects.create(code=commune_code(i), name=f"Ủy ban nhân dân {name}", level="commune",
                                      parent=province)
        communes.append(commune)
        commune_centres.append(Unit.objects.create(code=commune_centre_code(i), level="centre", parent=commune,
                                                   name=f"Trung tâm Phục vụ hành chính công {name}"))

    password = make_password(PASSWORD)
    users: list[User] = []
    roles: list[tuple[str, int, str]] = []  # username, unit id, role

    def official(username: str, unit: Any, role: str) -> None:
        users.append(User(username=username, full_name=person(rng), kind=UserKind.OFFICIAL, password=password,
                          email=f"{username}@mauson.gov.vn"))
        roles.append((username, unit.pk, role))

    users.append(User(username=ADMIN, full_name="Quản trị hệ thống", kind=UserKind.OFFICIAL, password=password,
                      is_superuser=True, is_staff=True))
    roles.append((ADMIN, province.pk, "admin"))
    official(SUPERVISOR, province, "supervisor")
    official("giamsat.tinh.2", province, "supervisor")
    for n in range(1, 7):
        official(f"tiepnhan.tinh.{n}", centre, "reception")
    for i, dept in enumerate(departments, start=1):
        official(f"tiepnhan.s{i:02d}.1", dept, "reception")
        for n in range(1, 5):
            official(f"chuyenvien.s{i:02d}.{n}", dept, "specialist")
        official(f"lanhdao.s{i:02d}", dept, "leader")
    for i, (commune, cc) in enumerate(zip(communes, commune_centres, strict=True), start=1):
        official(f"giamsat.x{i:03d}", commune, "supervisor")
        for n in (1, 2):
            official(reception(i, n), cc, "reception")
        for n in (1, 2, 3):
            official(specialist(i, n), cc, "specialist")
        official(f"lanhdao.x{i:03d}", cc, "leader")
    for k in range(N_CITIZENS):
        year = 1950 + k % 55
        sex = k % 2
        id_number = f"{(k % 96) + 1:03d}{(0 if year < 2000 else 2) + sex}{year % 100:02d}{k:06d}"
        users.append(User(username=id_number, full_name=person(rng), kind=UserKind.CITIZEN, id_number=id_number,
                          password=password, phone=f"09{k:08d}", email=f"cd{k}@example.vn"))
    User.objects.bulk_create(users, batch_size=2000)
    ids = dict(User.objects.values_list("username", "id"))
    Membership.objects.bulk_create([Membership(user_id=ids[u], unit_id=unit, role=r) for u, unit, r in roles])

    actor = system_actor()
    for p in range(N_PROCEDURES):
        procedure_publish(actor=actor, data=ProcedureIn.model_validate(procedure_body(p, rng)))
    log(f"static data: {Unit.objects.count()} units, {len(users)} users, {N_PROCEDURES} procedures")
    return {}


def person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def procedure_body(p: int, rng: random.Random) -> dict[str, Any]:
    commune_level = p < 120
    field_index = p % len(FIELDS) if commune_level else (p * 7) % len(FIELDS)
    code, field_name = FIELDS[field_index]
    if commune_level:
        limit = rng.choice([{"value": 0, "unit": "working_days"}, {"value": 1, "unit": "working_days"},
                            {"value": 3, "unit": "working_days"}, {"value": 5, "unit": "working_days"},
                            {"value": 7, "unit": "working_days"}, {"value": 8, "unit": "working_hours"},
                            {"value": 15, "unit": "calendar_days"}])
        handling = "receiving"
    else:
        limit = rng.choice([{"value": 5, "unit": "working_days"}, {"value": 10, "unit": "working_days"},
                            {"value": 15, "unit": "working_days"}, {"value": 20, "unit": "working_days"},
                            {"value": 30, "unit": "calendar_days"}])
        handling = department_code(field_index % N_DEPARTMENTS + 1)
    r = rng.random()
    online_mode = "full" if r < 0.55 else ("partial" if r < 0.85 else "none")
    fees = []
    if rng.random() < 0.6:
        fees = [{"code": "LP01", "name": f"Lệ phí {field_name.lower()}", "amount": rng.choice([8000, 15000, 50000,
                 100000, 200000]), "collect_at": "result" if rng.random() < 0.2 else "receipt"}]
    return {
        "code": f"{1 + p % 3}.{100000 + p * 37:06d}",
        "name": f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} {field_name.lower()} (thủ tục {p + 1})",
        "field": {"code": code, "name": field_name},
        "level": "commune" if commune_level else "province",
        "time_limit": limit,
        "online_mode": online_mode,
        "handling_unit": handling,
        "cutoff_time": "15:00" if limit["value"] == 0 else None,
        "fees": fees,
        "documents": [{"code": f"TP{k + 1:02d}", "name": f"Thành phần hồ sơ số {k + 1}", "copy_type": "original",
                       "count": 1, "required": k == 0} for k in range(rng.randint(1, 5))],
        "description": "Thủ tục sinh ra cho kiểm thử hiệu năng.",
        "legal_basis": ["Nghị định 118/2025/NĐ-CP"],
        "result": "Văn bản kết quả giải quyết", "agency": "Cơ quan có thẩm quyền",
    }


# -- the dossiers (COPY, in worker processes) -------------------------------------------------------


@dataclass
class Proc:
    id: int
    version_id: int
    field: str
    online_mode: str
    handling_unit_id: int | None  # None: the receiving unit
    limit_value: Decimal
    limit_unit: str
    cutoff: Any
    fee: dict[str, Any] | None
    steps: list[dict[str, Any]]
    documents: list[str]


@dataclass
class World:
    now: datetime
    first_day: date
    days: int
    province_centre_id: int
    commune_centre_ids: list[int]
    unit_codes: dict[int, str]
    commune_procs: list[Proc]
    province_procs: list[Proc]
    officials: dict[tuple[int, str], list[tuple[int, str, str]]]  # (unit, role) -> [(id, username, name)]
    citizens: list[int]


def load_world(now: datetime, years: float) -> World:
    from motcua.accounts.models import Membership, UserKind
    from motcua.catalog.models import Procedure
    from motcua.units.models import Unit

    units = {u.pk: u for u in Unit.objects.all()}
    by_code = {u.code: u.pk for u in units.values()}
    procs_c, procs_p = [], []
    for p in Procedure.objects.select_related("current", "field").order_by("id"):
        v = p.current
        assert v is not None
        proc = Proc(id=p.pk, version_id=v.pk, field=p.field.code, online_mode=v.online_mode,
                    handling_unit_id=None if v.handling_unit == "receiving" else by_code[v.handling_unit],
                    limit_value=Decimal(v.time_limit_value), limit_unit=v.time_limit_unit, cutoff=v.cutoff_time,
                    fee=(v.fees or [None])[0], steps=v.workflow, documents=[d["code"] for d in v.documents])
        (procs_c if v.level == "commune" else procs_p).append(proc)
    officials: dict[tuple[int, str], list[tuple[int, str, str]]] = {}
    for m in Membership.objects.select_related("user"):
        officials.setdefault((m.unit_id, m.role), []).append((m.user_id, m.user.username, m.user.full_name))
    from motcua.accounts.models import User

    citizens = list(User.objects.filter(kind=UserKind.CITIZEN).values_list("id", flat=True))
    days = int(365 * years)
    centres = [by_code[commune_centre_code(i)] for i in range(1, N_COMMUNES + 1)]
    return World(now=now, first_day=now.date() - timedelta(days=days), days=days,
                 province_centre_id=by_code[PROVINCE_CENTRE_CODE], commune_centre_ids=centres,
                 unit_codes={pk: u.code for pk, u in units.items()}, commune_procs=procs_c, province_procs=procs_p,
                 officials=officials, citizens=citizens)


def zipf_cumulative(n: int, s: float) -> list[float]:
    return list(accumulate(1 / (k + 1) ** s for k in range(n)))


def pick(rng: random.Random, items: list[Any], cumulative: list[float]) -> Any:
    return items[bisect_right(cumulative, rng.random() * cumulative[-1])]


def day_counts(world: World, total: int, cal: Any) -> list[int]:
    """Dossiers per day: working days carry the load, days off only online submissions; volume grows
    ~15 % over the two years."""
    weights = []
    for k in range(world.days):
        d = world.first_day + timedelta(days=k)
        growth = 0.93 + 0.15 * k / max(world.days - 1, 1)
        weights.append(growth * (1.0 if cal.is_working_day(d) else 0.12))
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    missing = total - sum(counts)
    order = sorted(range(world.days), key=lambda k: -(weights[k] * scale - counts[k]))
    for k in order[:missing]:
        counts[k] += 1
    return counts


def wt(hours: float) -> timedelta:
    return timedelta(seconds=int(hours * 3600))


class Generator:
    def __init__(self, world: World, seed: int, first_id: int, tables: dict[str, Table]) -> None:
        from motcua.calendar.domain import outcome as date_outcome
        from motcua.calendar.selectors import work_calendar

        self.w = world
        self.rng = random.Random(seed)
        self.cal = work_calendar()
        self.outcome = date_outcome
        self.next_id = first_id
        self.t = tables
        self.counters: dict[tuple[int, date], int] = {}
        self.zc = zipf_cumulative(len(world.commune_procs), 1.05)
        self.zp = zipf_cumulative(len(world.province_procs), 1.05)
        self.zu = zipf_cumulative(len(world.commune_centre_ids), 0.6)
        self.clock = WorkClock(self.cal, world.first_day - timedelta(days=30), world.now.date() + timedelta(days=500))

    def official(self, unit_id: int, role: str) -> tuple[int, str, str]:
        people = self.w.officials.get((unit_id, role)) or self.w.officials[(unit_id, "reception")]
        return people[self.rng.randrange(len(people))]

    def day(self, d: date, n: int) -> None:
        rng, cal = self.rng, self.cal
        working = cal.is_working_day(d)
        moments = []
        midnight = datetime(d.year, d.month, d.day, tzinfo=VN)
        for _ in range(n):
            if working and rng.random() < 0.75:  # office hours: 07:00–11:30, 13:30–17:00
                minute = rng.randrange(0, 480)
                at = midnight + timedelta(hours=7, minutes=minute if minute < 270 else minute + 120,
                                          seconds=rng.randrange(60))
            else:  # online, any time, mostly 06:00–23:00
                at = midnight + timedelta(minutes=rng.randrange(360, 1380), seconds=rng.randrange(60))
            moments.append(at)
        moments.sort()
        for at in moments:
            self.dossier(at, working and cal.normalise_receipt(at) == at)

    def dossier(self, submitted: datetime, desk_open: bool) -> None:
        rng, cal, w, clk = self.rng, self.cal, self.w, self.clock
        if rng.random() < 0.22:
            receiving = w.province_centre_id
            proc = pick(rng, w.province_procs, self.zp)
        else:
            receiving = pick(rng, w.commune_centre_ids, self.zu)
            proc = pick(rng, w.commune_procs, self.zc)
        online_share = {"full": 0.5, "partial": 0.3, "none": 0.0}[proc.online_mode]
        online = (not desk_open and proc.online_mode != "none") or rng.random() < online_share
        if not online and not desk_open:
            # A walk-in only procedure outside office hours: the desk receives it during the same
            # day's hours, or another (online) dossier arrives on a day off. Codes stay per day.
            if cal.is_working_day(submitted.date()):
                return self.dossier(clk.add(cal.opening(submitted.date()), wt(rng.uniform(0.05, 7.9))), True)
            return self.dossier(submitted, False)
        channel = "online" if online else ("postal" if rng.random() < 0.07 else "direct")
        handling = proc.handling_unit_id or receiving
        dossier_id = self.next_id
        self.next_id += 1
        created_day = submitted.date()
        key = (receiving, created_day)
        number = self.counters.get(key, 0) + 1
        self.counters[key] = number
        code = f"{w.unit_codes[receiving]}-{created_day:%y%m%d}-{number:04d}"
        now = w.now
        events: list[str] = []
        name = person(rng)
        applicant_user = None
        if online and rng.random() < 0.35:
            applicant_user = w.citizens[rng.randrange(len(w.citizens))]
        steps = proc.steps
        rec_off = self.official(receiving, "reception")

        def event(at: datetime, action: str, frm: int | None, to: int, actor: tuple[int, str, str] | None,
                  actor_unit: int | None, from_unit: int | None, to_unit: int | None, step: int | None = None,
                  step_due: datetime | None = None, note: str = "", data: dict[str, Any] | None = None) -> None:
            step_outcome = ""
            if step_due is not None and step is not None:
                step_outcome = "late" if at > step_due else ("early" if at.date() < step_due.date() else "on_time")
            # Hot path: the line in COPY format directly (our strings hold no tab, newline or backslash).
            who = f"{actor[0]}\t{actor[1]}\t{actor[2]}" if actor else "\\N\tsystem\tHệ thống"
            events.append(
                f"{dossier_id}\t{at.isoformat()}\t{action}\t{_n(frm)}\t{to}\t{who}\t{_n(actor_unit)}\t"
                f"{_n(from_unit)}\t{_n(to_unit)}\t{steps[step]['name'] if step is not None else ''}\t"
                f"{_t(step_due)}\t{step_outcome}\t{note}\t{json.dumps(data, ensure_ascii=False) if data else '{}'}")

        status = 1 if online else 2
        citizen = (applicant_user, "", name) if applicant_user else None
        event(submitted, "create", None, status, citizen if online else rec_off, None if online else receiving,
              None, receiving, 0, None, data={"channel": channel})
        received = submitted if not online else clk.add(submitted, wt(rng.uniform(0.2, 9.0)))
        received_at = clock_start = due = original_due = finished = returned = None
        outcome = decision = ""
        paused_from = None
        supplements = apologies = 0
        step_index: int | None = 0
        step_unit: int | None = receiving
        step_started: datetime | None = submitted
        step_due: datetime | None = None
        last = submitted
        pauses: list[tuple[str, datetime, datetime | None, int | None]] = []
        fee_paid_at: datetime | None = None

        if online and received > now:
            status = 1
        elif online and rng.random() < 0.02:
            status, finished = 3, received
            event(received, "refuse", 1, 3, rec_off, receiving, receiving, None, 0, None, note="Hồ sơ không hợp lệ",
                  data={"reason": "Hồ sơ không hợp lệ"})
            step_index = step_unit = step_started = None
            last = received
        else:
            if online:
                event(received, "accept", 1, 2, rec_off, receiving, receiving, receiving, 0, None)
                status = 2
            received_at = received
            clock_start = cal.normalise_receipt(received, proc.cutoff)
            original_due = due = cal.due_at(clock_start, proc.limit_value, proc.limit_unit)
            limit_wt = timedelta(microseconds=clk.offset(due) - clk.offset(clock_start)) or wt(8)
            r = rng.random()
            share = rng.uniform(1.02, 1.9) if r < 0.065 else (rng.uniform(0.9, 1.0) if r < 0.3
                                                               else rng.uniform(0.08, 0.9))
            work = limit_wt * share
            # Hand-over points along the working time: reception → specialist → leader → end.
            t_forward = clk.add(clock_start, work * 0.1)
            t_leader = clk.add(clock_start, work * 0.8)
            t_end = clk.add(clock_start, work)
            shift = timedelta(0)
            pause_kind = None
            if rng.random() < 0.08:
                pause_kind = "supplement"
            elif proc.fee and proc.fee.get("collect_at") == "result":
                pause_kind = "payment"
            if pause_kind:
                p_start = clk.add(clock_start, work * (0.3 if pause_kind == "supplement" else 0.5))
                paused = wt(rng.uniform(2, 60) if pause_kind == "supplement" else rng.uniform(0.5, 16))
                p_end = clk.add(p_start, paused)
                shift = paused
                t_end = clk.add(t_end, paused)
                t_leader = clk.add(t_leader, paused)
            withdrawn = rng.random() < 0.02
            stopped = not withdrawn and rng.random() < 0.01
            spec = self.official(handling, "specialist")
            lead = self.official(handling, "leader")
            hours = [float(s["hours"]) for s in steps]
            step_due = clk.add(clock_start, wt(hours[0]))
            if t_forward <= now and not (withdrawn and share < 0.1):
                status = 4
                step_index, step_unit, step_started = 1, handling, t_forward
                event(t_forward, "forward", 2, 4, rec_off, receiving, receiving, handling, 0, step_due)
                step_due = clk.add(t_forward, wt(hours[1]))
                last = t_forward
            if pause_kind and p_start <= now and status == 4 and p_start >= last:
                to_status = 5 if pause_kind == "supplement" else 6
                actor = spec
                if pause_kind == "supplement":
                    supplements = 1
                    event(p_start, "request-supplement", 4, 5, actor, handling, handling, receiving, note="Bổ sung",
                          data={"reason": "Thiếu giấy tờ", "items": [{"name": "Giấy tờ bổ sung"}], "round": 1})
                else:
                    event(p_start, "request-payment", 4, 6, actor, handling, handling, receiving,
                          data={"fees": [{"code": proc.fee["code"], "amount": proc.fee["amount"]}]})
                status, paused_from, last = to_status, 4, p_start
                if p_end <= now:
                    pauses.append((pause_kind, p_start, p_end, int(shift.total_seconds())))
                    due = clk.add(due, shift)
                    original_due = due
                    if step_due is not None:
                        step_due = clk.add(step_due, shift)
                    event(p_end, "supplement" if pause_kind == "supplement" else "confirm-payment", to_status, 4,
                          rec_off, receiving, None, handling,
                          data={"paused_working_seconds": int(shift.total_seconds())})
                    status, paused_from, last = 4, None, p_end
                    if pause_kind == "payment":
                        fee_paid_at = p_end
                else:
                    pauses.append((pause_kind, p_start, None, None))
            if status == 4 and (withdrawn or stopped) and t_end <= now:
                action, new = ("withdraw", 7) if withdrawn else ("stop", 8)
                actor = rec_off if withdrawn else lead
                at = max(t_end, last)
                event(at, action, 4, new, actor, receiving if withdrawn else handling, step_unit, None,
                      note="Rút hồ sơ" if withdrawn else "Dừng xử lý", data={"reason": "Theo đề nghị"})
                status, finished, last = new, at, at
                step_index = step_unit = step_started = step_due = None
            elif status == 4 and t_leader <= now and t_leader >= last:
                event(t_leader, "forward", 4, 4, spec, handling, handling, handling, 1, step_due)
                step_index, step_started, last = 2, t_leader, t_leader
                step_due = clk.add(t_leader, wt(hours[2]))
                if t_end <= now and t_end >= last:
                    decision = "approved" if rng.random() < 0.97 else "denied"
                    event(t_end, "resolve", 4, 9, lead, handling, handling, receiving, 2, step_due,
                          data={"decision": decision})
                    status, finished, last = 9, t_end, t_end
                    step_index, step_unit, step_started = len(steps) - 1, receiving, t_end
                    step_due = clk.add(t_end, wt(hours[-1]))
                    t_return = clk.add(t_end, wt(rng.uniform(0.2, 16)))
                    if t_return <= now:
                        event(t_return, "return", 9, 10, rec_off, receiving, receiving, None, len(steps) - 1,
                              step_due)
                        status, returned, last = 10, t_return, t_return
                        step_index = step_unit = step_started = step_due = None
            if finished is not None and status in (7, 8, 9, 10):
                outcome = self.outcome(finished, original_due)
                if outcome == "late" and rng.random() < 0.4:
                    apologies = 1
                    due = finished + timedelta(days=1)
            elif status in (2, 4, 5, 6) and due < now and rng.random() < 0.3:
                apologies = 1
                due = due + timedelta(days=5)
            if proc.fee and proc.fee.get("collect_at") == "receipt":
                fee_paid_at = received

        role = steps[step_index]["role"] if step_index is not None and step_index < len(steps) else ""
        self.t["dossier"].add_line(
            f"{dossier_id}\t{code}\t{proc.id}\t{proc.version_id}\t{status}\t{channel}\t{receiving}\t{handling}\t"
            f"{_n(applicant_user)}\t{name}\t0{rng.choice('389')}{rng.randrange(10**8):08d}\t{fold(name)}\t"
            f"Thôn {rng.randrange(1, 20)}, {w.unit_codes[receiving]}\t{'online' if online else 'desk'}\t"
            f"{submitted.isoformat()}\t{_t(received_at)}\t{_t(clock_start)}\t{_t(due)}\t{_t(original_due)}\t"
            f"{_t(finished)}\t{_t(returned)}\t{outcome}\t{decision}\t{supplements}\t{_n(paused_from)}\t"
            f"{apologies}\t{_n(step_index)}\t{_n(step_unit if step_index is not None else None)}\t{role}\t"
            f"{_t(step_started if step_index is not None else None)}\t"
            f"{_t(step_due if step_index is not None else None)}\t{len(events)}\t{submitted.isoformat()}\t"
            f"{last.isoformat()}")
        event_table = self.t["event"]
        for line in events:
            event_table.add_line(line)
        self.t["route"].add(dossier_id, receiving)
        if handling != receiving:
            self.t["route"].add(dossier_id, handling)
        for kind, start, end, seconds in pauses:
            self.t["pause"].add(dossier_id, kind, start, end, seconds)
        if proc.fee and received_at is not None:
            self.t["fee"].add(dossier_id, proc.fee["code"], proc.fee["name"], proc.fee["amount"],
                              fee_paid_at is not None, fee_paid_at)
        if status != 3:
            uploader = applicant_user if online else rec_off[0]
            for doc in proc.documents[:rng.randint(1, min(3, len(proc.documents)))]:
                self.t["attachment"].add_line(
                    f"{uuid.UUID(int=rng.getrandbits(128), version=4)}\t{dossier_id}\t{doc}\tinput\t{doc}.pdf\t"
                    f"{rng.randint(40_000, 2_500_000)}\t{rng.getrandbits(256):064x}\tapplication/pdf\t"
                    f"{_n(uploader)}\t{submitted.isoformat()}\t"
                    + ("\\N\t\\N" if online else f"{rec_off[0]}\t{submitted.isoformat()}"))
            if status in (9, 10) and decision == "approved" and rng.random() < 0.75:
                self.t["attachment"].add(
                    uuid.UUID(int=rng.getrandbits(128), version=4), dossier_id, "KQ", "result", "ket-qua.pdf",
                    rng.randint(60_000, 600_000), f"{rng.getrandbits(256):064x}", "application/pdf", lead[0],
                    finished, None, None)
        return None


def table_specs(now: datetime) -> dict[str, Table]:
    from motcua.dossiers.models import Attachment, Dossier, DossierEvent, DossierFee, DossierPause, DossierRoute

    return {
        "dossier": Table(Dossier, [
            "id", "code", "procedure", "procedure_version", "status", "channel", "receiving_unit", "handling_unit",
            "applicant_user", "applicant_name", "applicant_phone", "applicant_search", "applicant_address",
            "result_delivery", "submitted_at", "received_at", "clock_start", "due_at", "original_due_at",
            "finished_at", "returned_at", "outcome", "decision", "supplement_requests", "paused_from_status",
            "apology_count", "current_step_index", "current_step_unit", "current_step_role",
            "current_step_started_at", "current_step_due_at", "row_version", "created_at", "updated_at"], now),
        "event": Table(DossierEvent, [
            "dossier", "at", "action", "from_status", "to_status", "actor", "actor_username", "actor_full_name",
            "actor_unit", "from_unit", "to_unit", "step_name", "step_due_at", "step_outcome", "note", "data"], now),
        "route": Table(DossierRoute, ["dossier", "unit"], now),
        "pause": Table(DossierPause, ["dossier", "kind", "started_at", "ended_at", "working_seconds"], now),
        "fee": Table(DossierFee, ["dossier", "code", "name", "amount", "paid", "paid_at"], now),
        "attachment": Table(Attachment, [
            "id", "dossier", "document", "kind", "name", "size", "sha256", "content_type", "uploaded_by",
            "uploaded_at", "digitised_by", "digitised_at"], now),
    }


def worker(args: tuple[Any, ...]) -> dict[str, Any]:
    """Generate the days [day_from, day_to) with ids from first_id; COPY every few thousand."""
    url, index, day_from, day_to, first_id, seed, years, now_iso, counts, done = args
    setup_django(url)
    from django.db import connection

    now = datetime.fromisoformat(now_iso)
    world = load_world(now, years)
    tables = table_specs(now)
    gen = Generator(world, seed, first_id, tables)
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
        raw = cursor.cursor
        made = 0
        for k in range(day_from, day_to):
            n = counts[k]
            gen.day(world.first_day + timedelta(days=k), n)
            made += n
            if tables["dossier"].count >= 5000 or k == day_to - 1:
                for t in tables.values():
                    t.flush(raw)
                done[index] = made
    cpu = (time.process_time(), backend_cpu(backend))
    connection.close()
    return {"counters": {(unit, str(day)): n for (unit, day), n in gen.counters.items()}, "cpu": cpu}


def backend_cpu(pid: int) -> float:
    """CPU seconds used so far by a PostgreSQL backend on this machine (0 when not readable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def drop_indexes(cursor: Any) -> list[str]:
    """Drop the secondary indexes and unique constraints of the big tables; return the SQL that
    re-creates them."""
    cursor.execute(
        """SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
           WHERE contype = 'u' AND conrelid::regclass::text = ANY(%s)""", [list(BIG_TABLES)])
    constraints = cursor.fetchall()
    cursor.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s)
           AND i.indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))""",
        [list(BIG_TABLES)])
    indexes = cursor.fetchall()
    recreate = []
    for table, name, definition in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        recreate.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for name, definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
        recreate.append(definition)
    return recreate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply --dossiers (e.g. 0.1 for 100k)")
    parser.add_argument("--years", type=float, default=2.0)
    parser.add_argument("--end", default="", help="last day (YYYY-MM-DD; 'now' is its 17:30), default now")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=766)
    parser.add_argument("--reset", action="store_true", help="drop and re-create the database first")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    url = args.database_url or os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith("postgres"):
        raise SystemExit("the generator writes PostgreSQL only (DATABASE_URL=postgres://…)")
    total = int(args.dossiers * args.scale)
    started = time.monotonic()
    if args.reset:
        reset_database(url)
    setup_django(url)
    from django.db import connection

    build_static(args.seed)
    log(f"static data in {time.monotonic() - started:.0f} s")
    if args.end:
        end = date.fromisoformat(args.end)
        now = datetime(end.year, end.month, end.day, 17, 30, tzinfo=VN)
    else:
        now = datetime.now(VN).replace(second=0, microsecond=0)
        end = now.date()
    world = load_world(now, args.years)
    from motcua.calendar.selectors import work_calendar

    counts = day_counts(world, total, work_calendar())
    with connection.cursor() as cursor:
        recreate = drop_indexes(cursor)
    connection.close()
    log(f"generating {total:,} dossiers over {world.days} days ({world.first_day} – {end}) "
        f"with {args.workers} workers")

    # Split the days into contiguous slices of equal volume: chronological ids in each slice.
    workers = max(1, args.workers)
    bounds = [0]
    target = total / workers
    acc = 0
    for k, n in enumerate(counts):
        acc += n
        if len(bounds) < workers and acc >= target * len(bounds):
            bounds.append(k + 1)
    bounds.append(world.days)
    first_ids, acc = [], 1
    for i in range(workers):
        first_ids.append(acc)
        acc += sum(counts[bounds[i]:bounds[i + 1]])
    manager = mp.get_context("spawn").Manager()
    done = manager.list([0] * workers)
    jobs = [(url, i, bounds[i], bounds[i + 1], first_ids[i], args.seed * 1000 + i, args.years, now.isoformat(),
             counts, done) for i in range(workers)]
    ctx = mp.get_context("spawn")
    with ctx.Pool(workers) as pool:
        result = pool.map_async(worker, jobs)
        last_print = 0.0
        while not result.ready():
            result.wait(2)
            made = sum(done)
            if time.monotonic() - last_print >= 5 or result.ready():
                elapsed = time.monotonic() - started
                bar = "#" * int(30 * made / max(total, 1))
                log(f"[{bar:<30}] {made:>10,}/{total:,} dossiers  {elapsed:6.0f} s")
                last_print = time.monotonic()
        counters: dict[tuple[int, str], int] = {}
        python_cpu = copy_cpu = 0.0
        for part in result.get():
            counters.update(part["counters"])
            python_cpu += part["cpu"][0]
            copy_cpu += part["cpu"][1]
    load_done = time.monotonic()
    log(f"loaded in {load_done - started:.0f} s (CPU: generator processes {python_cpu:.0f} s, PostgreSQL COPY "
        f"backends {copy_cpu:.0f} s); rebuilding {len(recreate)} indexes and constraints")

    from motcua.dossiers.models import DossierCounter

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        main_backend = cursor.fetchone()[0]
        index_cpu = backend_cpu(main_backend)
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("SET max_parallel_maintenance_workers = 2")
        counter_table = Table(DossierCounter, ["unit", "day", "last"], now)
        for (unit, day), n in counters.items():
            counter_table.add(unit, day, n)
        counter_table.flush(cursor.cursor)
        for statement in recreate:
            t0 = time.monotonic()
            cursor.execute(statement)
            log(f"  {time.monotonic() - t0:5.1f} s  {statement[:110]}")
        for table in BIG_TABLES:
            if table != "dossiers_attachment":
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"(SELECT COALESCE(MAX(id), 1) FROM {table}))")
        t0 = time.monotonic()  # the per-official daily counts, as the migration fills them
        cursor.execute("DELETE FROM dossiers_actorday")
        cursor.execute(importlib.import_module("motcua.dossiers.migrations.0006_actor_day").FILL_POSTGRES)
        log(f"  {time.monotonic() - t0:5.1f} s  daily counts per official (dossiers_actorday)")
        index_cpu = backend_cpu(main_backend) - index_cpu
        index_wall = time.monotonic() - load_done
        cursor.execute("VACUUM (ANALYZE)")  # statistics and the visibility map, as autovacuum would
        cursor.execute("SELECT relname, n_live_tup FROM pg_stat_user_tables WHERE relname = ANY(%s) ORDER BY 1",
                       [list(BIG_TABLES)])
        rows = cursor.fetchall()
        cursor.execute("SELECT count(*) FROM dossiers_dossier")
        exact = cursor.fetchone()[0]
        if exact != total:
            raise SystemExit(f"expected {total} dossiers, found {exact}")
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    elapsed = time.monotonic() - started
    log("rows (estimates): " + ", ".join(f"{name.split('_', 1)[1]} {n:,}" for name, n in rows))
    log(f"indexes and constraints rebuilt in {index_wall:.0f} s (CPU of the main backend {index_cpu:.0f} s, "
        "parallel maintenance workers not counted)")
    log(f"done: {total:,} dossiers in {elapsed:.0f} s ({elapsed / 60:.1f} min), database {size}; "
        f"load average now {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
