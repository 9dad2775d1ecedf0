"""The enforcement admin. Targets, inspection matters and the guard's rules are written through
the same services as the pages (checked and audited); actions, inspections and rectification
items, and penalty cases, are records of work done in the product and are only read here. Legal
reviewers are designated and withdrawn through their services (the page's)."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jiedao.core.errors import ApplicationError, InvalidInput

from . import services
from .models import (
    Action,
    Case,
    CaseStep,
    Disclosure,
    GuardRule,
    Inspection,
    InspectionMatter,
    LegalReviewer,
    Rectification,
    Target,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


TARGET_FIELDS = (
    "kind",
    "name",
    "credit_code",
    "id_number",
    "address",
    "lat",
    "lng",
    "trade",
    "risk_level",
)


def _target_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        name: data.get(name) if name in ("lat", "lng") else (data.get(name) or "")
        for name in TARGET_FIELDS
    }


class TargetAdminForm(forms.ModelForm):
    """Checks the fields with the service's own rules, so that a wrong code is shown on the
    form under its field instead of failing on save."""

    subdistrict: Any = None

    class Meta:
        model = Target
        fields = TARGET_FIELDS

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.subdistrict is not None:
            try:
                services.target_clean(subdistrict=self.subdistrict, **_target_fields(data))
            except InvalidInput as error:
                raise ValidationError({error.field or "__all__": str(error.message)}) from None
        return data


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "credit_code", "trade", "risk_level", "grid")
    list_filter = ("kind", "risk_level", "trade")
    search_fields = ("name", "credit_code")
    # The ID number is never listed; the product shows it masked.
    form = TargetAdminForm
    fields = TARGET_FIELDS

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form: Any = super().get_form(request, obj, change=change, **kwargs)
        form.subdistrict = obj.subdistrict if obj else getattr(request.user, "subdistrict", None)
        return form

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Target, form: Any, change: bool) -> None:
        fields = _target_fields(form.cleaned_data)
        if change:
            saved = services.target_update(actor=request.user, target_id=obj.pk, **fields)
        else:
            saved = services.target_create(actor=request.user, **fields)
        obj.pk = saved.pk


@admin.register(InspectionMatter)
class InspectionMatterAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "department", "is_active")
    list_filter = ("department", "is_active")
    fields = ("department", "code", "title", "basis", "position")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: InspectionMatter, form: Any, change: bool
    ) -> None:
        data = form.cleaned_data
        saved = services.matter_create(
            actor=request.user,
            department_id=data["department"].pk,
            code=data["code"],
            title=data["title"],
            basis=data.get("basis") or "",
            position=data.get("position") or 0,
        )
        obj.pk = saved.pk


@admin.register(GuardRule)
class GuardRuleAdmin(admin.ModelAdmin):
    list_display = ("risk_level", "max_per_year", "min_interval_days", "subdistrict")
    fields = ("subdistrict", "risk_level", "max_per_year", "min_interval_days")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: GuardRule, form: Any, change: bool) -> None:
        data = form.cleaned_data
        saved = services.guard_rule_set(
            actor=request.user,
            subdistrict_id=data["subdistrict"].pk,
            risk_level=data["risk_level"],
            max_per_year=data["max_per_year"],
            min_interval_days=data["min_interval_days"],
        )
        obj.pk = saved.pk


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "lead_department", "starts_on", "ends_on")
    list_filter = ("kind",)


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ("target", "planned_on", "status", "lead_department", "override_reason")
    list_filter = ("status",)


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyAdmin):
    list_display = ("description", "deadline", "status")
    list_filter = ("status",)


class CaseStepInline(admin.TabularInline):
    model = CaseStep
    fields = ("at", "action", "from_status", "to_status", "note", "actor")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    """Penalty cases move only through the case table (pages, API): read here, with their
    timeline."""

    list_display = ("title", "target", "status", "procedure", "clock", "clock_due_at", "lead_at")
    list_filter = ("status", "procedure", "outcome")
    search_fields = ("title", "target__name")
    list_select_related = ("target",)
    inlines = [CaseStepInline]


@admin.register(Disclosure)
class DisclosureAdmin(ReadOnlyAdmin):
    """双公示 publications: written by the services (publish, withdraw), only read here."""

    list_display = (
        "decision_number",
        "party_name",
        "violation_type",
        "decided_on",
        "published_on",
        "due_on",
        "withdrawn_at",
    )
    list_filter = ("published_on", "penalty_kind")
    search_fields = ("decision_number", "party_name", "violation_type")


class LegalReviewerForm(forms.ModelForm):
    """Designates through the service when the form is checked, so that a refusal (a role that
    may not review, an empty number) is shown on the form under its field."""

    request: Any = None

    class Meta:
        model = LegalReviewer
        fields = ("user", "certificate")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors or self.request is None:
            return data
        user = data.get("user")
        try:
            self.instance = services.legal_reviewer_designate(
                actor=self.request.user,
                user_id=user.pk if user else None,
                certificate=data.get("certificate") or "",
            )
        except ApplicationError as error:
            problems = {
                (single.field if single.field in ("user", "certificate") else "__all__"): str(
                    single.message
                )
                for single in error.errors
            }
            raise ValidationError(problems) from None
        return data


@admin.register(LegalReviewer)
class LegalReviewerAdmin(admin.ModelAdmin):
    list_display = ("user", "certificate", "designated_by", "designated_at", "withdrawn_at")
    list_filter = (("withdrawn_at", admin.EmptyFieldListFilter),)
    list_select_related = ("user", "designated_by")
    form = LegalReviewerForm
    fields = ("user", "certificate")
    actions = ["withdraw"]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form: Any = super().get_form(request, obj, change=change, **kwargs)
        form.request = request
        return form

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: LegalReviewer, form: Any, change: bool) -> None:
        # Designated by the form's check (LegalReviewerForm.clean), in this request's
        # transaction: nothing more to save.
        obj.pk = form.instance.pk

    @admin.action(description=_("Withdraw the designation"))
    def withdraw(self, request: HttpRequest, queryset: QuerySet[LegalReviewer]) -> None:
        for reviewer in queryset.filter(withdrawn_at__isnull=True):
            try:
                services.legal_reviewer_withdraw(actor=request.user, user_id=reviewer.user_id)
            except ApplicationError as error:
                self.message_user(request, str(error.message), level=messages.ERROR)
