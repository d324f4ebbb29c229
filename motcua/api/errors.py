"""One error shape for every failure: {"code", "message", "details"}."""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from motcua.core.errors import DomainError

log = logging.getLogger("motcua.api")


def error_response(api: NinjaAPI, request: HttpRequest, status: int, code: str, message: str,
                   details: dict[str, Any] | None = None) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, "details": details or {}}, status=status)


def _validation_code(errors: list[dict[str, Any]]) -> str:
    for err in errors:
        if err.get("type") in {"timezone_aware", "datetime_without_offset"}:
            return "datetime_without_offset"
    return "invalid_request"


def install(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def _domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return error_response(api, request, exc.status, exc.code, exc.message, exc.details)

    @api.exception_handler(ValidationError)
    def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            {k: v for k, v in err.items() if k in {"type", "loc", "msg"}} for err in exc.errors
        ]
        code = _validation_code(errors)
        message = "Thời điểm phải có múi giờ (ví dụ +07:00)." if code == "datetime_without_offset" else (
            "Dữ liệu gửi lên không hợp lệ.")
        return error_response(api, request, 400, code, message, {"errors": errors})

    @api.exception_handler(AuthenticationError)
    def _auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(api, request, 401, "not_authenticated", "Vui lòng đăng nhập.")

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        codes = {400: "invalid_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found",
                 405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_type",
                 429: "rate_limited"}
        return error_response(api, request, exc.status_code, codes.get(exc.status_code, "error"), str(exc))

    @api.exception_handler(Http404)
    def _404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, 404, "not_found", "Không tìm thấy.")

    @api.exception_handler(Exception)
    def _other(request: HttpRequest, exc: Exception) -> HttpResponse:
        log.exception("unhandled API error", extra={"path": request.path})
        return error_response(api, request, 500, "internal_error", "Lỗi hệ thống; sự cố đã được ghi nhận.")
