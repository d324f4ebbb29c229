"""The dossier aggregate: the dossier, its route, pauses, fees, attachments and immutable events."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.workflow.domain import STATUS_NAMES
from motcua.workflow.steps import Step, Steps, step_at, steps_of


class Channel(models.TextChoices):
    DIRECT = "direct", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POSTAL = "postal", _("Bưu chính công ích")


CHANNEL_NUMBERS = {"direct": 1, "online": 2, "postal": 3}


class ResultDelivery(models.TextChoices):
    DESK = "desk", _("Tại bộ phận một cửa")
    POSTAL = "postal", _("Qua bưu chính")
    ONLINE = "online", _("Trực tuyến")


class Outcome(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class Dossier(models.Model):
    code = models.CharField(_("mã hồ sơ"), max_length=40, unique=True)
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="dossiers")
    procedure_version = models.ForeignKey("catalog.ProcedureVersion", on_delete=models.PROTECT, related_name="+")
    status = models.PositiveSmallIntegerField(_("trạng thái"), choices=sorted(STATUS_NAMES.items()))
    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    receiving_unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    handling_unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")

    applicant_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="dossiers")
    applicant_name = models.CharField(_("người nộp"), max_length=255)
    applicant_id_number = models.CharField(max_length=12, blank=True, default="")
    applicant_phone = models.CharField(max_length=20, blank=True, default="")
    applicant_email = models.CharField(max_length=254, blank=True, default="")
    applicant_address = models.CharField(max_length=500, blank=True, default="")
    applicant_search = models.CharField(max_length=255, blank=True, default="")
    form_data = models.JSONField(default=dict, blank=True)
    sets = models.PositiveSmallIntegerField(default=1)
    result_delivery = models.CharField(max_length=8, choices=ResultDelivery.choices, default=ResultDelivery.DESK)

    submitted_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    clock_start = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    original_due_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, blank=True, default="")
    decision = models.CharField(max_length=16, blank=True, default="")

    supplement_requests = models.PositiveSmallIntegerField(default=0)
    paused_from_status = models.PositiveSmallIntegerField(null=True, blank=True)
    apology_count = models.PositiveSmallIntegerField(default=0)
    # Consultations waiting for an answer (kept by the consult and answer services): what an official
    # may do now reads the consultations only when some are open.
    open_consultations = models.PositiveSmallIntegerField(default=0)

    current_step_index = models.PositiveSmallIntegerField(null=True, blank=True)
    current_step_unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+")
    current_step_role = models.CharField(max_length=16, blank=True, default="")
    current_step_started_at = models.DateTimeField(null=True, blank=True)
    current_step_due_at = models.DateTimeField(null=True, blank=True)
    current_assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+")

    row_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        indexes = [
            models.Index(fields=["receiving_unit", "status"]),
            models.Index(fields=["handling_unit", "status"]),
            models.Index(fields=["current_step_unit", "current_step_role", "status"]),
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["applicant_user", "-id"]),
            models.Index(fields=["received_at"]),
            models.Index(fields=["finished_at"]),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def status_name(self) -> str:
        return STATUS_NAMES[self.status]

    @property
    def steps(self) -> Steps:
        """The pinned version's workflow, typed (motcua.workflow.steps)."""
        return steps_of(self.procedure_version.workflow)

    def current_step(self) -> Step | None:
        return step_at(self.steps, self.current_step_index)


class DossierRoute(models.Model):
    """The units that take part in a dossier (visibility is decided from these rows)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="route")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "dossier"], name="route_unique")]


class DossierCounter(models.Model):
    """The last dossier number given by a receiving unit on a day (Vietnam time)."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="counter_unique")]


class PauseKind(models.TextChoices):
    SUPPLEMENT = "supplement", _("Bổ sung hồ sơ")
    PAYMENT = "payment", _("Thực hiện nghĩa vụ tài chính")


class DossierPause(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(max_length=16, choices=PauseKind.choices)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    working_seconds = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "id"]


