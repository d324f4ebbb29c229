from django.contrib import admin

from .models import Area, Counter, Ticket


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("letter", "name", "code", "centre", "is_active")
    list_filter = ("centre",)


@admin.register(Counter)
class CounterAdmin(admin.ModelAdmin):
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
