"""The sensors in Django's admin. Alarms, messages and dead letters are the listener's record:
read here, changed only through the services (acknowledge and clear are admin actions)."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jiedao.core.errors import ApplicationError

from .models import Alarm, AlarmType, DeadLetter, Device, DeviceKind, Message
from .services import (
    DeviceInput,
    alarm_transition,
    alarm_type_create,
    device_create,
    device_kind_create,
)
from .workflow import AlarmAction


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AlarmTypeInline(admin.TabularInline):
    model = AlarmType
    extra = 0
    fields = ("code", "name", "category", "urgency", "min_active_seconds", "on_clear")


@admin.register(DeviceKind)
class DeviceKindAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "silent_after_minutes", "is_active")
    inlines = [AlarmTypeInline]

    def save_model(self, request: HttpRequest, obj: DeviceKind, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        created = device_kind_create(
            actor=request.user,  # type: ignore[arg-type]
            code=obj.code,
            name=obj.name,
            silent_after_minutes=obj.silent_after_minutes,
        )
        obj.pk = created.pk

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for instance in formset.save(commit=False):
            if instance.pk is None:
                alarm_type_create(
                    actor=request.user,  # type: ignore[arg-type]
                    kind=form.instance,
                    code=instance.code,
                    name=instance.name,
                    category=instance.category.code,
                    urgency=instance.urgency,
                    min_active_seconds=instance.min_active_seconds,
                    on_clear=instance.on_clear,
                )
            else:
                instance.save()
        for removed in formset.deleted_objects:
            removed.delete()


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "grid", "department", "last_seen_at", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name", "address")
    readonly_fields = ("grid", "last_seen_at", "created_at")

    def save_model(self, request: HttpRequest, obj: Device, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        created = device_create(
            actor=request.user,  # type: ignore[arg-type]
            subdistrict=obj.subdistrict,
            item=DeviceInput(
                code=obj.code,
                name=obj.name,
                kind=obj.kind.code,
                lat=obj.lat,
                lng=obj.lng,
                department=obj.department.code,
                address=obj.address,
            ),
        )
        obj.pk = created.pk


def _transition(
    modeladmin: Any, request: HttpRequest, alarms: QuerySet[Alarm], action: str
) -> None:
    done = 0
    for alarm in alarms:
        try:
            alarm_transition(alarm=alarm, action=action, actor=request.user)  # type: ignore[arg-type]
            done += 1
        except ApplicationError as error:
            modeladmin.message_user(request, f"{alarm}: {error.message}", messages.WARNING)
    modeladmin.message_user(request, _("%(count)s alarms changed.") % {"count": done})


@admin.action(description=_("Acknowledge the selected alarms"))
def acknowledge(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Alarm]) -> None:
    _transition(modeladmin, request, queryset, AlarmAction.ACKNOWLEDGE)


@admin.action(description=_("Clear the selected alarms"))
def clear(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Alarm]) -> None:
    _transition(modeladmin, request, queryset, AlarmAction.CLEAR)


@admin.register(Alarm)
class AlarmAdmin(ReadOnly):
    list_display = ("device", "alarm_type", "state", "count", "raised_at", "last_seen_at", "event")
    list_filter = ("state", "alarm_type")
    search_fields = ("device__code",)
    list_select_related = ("device", "alarm_type", "event")
    actions = [acknowledge, clear]


@admin.register(Message)
class MessageAdmin(ReadOnly):
    list_display = ("message_id", "device", "type_code", "state", "sent_at", "received_at")
    search_fields = ("message_id", "device__code")
    list_select_related = ("device",)


@admin.register(DeadLetter)
class DeadLetterAdmin(ReadOnly):
    list_display = ("received_at", "reason", "topic", "detail")
    list_filter = ("reason",)
