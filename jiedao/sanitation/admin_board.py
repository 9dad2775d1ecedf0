"""The 红黄黑榜 in the Django admin (registered from ``board_ready``). The weights and the list
rule are edited in one form that calls the same service as the staff page (a weight table
must add up to 100 as a whole, so its rows are not edited one by one); published lists, their
entries and the black list's tasks are derived from the records, so they are read-only here."""

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from . import views_board
from .models.board import BlackListTask, ListEntry, ListRule, MonthlyList, ScoreRule


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RulesAdmin(ReadOnlyAdmin):
    """The rows as they are, and the one form that edits them all together."""

    def get_urls(self) -> list[Any]:
        edit = path(
            "edit/",
            self.admin_site.admin_view(views_board.rules),
            name=f"sanitation_{self.model._meta.model_name}_edit",
        )
        return [edit, *super().get_urls()]

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        url = reverse(f"admin:sanitation_{self.model._meta.model_name}_edit")
        messages.info(
            request,
            format_html('<a href="{}">{}</a>', url, _("Edit the weights and the list rule")),
        )
        return super().changelist_view(request, extra_context)


@admin.register(ScoreRule)
class ScoreRuleAdmin(RulesAdmin):
    list_display = ("subdistrict", "metric", "weight", "benchmark")


@admin.register(ListRule)
class ListRuleAdmin(RulesAdmin):
    list_display = (
        "subdistrict",
        "mode",
        "red_min",
        "yellow_below",
        "black_below",
        "red_count",
        "yellow_count",
        "black_count",
        "rectification_days",
    )


@admin.register(MonthlyList)
class MonthlyListAdmin(ReadOnlyAdmin):
    list_display = ("subdistrict", "month", "published_at", "published_by")


@admin.register(ListEntry)
class ListEntryAdmin(ReadOnlyAdmin):
    list_display = ("monthly_list", "compound", "score", "rank", "colour")
    list_filter = ("colour",)


@admin.register(BlackListTask)
class BlackListTaskAdmin(ReadOnlyAdmin):
    list_display = ("compound", "deadline", "status", "done_at")
    list_filter = ("status",)
