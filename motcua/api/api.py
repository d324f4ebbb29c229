"""The v1 JSON API (django-ninja). Handlers translate HTTP to services and back; no rules here."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from . import accounts, administration, catalog, documents, dossiers, feedback, forms, queueing, reports
from .errors import install


class Utf8Renderer(JSONRenderer):
    """JSON with Vietnamese kept readable (no \\u escapes)."""

    media_type = "application/json"

    def render(self, request, data, *, response_status):  # type: ignore[no-untyped-def]
        import json

        return json.dumps(data, cls=NinjaJSONEncoder, ensure_ascii=False)


def _json_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message, "details": {}}, status=status,
                        json_dumps_params={"ensure_ascii": False})


def _unknown_path(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return _json_error(404, "not_found", "Không có địa chỉ API này.")


def _unstorable(value: Any) -> bool:
    """NUL characters and lone surrogates: no database column can hold them (PostgreSQL refuses)."""
    if isinstance(value, str):
        return "\x00" in value or (not value.isascii() and _has_surrogate(value))
    if isinstance(value, dict):
        return any(_unstorable(k) or _unstorable(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_unstorable(v) for v in value)
    return False


def _has_surrogate(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


class StrictJSONParser(Parser):
    """Standard JSON only (no NaN or Infinity), and only text that can be stored."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = json.loads(request.body, parse_constant=_not_json)
        if _unstorable(data):
            raise ValueError("NUL characters or lone surrogates in the body")
        return data


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _guarded(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if _unstorable(request.path) or any(_unstorable(k) or _unstorable(v) for k, v in request.GET.lists()):
            return _json_error(400, "invalid_characters", "Địa chỉ hoặc tham số chứa ký tự không hợp lệ.")
        if request.content_type == "application/json" and _content_length(request) > int(
                settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0) > 0:
            return _json_error(413, "request_too_large", "Dữ liệu gửi lên quá lớn.")
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and "json" not in response.get("Content-Type", ""):
            allowed = response.get("Allow", "")
            response = _json_error(405, "method_not_allowed", "Phương thức HTTP không được hỗ trợ ở địa chỉ này.")
            response["Allow"] = allowed
        return response

    return wrapper


class MotcuaAPI(NinjaAPI):
    """Every answer under /api has the error shape: an unknown path is a JSON 404, a wrong method
    a JSON 405 (ninja and Django would answer those in HTML or plain text), and a path or query
    with characters no column can store a 400 (rather than a database error)."""

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls: list[URLResolver | URLPattern] = []
        for url in super()._get_urls():
            if isinstance(url, URLPattern):
                url = URLPattern(url.pattern, _guarded(url.callback), url.default_args, url.name)
            urls.append(url)
        urls.append(re_path(r"^", _unknown_path))
        return urls


api = MotcuaAPI(
    title="motcua API",
    version="1",
    description="Hệ thống một cửa điện tử — REST API v1 (see docs/api.md).",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    renderer=Utf8Renderer(),
    parser=StrictJSONParser(),
)
install(api)
api.add_router("/v1/", accounts.router)
api.add_router("/v1/", administration.router)
api.add_router("/v1/", catalog.router)
# documents before dossiers: its literal paths (/dossiers/{code}/attachments/reuse, /scan) must not be
# swallowed by /dossiers/{code}/attachments/{attachment_id}.
api.add_router("/v1/", documents.router)
api.add_router("/v1/", dossiers.router)
api.add_router("/v1/", feedback.router)
api.add_router("/v1/", forms.router)
api.add_router("/v1/", queueing.router)
api.add_router("/v1/", reports.router)
