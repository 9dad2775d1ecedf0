"""Writes to the register of enforcement targets: one at a time, or a whole file, all or nothing."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import get_in_scope, require
from jiedao.core.coordinates import CRS
from jiedao.core.errors import InvalidInput
from jiedao.core.text import clean_text
from jiedao.core.updates import model_create, model_update
from jiedao.geo.location import locate
from jiedao.geo.models import Grid, Subdistrict

from ..codes import credit_code_problem, id_number_problem
from ..models import RiskLevel, Target

LABELS = {
    "kind": _("Kind"),
    "name": _("Name"),
    "credit_code": _("Unified social credit code"),
    "id_number": _("ID number"),
    "address": _("Address"),
    "lat": _("Latitude"),
    "lng": _("Longitude"),
    "trade": _("Trade"),
    "risk_level": _("Risk level"),
}
CREDIT_CODE_PROBLEMS = {
    "length": _("%(field)s must have 18 characters."),
    "charset": _(
        "%(field)s may contain only digits and the capital letters A–Y other than I, O, Z, S and V."
    ),
    "authority": _(
        "%(field)s: the first two characters are not a registration authority and entity kind "
        "of GB 32100."
    ),
    "division": _("%(field)s: characters 3 to 8 must be the digits of an administrative division."),
    "check": _("%(field)s: the check character (the last one) is wrong; check the code again."),
}
ID_PROBLEMS = {
    "length": _("%(field)s must be 17 digits followed by a digit or X."),
    "check": _("%(field)s: the check character (the last one) is wrong; check the number again."),
}


@dataclass(frozen=True)
class TargetData:
    """A target's fields, checked: what :func:`target_clean` answers."""

    kind: str
    name: str
    credit_code: str
    id_number: str
    address: str
    lat: float | None
    lng: float | None
    grid: Grid | None
    trade: str
    risk_level: str

    def fields(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "credit_code": self.credit_code,
            "id_number": self.id_number,
            "address": self.address,
            "lat": self.lat,
            "lng": self.lng,
            "grid": self.grid,
            "trade": self.trade,
            "risk_level": self.risk_level,
        }


def _invalid(field: str, message: Any, code: str = "invalid") -> InvalidInput:
    return InvalidInput(message % {"field": LABELS[field]}, code=code, field=field)


