from django.contrib import admin

from .models import Attachment, Dossier, DossierEvent


class EventInline(admin.TabularInline):
    model = DossierEvent
    extra = 0
    can_delete = False
    fields = ("at", "action", "from_status", "to_status", "actor_username", "from_unit", "to_unit", "step_name",
              "step_outcome", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    """Read-only: dossiers change only through their services (the desk and the API)."""

    list_display = ("code", "procedure", "status", "channel", "receiving_unit", "due_at", "outcome")
    list_filter = ("status", "channel", "outcome")
    search_fields = ("code", "applicant_search")
    inlines = [EventInline]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ("id", "dossier", "document", "name", "size", "content_type", "uploaded_at")
    search_fields = ("dossier__code", "sha256")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
