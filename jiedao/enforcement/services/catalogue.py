"""Writes to the catalogue of inspection matters (检查事项清单) and the repeat-inspection guard's
rules."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import SYSTEM, require
from jiedao.core.errors import InvalidInput, NotFound
from jiedao.core.text import clean_text
from jiedao.core.updates import model_create, model_update

from ..models import GuardRule, InspectionMatter, RiskLevel
from .common import department_in


@transaction.atomic
def matter_create(
    *, actor: Any, department_id: int, code: str, title: str, basis: str = "", position: int = 0
) -> InspectionMatter:
    """Add a line to a department's catalogue of inspection matters (检查事项清单)."""
    require(actor, "enforcement.catalogue_manage")
    department = department_in(actor, department_id, "department", _("Department"))
    code = clean_text(code, field="code", label=_("Matter code"), max_length=40, required=True)
    title = clean_text(
        title, field="title", label=_("Inspection matter"), max_length=300, required=True
    )
    basis = clean_text(basis, field="basis", label=_("Legal basis"), max_length=500)
    if InspectionMatter.objects.filter(
        subdistrict_id=department.subdistrict_id, code=code
    ).exists():
        raise InvalidInput(
            _("%(field)s: this code is used already.") % {"field": _("Matter code")},
            code="duplicate",
            field="code",
        )
    return model_create(
        model=InspectionMatter,
        data={
            "subdistrict_id": department.subdistrict_id,
            "department": department,
            "code": code,
            "title": title,
            "basis": basis,
            "position": position,
        },
        actor=actor,
        action="enforcement.matter_create",
    )


@transaction.atomic
def guard_rule_set(
    *, actor: Any, subdistrict_id: int, risk_level: str, max_per_year: int, min_interval_days: int
) -> GuardRule:
    """Set the repeat-inspection guard for the targets of one risk level."""
    require(actor, "enforcement.catalogue_manage")
    if actor is not SYSTEM and subdistrict_id != getattr(actor, "subdistrict_id", None):
        raise NotFound()
    if risk_level not in RiskLevel.values:
        raise InvalidInput(
            _("%(field)s must be low, medium or high.") % {"field": _("Risk level")},
            code="invalid",
            field="risk_level",
        )
    for field, label, value, low in (
        ("max_per_year", _("Inspections per year at most"), max_per_year, 1),
        ("min_interval_days", _("Days between inspections at least"), min_interval_days, 0),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= 366:
            raise InvalidInput(
                _("%(field)s must be a whole number from %(low)s to 366.")
                % {"field": label, "low": low},
                code="invalid",
                field=field,
            )
    rule = (
        GuardRule.objects.select_for_update()
        .filter(subdistrict_id=subdistrict_id, risk_level=risk_level)
        .first()
    )
    data = {"max_per_year": max_per_year, "min_interval_days": min_interval_days}
    if rule is None:
        return model_create(
            model=GuardRule,
            data={"subdistrict_id": subdistrict_id, "risk_level": risk_level, **data},
            actor=actor,
            action="enforcement.guard_rule_set",
        )
    model_update(instance=rule, data=data, actor=actor, action="enforcement.guard_rule_set")
    return rule
