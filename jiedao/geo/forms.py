"""Forms of the administration pages for places and departments: they parse what the browser
sends into the typed values the services take; the services' errors come back beside the
field they name."""

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Community, Department

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


# What an uploaded file of each level holds (the import format, the same as the download).
UPLOAD_HELP = {
    "grid": _(
        "A FeatureCollection in WGS-84 whose features carry the grid's code and name as "
        "properties. A code that exists redraws that grid; a new code creates a grid."
    ),
    "community": _(
        "A FeatureCollection in WGS-84 whose features carry the code and name of the community "
        "or village as properties, and its kind (community or village) when it is new. A code "
        "that exists redraws that community or village; a new code creates one."
    ),
}


def _read_upload(upload: Any) -> Any:
    if upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(
            _("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_BYTES // 2**20},
            code="too_large",
        )
    return parse_geojson(upload.read())


class BoundaryUploadForm(forms.Form):
    file = forms.FileField(label=_("GeoJSON file"), required=False)

    def __init__(self, *args: Any, level: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = UPLOAD_HELP[level]

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is None:
            raise forms.ValidationError(_("Choose a GeoJSON file to upload."), code="required")
        return _read_upload(upload)


class CommunityForm(forms.Form):
    """A new community or village. Only the file is read here; the service checks every
    field, the boundary's geometry included."""

    name = forms.CharField(label=_("Name"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Community.Kind.choices)
    code = forms.CharField(
        label=_("Code"),
        required=False,
        help_text=_(
            "12 digits: the subdistrict's 9, then the number of the community or village (001–999)."
        ),
    )
    boundary = forms.FileField(
        label=_("Boundary (GeoJSON file)"),
        required=False,
        help_text=_(
            "A Polygon or MultiPolygon in WGS-84, alone or as the one feature of a Feature or "
            "FeatureCollection, drawn in a GIS tool."
        ),
    )

    def clean_boundary(self) -> Any:
        upload = self.cleaned_data.get("boundary")
        if upload is None:
            return None
        return boundary_of(_read_upload(upload))


def boundary_of(data: Any) -> Any:
    """The geometry a file of one boundary holds: the file itself, a Feature's geometry or the
    geometry of a FeatureCollection's one feature."""
    if not isinstance(data, dict):
        return data
    if data.get("type") == "Feature":
        return data.get("geometry")
    if data.get("type") == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            features = []
        count = len(features)
        if count != 1:
            raise forms.ValidationError(
                _(
                    "The file holds %(count)s features: a community or village has one "
                    "boundary, so the file holds one feature."
                )
                % {"count": count},
                code="bad_geojson",
            )
        feature = features[0]
        return feature.get("geometry") if isinstance(feature, dict) else feature
    return data


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
