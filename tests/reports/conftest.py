from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from .histories import at, import_histories


class Imported:
    def __init__(self, admin: Any, codes: dict[str, str], api: Any) -> None:
        self.admin = admin
        self.codes = codes
        self.api = api

    def letters(self, codes: list[str]) -> set[str]:
        back = {v: k for k, v in self.codes.items()}
        return {back[c] for c in codes}


@pytest.fixture
def imported(catalogue: None, api: Any) -> Iterator[Imported]:
    """The crafted histories, imported by the admin; time frozen on 10 April 2026."""
    with time_machine.travel(at("2026-04-10 09:00"), tick=False):
        admin = api("admin")
        yield Imported(admin, import_histories(admin), api)


def period(first: str, last: str, **extra: Any) -> dict[str, Any]:
    return {"from": first, "to": last, **extra}


def by_field(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["field"]["code"]: {k: row[k] for k in ("received", "resolved", "in_progress")}
            for row in report["rows"]}
