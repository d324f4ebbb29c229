"""Errors with stable codes (habit 7).

Services raise these; the API turns them into `{"code", "message", "details"}` with the status
given here, and pages show the message next to the form. Messages are Vietnamese by default
through gettext.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status = 400
    code = "invalid_request"
    default_message: Any = _("Yêu cầu không hợp lệ.")

    def __init__(self, code: str | None = None, message: Any = None, *, details: dict[str, Any] | None = None,
                 status: int | None = None) -> None:
        if code:
            self.code = code
        if status:
            self.status = status
        self.message = str(message if message is not None else self.default_message)
        self.details = details or {}
        super().__init__(f"{self.code}: {self.message}")


class ValidationFailed(DomainError):
    status = 400


class NotFound(DomainError):
    status = 404
    code = "not_found"
    default_message = _("Không tìm thấy.")


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    default_message = _("Bạn không có quyền thực hiện thao tác này.")


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_message = _("Dữ liệu đã bị thay đổi bởi một thao tác khác.")


class TooLarge(DomainError):
    status = 413
    code = "file_too_large"
    default_message = _("Tệp quá lớn.")


class UnsupportedType(DomainError):
    status = 415
    code = "unsupported_type"
    default_message = _("Loại tệp không được hỗ trợ.")


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"
    default_message = _("Quá nhiều yêu cầu, vui lòng thử lại sau.")
