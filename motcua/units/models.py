"""Administrative units: a two-tier hierarchy held as explicit parent links (domain-rules §1)."""

from __future__ import annotations

import re

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

AGENCY_CODE_RE = r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$"
WORKING_HOURS_RE = re.compile(r"^\d{2}:\d{2}-\d{2}:\d{2}(,\d{2}:\d{2}-\d{2}:\d{2})*$")
agency_code_validator = RegexValidator(AGENCY_CODE_RE, _("Mã định danh phải có dạng 000.00.00.H00."))


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Tỉnh/thành phố")
    DEPARTMENT = "department", _("Sở, ngành")
    COMMUNE = "commune", _("Xã, phường, đặc khu")
    CENTRE = "centre", _("Trung tâm Phục vụ hành chính công")


class Unit(models.Model):
    code = models.CharField(_("mã định danh"), max_length=13, unique=True, validators=[agency_code_validator])
    name = models.CharField(_("tên"), max_length=255)
    level = models.CharField(_("cấp"), max_length=16, choices=UnitLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("đơn vị cấp trên"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    working_hours = models.CharField(
        _("giờ làm việc"), max_length=64, blank=True, default="",
        help_text=_("Ví dụ 07:00-11:30,13:30-17:00; để trống để dùng giờ mặc định."),
    )
    function = models.CharField(
        _("chức năng"), max_length=32, blank=True, default="", db_index=True,
        help_text=_("Ví dụ police, social_insurance: một bước quy trình ghi @police được giao cho đơn vị "
                    "gần nhất có chức năng này."),
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True, default="")
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True, default="")
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.working_hours and not WORKING_HOURS_RE.match(self.working_hours):
            raise ValidationError({"working_hours": _("Giờ làm việc phải có dạng 07:00-11:30,13:30-17:00.")})
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("Đơn vị cấp trên không được tạo thành vòng lặp.")})
            ancestor = ancestor.parent
