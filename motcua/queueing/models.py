"""Areas (service groups with a letter), counters with their officials, and tickets per centre,
area and day (issue 18, decision 0180)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .domain import State


class Area(models.Model):
    centre = models.ForeignKey("units.Unit", verbose_name=_("trung tâm"), on_delete=models.PROTECT,
                               related_name="queue_areas")
    code = models.CharField(_("mã khu vực"), max_length=32)
    name = models.CharField(_("tên khu vực"), max_length=255)
    letter = models.CharField(_("chữ cái"), max_length=1)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("khu vực (nhóm dịch vụ)")
        verbose_name_plural = _("khu vực (nhóm dịch vụ)")
        ordering = ["centre", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "letter"], name="queue_area_letter_unique"),
            models.UniqueConstraint(fields=["centre", "code"], name="queue_area_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.letter} — {self.name}"


class Counter(models.Model):
    centre = models.ForeignKey("units.Unit", verbose_name=_("trung tâm"), on_delete=models.PROTECT,
                               related_name="queue_counters")
    name = models.CharField(_("tên quầy"), max_length=64)
    areas = models.ManyToManyField(Area, verbose_name=_("khu vực phục vụ"), related_name="counters")
    officials = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("cán bộ tại quầy"), blank=True,
                                       related_name="queue_counters")
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("quầy")
        verbose_name_plural = _("quầy")
        ordering = ["centre", "name"]
        constraints = [models.UniqueConstraint(fields=["centre", "name"], name="queue_counter_name_unique")]

    def __str__(self) -> str:
        return self.name


class TicketSequence(models.Model):
    """The last number given in an area on a day; incremented by one upsert (see services)."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area", "day"], name="queue_sequence_unique")]


class Ticket(models.Model):
    centre = models.ForeignKey("units.Unit", verbose_name=_("trung tâm"), on_delete=models.PROTECT,
                               related_name="+")
    area = models.ForeignKey(Area, verbose_name=_("khu vực"), on_delete=models.PROTECT, related_name="tickets")
    issued_area = models.ForeignKey(Area, verbose_name=_("khu vực cấp số"), on_delete=models.PROTECT,
                                    related_name="+")
    day = models.DateField(_("ngày"))
    seq = models.PositiveIntegerField(_("số thứ tự"))
    number = models.CharField(_("số"), max_length=8)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    state = models.CharField(_("trạng thái"), max_length=8, default=State.WAITING,
                             choices=[(State.WAITING, _("Đang chờ")), (State.CALLED, _("Đang phục vụ")),
                                      (State.DONE, _("Đã xong")), (State.SKIPPED, _("Vắng mặt"))])
    issued_at = models.DateTimeField(_("lúc lấy số"))
    queued_at = models.DateTimeField(_("thứ tự trong hàng"))
    first_called_at = models.DateTimeField(_("lần gọi đầu"), null=True, blank=True)
    called_at = models.DateTimeField(_("lần gọi gần nhất"), null=True, blank=True)
    finished_at = models.DateTimeField(_("lúc xong"), null=True, blank=True)
    calls = models.PositiveIntegerField(_("số lần gọi"), default=0)
    counter = models.ForeignKey(Counter, verbose_name=_("quầy"), null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="tickets")
    served_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("cán bộ"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    dossier_code = models.CharField(_("mã hồ sơ"), max_length=40, blank=True, default="", db_index=True)

    class Meta:
        verbose_name = _("số thứ tự")
        verbose_name_plural = _("số thứ tự")
        ordering = ["-issued_at"]
        constraints = [models.UniqueConstraint(fields=["issued_area", "day", "seq"], name="queue_ticket_unique")]
        indexes = [
            models.Index(fields=["area", "state", "queued_at"], name="queue_ticket_waiting"),
            models.Index(fields=["centre", "state", "called_at"], name="queue_ticket_board"),
            models.Index(fields=["centre", "issued_at"], name="queue_ticket_stats"),
        ]

    def __str__(self) -> str:
        return self.number
