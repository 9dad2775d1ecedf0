"""What the enforcement services share: who is recorded as the actor, when a step happens, and
the checks of a department and a date range."""

from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.models import User
from jiedao.accounts.permissions import SYSTEM, get_in_scope
from jiedao.core.errors import Forbidden, InvalidInput
from jiedao.geo.models import Department

from ..models import Inspection


def actor_user(actor: Any) -> User | None:
    """The actor as the user recorded on a row; None for the installation itself."""
    return actor if isinstance(actor, User) else None


def step_moment(actor: Any, now: datetime | None) -> datetime:
    """When the step happens: now, or — for the demo's history only — the moment given, which
    only the installation itself may pass (no door passes one)."""
    if now is None:
        return timezone.now()
    if actor is not SYSTEM:
        raise Forbidden(_("Only the installation may record a step at another time."))
    return now


def department_in(actor: Any, department_id: int | None, field: str, label: Any) -> Department:
    subdistrict_id = getattr(actor, "subdistrict_id", None)
    departments = Department.objects.filter(is_active=True)
    if actor is not SYSTEM:
        departments = departments.filter(subdistrict_id=subdistrict_id or 0)
    department = departments.filter(pk=department_id or 0).first()
    if department is None:
        raise InvalidInput(
            _("%(field)s: no such department.") % {"field": label}, code="unknown", field=field
        )
    return department


def check_dates(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise InvalidInput(
            _("%(field)s must not be before the start.") % {"field": _("Ends on")},
            code="invalid",
            field="ends_on",
        )


def joining_ids(inspection: Inspection) -> set[int]:
    return set(inspection.joining_departments.values_list("pk", flat=True))


def locked_inspection(actor: Any, inspection_id: int) -> Inspection:
    """The inspection in the actor's scope, its row locked: the steps recorded on one
    inspection (items, findings, photos, its moves) happen one after the other."""
    return get_in_scope(
        actor,
        Inspection.objects.select_for_update(of=("self",)).select_related("action"),
        pk=inspection_id,
    )
