from __future__ import annotations

from typing import Any

import pytest

CENTRE = "000.01.31.H45"


@pytest.fixture
def queue_setup(province: None) -> None:
    """The demo's areas (A hộ tịch, B đất đai, C kinh doanh) and counters at every demo centre."""
    from motcua.demo.queue import seed_queue_setup

    seed_queue_setup()


@pytest.fixture
def counter_ids(queue_setup: None) -> dict[str, Any]:
    from motcua.queueing.models import Counter

    return {c.name: c.pk for c in Counter.objects.filter(centre__code=CENTRE)}
