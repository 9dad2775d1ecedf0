from django import forms
from django.utils.translation import gettext_lazy as _

from jiedao.events.services import MAX_DESCRIPTION

from .rating import Rating
from .services import MAX_COMMENT


class ReportForm(forms.Form):
    """The resident's report. The rules that need the database (category, location in a grid,
    phone, photos) are the intake service's; this form only reads the fields."""

    category = forms.CharField(label=_("What kind of problem?"), max_length=20)
    description = forms.CharField(
        label=_("Describe the problem"),
        max_length=MAX_DESCRIPTION,
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


class RateForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied are you with the result?"),
        choices=Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how satisfied you are.")},
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
