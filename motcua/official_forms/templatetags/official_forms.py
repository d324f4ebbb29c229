"""Template filters of the official forms: Vietnamese dates and times, outcome labels."""

from __future__ import annotations

from datetime import date, datetime

from django import template

from .. import formatting

register = template.Library()


@register.filter
def time_words(value: datetime | None) -> str:
    return formatting.time_words(value) if value else ""


@register.filter
def time_short(value: datetime | None) -> str:
    return formatting.time_short(value) if value else ""


@register.filter
def date_short(value: date | datetime | None) -> str:
    return formatting.date_short(value) if value else ""


@register.filter
def date_words(value: date | datetime | None) -> str:
    return formatting.date_words(value) if value else ""


@register.filter
def place_date(value: date | datetime | None, place: str) -> str:
    return formatting.place_date(place, value) if value else ""


@register.filter
def vn_upper(value: str | None) -> str:
    return formatting.vn_upper(value or "")


@register.filter
def copy_type(value: str | None) -> str:
    return formatting.copy_type_label(value)


@register.filter
def count_or_blank(value: int | None) -> str:
    return "" if value is None else str(value)
