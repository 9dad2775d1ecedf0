"""Forms of the account administration pages: they parse what the browser sends into the typed
values the services take; the rules are the services' (their errors come back beside the field
they name)."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jiedao.geo import selectors as geo_selectors

from .models import Role

ACTIVE_CHOICES = [("", _("All")), ("1", _("Active")), ("0", _("Deactivated"))]


def place_choices(user: Any) -> list[tuple[Any, Any]]:
    """The places of the administrator's scope, grouped by kind, as ``kind:id`` values."""
    groups: list[tuple[Any, Any]] = [
        (
            _("Subdistrict"),
            [(f"subdistrict:{s.pk}", s.name) for s in geo_selectors.subdistrict_list(user=user)],
        ),
        (
            _("Communities and villages"),
            [
                (f"community:{c.pk}", f"{c.name} ({c.code})")
                for c in geo_selectors.community_list(user=user)
            ],
        ),
        (
            _("Grids"),
            [
                (f"grid:{g.pk}", f"{g.community.name} · {g.name} ({g.code})")
                for g in geo_selectors.grid_list(user=user)
            ],
        ),
        (
            _("Departments"),
            [(f"department:{d.pk}", d.name) for d in geo_selectors.department_list(user=user)],
        ),
    ]
    return [group for group in groups if group[1]]


class PlaceField(forms.ChoiceField):
    """A subdistrict, community, grid or department of the user's scope, chosen from a list."""

    def __init__(self, *, user: Any, **kwargs: Any) -> None:
        super().__init__(choices=[("", "—"), *place_choices(user)], **kwargs)
        self.user = user

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        if not value:
            return None
        return value

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if value is None:
            return None
        kind, _sep, pk = str(value).partition(":")
        readers: dict[str, Callable[..., QuerySet[Any]]] = {
            "subdistrict": geo_selectors.subdistrict_list,
            "community": geo_selectors.community_list,
            "grid": geo_selectors.grid_list,
            "department": geo_selectors.department_list,
        }
        place = readers[kind](user=self.user).filter(pk=int(pk)).first()
        if place is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"] % {"value": value})
        return place


def place_value(place: Any) -> str:
    return "" if place is None else f"{place._meta.model_name}:{place.pk}"


class UserFilterForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), required=False)
    place = forms.ChoiceField(label=_("Scope"), required=False)
    active = forms.ChoiceField(label=_("Status"), choices=ACTIVE_CHOICES, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"] = forms.ChoiceField(
            label=_("Role"), choices=[("", _("All")), *Role.choices], required=False
        )
        self.fields["place"] = PlaceField(user=user, label=_("Scope"), required=False)

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        active = self.cleaned_data["active"]
        return {
            "role": self.cleaned_data["role"],
            "place": self.cleaned_data["place"],
            "active": None if active == "" else active == "1",
        }


class UserForm(forms.Form):
    """Create (with a username) or change a user."""

    username = forms.CharField(label=_("Username"), required=False, max_length=150)
    full_name = forms.CharField(label=_("Display name"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    scope = forms.ChoiceField(label=_("Scope"), required=False)

    def __init__(self, *args: Any, user: Any, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scope"] = PlaceField(
            user=user,
            label=_("Scope"),
            required=False,
            help_text=_(
                "A grid for a grid worker; a community or village for a grid lead (and for a "
                "social organisation serving one, else the subdistrict); a department for "
                "department handlers and enforcement officers; the subdistrict for "
                "dispatchers, leaders and administrators; none for a resident."
            ),
        )
        if not creating:
            del self.fields["username"]
