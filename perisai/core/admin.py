from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, AuditEvent, Organisation, User


@admin.register(User)
class PerisaiUserAdmin(UserAdmin):
    list_display = ("username", "display_name", "role", "organisation", "is_active", "last_login")
    list_filter = ("role", "is_active", "organisation")
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]
        (
            _("Perisai"),
            {"fields": ("role", "display_name", "organisation", "missions", "regions", "preferred_language")},
        ),
    )
    filter_horizontal = ("missions", "groups", "user_permissions")
    autocomplete_fields = ("regions",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "region")
    list_filter = ("kind",)
    search_fields = ("name",)
    autocomplete_fields = ("region",)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: nobody can add, change or delete audit events through the application."""

    list_display = (
        "at",
        "actor_label",
        "actor_role",
        "action",
        "object_type",
        "object_id",
        "sensitive",
        "ip_address",
    )
    list_filter = ("action", "object_type", "sensitive", "actor_role")
    search_fields = ("actor_label", "object_id", "action")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "user", "created_at", "expires_at", "revoked_at", "last_used_at")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are created on the API tokens page, which shows the secret once
