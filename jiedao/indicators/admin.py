from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from jiedao.core.errors import InvalidInput

from .models import Figure, Indicator, Report, Value
from .services import indicator_create
from .services.catalogue import indicator_clean


class IndicatorForm(ModelForm):
    class Meta:
        model = Indicator
        fields = (
            "subdistrict",
            "code",
            "name",
            "definition",
            "kind",
            "unit",
            "display_unit",
            "aggregation",
            "numerator",
            "denominator",
            "department",
            "is_key",
            "position",
        )

    def clean(self) -> dict[str, Any]:
        """The service's own checks, each shown beside its field, before anything is saved."""
        data: dict[str, Any] = super().clean() or {}
        if (
            self.instance.pk is not None
            or not data.get("subdistrict")
            or not data.get("department")
        ):
            return data
        try:
            indicator_clean(
                subdistrict=data["subdistrict"],
                code=data.get("code") or "",
                name=data.get("name") or "",
                kind=data.get("kind") or "",
                unit=data.get("unit") or "",
                display_unit=data.get("display_unit") or "",
                aggregation=data.get("aggregation") or "",
                department=data["department"],
                numerator=data.get("numerator"),
                denominator=data.get("denominator"),
            )
        except InvalidInput as refused:
            for error in refused.errors:
                field = error.field if error.field in self.fields else None
                self.add_error(field, str(error.message))
        return data


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    """New indicators go through :func:`indicator_create`, the same checks and audit entry as
    the API and the demo."""

    form = IndicatorForm
    list_display = ("name", "code", "kind", "display_unit", "aggregation", "department", "is_key")
    list_filter = ("kind", "department", "is_key")
    search_fields = ("name", "code")

    def save_model(self, request: HttpRequest, obj: Indicator, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        data = {name: form.cleaned_data.get(name) for name in IndicatorForm.Meta.fields}
        data["display_unit"] = data["display_unit"] or ""
        data["definition"] = data["definition"] or ""
        data["position"] = data["position"] or 0
        obj.pk = indicator_create(actor=request.user, **data).pk


@admin.register(Value)
class ValueAdmin(admin.ModelAdmin):
    list_display = ("indicator", "year", "period_kind", "number", "value", "target", "source")
    list_filter = ("source", "is_synthetic", "period_kind")
    # Values are entered through the product (form, upload, review), which audits them.
    readonly_fields = [field.name for field in Value._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("file_name", "uploaded_at", "uploaded_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Figure)
class FigureAdmin(admin.ModelAdmin):
    list_display = ("name", "value", "unit", "status", "indicator", "report")
    list_filter = ("status",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
