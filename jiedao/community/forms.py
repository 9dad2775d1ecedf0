"""Forms of the community pages: they parse the request into the typed values the services
take; the services check the content and name a wrong field by its label."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Need, Organisation


def _field(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


STAFF_SOURCE_CHOICES = [
    (Need.Source.SURVEY, Need.Source.SURVEY.label),
    (Need.Source.VISIT, Need.Source.VISIT.label),
    (Need.Source.EVENT, Need.Source.EVENT.label),
]


class NeedForm(forms.Form):
    community = forms.TypedChoiceField(label=_("Community"), coerce=int)
    group = forms.ChoiceField(label=_("Group concerned"))
    source = forms.ChoiceField(label=_("Source"), choices=STAFF_SOURCE_CHOICES)
    title = forms.CharField(label=_("Title"), max_length=100)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)

    def __init__(self, *args: object, communities: list, groups: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        _field(self, "community").choices = [(c.pk, c.name) for c in communities]
        _field(self, "group").choices = [(g.code, g.name) for g in groups]


class PublicNeedForm(forms.Form):
    community = forms.TypedChoiceField(label=_("Community where you live"), coerce=int)
    group = forms.ChoiceField(label=_("Who needs it"))
    title = forms.CharField(label=_("What is needed"), max_length=100)
    description = forms.CharField(
        label=_("Details"), widget=forms.Textarea, required=False, max_length=2000
    )
    contact_name = forms.CharField(label=_("Your name"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30)

    def __init__(self, *args: object, communities: list, groups: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        _field(self, "community").choices = [("", "—"), *[(c.pk, c.name) for c in communities]]
        _field(self, "group").choices = [("", "—"), *[(g.code, g.name) for g in groups]]


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=30)
    kind = forms.ChoiceField(label=_("Kind"), choices=Organisation.Kind.choices)
    services = forms.CharField(label=_("Services offered"), widget=forms.Textarea)
    communities = forms.TypedMultipleChoiceField(label=_("Communities served"), coerce=int)

    def __init__(self, *args: object, communities: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        _field(self, "communities").choices = [(c.pk, c.name) for c in communities]


class EntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[])
    amount = forms.CharField(label=_("Amount (yuan)"), max_length=30)
    description = forms.CharField(label=_("Description"), max_length=200)
    booked_on = forms.DateField(label=_("Booked on"), required=False)
    commitment = forms.TypedChoiceField(
        label=_("Commitment"), coerce=int, required=False, empty_value=None
    )
    organisation = forms.TypedChoiceField(
        label=_("Social organisation"), coerce=int, required=False, empty_value=None
    )

    def __init__(
        self, *args: object, commitments: list, organisations: list, **kwargs: object
    ) -> None:
        from .models import FundEntry

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        _field(self, "kind").choices = FundEntry.Kind.choices
        _field(self, "commitment").choices = [
            ("", "—"),
            *[(e.pk, f"{e.description}（{left}）") for e, left in commitments],
        ]
        _field(self, "organisation").choices = [("", "—"), *[(o.pk, o.name) for o in organisations]]


class PeriodForm(forms.Form):
    since = forms.DateField(label=_("From"))
    until = forms.DateField(label=_("To"))

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("To must not be before From."))
        return data
