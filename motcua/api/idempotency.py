"""`Idempotency-Key` for API writes: the same key and body within 24 hours returns the first
result and creates nothing new; the same key with another body is a 409."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse

from motcua.accounts.models import ApiToken
from motcua.core import clock

from .models import IdempotencyRecord

PREFIX = "/api/v1/"


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message, "details": {}}, status=status)


def _owner(request: HttpRequest) -> str:
    """Keys are scoped to the user (a retry after logging in again is still the same request), to
    the session for page clients, or to the client address for anonymous writes."""
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        token_hash = hashlib.sha256(auth[7:].strip().encode()).hexdigest()
        user_id = ApiToken.objects.filter(key_hash=token_hash).values_list("user_id", flat=True).first()
        return f"u:{user_id}" if user_id is not None else "t:" + token_hash[:40]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u:{user.pk}"
    return "a:" + str(request.META.get("REMOTE_ADDR", ""))


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get("Idempotency-Key")
        if not key or request.method not in {"POST", "PUT", "PATCH", "DELETE"} or not request.path.startswith(PREFIX):
            return self.get_response(request)
        if len(key) > 255:
            return _error(400, "invalid_idempotency_key", "Idempotency-Key dài quá 255 ký tự.")
        owner = _owner(request)
        if request.content_type == "multipart/form-data":
            body_hash = hashlib.sha256(f"multipart:{request.META.get('CONTENT_LENGTH', '')}".encode()).hexdigest()
        else:
            try:
                body_hash = hashlib.sha256(request.body).hexdigest()
            except Exception:
                return self.get_response(request)
        now = clock.now()
        ttl = timedelta(hours=int(settings.MOTCUA["IDEMPOTENCY_TTL_HOURS"]))
        IdempotencyRecord.objects.filter(owner=owner, key=key, created_at__lt=now - ttl).delete()
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    key=key, owner=owner, method=request.method or "", path=request.path, body_hash=body_hash,
                    status=0, content_type="", body=b"", created_at=now,
                )
        except IntegrityError:
            existing = IdempotencyRecord.objects.filter(owner=owner, key=key).first()
            if existing is None:  # pragma: no cover - deleted between the two statements
                return self.get_response(request)
            if existing.body_hash != body_hash or existing.path != request.path or existing.method != request.method:
                return _error(409, "idempotency_key_reused",
                              "Idempotency-Key này đã được dùng cho một yêu cầu khác.")
            if existing.status == 0:
                return _error(409, "idempotency_in_progress", "Yêu cầu cùng Idempotency-Key đang được xử lý.")
            response = HttpResponse(bytes(existing.body), status=existing.status, content_type=existing.content_type)
            response["Idempotent-Replayed"] = "true"
            return response
        response = self.get_response(request)
        if 200 <= response.status_code < 300 and not getattr(response, "streaming", False):
            record.status = response.status_code
            record.content_type = response.get("Content-Type", "application/json")
            record.body = response.content
            record.save(update_fields=["status", "content_type", "body"])
        else:
            record.delete()
        return response


