from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.catalog.services import procedure_import_file


class Api:
    """A JSON client for /api/v1 that logs in as a demo account."""

    def __init__(self, username: str | None = None, password: str = "motcua-demo") -> None:
        self.client = Client()
        self.headers: dict[str, str] = {}
        if username:
            r = self.client.post("/api/v1/auth/token", {"username": username, "password": password},
                                 content_type="application/json")
            assert r.status_code == 200, r.content
            self.headers["Authorization"] = f"Bearer {r.json()['token']}"

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        return self.client.post(f"/api/v1{path}", body if body is not None else {}, content_type="application/json",
                                headers={**self.headers, **(headers or {})})

    def upload(self, path: str, data: dict[str, Any]) -> Any:
        return self.client.post(f"/api/v1{path}", data, headers=self.headers)

    def act(self, code: str, action: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        return self.post(f"/dossiers/{code}/actions/{action}", body or {}, headers)


def load_demo_province(*, catalogue: bool = False) -> None:
    """Write the units, officials, citizens and calendar of the demo province (and its catalogue)."""
    from motcua.accounts.selectors import system_actor
    from motcua.calendar.services import calendar_load_defaults
    from motcua.demo.seed import seed_units_and_people

    seed_units_and_people()
    calendar_load_defaults()
    if catalogue:
        procedure_import_file(actor=system_actor())


@pytest.fixture
def province(db: Any) -> None:
    """Units, officials, citizens and the calendar of the demo province (no catalogue)."""
    load_demo_province()


@pytest.fixture
def catalogue(province: None) -> None:
    from motcua.accounts.selectors import system_actor

    procedure_import_file(actor=system_actor())


@pytest.fixture
def api() -> type[Api]:
    return Api


def clear_process_caches() -> None:
    """The cache and the process copies of the unit tree, the calendar and the catalogue."""
    from django.core.cache import cache

    from motcua.calendar.selectors import invalidate as calendar_invalidate
    from motcua.catalog.selectors import invalidate as catalog_invalidate
    from motcua.units.selectors import invalidate as units_invalidate

    units_invalidate()
    catalog_invalidate()
    calendar_invalidate()
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_process_caches() -> Any:
    """The unit tree, the calendar, the catalogue and the cache live in process memory; a test that
    rolls back its writes must not leave them to the next test."""
    clear_process_caches()
    yield
    clear_process_caches()


def assert_routes_cover_units() -> None:
    """Every dossier's route holds its receiving, handling and current-step units: the worklists
    rely on it to skip the route check (motcua.dossiers.worklists._candidates)."""
    from django.db.models import Exists, OuterRef

    from motcua.dossiers.models import Dossier, DossierRoute

    for column in ("receiving_unit_id", "handling_unit_id", "current_step_unit_id"):
        on_route = DossierRoute.objects.filter(dossier=OuterRef("pk"), unit_id=OuterRef(column))
        missing = list(Dossier.objects.filter(**{f"{column}__isnull": False}).exclude(Exists(on_route))
                       .values_list("code", flat=True)[:5])
        assert not missing, f"{column} of {missing} is not on the dossier's route"


@pytest.fixture
def route_invariant(request: Any) -> Any:
    """Checks `assert_routes_cover_units` at the end of a test that uses the database (before its
    transaction is rolled back)."""
    uses_db = request.node.get_closest_marker("django_db") is not None or "db" in request.fixturenames
    if uses_db:
        request.getfixturevalue("db")
    yield
    if uses_db:
        assert_routes_cover_units()


@pytest.fixture(autouse=True)
def _commit_hooks_at_service_commit(monkeypatch: Any) -> None:
    """Run `transaction.on_commit` hooks when the outermost transaction of the code under test ends,
    as they run in production when a service's transaction commits.

    Most tests run inside the test's own transaction (rolled back at its end), which never commits:
    the after-commit effects of the services (motcua.dossiers.services.effects: signing a result,
    recognising a scan) would never run. Here an atomic block that ends successfully with only the
    test's blocks around it counts as a commit: the hooks registered meanwhile run then, in order,
    exactly once. A block that rolls back drops its hooks, as Django does."""
    from django.db import transaction

    original = transaction.Atomic.__exit__

    def exit_and_run(self: Any, exc_type: Any, exc_value: Any, traceback: Any) -> Any:
        result = original(self, exc_type, exc_value, traceback)
        connection = transaction.get_connection(self.using)
        outermost = (exc_type is None and not self._from_testcase and connection.in_atomic_block
                     and all(block._from_testcase for block in connection.atomic_blocks)
                     and not connection.needs_rollback)
        if outermost and connection.run_on_commit:
            hooks, connection.run_on_commit = connection.run_on_commit, []
            for _savepoints, hook, _robust in hooks:
                hook()
        return result

    monkeypatch.setattr(transaction.Atomic, "__exit__", exit_and_run)