def target_clean(
    *,
    subdistrict: Subdistrict,
    kind: str,
    name: str,
    credit_code: str = "",
    id_number: str = "",
    address: str = "",
    lat: float | None = None,
    lng: float | None = None,
    crs: CRS | str = CRS.WGS84,
    trade: str = "",
    risk_level: str = RiskLevel.LOW,
) -> TargetData:
    """Check a target's fields; a 422 naming the first wrong field by its label."""
    if kind not in Target.Kind.values:
        raise _invalid("kind", _("%(field)s must be a business or a natural person."))
    name = clean_text(name, field="name", label=LABELS["name"], max_length=200, required=True)
    credit_code = clean_text(
        credit_code, field="credit_code", label=LABELS["credit_code"], max_length=40
    ).upper()
    id_number = clean_text(
        id_number, field="id_number", label=LABELS["id_number"], max_length=40
    ).upper()
    if kind == Target.Kind.BUSINESS:
        if not credit_code:
            raise _invalid("credit_code", _("%(field)s is required."), "required")
        problem = credit_code_problem(credit_code)
        if problem:
            raise _invalid("credit_code", CREDIT_CODE_PROBLEMS[problem], problem)
        id_number = ""
    else:
        if not id_number:
            raise _invalid("id_number", _("%(field)s is required."), "required")
        problem = id_number_problem(id_number)
        if problem:
            raise _invalid("id_number", ID_PROBLEMS[problem], problem)
        credit_code = ""
    address = clean_text(address, field="address", label=LABELS["address"], max_length=300)
    trade = clean_text(trade, field="trade", label=LABELS["trade"], max_length=100)
    if risk_level not in RiskLevel.values:
        raise _invalid("risk_level", _("%(field)s must be low, medium or high."))
    grid = None
    for field, value in (("lat", lat), ("lng", lng)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise _invalid(field, _("%(field)s must be a number."))
    if (lat is None) != (lng is None):
        raise _invalid("lat", _("%(field)s: give both latitude and longitude, or neither."))
    if lat is not None:
        try:
            location = locate(lat=lat, lng=lng, crs=crs, grid_code="")
        except InvalidInput as error:
            raise InvalidInput(
                _("%(field)s: %(problem)s") % {"field": LABELS["lat"], "problem": error.message},
                code=error.code,
                field="lat",
            ) from None
        if location.grid.community.subdistrict_id != subdistrict.pk:
            raise _invalid("lat", _("%(field)s: the point lies outside the subdistrict."))
        lat, lng, grid = location.lat, location.lng, location.grid
    return TargetData(
        kind=kind,
        name=name,
        credit_code=credit_code,
        id_number=id_number,
        address=address,
        lat=lat,
        lng=lng,
        grid=grid,
        trade=trade,
        risk_level=risk_level,
    )


def _check_unique(subdistrict: Subdistrict, data: TargetData, exclude_pk: int | None) -> None:
    existing = Target.objects.filter(subdistrict=subdistrict)
    if exclude_pk is not None:
        existing = existing.exclude(pk=exclude_pk)
    if data.credit_code and existing.filter(credit_code=data.credit_code).exists():
        raise _invalid("credit_code", _("%(field)s: a target with this code is registered."))
    if data.id_number and existing.filter(id_number=data.id_number).exists():
        raise _invalid("id_number", _("%(field)s: a target with this number is registered."))


def _subdistrict_of(actor: Any) -> Subdistrict:
    subdistrict = getattr(actor, "subdistrict", None)
    if subdistrict is None:
        raise InvalidInput(_("Your account belongs to no subdistrict."), code="no_subdistrict")
    return subdistrict


@transaction.atomic
def target_create(
    *, actor: Any, subdistrict: Subdistrict | None = None, is_synthetic: bool = False, **fields: Any
) -> Target:
    """Register a target (``fields`` as :func:`target_clean` takes them)."""
    require(actor, "enforcement.target_manage")
    subdistrict = subdistrict or _subdistrict_of(actor)
    data = target_clean(subdistrict=subdistrict, **fields)
    _check_unique(subdistrict, data, None)
    return model_create(
        model=Target,
        data={"subdistrict": subdistrict, "is_synthetic": is_synthetic, **data.fields()},
        actor=actor,
        action="enforcement.target_create",
    )


@transaction.atomic
def target_update(*, actor: Any, target_id: int, **fields: Any) -> Target:
    require(actor, "enforcement.target_manage")
    target = get_in_scope(actor, Target.objects.select_for_update(), pk=target_id)
    data = target_clean(subdistrict=target.subdistrict, **fields)
    _check_unique(target.subdistrict, data, target.pk)
    model_update(
        instance=target, data=data.fields(), actor=actor, action="enforcement.target_update"
    )
    return target


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@transaction.atomic
def targets_import(
    *,
    actor: Any,
    rows: Sequence[tuple[int, dict[str, Any]]],
    subdistrict: Subdistrict | None = None,
) -> list[Target]:
    """Register every row of a file (row number → fields), all or nothing: a file with a wrong
    row writes nothing and the 422 lists every wrong row with its column's label."""
    require(actor, "enforcement.target_manage")
    subdistrict = subdistrict or _subdistrict_of(actor)
    errors: list[RowError] = []
    checked: list[TargetData] = []
    seen: dict[str, int] = {}
    for number, fields in rows:
        try:
            data = target_clean(subdistrict=subdistrict, **fields)
            _check_unique(subdistrict, data, None)
        except InvalidInput as error:
            errors.append(
                RowError(number, str(LABELS.get(error.field or "", "")), str(error.message))
            )
            continue
        key = data.credit_code or data.id_number
        if key in seen:
            field = "credit_code" if data.credit_code else "id_number"
            message = _("%(field)s: the same as row %(row)s.") % {
                "field": LABELS[field],
                "row": seen[key],
            }
            errors.append(RowError(number, str(LABELS[field]), str(message)))
            continue
        seen[key] = number
        checked.append(data)
    if not rows:
        raise InvalidInput(_("The file has no rows of targets."), code="empty", field="file")
    if errors:
        first = errors[0]
        raise InvalidInput(
            _("Row %(row)s: %(message)s (%(count)s wrong rows; nothing was imported.)")
            % {"row": first.row, "message": first.message, "count": len({e.row for e in errors})},
            code="invalid_rows",
            field="file",
            extra={
                "errors": [
                    {"row": error.row, "column": error.column, "message": error.message}
                    for error in errors
                ]
            },
        )
    return [
        model_create(
            model=Target,
            data={"subdistrict": subdistrict, **data.fields()},
            actor=actor,
            action="enforcement.target_import",
        )
        for data in checked
    ]
