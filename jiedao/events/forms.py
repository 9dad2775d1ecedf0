"""Forms of the event pages. They parse what the browser sends into the types the services take;
every rule (category, location, photos, permissions) is checked by the service, whose errors are
put back next to the field they name (:func:`add_service_error`)."""

from collections.abc import Collection
from datetime import date
from typing import Any, TypedDict, cast

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiedao.core.errors import ApplicationError, InvalidInput

from .schemas import APPROVE_INVALID, SATISFACTION_INVALID, WORKING_DAYS_INVALID, parse_approve
from .workflow import REPORT_SOURCES, Source, Urgency


class ReportForm(forms.Form):
    # Lengths, codes and what is required are the service's to check: its messages name the
    # field by its label (the form's own would say "this value").
    category = forms.CharField(label=_("Category"), required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    lat = forms.FloatField(label=_("Latitude"), required=False)
    lng = forms.FloatField(label=_("Longitude"), required=False)
    grid = forms.CharField(label=_("Grid code"), required=False)
    address = forms.CharField(label=_("Address"), required=False)
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL, required=False
    )
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices, required=False)
    reporter_name = forms.CharField(label=_("Reporter's name"), required=False)
    reporter_phone = forms.CharField(label=_("Reporter's phone"), required=False)
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
        for name in ("lat", "lng"):
            self.fields[name].error_messages["invalid"] = gettext("%(field)s must be a number.") % {
                "field": self.fields[name].label
            }

    def add_service_error(self, error: ApplicationError, *, skip: Collection[str] = ()) -> None:
        """Show each of a service's errors beside the field it names, with the field's label as
        this form shows it (or above the form when it names none of the form's fields); not
        for the fields in ``skip``, which have a message of the form's own."""
        for single in error.errors:
            name = self.FIELD_ALIASES.get(single.field or "", single.field or "")
            if name in skip or (name == "lat" and "lng" in skip):
                continue
            if name in ("photos", "after_photos"):
                self.photo_errors[name] = str(single.message)
            elif name in self.fields and name != "client_uuid":
                label = self.fields[name].label
                self.add_error(name, str(single.relabelled(label).message))
            else:
                self.add_error(None, str(single.message))


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
        return self._problems()[0]

    def all_errors(self, service_error: ApplicationError | None = None) -> ApplicationError:
        """Every problem of an invalid form, as one error naming each field by its label, with
        the service's problems (``service_error``, from the service's checks of the values the
        form did give) of the fields the form did not refuse itself."""
        problems: list[ApplicationError] = list(self._problems())
        if service_error is not None:
            problems += [
                single for single in service_error.errors if single.field not in self.errors
            ]
        return InvalidInput.combine(problems)

    def _problems(self) -> list[InvalidInput]:
        problems: list[InvalidInput] = []
        for name, messages in self.errors.items():
            label = self.fields[name].label if name in self.fields else name
            problems.extend(
                InvalidInput(
                    gettext("%(field)s: %(problem)s") % {"field": label, "problem": problem},
                    field=name,
                )
                for problem in messages
            )
        return problems
