"""Ratings of finished dossiers and petitions (phản ánh, kiến nghị — PAKN).

This app sits below `dossiers` (architecture.md): it never imports it. A rating names its dossier
by code, like the documents app's upload sessions; what it needs to know about the dossier comes
through `feedback.ports`, which the dossiers app provides.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .domain import CATEGORIES, CRITERIA, LEVELS, RATING_CHANNELS, STATUSES


class Level(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
    SATISFIED = "satisfied", _("Hài lòng")
    DISSATISFIED = "dissatisfied", _("Không hài lòng")


class RatingChannel(models.TextChoices):
    PORTAL = "portal", _("Cổng dịch vụ công")
    QR = "qr", _("Mã QR trên giấy tiếp nhận")
    KIOSK = "kiosk", _("Máy tra cứu tại Trung tâm")
    API = "api", _("API")


class Category(models.TextChoices):
    DOSSIER = "dossier", _("Về việc giải quyết hồ sơ")
    PROCEDURE = "procedure", _("Về quy định thủ tục hành chính")
    CONDUCT = "conduct", _("Về hành vi, thái độ của cán bộ")
    OTHER = "other", _("Khác")


class PetitionStatus(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    ACCEPTED = "accepted", _("Đang xử lý")
    REFUSED = "refused", _("Từ chối tiếp nhận")
    INFO_REQUESTED = "info_requested", _("Đề nghị bổ sung thông tin")
    ANSWERED = "answered", _("Đã trả lời")
    PUBLISHED = "published", _("Đã công khai")


assert [c.value for c in Level] == list(LEVELS)
assert [c.value for c in RatingChannel] == list(RATING_CHANNELS)
assert [c.value for c in Category] == list(CATEGORIES)
assert {c.value for c in PetitionStatus} == set(STATUSES)


class AppendOnlyError(Exception):
    pass


def _in(field: str, values: Any) -> models.Q:
    return models.Q(**{f"{field}__in": [str(v) for v in values]})


class Rating(models.Model):
    """The applicant's rating of a finished dossier: one per dossier (the unique code)."""

    dossier_code = models.CharField(_("mã hồ sơ"), max_length=40, unique=True)
    handling_unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("đơn vị giải quyết"))
    receiving_unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("đơn vị tiếp nhận"))
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("người đánh giá (tài khoản)"))
    overall = models.CharField(_("đánh giá chung"), max_length=16, choices=Level.choices)
    attitude = models.CharField(_("thái độ phục vụ"), max_length=16, choices=Level.choices)
    timeliness = models.CharField(_("thời gian giải quyết"), max_length=16, choices=Level.choices)
    clarity = models.CharField(_("hướng dẫn rõ ràng"), max_length=16, choices=Level.choices)
    comment = models.TextField(_("góp ý"), blank=True, default="")
    channel = models.CharField(_("kênh"), max_length=8, choices=RatingChannel.choices)
    kiosk = models.CharField(_("trung tâm (máy tra cứu)"), max_length=13, blank=True, default="")
    created_at = models.DateTimeField(_("thời điểm"))

    class Meta:
        verbose_name = _("đánh giá hồ sơ")
        verbose_name_plural = _("đánh giá hồ sơ")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["handling_unit", "created_at"], name="rating_unit_at_idx"),
                   models.Index(fields=["created_at"], name="rating_at_idx")]
        constraints = [
            models.CheckConstraint(condition=_in("overall", LEVELS) & _in("attitude", LEVELS)
                                   & _in("timeliness", LEVELS) & _in("clarity", LEVELS), name="rating_levels"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_code}: {self.overall}"

    def criteria(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in CRITERIA}


class RatingOfficial(models.Model):
    """A rating attributed to an official who handled the dossier (from its events), at the unit
    they acted for; the per-official satisfaction reads these rows."""

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="officials")
    official = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rating", "official"], name="rating_official_unique")]
        indexes = [models.Index(fields=["official"], name="rating_official_user_idx")]


class Petition(models.Model):
    """A petition (phản ánh, kiến nghị) to a unit, with its deadlines in working time."""

    code = models.CharField(_("mã phản ánh"), max_length=24, unique=True)
    category = models.CharField(_("loại"), max_length=16, choices=Category.choices)
    title = models.CharField(_("tiêu đề"), max_length=255)
    content = models.TextField(_("nội dung"))
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    dossier_code = models.CharField(_("mã hồ sơ liên quan"), max_length=40, blank=True, default="")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("người gửi (tài khoản)"))
    contact_name = models.CharField(_("họ tên người gửi"), max_length=255)
    contact_phone = models.CharField(_("điện thoại"), max_length=20)
    contact_email = models.CharField(_("thư điện tử"), max_length=254, blank=True, default="")
    channel = models.CharField(_("kênh"), max_length=8, default="api")
    status = models.CharField(_("trạng thái"), max_length=16, choices=PetitionStatus.choices,
                              default=PetitionStatus.RECEIVED)

    received_at = models.DateTimeField(_("tiếp nhận lúc"))
    decide_by = models.DateTimeField(_("hạn phân loại"))
    info_by = models.DateTimeField(_("hạn đề nghị bổ sung"))
    answer_by = models.DateTimeField(_("hạn trả lời"))
    publish_by = models.DateTimeField(_("hạn công khai"), null=True, blank=True)
    # The deadline of the step owed now (null when nothing is owed): the overdue lists read it.
    current_deadline = models.DateTimeField(null=True, blank=True)
    info_requested_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    refused_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    refusal_reason = models.TextField(blank=True, default="")
    info_request = models.TextField(blank=True, default="")
    answer = models.TextField(_("trả lời"), blank=True, default="")
    public = models.BooleanField(_("công khai câu trả lời"), default=False)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    # The published text with personal data masked, and its accent-folded form for the search.
    public_title = models.CharField(max_length=255, blank=True, default="")
    public_content = models.TextField(blank=True, default="")
    public_answer = models.TextField(blank=True, default="")
    public_search = models.TextField(blank=True, default="")

    row_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "status"], name="petition_unit_status_idx"),
            models.Index(fields=["status", "current_deadline"], name="petition_deadline_idx"),
            models.Index(fields=["received_at"], name="petition_received_idx"),
            models.Index(fields=["sender", "-id"], name="petition_sender_idx"),
            models.Index(fields=["dossier_code"], name="petition_dossier_idx"),
            models.Index(fields=["unit", "-published_at"], name="petition_published_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=_in("status", STATUSES), name="petition_status"),
            models.CheckConstraint(condition=_in("category", CATEGORIES), name="petition_category"),
        ]

    def __str__(self) -> str:
        return self.code


class PetitionEvent(models.Model):
    """One step in a petition's history. Never updated, never deleted."""

    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField()
    action = models.CharField(max_length=16)
    from_status = models.CharField(max_length=16, blank=True, default="")
    to_status = models.CharField(max_length=16)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    actor_name = models.CharField(max_length=255, blank=True, default="")
    actor_unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True, default="")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["petition", "at", "id"], name="petition_event_idx")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("petition events are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("petition events are immutable")


class PetitionAttachment(models.Model):
    """A file sent with a petition, checked like every upload (documents.storage)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="attachments")
    name = models.CharField(max_length=255)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    content_type = models.CharField(max_length=128)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField()

    STORED_FILE_FIELDS = ("sha256",)  # motcua.documents.cleanup keeps the files rows reference

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(size__gt=0), name="petition_attachment_not_empty")]


class PetitionCounter(models.Model):
    """The last petition number given on a day (Vietnam time)."""

    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)
