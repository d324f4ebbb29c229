"""Report jobs: a long-period report computed in the background, with progress and a download."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    II06A = "ii06a", _("Biểu II.06a")
    II07B = "ii07b", _("Biểu II.07b")
    INDEX_766 = "index-766", _("Bộ chỉ số 766")


class ReportFormat(models.TextChoices):
    JSON = "json", "JSON"
    XLSX = "xlsx", "Excel"
    PDF = "pdf", "PDF"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang chạy")
    DONE = "done", _("Hoàn thành")
    FAILED = "failed", _("Lỗi")


class ReportJob(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=16, choices=ReportKind.choices)
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    date_from = models.DateField()
    date_to = models.DateField()
    format = models.CharField(max_length=8, choices=ReportFormat.choices, default=ReportFormat.XLSX)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.BinaryField(null=True, blank=True)
    filename = models.CharField(max_length=255, blank=True, default="")
    content_type = models.CharField(max_length=128, blank=True, default="")
    error = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("yêu cầu lập báo cáo")
        verbose_name_plural = _("yêu cầu lập báo cáo")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.unit_id} {self.date_from}–{self.date_to} ({self.status})"
