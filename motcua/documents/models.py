"""Signing credentials of officials (and units' seals) and resumable upload sessions."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CredentialKind(models.TextChoices):
    PKCS12 = "pkcs12", _("Tệp PKCS#12 (.p12/.pfx)")
    PKCS11 = "pkcs11", _("Thiết bị ký số PKCS#11 (USB token, HSM)")


class SigningCredential(models.Model):
    """Where the key of a signer lives. A leader signs results with theirs; a unit's seal
    credential (user empty, unit set) is used for the seal signature.

    Secrets (`passphrase`, `pkcs11_pin`) may be written as `env:NAME` to read them from the
    environment instead of the database."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="signing_credentials", verbose_name=_("người ký"))
    unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("đơn vị (con dấu)"))
    kind = models.CharField(_("loại"), max_length=8, choices=CredentialKind.choices, default=CredentialKind.PKCS12)
    label = models.CharField(_("tên gợi nhớ"), max_length=255, blank=True, default="")
    pkcs12_path = models.CharField(_("đường dẫn tệp PKCS#12"), max_length=500, blank=True, default="")
    passphrase = models.CharField(_("mật khẩu tệp PKCS#12"), max_length=255, blank=True, default="")
    pkcs11_module = models.CharField(_("thư viện PKCS#11 (.so)"), max_length=500, blank=True, default="")
    pkcs11_token_label = models.CharField(_("nhãn token"), max_length=255, blank=True, default="")
    pkcs11_key_label = models.CharField(_("nhãn khóa"), max_length=255, blank=True, default="")
    pkcs11_cert_label = models.CharField(_("nhãn chứng thư"), max_length=255, blank=True, default="")
    pkcs11_pin = models.CharField(_("mã PIN"), max_length=255, blank=True, default="")
    subject = models.CharField(_("chủ thể chứng thư"), max_length=500, blank=True, default="")
    valid_until = models.DateTimeField(_("hiệu lực đến"), null=True, blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chứng thư ký số")
        verbose_name_plural = _("chứng thư ký số")
        ordering = ["-is_active", "-id"]

    def __str__(self) -> str:
        who = self.user.username if self.user_id and self.user else (self.unit.code if self.unit else "?")
        return f"{self.label or self.subject or self.kind} — {who}"


class UploadSession(models.Model):
    """A resumable upload: bytes go to FILES_DIR/uploads/<id>.part at the offset the client
    gives; `received` is advanced only after they are on disk, so it is the truth after a crash."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    dossier_code = models.CharField(max_length=40)
    document = models.CharField(max_length=32)
    filename = models.CharField(max_length=255)
    size = models.BigIntegerField()
    received = models.BigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True, default="")
    digitised = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("phiên tải tệp")
        verbose_name_plural = _("phiên tải tệp")
        constraints = [
            models.CheckConstraint(condition=models.Q(size__gt=0), name="upload_size_positive"),
            models.CheckConstraint(condition=models.Q(received__gte=0) & models.Q(received__lte=models.F("size")),
                                   name="upload_received_in_range"),
        ]
