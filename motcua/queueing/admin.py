from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Membership
from motcua.units.models import UnitLevel

from .domain import valid_area_code, valid_letter
from .models import Area, Counter, Ticket


class AreaForm(forms.ModelForm):
    class Meta:
        model = Area
        fields = ["centre", "code", "name", "letter", "is_active"]

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        centre = data.get("centre")
        if centre is not None and centre.level != UnitLevel.CENTRE:
            self.add_error("centre", _("Chỉ Trung tâm Phục vụ hành chính công có khu vực lấy số."))
        letter = (data.get("letter") or "").upper()
        data["letter"] = letter
        if letter and not valid_letter(letter):
            self.add_error("letter", _("Chữ cái của khu vực là một chữ in hoa từ A đến Z."))
        if data.get("code") and not valid_area_code(data["code"]):
            self.add_error("code", _("Mã khu vực chỉ gồm chữ thường không dấu, số và dấu gạch ngang (tối đa 32 ký "
                                     "tự)."))
        return data


class CounterForm(forms.ModelForm):
    class Meta:
        model = Counter
        fields = ["centre", "name", "areas", "officials", "is_active"]

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        centre = data.get("centre")
        if centre is None:
            return data
        if any(a.centre_id != centre.pk for a in data.get("areas") or []):
            self.add_error("areas", _("Quầy chỉ phục vụ khu vực của trung tâm mình."))
        officials = data.get("officials") or []
        members = set(Membership.objects.filter(unit=centre, user__in=officials).values_list("user_id", flat=True))
        elsewhere = [u.username for u in officials if u.pk not in members]
        if elsewhere:
            self.add_error("officials", _("Cán bộ %(names)s không làm việc tại trung tâm này.") % {
                "names": ", ".join(elsewhere)})
        return data


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    form = AreaForm
    list_display = ("letter", "name", "code", "centre", "is_active")
    list_filter = ("centre",)


@admin.register(Counter)
class CounterAdmin(admin.ModelAdmin):
    form = CounterForm
    list_display = ("name", "centre", "is_active")
    list_filter = ("centre",)
    filter_horizontal = ("areas", "officials")


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ("number", "centre", "area", "state", "issued_at", "counter", "dossier_code")
    list_filter = ("centre", "state", "day")
    readonly_fields = [f.name for f in Ticket._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
