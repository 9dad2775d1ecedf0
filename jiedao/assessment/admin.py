"""The assessment in the Django admin: read-only. Teams, members and weights change through the
pages and the API (their services validate and audit); closed months are evidence."""

from typing import Any

from django.contrib import admin

from .models import MemberScore, MonthResult, Team, TeamMember, WeightTable


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0
    readonly_fields = ("user", "is_synthetic", "joined_at")

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Team)
class TeamAdmin(ReadOnlyAdmin):
    list_display = ("name", "subdistrict", "leader", "department", "is_synthetic")
    inlines = [TeamMemberInline]


@admin.register(WeightTable)
class WeightTableAdmin(ReadOnlyAdmin):
    list_display = ("team", "handled", "on_time", "returned", "reworked", "updated_at")


class MemberScoreInline(admin.TabularInline):
    model = MemberScore
    extra = 0
    can_delete = False
    readonly_fields = ("rank", "name", "score", "handled", "on_time", "returned", "reworked")
    fields = readonly_fields

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(MonthResult)
class MonthResultAdmin(ReadOnlyAdmin):
    list_display = ("team", "month", "closed_at", "closed_by")
    inlines = [MemberScoreInline]
