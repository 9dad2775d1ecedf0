"""Waste sorting in the Django admin. The configuration (compounds, collection points, points
rules, recycling prices, rewards) is written through the same services as everywhere else, so
that their checks and audit entries apply and a refusal shows on the form by the field's label;
the records, the accounts and the ledger are written by the product's pages and API and are
read-only here."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jiedao.core.errors import ApplicationError

from . import services
from .models import (
    Account,
    CollectionPoint,
    Compound,
    DropOff,
    Household,
    Inspection,
    PointsEntry,
    PointsRule,
    Rectification,
    RecyclingMaterial,
    Reward,
    SmartBin,
    Unit,
    WeighIn,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ServiceForm(forms.ModelForm):
    """Saves through a service when the form is checked: ``save_with(actor, data, instance)``
    returns the saved row, or raises the service's error, shown beside its field."""

    actor: Any = None
    saved: models.Model | None = None
    save_with: Callable[..., models.Model]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            self.saved = type(self).save_with(self.actor, data, self.instance)
        except ApplicationError as error:
            problems: dict[str | None, list[str]] = {}
            for single in error.errors:
                field = single.field if single.field in self.fields else None
                problems.setdefault(field, []).append(str(single.message))
            raise forms.ValidationError(problems) from None  # type: ignore[arg-type]
        return data


class ServiceAdmin(admin.ModelAdmin):
    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user  # type: ignore[attr-defined]
        return form

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # Saved (and audited) by the form through the service; nothing more to save.
        obj.pk = form.saved.pk


def _subdistrict_id(actor: Any, instance: models.Model) -> int:
    return getattr(instance, "subdistrict_id", None) or actor.subdistrict_id or 0


class PointsRuleForm(ServiceForm):
    class Meta:
        model = PointsRule
        fields = ("trigger", "points", "daily_cap")

    @staticmethod
    def save_with(actor: Any, data: dict[str, Any], instance: PointsRule) -> PointsRule:
        return services.points_rule_save(
            actor=actor,
            subdistrict_id=_subdistrict_id(actor, instance),
            trigger=data["trigger"],
            points=data["points"],
            daily_cap=data.get("daily_cap"),
        )


@admin.register(PointsRule)
class PointsRuleAdmin(ServiceAdmin):
    """A rule is never edited: saving puts a new one in force and retires the old one."""

    form = PointsRuleForm
    list_display = ("trigger", "points", "daily_cap", "is_active")
    list_filter = ("is_active",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None


class MaterialForm(ServiceForm):
    class Meta:
        model = RecyclingMaterial
        fields = ("name", "pricing_unit", "price", "is_active")

    @staticmethod
    def save_with(
        actor: Any, data: dict[str, Any], instance: RecyclingMaterial
    ) -> RecyclingMaterial:
        return services.material_save(
            actor=actor,
            subdistrict_id=_subdistrict_id(actor, instance),
            name=data["name"],
            pricing_unit=data["pricing_unit"],
            price=data["price"],
            material_id=instance.pk,
            is_active=data["is_active"],
        )


@admin.register(RecyclingMaterial)
class MaterialAdmin(ServiceAdmin):
    form = MaterialForm
    list_display = ("name", "pricing_unit", "price", "is_active")


class RewardForm(ServiceForm):
    class Meta:
        model = Reward
        fields = ("kind", "name", "points_cost", "stock", "is_active")

    @staticmethod
    def save_with(actor: Any, data: dict[str, Any], instance: Reward) -> Reward:
        return services.reward_save(
            actor=actor,
            subdistrict_id=_subdistrict_id(actor, instance),
            kind=data["kind"],
            name=data["name"],
            points_cost=data["points_cost"],
            stock=data.get("stock"),
            reward_id=instance.pk,
            is_active=data["is_active"],
        )


@admin.register(Reward)
class RewardAdmin(ServiceAdmin):
    form = RewardForm
    list_display = ("name", "kind", "points_cost", "stock", "is_active")


class CompoundForm(ServiceForm):
    grid_code = forms.CharField(label=_("Grid code"), max_length=15)
    department_code = forms.CharField(
        label=_("Managing department code"), max_length=50, required=False
    )

    class Meta:
        model = Compound
        fields = ("name", "code", "address", "lat", "lng")

    @staticmethod
    def save_with(actor: Any, data: dict[str, Any], instance: Compound) -> Compound:
        return services.compound_create(
            actor=actor,
            grid_code=data["grid_code"],
            name=data["name"],
            code=data["code"],
            address=data.get("address", ""),
            managing_department=data.get("department_code", ""),
            lat=data.get("lat"),
            lng=data.get("lng"),
        )


@admin.register(Compound)
class CompoundAdmin(ServiceAdmin):
    """Compounds are added here; a compound under management is not edited in place."""

    form = CompoundForm
    list_display = ("name", "code", "grid", "managing_department", "is_active", "is_synthetic")
    search_fields = ("name", "code")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None


class CollectionPointForm(ServiceForm):
    class Meta:
        model = CollectionPoint
        fields = (
            "compound",
            "name",
            "responsible_party",
            "responsible_phone",
            "opening_hours",
            "lat",
            "lng",
        )

    @staticmethod
    def save_with(actor: Any, data: dict[str, Any], instance: CollectionPoint) -> CollectionPoint:
        return services.collection_point_create(
            actor=actor,
            compound_id=data["compound"].pk,
            name=data["name"],
            responsible_party=data["responsible_party"],
            responsible_phone=data.get("responsible_phone", ""),
            opening_hours=data.get("opening_hours", ""),
            lat=data.get("lat"),
            lng=data.get("lng"),
        )


@admin.register(CollectionPoint)
class CollectionPointAdmin(ServiceAdmin):
    form = CollectionPointForm
    list_display = ("name", "compound", "responsible_party", "is_active")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = ("compound", "address", "registered_on", "moved_out_on")
    list_filter = ("compound",)
    exclude = ("contact_name", "contact_phone")


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "grid", "compound")
    exclude = ("contact_name", "contact_phone")


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ("number", "holder_kind", "compound", "points_balance", "is_active")
    search_fields = ("number",)
    exclude = ("code_salt",)


@admin.register(SmartBin)
class SmartBinAdmin(ReadOnlyAdmin):
    list_display = ("code", "collection_point", "waste_class", "last_seen_at")


@admin.register(DropOff)
class DropOffAdmin(ReadOnlyAdmin):
    list_display = (
        "dropped_at",
        "account",
        "collection_point",
        "waste_class",
        "weight_kg",
        "is_correct",
    )
    list_filter = ("waste_class", "is_correct", "source")


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ("inspected_on", "collection_point", "inspector")


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyAdmin):
    list_display = ("deadline", "compound", "responsible_party", "status", "returns")
    list_filter = ("status",)


@admin.register(WeighIn)
class WeighInAdmin(ReadOnlyAdmin):
    list_display = (
        "weighed_at",
        "account",
        "material",
        "quantity",
        "value",
        "credited_as",
        "points",
    )


@admin.register(PointsEntry)
class PointsEntryAdmin(ReadOnlyAdmin):
    list_display = ("booked_at", "account", "kind", "points", "balance_after", "description")
    list_filter = ("kind",)
