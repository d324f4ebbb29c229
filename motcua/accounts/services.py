"""Writes and checks on accounts shared by the API, the portal and the desk: citizen registration
and password login with the per-account lock (10 failures in 15 minutes → locked 15 minutes)."""

from __future__ import annotations

import hashlib
from datetime import date

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from motcua.audit.services import audit_record
from motcua.core.errors import Conflict, DomainError, RateLimited, ValidationFailed
from motcua.core.ratelimit import count_hit
from motcua.core.text import nfc

from .domain import email_problem, id_number_problem, normalise_phone, phone_problem
from .models import User, UserKind

MESSAGES = {
    "invalid_id_number": _l("Số định danh cá nhân phải gồm đúng 12 chữ số hợp lệ."),
    "id_number_birth_mismatch": _l("Số định danh cá nhân không khớp với ngày sinh."),
    "invalid_phone": _l("Số điện thoại không hợp lệ."),
    "invalid_email": _l("Địa chỉ thư điện tử không hợp lệ."),
}


def citizen_register(*, id_number: str, full_name: str, password: str, phone: str = "", email: str = "",
                     birth_date: date | None = None) -> User:
    """A citizen account whose username is the 12-digit ID number. DomainError codes:
    invalid_id_number, id_number_birth_mismatch, invalid_phone, invalid_email, weak_password (400),
    already_registered (409)."""
    id_number = id_number.strip()
    problem = id_number_problem(id_number, birth_date)
    if problem:
        raise ValidationFailed(problem, MESSAGES[problem], details={"field": "id_number"})
    phone = normalise_phone(phone)
    if phone_problem(phone):
        raise ValidationFailed("invalid_phone", MESSAGES["invalid_phone"], details={"field": "phone"})
    email = email.strip()
    if email_problem(email):
        raise ValidationFailed("invalid_email", MESSAGES["invalid_email"], details={"field": "email"})
    full_name = nfc(full_name.strip())
    if not full_name:
        raise ValidationFailed("invalid_full_name", _("Vui lòng nhập họ và tên."), details={"field": "full_name"})
    user = User(username=id_number, id_number=id_number, full_name=full_name, phone=phone, email=email,
                birth_date=birth_date, kind=UserKind.CITIZEN)
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed("weak_password", " ".join(exc.messages), details={"field": "password"}) from exc
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            audit_record(actor=None, action="citizen.register", obj=user)
    except IntegrityError as exc:
        raise Conflict("already_registered", _("Số định danh này đã được đăng ký."),
                       details={"field": "id_number"}) from exc
    return user


def _keys(username: str) -> tuple[str, str]:
    ident = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return f"login-lock:{ident}", f"login-fail:{ident}"


def login_attempt(username: str, password: str) -> User:
    """Check a password. Failed attempts are counted per account; after LOGIN_MAX_FAILURES within
    LOGIN_WINDOW_SECONDS the account is locked for LOGIN_LOCK_SECONDS (429, even with the right
    password); successful logins are not limited. Wrong credentials: 401 invalid_credentials."""
    conf = settings.MOTCUA
    lock_key, fail_key = _keys(username)
    if cache.get(lock_key):
        raise RateLimited("too_many_login_failures", _("Đăng nhập sai quá nhiều lần; vui lòng thử lại sau 15 phút."))
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        failures = count_hit(fail_key, timeout=int(str(conf["LOGIN_WINDOW_SECONDS"])))
        if failures >= int(str(conf["LOGIN_MAX_FAILURES"])):
            cache.set(lock_key, 1, timeout=int(str(conf["LOGIN_LOCK_SECONDS"])))
            cache.delete(fail_key)
        raise DomainError("invalid_credentials", _("Tên đăng nhập hoặc mật khẩu không đúng."), status=401)
    assert isinstance(user, User)
    return user
