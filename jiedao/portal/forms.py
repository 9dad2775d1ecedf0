from collections.abc import Collection
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jiedao.core.errors import ApplicationError

from .rating import Rating


class ReportForm(forms.Form):
    """The resident's report. The rules that need the database (category, location in a grid,
    phone, photos) are the intake service's; this form only reads the fields."""

    # Required and bounded by the intake, whose messages name the field by the label below.
    category = forms.CharField(label=_("What kind of problem?"), required=False)
    description = forms.CharField(
        label=_("Describe the problem"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, widget=forms.HiddenInput)
    address = forms.CharField(label=_("Where exactly? (optional)"), max_length=200, required=False)
    reporter_name = forms.CharField(label=_("Your name (optional)"), max_length=100, required=False)
    reporter_phone = forms.CharField(
        label=_("Your phone (optional)"), max_length=30, required=False
    )
    client_uuid = forms.UUIDField(widget=forms.HiddenInput)
    # The honeypot: hidden from people, filled in by form-filling robots.
    website = forms.CharField(required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.photo_errors: list[str] = []

    def add_service_error(self, error: ApplicationError, *, skip: Collection[str] = ()) -> None:
        """Each of the intake's problems beside its field, named by this form's label; where
        the location is wrong, beside the map (the coordinates are hidden fields)."""
        for single in error.errors:
            name = "lat" if single.field in ("lat", "lng", "grid") else single.field or ""
            if name in skip:
                continue
            if name == "photos":
                self.photo_errors.append(str(single.message))
            elif name in self.fields and name not in ("client_uuid", "website"):
                label = self.fields[name].label or _("Where is it?")
                self.add_error(name, str(single.relabelled(label).message))
            else:
                self.add_error(None, str(single.message))


class RateForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied are you with the result?"),
        choices=Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how satisfied you are."),
            "invalid_choice": _("Choose how satisfied you are."),
        },
    )
    # Bounded by the service, whose message names the field.
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("What is still wrong?"), required=False)

    def add_service_error(self, error: ApplicationError) -> None:
        """The service's problems with the reason beside it: a missing one asked for in the
        words of the form's question; the others above the form."""
        for single in error.errors:
            if single.field != "reason":
                self.add_error(None, str(single.message))
            elif single.code == "required":
                self.add_error("reason", str(_("Say what is still wrong.")))
            else:
                self.add_error("reason", str(single.relabelled(_("Reason")).message))


class FollowForm(forms.Form):
    number = forms.CharField(label=_("Tracking number"), max_length=40)
    code = forms.CharField(label=_("Follow code"), max_length=20)
