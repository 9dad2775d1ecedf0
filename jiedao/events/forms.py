"""Forms of the event pages. They parse what the browser sends into the types the services take;
every rule (category, location, photos, permissions) is checked by the service, whose errors are
put back next to the field they name (:func:`add_service_error`)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jiedao.core.errors import ApplicationError

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


class ActionForm(forms.Form):
    """The data any workflow action may carry; the service says which is required."""

    note = forms.CharField(required=False)
    reason = forms.CharField(required=False)
    department = forms.CharField(required=False)
    departments = forms.MultipleChoiceField(required=False)
    working_days = forms.IntegerField(required=False)
    approve = forms.ChoiceField(choices=[("true", "true"), ("false", "false")], required=False)
    satisfaction = forms.IntegerField(required=False)
    primary = forms.CharField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Department codes are checked by the service (422 naming the field), not here.
        self.fields["departments"].valid_value = lambda value: True  # type: ignore[attr-defined]

    def service_data(self) -> dict[str, Any]:
        """The cleaned values that were given, as the service's keyword arguments."""
        data: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if value in (None, "", []):
                continue
            data[name] = (value == "true") if name == "approve" else value
        return data
