"""The geography and the departments in the Django admin: to look up, read-only.

They are created and changed on the administration pages (``/manage/places/``) and through the
API, which validate boundaries and codes and keep the point-in-grid index current; the admin's
actions (retire, reinstate) call the same services, so every door is checked and audited alike.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from jiedao.core.errors import ApplicationError

from . import services
from .models import Community, Department, Grid, Subdistrict


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return bool(request.user.is_active and request.user.is_staff)


def _each(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    rows: QuerySet[Any],
    service: Callable[[Any], Any],
) -> None:
    count = 0
    for row in rows:
        try:
            service(row)
        except ApplicationError as error:
            model_admin.message_user(request, f"{row}: {error.message}", messages.ERROR)
            continue
        count += 1
    if count:
        model_admin.message_user(
            request,
            ngettext("%(count)d row changed.", "%(count)d rows changed.", count) % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Subdistrict)
class SubdistrictAdmin(ReadOnlyAdmin):
    list_display = ("name", "code", "district_name")


@admin.register(Community)
class CommunityAdmin(ReadOnlyAdmin):
    list_display = ("name", "code", "kind", "subdistrict", "is_active")
    exclude = ("boundary",)  # GeoJSON: drawn on the pages' maps
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code")
    actions = ["retire", "reinstate"]

    @admin.action(description=_("Retire the selected communities and villages with their grids"))
    def retire(self, request: HttpRequest, queryset: QuerySet[Community]) -> None:
        _each(
            self,
            request,
            queryset,
            lambda row: services.community_set_active(
                actor=request.user, community=row, active=False
            ),
        )

    @admin.action(description=_("Reinstate the selected communities and villages"))
    def reinstate(self, request: HttpRequest, queryset: QuerySet[Community]) -> None:
        _each(
            self,
            request,
            queryset,
            lambda row: services.community_set_active(
                actor=request.user, community=row, active=True
            ),
        )


@admin.register(Grid)
class GridAdmin(ReadOnlyAdmin):
    list_display = ("name", "code", "community", "is_synthetic", "is_active", "updated_at")
    exclude = ("boundary",)  # GeoJSON: drawn on the pages' maps
    list_filter = ("is_active", "community")
    search_fields = ("name", "code")
    list_select_related = ("community",)
    actions = ["retire", "reinstate"]

    @admin.action(description=_("Retire the selected grids"))
    def retire(self, request: HttpRequest, queryset: QuerySet[Grid]) -> None:
        _each(
            self,
            request,
            queryset,
            lambda row: services.grid_set_active(actor=request.user, grid=row, active=False),
        )

    @admin.action(description=_("Reinstate the selected grids"))
    def reinstate(self, request: HttpRequest, queryset: QuerySet[Grid]) -> None:
        _each(
            self,
            request,
            queryset,
            lambda row: services.grid_set_active(actor=request.user, grid=row, active=True),
        )


@admin.register(Department)
class DepartmentAdmin(ReadOnlyAdmin):
    list_display = ("name", "code", "kind", "subdistrict", "phone", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code")
    actions = ["retire", "reinstate"]

    @admin.action(description=_("Retire the selected departments"))
    def retire(self, request: HttpRequest, queryset: QuerySet[Department]) -> None:
        _each(
            self,
            request,
            queryset,
            lambda row: services.department_set_active(
                actor=request.user, department=row, active=False
            ),
        )

    @admin.action(description=_("Reinstate the selected departments"))
    def reinstate(self, request: HttpRequest, queryset: QuerySet[Department]) -> None:
        _each(
            self,
            request,
            queryset,
            lambda row: services.department_set_active(
                actor=request.user, department=row, active=True
            ),
        )
