from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import PublicReport, PublicVisibility


@admin.register(PublicReport)
class PublicReportAdmin(admin.ModelAdmin):
    list_display = ("event", "channel", "created_at", "rated_at")
    list_filter = ("channel",)
    exclude = ("follow_salt",)
    readonly_fields = ("event", "channel", "created_at", "rated_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PublicVisibility)
class PublicVisibilityAdmin(admin.ModelAdmin):
    """Read-only: hiding and showing go through the moderation page, which audits them."""

    list_display = ("event", "is_hidden", "reason", "changed_by", "changed_at")
    list_filter = ("is_hidden",)
    readonly_fields = ("event", "is_hidden", "reason", "changed_by", "changed_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
