from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from .models import Field, Procedure, ProcedureVersion


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


class VersionInline(admin.TabularInline):
    model = ProcedureVersion
    fk_name = "procedure"
    extra = 0
    can_delete = False
    fields = ("version", "effective_from", "name", "time_limit_value", "time_limit_unit", "online_mode")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "field", "level", "online_mode", "is_active", "publish_link")
    list_filter = ("level", "online_mode", "field")
    search_fields = ("code", "name", "search_text")
    readonly_fields = ("publish_link", "current", "search_text")
    inlines = [VersionInline]

    @admin.display(description="Phiên bản mới")
    def publish_link(self, obj: Procedure) -> str:
        url = reverse("administration:procedure_editor", args=[obj.code])
        return format_html('<a href="{}">Phát hành phiên bản mới</a>', url)

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: Any = None) -> HttpResponse:
        """A procedure is created with its first version, in the procedure editor."""
        return HttpResponseRedirect(reverse("administration:procedure_new"))


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    """Published versions are read-only: publish a new one from the procedure's page, the API or
    `import_catalogue`."""

    list_display = ("procedure", "version", "effective_from", "time_limit_value", "time_limit_unit")
    search_fields = ("procedure__code", "name")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
