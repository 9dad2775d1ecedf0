"""Forms of the sanitation pages: they carry the request's values to the services, which check
the content and name a wrong field by its label (so the page, the API and the admin refuse the
same input with the same words)."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .workflow import CreditKind, FindingKind, FindingRoute, UnitKind, WasteClass

FINDING_SLOTS = 3
YES_NO = [("yes", _("Yes, sorted correctly")), ("no", _("No, not sorted correctly"))]


class CheckedByService(forms.Form):
    """A form whose fields the service checks: none is required here, so that an empty field
    is reported by the service with its label, together with every other problem."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class DropOffForm(CheckedByService):
    account_number = forms.CharField(
        label=_("Account number"),
        max_length=24,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    waste_class = forms.ChoiceField(
        label=_("Waste class"), choices=WasteClass.choices, widget=forms.RadioSelect
    )
    weight_kg = forms.CharField(
        label=_("Weight (kg)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    is_correct = forms.ChoiceField(
        label=_("Sorted correctly"), choices=YES_NO, widget=forms.RadioSelect
    )
    notes = forms.CharField(label=_("Notes"), max_length=200, required=False)
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )


class InspectionForm(CheckedByService):
    notes = forms.CharField(label=_("Notes"), max_length=2000, required=False)
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for slot in range(FINDING_SLOTS):
            self.fields[f"finding_{slot}_kind"] = forms.ChoiceField(
                label=_("Kind of finding"),
                choices=[("", _("— no finding —")), *FindingKind.choices],
                required=False,
            )
            self.fields[f"finding_{slot}_description"] = forms.CharField(
                label=_("Finding %(number)s: description") % {"number": slot + 1},
                max_length=500,
                required=False,
            )
            self.fields[f"finding_{slot}_route"] = forms.ChoiceField(
                label=_("Handled by"), choices=FindingRoute.choices, required=False
            )
            self.fields[f"finding_{slot}_working_days"] = forms.CharField(
                label=_("Working days to rectify"),
                max_length=3,
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "numeric"}),
            )

    def slots(self) -> list[tuple[str, list[forms.BoundField]]]:
        """(legend, fields) of each finding's part of the form."""
        parts = ("kind", "description", "route", "working_days")
        return [
            (
                str(_("Finding %(number)s") % {"number": slot + 1}),
                [self[f"finding_{slot}_{part}"] for part in parts],
            )
            for slot in range(FINDING_SLOTS)
        ]


class WeighInForm(CheckedByService):
    account_number = forms.CharField(label=_("Account number"), max_length=24)
    material = forms.ChoiceField(label=_("Material"))
    quantity = forms.CharField(
        label=_("Quantity"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    credited_as = forms.ChoiceField(
        label=_("Credited as"),
        choices=CreditKind.choices,
        widget=forms.RadioSelect,
        initial="points",
    )

    def __init__(self, *args: Any, materials: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "material").choices = [
            (m.pk, f"{m.name}（{m.price} 元/{m.get_pricing_unit_display()}）") for m in materials
        ]


class RedeemForm(CheckedByService):
    reward = forms.ChoiceField(label=_("Reward"))
    quantity = forms.CharField(
        label=_("Quantity"),
        max_length=3,
        initial="1",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, rewards: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "reward").choices = [
            (r.pk, f"{r.name} · {r.points_cost} 分") for r in rewards
        ]


class HouseholdForm(CheckedByService):
    address = forms.CharField(label=_("Building and room"), max_length=60)
    contact_name = forms.CharField(label=_("Householder"), max_length=50)
    contact_phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    people = forms.CharField(label=_("People in the household"), max_length=3, initial="1")


class UnitForm(CheckedByService):
    kind = forms.ChoiceField(label=_("Kind of unit"), choices=UnitKind.choices)
    name = forms.CharField(label=_("Unit name"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    credit_code = forms.CharField(
        label=_("Unified social credit code"), max_length=18, required=False
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("Phone"), max_length=20, required=False)


class LookupForm(CheckedByService):
    number = forms.CharField(
        label=_("Account number"),
        max_length=24,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    code = forms.CharField(
        label=_("Lookup code"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
