"""Writes of the feedback app: ratings and petitions."""

from .petitions import (
    Contact,
    Upload,
    may_handle,
    petition_attachment_add,
    petition_create,
    petition_perform,
    petition_rate_check,
    times_of,
)
from .ratings import rating_submit

__all__ = [
    "Contact", "Upload", "may_handle", "petition_attachment_add", "petition_create", "petition_perform",
    "petition_rate_check", "rating_submit", "times_of",
]
