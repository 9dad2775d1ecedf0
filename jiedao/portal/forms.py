from collections.abc import Collection
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jiedao.core.errors import ApplicationError

from .services import MAX_COMMENT


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
        choices=[(value, str(value)) for value in range(5, 0, -1)],
        coerce=int,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=MAX_COMMENT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FollowForm(forms.Form):
    number = forms.CharField(label=_("Tracking number"), max_length=40)
    code = forms.CharField(label=_("Follow code"), max_length=20)
