from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from pydantic import ValidationError

from motcua.accounts.selectors import actor_for
from motcua.core.errors import DomainError

from .models import Field, Procedure, ProcedureVersion
from .schemas import ProcedureIn
from .selectors import procedure_body
from .services import procedure_publish


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


class PublishForm(forms.Form):
    body = forms.CharField(
        label="Nội dung phiên bản mới (JSON)", widget=forms.Textarea(attrs={"rows": 30, "cols": 110}),
        help_text="Sửa quy trình nội bộ (workflow), thời hạn, phí, thành phần hồ sơ… rồi phát hành. Phiên bản đã "
                  "phát hành không thay đổi; hồ sơ đã tiếp nhận giữ phiên bản cũ, hồ sơ mới dùng phiên bản này.",
    )


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "field", "level", "online_mode", "is_active", "publish_link")
    list_filter = ("level", "online_mode", "field")
    search_fields = ("code", "name", "search_text")
    readonly_fields = ("current", "search_text")
    inlines = [VersionInline]

    @admin.display(description="Phiên bản mới")
    def publish_link(self, obj: Procedure) -> str:
        url = reverse("admin:catalog_procedure_publish", args=[obj.pk])
        return format_html('<a href="{}">Phát hành phiên bản mới</a>', url)

    def get_urls(self) -> list[Any]:
        return [
            path("<int:pk>/publish/", self.admin_site.admin_view(self.publish_view), name="catalog_procedure_publish"),
            *super().get_urls(),
        ]

    def publish_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Edit a copy of the current version (workflow included) and publish it as a new version,
        validated by the same rules as the API (steps must fit the time limit, units must exist)."""
        procedure = get_object_or_404(Procedure.objects.select_related("current"), pk=pk)
        if not self.has_change_permission(request, procedure):
            return HttpResponseRedirect(reverse("admin:index"))
        assert procedure.current is not None
        current = procedure_body(procedure.current)
        initial = {k: v for k, v in current.items() if k not in {"version", "effective_from"}}
        form = PublishForm(request.POST or None, initial={"body": json.dumps(initial, ensure_ascii=False, indent=2)})
        if request.method == "POST" and form.is_valid():
            try:
                data = ProcedureIn.model_validate(json.loads(form.cleaned_data["body"]))
                if data.code != procedure.code:
                    raise ValueError("Không được đổi mã thủ tục.")
                version = procedure_publish(actor=actor_for(request.user), data=data)  # type: ignore[arg-type]
            except (json.JSONDecodeError, ValidationError, ValueError) as exc:
                form.add_error("body", str(exc))
            except DomainError as exc:
                form.add_error("body", f"{exc.message} ({exc.code})")
            else:
                messages.success(request, f"Đã phát hành phiên bản {version.version} của thủ tục {procedure.code}.")
                return HttpResponseRedirect(reverse("admin:catalog_procedure_change", args=[procedure.pk]))
        context = {**self.admin_site.each_context(request), "title": f"Phát hành phiên bản mới — {procedure}",
                   "form": form, "opts": self.model._meta, "original": procedure}
        return TemplateResponse(request, "admin/catalog/publish.html", context)


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
