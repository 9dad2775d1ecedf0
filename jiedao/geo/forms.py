"""Forms of the administration pages for places and departments: they parse what the browser
sends into the typed values the services take; the services' errors come back beside the
field they name."""

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Department

# An uploaded boundary file: a subdistrict's grids are well under this.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class NameForm(forms.Form):
    name = forms.CharField(label=_("Name"), required=False)


class GridForm(forms.Form):
    name = forms.CharField(label=_("Name"), required=False)
    code = forms.CharField(
        label=_("Code"),
        required=False,
        help_text=_("15 digits: the community's 12, then the grid's number (001–999)."),
    )


class DepartmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), required=False)
    code = forms.CharField(
        label=_("Code"),
        required=False,
        help_text=_("Lower-case letters, digits and hyphens; it cannot change later."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Department.Kind.choices)
    duties = forms.CharField(
        label=_("Duties"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One duty per line."),
    )
    phone = forms.CharField(label=_("Phone"), required=False)

    def __init__(self, *args: Any, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["code"]


class BoundaryUploadForm(forms.Form):
    file = forms.FileField(
        label=_("GeoJSON file"),
        required=False,
        help_text=_(
            "A FeatureCollection in WGS-84 whose features carry the grid's code and name as "
            "properties. A code that exists redraws that grid; a new code creates a grid."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is None:
            raise forms.ValidationError(_("Choose a GeoJSON file to upload."), code="required")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_BYTES // 2**20},
                code="too_large",
            )
        return parse_geojson(upload.read())


class BoundaryConfirmForm(forms.Form):
    """The previewed file, sent back as it was shown: it is checked again before it is saved."""

    geojson = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_geojson(self) -> Any:
        return parse_geojson(self.cleaned_data["geojson"].encode())


def parse_geojson(content: bytes) -> Any:
    try:
        return json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise forms.ValidationError(
            _("The file is not GeoJSON: it cannot be read as UTF-8 JSON."), code="bad_geojson"
        ) from None
