"""Enforcement figures for a period (local dates, both included), as seed 000 counts them.

* ``actions``: actions starting in the period; ``inspections``: inspections completed in it;
* ``problems_found``: rectification items found in it; ``problems_rectified``: those closed by
  a passed re-check in it (whenever found);
* ``penalty_decisions``: cases decided with a penalty in it; ``cases_opened``: cases filed
  (立案) in it; ``cases_closed``: cases closed (结案) in it, whenever they were filed.
"""

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import require, scoped
from jiedao.core.errors import InvalidInput
from jiedao.core.localtime import local_days

from .models import Action, Case, Inspection, Rectification
from .workflow import RectificationStatus
from .workflow_cases import Outcome


@dataclass(frozen=True)
class Figures:
    actions: int
    inspections: int
    problems_found: int
    problems_rectified: int
    penalty_decisions: int
    cases_opened: int
    cases_closed: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def enforcement_figures(*, user: Any, since: date, until: date) -> Figures:
    require(user, "enforcement.view")
    if until < since:
        raise InvalidInput(
            _("%(field)s must not be before the start.") % {"field": _("Until")},
            code="invalid",
            field="until",
        )
    start, end = local_days(since, until)
    in_period = {"__gte": start, "__lt": end}

    def between(field: str) -> dict[str, Any]:
        return {field + suffix: value for suffix, value in in_period.items()}

    cases = scoped(user, Case.objects.all())
    return Figures(
        actions=scoped(
            user, Action.objects.filter(starts_on__gte=since, starts_on__lte=until)
        ).count(),
        inspections=scoped(user, Inspection.objects.filter(**between("completed_at"))).count(),
        problems_found=scoped(user, Rectification.objects.filter(**between("found_at"))).count(),
        problems_rectified=scoped(
            user,
            Rectification.objects.filter(
                status=RectificationStatus.CLOSED, **between("rechecked_at")
            ),
        ).count(),
        penalty_decisions=cases.filter(outcome=Outcome.PENALTY, **between("decided_at")).count(),
        cases_opened=cases.filter(**between("filed_at")).count(),
        cases_closed=cases.filter(**between("closed_at")).count(),
    )
