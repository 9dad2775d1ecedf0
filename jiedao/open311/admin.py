"""Open311 in the Django admin: keys are issued through the service (the key is shown once)
and revoked through it, so that both are audited."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiedao.core.errors import ApplicationError

from . import services
from .models import Open311ApiKey, Open311Request


@admin.register(Open311ApiKey)
class Open311ApiKeyAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "prefix",
        "subdistrict",
        "is_active",
        "rate_limit_per_minute",
        "created_at",
    )
    list_filter = ("is_active",)
    fields = ("name", "rate_limit_per_minute")
    actions = ["revoke"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Open311ApiKey, form: Any, change: bool) -> None:
        issued = services.api_key_issue(
            actor=request.user, name=obj.name, rate_limit_per_minute=obj.rate_limit_per_minute
        )
        obj.pk = issued.api_key.pk
        messages.warning(
            request,
            gettext("The new key, shown only this once: %(key)s") % {"key": issued.key},
        )

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[Open311ApiKey]) -> None:
        for api_key in queryset.filter(is_active=True):
            try:
                services.api_key_revoke(actor=request.user, key_id=api_key.pk)
            except ApplicationError as error:
                messages.error(request, str(error.message))


@admin.register(Open311Request)
class Open311RequestAdmin(admin.ModelAdmin):
    list_display = ("event", "api_key", "created_at")
    readonly_fields = [field.name for field in Open311Request._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