class DossierFee(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="fees")
    code = models.CharField(max_length=32)
    name = models.CharField(max_length=255, blank=True, default="")
    amount = models.BigIntegerField()
    paid = models.BooleanField(default=False)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["dossier", "code"], name="fee_unique")]


class AppendOnlyError(Exception):
    pass


class DossierEvent(models.Model):
    """One hand-over or status change. Never updated, never deleted."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField()
    action = models.CharField(max_length=32)
    from_status = models.PositiveSmallIntegerField(null=True, blank=True)
    to_status = models.PositiveSmallIntegerField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    actor_username = models.CharField(max_length=150, blank=True, default="")
    actor_full_name = models.CharField(max_length=255, blank=True, default="")
    actor_unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    from_unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    step_name = models.CharField(max_length=255, blank=True, default="")
    step_due_at = models.DateTimeField(null=True, blank=True)
    step_outcome = models.CharField(max_length=8, choices=Outcome.choices, blank=True, default="")
    note = models.TextField(blank=True, default="")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["dossier", "at", "id"]),
            # Reports: hand-overs in a period (per-official workload on the dashboards).
            models.Index(fields=["at"], name="dossierevent_at_idx"),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("dossier events are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("dossier events are immutable")


class ActorDay(models.Model):
    """How many events each user recorded on a day (Vietnam time), by the unit they acted for: the
    dashboards' per-official workload reads these rows instead of every event of the period. Written
    with each event (services.common.record_event) by an upsert; events never change, so the counts
    only grow. `unit_key` is the event's `actor_unit_id`, 0 when it has none (citizens)."""

    day = models.DateField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    unit_key = models.BigIntegerField(default=0)
    actions = models.PositiveIntegerField(default=0)
    steps = models.PositiveIntegerField(default=0)  # hand-overs with a step outcome
    late_steps = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "actor", "unit_key"], name="actorday_unique")]
        indexes = [models.Index(fields=["day", "unit_key"], name="actorday_day_unit_idx")]


class AttachmentKind(models.TextChoices):
    INPUT = "input", _("Thành phần hồ sơ")
    RESULT = "result", _("Kết quả")


class Attachment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="attachments")
    document = models.CharField(max_length=32)
    kind = models.CharField(max_length=8, choices=AttachmentKind.choices, default=AttachmentKind.INPUT)
    name = models.CharField(max_length=255)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    content_type = models.CharField(max_length=128)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField()
    # Digitised at the desk from paper (who, when); names kept as they were at that moment.
    digitised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    digitised_at = models.DateTimeField(null=True, blank=True)
    digitised_by_username = models.CharField(max_length=150, blank=True, default="")
    digitised_by_name = models.CharField(max_length=255, blank=True, default="")
    # Reused from the applicant's document store: the earlier dossier and attachment.
    reused_from = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reused_from_code = models.CharField(max_length=40, blank=True, default="")
    reused_attachment = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # A signed result: {signer, signed_at, intact, trusted, certificate, ...} checked when signed.
    signature = models.JSONField(null=True, blank=True)
    # Text recognised in a digitised document (OCR), and its accent-folded form for search.
    ocr_text = models.TextField(blank=True, default="")
    ocr_search = models.TextField(blank=True, default="")

    STORED_FILE_FIELDS = ("sha256",)  # motcua.documents.cleanup keeps the files rows reference

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(size__gt=0), name="attachment_not_empty")]
        indexes = [models.Index(fields=["kind", "dossier"])]


class ResultDraft(models.Model):
    """The draft result uploaded by the handler of the current step; signed into the `result`
    attachment when the leader approves, then removed."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="result_draft")
    name = models.CharField(max_length=255)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=128)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField()

    STORED_FILE_FIELDS = ("sha256",)


class Consultation(models.Model):
    """Xin ý kiến: the handler asks another unit's opinion, with its own deadline."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="consultations")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    question = models.TextField()
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField()
    due_at = models.DateTimeField()
    answer = models.TextField(blank=True, default="")
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, blank=True, default="")

    class Meta:
        ordering = ["asked_at", "id"]
        indexes = [models.Index(fields=["unit", "answered_at"])]
