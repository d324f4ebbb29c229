"""The procedure catalogue. A procedure is an identity; what it requires lives in immutable
versions, and a dossier pins the version it was received under (habit 4)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Field(models.Model):
    code = models.CharField(_("mã lĩnh vực"), max_length=32, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProcedureLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DEPARTMENT = "department", _("Cấp sở, ngành")
    COMMUNE = "commune", _("Cấp xã")
    CENTRE = "centre", _("Trung tâm Phục vụ hành chính công")


class LimitUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    CALENDAR_DAYS = "calendar_days", _("ngày")


class OnlineMode(models.TextChoices):
    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    NONE = "none", _("Không trực tuyến")


class PauseRule(models.TextChoices):
    PAUSE = "pause", _("Tạm dừng, cộng thời gian tạm dừng")
    RESTART = "restart", _("Tính lại từ đầu")


class Procedure(models.Model):
    code = models.CharField(_("mã thủ tục"), max_length=32, unique=True)
    current = models.ForeignKey(
        "ProcedureVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("phiên bản hiện hành"),
    )
    # Denormalised from the current version for search and filters.
    name = models.CharField(_("tên thủ tục"), max_length=500)
    search_text = models.CharField(max_length=600, db_index=True, default="")
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="procedures")
    level = models.CharField(_("cấp thực hiện"), max_length=16, choices=ProcedureLevel.choices)
    online_mode = models.CharField(_("dịch vụ công trực tuyến"), max_length=16, choices=OnlineMode.choices)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]
        indexes = [models.Index(fields=["field", "level", "online_mode"])]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class ProcedureVersion(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    effective_from = models.DateTimeField(_("hiệu lực từ"))
    name = models.CharField(max_length=500)
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=16, choices=ProcedureLevel.choices)
    time_limit_value = models.DecimalField(max_digits=8, decimal_places=2)
    time_limit_unit = models.CharField(max_length=16, choices=LimitUnit.choices)
    online_time_limit_value = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    online_time_limit_unit = models.CharField(max_length=16, choices=LimitUnit.choices, blank=True, default="")
    cutoff_time = models.TimeField(null=True, blank=True)
    online_mode = models.CharField(max_length=16, choices=OnlineMode.choices)
    pause_rule = models.CharField(max_length=16, choices=PauseRule.choices, default=PauseRule.PAUSE)
    handling_unit = models.CharField(max_length=16, default="receiving", help_text=_('"receiving" hoặc mã đơn vị'))
    fees = models.JSONField(default=list)
    documents = models.JSONField(default=list)
    workflow = models.JSONField(default=list)
    description = models.TextField(blank=True, default="")
    legal_basis = models.JSONField(default=list, blank=True)
    result = models.CharField(max_length=500, blank=True, default="")
    agency = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "version"], name="procedure_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.pop("allow_update", False):
            raise ValueError("a published procedure version cannot change; publish a new version")
        super().save(*args, **kwargs)
