"""The working-calendar tables: days off and swapped working days, edited by administrators."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Ngày nghỉ")
    WORKING = "working", _("Ngày làm việc (làm bù)")


class CalendarDay(models.Model):
    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("tên"), max_length=255)

    class Meta:
        verbose_name = _("ngày đặc biệt")
        verbose_name_plural = _("lịch nghỉ lễ và làm bù")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.name}"
