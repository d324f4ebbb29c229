"""Fixtures of the dossier service tests: the demo province and its catalogue, committed once for
the package (each test runs in a transaction that is rolled back), the clock frozen on a working
day, and helpers that bring a dossier to a given point through the services themselves."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
import time_machine

from motcua.core.clock import VN_TZ
from tests.fixtures import clear_process_caches, load_demo_province

# Tuesday 10 March 2026, 09:00 in Vietnam: a plain working day.
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=VN_TZ)
PROCEDURE = "1.004884"  # reception → specialist → specialist → leader → reception, fee LP01, TK01 required
CENTRE = "000.01.31.H45"  # TTPVHCC phường Việt Trì
STP = "000.00.12.H45"  # Sở Tư pháp
AN, BINH = "025090000123", "025195000456"
DESK, SPEC, SPEC2, LEADER = "tiepnhan.viettri", "chuyenvien.viettri", "chuyenvien2.viettri", "lanhdao.viettri"
LATER = "2026-04-30T17:00:00+07:00"
ITEMS = [{"document": "TK01", "name": "Tờ khai"}]
FEES = [{"code": "LP01", "amount": 8000}]


@pytest.fixture(scope="package")
def _province(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    from django.core.management import call_command

    from motcua.accounts.models import Membership, User, UserKind
    from motcua.units.models import Unit

    with django_db_blocker.unblock(), time_machine.travel(datetime(2026, 1, 5, 8, 0, tzinfo=VN_TZ), tick=False):
        load_demo_province(catalogue=True)
        colleague = User.objects.create_user(username="chuyenvien2.viettri", password="motcua-demo",
                                             full_name="Đào Thị Xuân", kind=UserKind.OFFICIAL)
        Membership.objects.create(user=colleague, unit=Unit.objects.get(code=CENTRE), role="specialist")
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
    clear_process_caches()


@pytest.fixture
def province(_province: None, db: None) -> None:
    """Overrides the suite's fixture: the province is already there."""


@pytest.fixture
def catalogue(province: None) -> None:
    """Overrides the suite's fixture: the catalogue is already there."""


@pytest.fixture
def frozen(catalogue: None) -> Iterator[Any]:
    traveller = time_machine.travel(NOW, tick=False)
    coordinates = traveller.start()
    yield coordinates
    traveller.stop()


def actor(username: str) -> Any:
    from motcua.accounts.models import User
    from motcua.accounts.selectors import actor_for

    return actor_for(User.objects.get(username=username))


def online(citizen: str = AN) -> Any:
    from motcua.dossiers.services import dossier_create

    return dossier_create(actor=actor(citizen), procedure_code=PROCEDURE, channel="online", receiving_unit_code=CENTRE,
                          result_delivery="online")


def walk_in() -> Any:
    from motcua.dossiers.services import ApplicantData, dossier_create

    return dossier_create(actor=actor("tiepnhan.viettri"), procedure_code=PROCEDURE, channel="direct",
                          receiving_unit_code=CENTRE, applicant=ApplicantData(name="Lê Văn Cường", phone="0901234567"))


def act(username: str, code: str, action: str, **body: Any) -> Any:
    """Do an action through the registry, as the API does."""
    from motcua.dossiers.services import dossier_perform

    return dossier_perform(actor=actor(username), code=code, action=action, body=body)


Builder = Callable[[], Any]


# -- dossiers brought to a point through the services (procedure 1.004884 at Việt Trì) -------------

def s2_online() -> Any:
    d = online()
    act(DESK, d.code, "accept")
    return d


def s4() -> Any:
    d = walk_in()
    act(DESK, d.code, "forward")
    return d


def s4_online() -> Any:
    d = s2_online()
    act(DESK, d.code, "forward")
    return d


def s4_second() -> Any:
    d = s4()
    act(SPEC, d.code, "forward")
    return d


def s4_leader() -> Any:
    d = s4_second()
    act(SPEC, d.code, "forward")
    return d


def then(build: Any, who: str, action: str, **body: Any) -> Any:
    def make() -> Any:
        d = build()
        act(who, d.code, action, **body)
        return d
    return make


@pytest.fixture
def files_dir(settings: Any, tmp_path: Any) -> Any:
    """A private file store for the test."""
    path = tmp_path / "files"
    settings.MOTCUA = {**settings.MOTCUA, "FILES_DIR": path}
    return path
