"""Forms of the event pages. They parse what the browser sends into the types the services take;
every rule (category, location, photos, permissions) is checked by the service, whose errors are
put back next to the field they name (:func:`add_service_error`)."""

from datetime import date
from typing import Any, TypedDict, cast

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiedao.core.errors import ApplicationError, InvalidInput

from .schemas import APPROVE_INVALID, SATISFACTION_INVALID, WORKING_DAYS_INVALID, parse_approve
from .workflow import REPORT_SOURCES, Source, Urgency


class ReportForm(forms.Form):
    category = forms.CharField(label=_("Category"), required=False, max_length=20)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    lat = forms.FloatField(label=_("Latitude"), required=False)
    lng = forms.FloatField(label=_("Longitude"), required=False)
    grid = forms.CharField(label=_("Grid code"), required=False, max_length=20)
    address = forms.CharField(label=_("Address"), required=False, max_length=200)
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL, required=False
    )
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices, required=False)
    reporter_name = forms.CharField(label=_("Reporter's name"), required=False, max_length=100)
    reporter_phone = forms.CharField(label=_("Reporter's phone"), required=False, max_length=30)
    self_resolved = forms.BooleanField(label=_("Resolved on the spot"), required=False)
    resolution_note = forms.CharField(
        label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    client_uuid = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    # The service names fields as the API does; these are the form's names for them.
    FIELD_ALIASES = {
        "client_key": "client_uuid",
        "photos": "photos",
        "after_photos": "after_photos",
    }

    def __init__(self, *args: Any, role: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sources = REPORT_SOURCES.get(role, ())
        source = self.fields["source"]
        assert isinstance(source, forms.ChoiceField)  # noqa: S101 - declared above
        source.choices = [(value, Source(value).label) for value in sources]
        source.initial = sources[0] if sources else ""
        self.source_count = len(sources)
        self.photo_errors: dict[str, str] = {}

    def add_service_error(self, error: ApplicationError) -> None:
        """Show a service's error beside the field it names (or above the form)."""
        name = self.FIELD_ALIASES.get(error.field or "", error.field or "")
        if name in ("photos", "after_photos"):
            self.photo_errors[name] = str(error.message)
            self.add_error(None, str(error.message))
        elif name in self.fields:
            self.add_error(name, str(error.message))
        else:
            self.add_error(None, str(error.message))


class TransitionValues(TypedDict, total=False):
    """The typed keyword arguments of ``event_transition`` a workflow action form gives."""

    note: str
    reason: str
    department: str
    departments: list[str]
    working_days: int
    approve: bool
    satisfaction: int
    primary: str
    deadline: date


class ActionForm(forms.Form):
    """The data any workflow action may carry, parsed into the types the service takes; the
    service says which is required."""

    note = forms.CharField(label=_("Note"), required=False)
    reason = forms.CharField(label=_("Reason"), required=False)
    department = forms.CharField(label=_("Department"), required=False)
    departments = forms.MultipleChoiceField(label=_("Departments to call"), required=False)
    working_days = forms.IntegerField(
        label=_("Extra working days"),
        required=False,
        error_messages={"invalid": WORKING_DAYS_INVALID},
    )
    approve = forms.CharField(label=_("Decision"), required=False)
    satisfaction = forms.IntegerField(
        label=_("Satisfaction"),
        required=False,
        error_messages={"invalid": SATISFACTION_INVALID},
    )
    primary = forms.CharField(label=_("Merge into event number"), required=False)
    deadline = forms.DateField(
        label=_("Answer by"),
        required=False,
        error_messages={"invalid": _("give a date such as 2026-12-01.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Department codes are checked by the service (422 naming the field), not here.
        self.fields["departments"].valid_value = lambda value: True  # type: ignore[attr-defined]

    def clean_approve(self) -> bool | None:
        value = self.cleaned_data["approve"]
        if value in (None, ""):
            return None
        decision = parse_approve(value)
        if decision is None:
            raise forms.ValidationError(APPROVE_INVALID, code="invalid")
        return decision

    def service_data(self) -> TransitionValues:
        """The cleaned values that were given, as the service's keyword arguments."""
        data: dict[str, Any] = {
            name: value for name, value in self.cleaned_data.items() if value not in (None, "", [])
        }
        return cast(TransitionValues, data)

    def first_error(self) -> InvalidInput:
        """The first problem of an invalid form as the service would say it, naming the field
        by its label."""
        name, problems = next(iter(self.errors.items()))
        label = self.fields[name].label if name in self.fields else name
        return InvalidInput(
            gettext("%(field)s: %(problem)s") % {"field": label, "problem": problems[0]},
            field=name,
        )
