"""Administration of the catalogue and the duty matrix; events are read-only here.

Saving and deleting go through :func:`jiedao.events.services.catalogue_entry_save` and
:func:`~jiedao.events.services.catalogue_entry_delete`, so admin edits are validated and audited
like every other write. Events change only through the workflow, never in the admin.
"""

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from jiedao.accounts.models import User
from jiedao.core.errors import InvalidInput

from . import services
from .models import Category, DutyAssignment, Event, EventStep


def _staff(request: HttpRequest) -> User:
    """The signed-in staff member: the admin site lets nobody else in."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


class CatalogueForm(ModelForm):
    """Shows the catalogue's rules as form errors before the service saves."""

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        try:
            services.catalogue_entry_check(self.instance)
        except InvalidInput as error:
            field = error.field if error.field in self.fields else None
            self.add_error(field, str(error.message))


class CatalogueAdmin(admin.ModelAdmin):
    form = CatalogueForm

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        services.catalogue_entry_save(
            actor=_staff(request), instance=obj, changed_fields=form.changed_data if change else ()
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.catalogue_entry_delete(actor=_staff(request), instance=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            services.catalogue_entry_delete(actor=_staff(request), instance=obj)


class SubcategoryInline(admin.TabularInline):
    model = Category
    fk_name = "parent"
    fields = (
        "code",
        "name",
        "default_department",
        "acceptance_limit",
        "acceptance_unit",
        "handling_limit",
        "handling_unit",
        "priority",
        "is_active",
    )
    extra = 0
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # added on their own page, so that the service validates them

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Category)
class CategoryAdmin(CatalogueAdmin):
    list_display = (
        "code",
        "name",
        "kind",
        "parent",
        "default_department",
        "acceptance_limit",
        "acceptance_unit",
        "handling_limit",
        "handling_unit",
        "priority",
        "is_active",
    )
    list_filter = ("kind", "is_active", "parent")
    search_fields = ("code", "name", "name_en")
    autocomplete_fields = ()
    inlines = [SubcategoryInline]


@admin.register(DutyAssignment)
class DutyAssignmentAdmin(CatalogueAdmin):
    list_display = ("category", "grid", "community", "department", "note")
    list_filter = ("department", "category__parent")
    search_fields = ("category__name", "grid__code", "community__name", "department__name")
    list_select_related = ("category", "grid", "community", "department")


class EventStepInline(admin.TabularInline):
    model = EventStep
    fields = (
        "created_at",
        "action",
        "actor_label",
        "from_status",
        "to_status",
        "department",
        "note",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Read-only: events change through the workflow (pages and API), never here."""

    list_display = (
        "number",
        "status",
        "category",
        "grid",
        "responsible_department",
        "source",
        "created_at",
    )
    list_filter = (
        "status",
        "source",
        "category__parent",
        "responsible_department",
        "supervision_kind",
    )
    search_fields = ("number", "description", "address")
    list_select_related = ("category", "grid", "responsible_department")
    inlines = [EventStepInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
