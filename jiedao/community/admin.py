"""The community app in the Django admin. The groups concerned are edited here (a list kept as
data); needs, calls and the ledger are written through the product's services, so they are
read-only here, and fund entries are booked through the same ledger service."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from jiedao.core.errors import ApplicationError

from . import ledger
from .models import (
    Activity,
    Call,
    CallResponse,
    Facility,
    Fund,
    FundEntry,
    Milestone,
    Need,
    NeedGroup,
    Organisation,
    ProgressReport,
)


@admin.register(NeedGroup)
class NeedGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "position", "is_active")
    list_editable = ("position", "is_active")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Need)
class NeedAdmin(ReadOnlyAdmin):
    list_display = ("title", "community", "group", "source", "status", "raised_at")
    list_filter = ("status", "group", "source", "community")
    search_fields = ("title",)


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ("name", "credit_code", "kind")
    search_fields = ("name", "credit_code")


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    """Planned and marked done by the project's organisation through its page or the API."""

    list_display = ("title", "application", "due_on", "done_on")
    list_filter = ("due_on",)


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ("application", "reported_on")


@admin.register(Call)
class CallAdmin(ReadOnlyAdmin):
    list_display = ("need", "event", "community", "called_at", "closed_at")


@admin.register(CallResponse)
class CallResponseAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "call", "status", "reported_at")


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    """Planned, held and cancelled through the activity services (pages and API)."""

    list_display = (
        "title",
        "kind",
        "community",
        "organiser",
        "planned_on",
        "status",
        "held_on",
        "person_times",
    )
    list_filter = ("kind", "status", "community")
    search_fields = ("title",)
    list_select_related = ("community", "organiser")


@admin.register(Facility)
class FacilityAdmin(ReadOnlyAdmin):
    """Capacity and use are written through the facility services (pages and API)."""

    list_display = ("name", "kind", "community", "capacity", "in_use")
    list_filter = ("kind", "community")
    list_select_related = ("community",)


@admin.register(Fund)
class FundAdmin(ReadOnlyAdmin):
    list_display = ("name", "size")


class FundEntryForm(forms.ModelForm):
    """Books the entry through the ledger service when the form is checked, so that the
    service's refusal (more than available, …) shows on the form, by the field's label."""

    actor: Any = None
    booked: FundEntry | None = None

    class Meta:
        model = FundEntry
        fields = (
            "fund",
            "kind",
            "amount",
            "booked_on",
            "commitment",
            "organisation",
            "description",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            self.booked = ledger.fund_entry_book(
                actor=self.actor,
                fund=data["fund"],
                kind=data["kind"],
                amount=data["amount"],
                description=data["description"],
                booked_on=data["booked_on"],
                commitment=data.get("commitment"),
                organisation=data.get("organisation"),
            )
        except ApplicationError as error:
            field = error.field if error.field in self.fields else None
            raise forms.ValidationError(
                {field: str(error.message)} if field else str(error.message)
            ) from None
        return data


@admin.register(FundEntry)
class FundEntryAdmin(admin.ModelAdmin):
    """Entries are added through the ledger service (its row lock and checks) and never changed."""

    form = FundEntryForm
    list_display = ("booked_on", "fund", "kind", "amount", "description")
    list_filter = ("fund", "kind")

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user  # type: ignore[attr-defined]
        return form

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: FundEntry, form: Any, change: bool) -> None:
        # Booked (and audited) by the form through the ledger service; nothing more to save.
        obj.pk = form.booked.pk
