"""Every flow also checks that dossier routes cover their units (tests/fixtures.py)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _routes_cover_units(route_invariant: Any) -> None:
    pass
