"""The repeat-inspection guard (国办发〔2024〕54号: frequency caps per enterprise, warnings on
重复/高频 checks).

A target may be inspected at most ``max_per_year`` times in a calendar year and no sooner than
``min_interval_days`` after (or before) another inspection, both from the target's risk level's
:class:`~jiedao.enforcement.models.GuardRule` (or :data:`DEFAULT_RULES` where none is set).
Inspections of the exempt kinds (complaint, assigned from above, re-check) neither count nor
are refused; cancelled ones do not count.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext as _

from .models import GuardRule, Inspection, RiskLevel, Target
from .workflow import GUARD_EXEMPT_KINDS, InspectionStatus

# risk level → (inspections per year at most, days between inspections at least)
DEFAULT_RULES: dict[str, tuple[int, int]] = {
    RiskLevel.LOW: (1, 180),
    RiskLevel.MEDIUM: (2, 90),
    RiskLevel.HIGH: (4, 30),
}


@dataclass(frozen=True)
class GuardResult:
    max_per_year: int
    min_interval_days: int
    reasons: list[str] = field(default_factory=list)
    earlier: list[Inspection] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.reasons


def rule_for(target: Target) -> tuple[int, int]:
    rule = GuardRule.objects.filter(
        subdistrict_id=target.subdistrict_id, risk_level=target.risk_level
    ).first()
    if rule is not None:
        return rule.max_per_year, rule.min_interval_days
    return DEFAULT_RULES[target.risk_level]


def guard_check(*, target: Target, kind: str, planned_on: date) -> GuardResult:
    """Whether an inspection of ``kind`` of ``target`` on ``planned_on`` keeps to the rules, and
    the earlier inspections that count against it."""
    max_per_year, min_interval = rule_for(target)
    if kind in GUARD_EXEMPT_KINDS:
        return GuardResult(max_per_year, min_interval)
    window_start = min(date(planned_on.year, 1, 1), planned_on - timedelta(days=min_interval))
    window_end = max(date(planned_on.year, 12, 31), planned_on + timedelta(days=min_interval))
    counted = list(
        Inspection.objects.filter(
            target=target, planned_on__gte=window_start, planned_on__lte=window_end
        )
        .exclude(status=InspectionStatus.CANCELLED)
        .exclude(action__kind__in=GUARD_EXEMPT_KINDS)
        .select_related("action", "lead_department")
        .order_by("planned_on", "pk")
    )
    same_year = [i for i in counted if i.planned_on.year == planned_on.year]
    too_close = [i for i in counted if abs((i.planned_on - planned_on).days) < min_interval]
    reasons = []
    if len(same_year) >= max_per_year:
        reasons.append(
            _(
                "%(name)s has been inspected %(count)s times in %(year)s; at most %(max)s "
                "inspections a year are allowed for its risk level."
            )
            % {
                "name": target.name,
                "count": len(same_year),
                "year": planned_on.year,
                "max": max_per_year,
            }
        )
    if too_close:
        reasons.append(
            _(
                "%(name)s was inspected on %(day)s; at least %(days)s days must lie between two "
                "inspections."
            )
            % {
                "name": target.name,
                "day": too_close[-1].planned_on.isoformat(),
                "days": min_interval,
            }
        )
    earlier = [i for i in counted if i in same_year or i in too_close]
    return GuardResult(max_per_year, min_interval, reasons, earlier if reasons else [])
