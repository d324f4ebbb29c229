from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ("unit",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "kind", "is_active", "is_staff")
    list_filter = ("kind", "is_active", "is_staff", "memberships__role")
    search_fields = ("username", "full_name", "email")
    inlines = [MembershipInline]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("motcua", {"fields": ("full_name", "kind", "id_number", "phone", "birth_date", "address")}),
    )
