"""Keeping the catalogue of indicators: what each one counts, in which unit, how its periods add
up, and which department answers for it."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import require
from jiedao.core.errors import ErrorList, InvalidInput
from jiedao.core.text import clean_text
from jiedao.core.updates import model_create
from jiedao.geo.models import Department, Subdistrict

from ..models import Indicator
from ..units import PERCENT, scale_of

CATALOGUE_LABELS = {
    "code": _("Code"),
    "name": _("Name"),
    "unit": _("Unit"),
    "display_unit": _("Display unit"),
    "kind": _("Kind"),
    "aggregation": _("Aggregation"),
    "numerator": _("Numerator"),
    "denominator": _("Denominator"),
    "department": _("Responsible department"),
}


def _choice(value: str, choices: Any, field: str, errors: ErrorList) -> str:
    if value not in choices.values:
        errors.add(
            InvalidInput(
                _("%(field)s must be one of: %(choices)s."),
                params={
                    "field": CATALOGUE_LABELS[field],
                    "choices": "、".join(str(label) for label in choices.labels),
                },
                code="bad_choice",
                field=field,
            )
        )
    return value


def indicator_clean(
    *,
    subdistrict: Subdistrict,
    code: str,
    name: str,
    kind: str,
    unit: str,
    display_unit: str = "",
    aggregation: str = Indicator.Aggregation.SUM,
    department: Department,
    numerator: Indicator | None = None,
    denominator: Indicator | None = None,
) -> dict[str, Any]:
    """A new indicator's fields checked, every problem at once (422 naming each field); the
    admin's form shows them beside its fields before anything is written."""
    errors = ErrorList()
    code = errors.check(
        lambda: clean_text(
            code, field="code", label=CATALOGUE_LABELS["code"], max_length=50, required=True
        ),
        default="",
    )
    name = errors.check(
        lambda: clean_text(
            name, field="name", label=CATALOGUE_LABELS["name"], max_length=100, required=True
        ),
        default="",
    )
    unit = errors.check(
        lambda: clean_text(
            unit, field="unit", label=CATALOGUE_LABELS["unit"], max_length=20, required=True
        ),
        default="",
    )
    display_unit = (display_unit or "").strip() or unit
    _choice(kind, Indicator.Kind, "kind", errors)
    _choice(aggregation, Indicator.Aggregation, "aggregation", errors)
    if unit and scale_of(display_unit, unit) is None:
        errors.add(
            InvalidInput(
                _("%(field)s must be the unit with 万, 亿, 千 or 百 in front, e.g. 亿%(unit)s."),
                params={"field": CATALOGUE_LABELS["display_unit"], "unit": unit},
                code="bad_unit",
                field="display_unit",
            )
        )
    if kind == Indicator.Kind.RATE and unit and unit != PERCENT:
        errors.add(
            InvalidInput(
                _("%(field)s of a rate is %%."),
                params={"field": CATALOGUE_LABELS["unit"]},
                code="bad_unit",
                field="unit",
            )
        )
    if aggregation == Indicator.Aggregation.RATIO:
        if kind != Indicator.Kind.RATE:
            errors.add(
                InvalidInput(
                    _("%(field)s: only a rate is a ratio of sums."),
                    params={"field": CATALOGUE_LABELS["aggregation"]},
                    code="ratio_not_rate",
                    field="aggregation",
                )
            )
        for field, part in (("numerator", numerator), ("denominator", denominator)):
            if part is None or part.subdistrict_id != subdistrict.pk:
                errors.add(
                    InvalidInput(
                        _("%(field)s is required for a ratio of sums: choose an indicator."),
                        params={"field": CATALOGUE_LABELS[field]},
                        code="required",
                        field=field,
                    )
                )
    if department.subdistrict_id != subdistrict.pk:
        errors.add(
            InvalidInput(
                _("%(field)s must belong to the subdistrict."),
                params={"field": CATALOGUE_LABELS["department"]},
                code="bad_department",
                field="department",
            )
        )
    for field, value in (("code", code), ("name", name)):
        if value and Indicator.objects.filter(subdistrict=subdistrict, **{field: value}).exists():
            errors.add(
                InvalidInput(
                    _("%(field)s “%(value)s” is taken already."),
                    params={"field": CATALOGUE_LABELS[field], "value": value},
                    code="taken",
                    field=field,
                )
            )
    errors.raise_any()
    return {
        "subdistrict": subdistrict,
        "code": code,
        "name": name,
        "kind": kind,
        "unit": unit,
        "display_unit": display_unit,
        "aggregation": aggregation,
        "department": department,
        "numerator": numerator,
        "denominator": denominator,
    }


@transaction.atomic
def indicator_create(
    *,
    actor: Any,
    subdistrict: Subdistrict,
    code: str,
    name: str,
    kind: str,
    unit: str,
    display_unit: str = "",
    aggregation: str = Indicator.Aggregation.SUM,
    department: Department,
    numerator: Indicator | None = None,
    denominator: Indicator | None = None,
    definition: str = "",
    is_key: bool = False,
    position: int = 0,
) -> Indicator:
    """Add an indicator to the subdistrict's catalogue. A rate is counted in %; a ratio of sums
    names its numerator and denominator, indicators of the same subdistrict."""
    require(actor, "indicators.manage")
    fields = indicator_clean(
        subdistrict=subdistrict,
        code=code,
        name=name,
        kind=kind,
        unit=unit,
        display_unit=display_unit,
        aggregation=aggregation,
        department=department,
        numerator=numerator,
        denominator=denominator,
    )
    return model_create(
        model=Indicator,
        data={**fields, "definition": definition, "is_key": is_key, "position": position},
        actor=actor,
        action="indicators.indicator.create",
    )
