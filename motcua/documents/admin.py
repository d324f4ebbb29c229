from django.contrib import admin

from .models import SigningCredential, UploadSession


@admin.register(SigningCredential)
class SigningCredentialAdmin(admin.ModelAdmin):
    list_display = ("__str__", "user", "unit", "kind", "subject", "valid_until", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("user__username", "user__full_name", "subject", "label")
    raw_id_fields = ("user", "unit")
    fieldsets = (
        (None, {"fields": ("user", "unit", "kind", "label", "is_active")}),
        ("PKCS#12", {"fields": ("pkcs12_path", "passphrase")}),
        ("PKCS#11", {"fields": ("pkcs11_module", "pkcs11_token_label", "pkcs11_key_label", "pkcs11_cert_label",
                                "pkcs11_pin")}),
        ("Chứng thư", {"fields": ("subject", "valid_until")}),
    )


@admin.register(UploadSession)
class UploadSessionAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "dossier_code", "document", "size", "received", "expires_at")
    readonly_fields = ("id", "user", "dossier_code", "document", "filename", "size", "received", "sha256",
                       "digitised", "created_at", "updated_at", "expires_at")
