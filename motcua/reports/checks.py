"""System check: a misconfigured INDEX_766_WEIGHTS is reported at start-up, not as a 500 later."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error

from .domain import WeightsError, index_definition


def check_index_weights(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    overrides = getattr(settings, "MOTCUA", {}).get("INDEX_766_WEIGHTS") or {}
    try:
        index_definition(overrides)
    except (WeightsError, TypeError, ValueError, ArithmeticError) as exc:
        return [Error(f"MOTCUA['INDEX_766_WEIGHTS'] is invalid: {exc}", id="motcua.reports.E001")]
    return []
