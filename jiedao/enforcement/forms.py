"""The forms of the enforcement pages: they turn the posted strings into the typed values the
services take (the same as the API's schemas); what is right or wrong is the services' question."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jiedao.core.errors import InvalidInput

from .models import RiskLevel, Target
from .workflow import ActionKind, ItemResult


def cleaned(form: forms.Form) -> dict[str, Any]:
    """The form's typed values, or a 422 naming the first wrong field by its label."""
    if form.is_valid():
        return dict(form.cleaned_data)
    name, errors = next(iter(form.errors.items()))
    label = form.fields[name].label if name in form.fields else name
    raise InvalidInput(f"{label}：{errors[0]}", code="invalid", field=name)


class TargetForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Target.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    credit_code = forms.CharField(label=_("Unified social credit code"), required=False)
    id_number = forms.CharField(label=_("ID number"), required=False)
    address = forms.CharField(label=_("Address"), required=False)
    lat = forms.FloatField(label=_("Latitude"), required=False)
    lng = forms.FloatField(label=_("Longitude"), required=False)
    crs = forms.ChoiceField(
        label=_("Coordinate system"),
        choices=[("wgs84", "WGS-84"), ("gcj02", "GCJ-02"), ("bd09", "BD-09")],
        initial="wgs84",
    )
    trade = forms.CharField(label=_("Trade"), required=False)
    risk_level = forms.ChoiceField(
        label=_("Risk level"), choices=RiskLevel.choices, initial=RiskLevel.LOW
    )


class ActionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[c for c in ActionKind.choices if c[0] != ActionKind.RANDOM]
    )
    title = forms.CharField(label=_("Title"), required=False)
    starts_on = forms.DateField(label=_("Starts on"))
    ends_on = forms.DateField(label=_("Ends on"))


class DrawForm(forms.Form):
    title = forms.CharField(label=_("Title"), required=False)
    starts_on = forms.DateField(label=_("Starts on"))
    ends_on = forms.DateField(label=_("Ends on"))
    size = forms.IntegerField(label=_("Targets to draw"))
    trade = forms.CharField(label=_("Trade"), required=False)
    risk_level = forms.ChoiceField(
        label=_("Risk level"), choices=[("", "—"), *RiskLevel.choices], required=False
    )
    seed = forms.CharField(label=_("Draw seed"), required=False)


class PlanForm(forms.Form):
    action_id = forms.IntegerField(label=_("Enforcement action"))
    target_id = forms.IntegerField(label=_("Enforcement target"))
    planned_on = forms.DateField(label=_("Planned on"))
    joining_department_ids = forms.TypedMultipleChoiceField(
        label=_("Joining departments"), coerce=int, required=False, choices=[]
    )
    override_reason = forms.CharField(label=_("Override reason"), required=False)

    def __init__(self, *args: Any, departments: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        field: Any = self.fields["joining_department_ids"]
        field.choices = [(d.pk, d.name) for d in departments]


class ItemForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result"),
        choices=[(v, l) for v, l in ItemResult.choices if v != ItemResult.PENDING],
    )
    notes = forms.CharField(label=_("Notes"), required=False)
    working_days = forms.IntegerField(label=_("Working days to rectify"), required=False)


class FindingForm(forms.Form):
    description = forms.CharField(label=_("Problem"), required=False)
    working_days = forms.IntegerField(label=_("Working days to rectify"), required=False)
    event_number = forms.CharField(label=_("Event"), required=False)


class TransitionForm(forms.Form):
    action = forms.CharField(label=_("Step"))
    text = forms.CharField(label=_("Text"), required=False)


class RecheckForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("Re-check result"),
        choices=[("1", _("Rectified: close")), ("0", _("Not rectified: escalate to a case"))],
        coerce=lambda value: value == "1",
    )
    notes = forms.CharField(label=_("Re-check notes"), required=False)


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Score"), choices=[(str(n), str(n)) for n in range(1, 6)], coerce=int
    )
    comment = forms.CharField(label=_("Comment"), required=False, max_length=500)


class MatterForm(forms.Form):
    department_id = forms.IntegerField(label=_("Department"))
    code = forms.CharField(label=_("Matter code"), required=False)
    title = forms.CharField(label=_("Inspection matter"), required=False)
    basis = forms.CharField(label=_("Legal basis"), required=False)
    position = forms.IntegerField(label=_("sort order"), required=False, min_value=0)
