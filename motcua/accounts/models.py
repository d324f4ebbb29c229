"""Users: officials with roles scoped to units, and citizens who log in with their ID number."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserKind(models.TextChoices):
    CITIZEN = "citizen", _("Công dân")
    OFFICIAL = "official", _("Cán bộ")


class Role(models.TextChoices):
    RECEPTION = "reception", _("Tiếp nhận và trả kết quả")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    LEADER = "leader", _("Lãnh đạo")
    SUPERVISOR = "supervisor", _("Giám sát")
    ADMIN = "admin", _("Quản trị")


class User(AbstractUser):
    full_name = models.CharField(_("họ và tên"), max_length=255)
    kind = models.CharField(_("loại tài khoản"), max_length=16, choices=UserKind.choices, default=UserKind.OFFICIAL)
    id_number = models.CharField(_("số định danh cá nhân"), max_length=12, unique=True, null=True, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True, default="")
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True, default="")

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return f"{self.full_name or self.username} ({self.username})"


class Membership(models.Model):
    """A role an official holds at one unit."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = _("vai trò tại đơn vị")
        verbose_name_plural = _("vai trò tại đơn vị")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")]
        indexes = [models.Index(fields=["unit", "role"])]

    def __str__(self) -> str:
        return f"{self.user.username} — {self.role} @ {self.unit.code}"


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 is stored."""

    key_hash = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")
