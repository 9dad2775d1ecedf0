"""Comprehensive enforcement on the leaders' cockpit (registered from ``EnforcementConfig``).

Joint inspections carried out this month, and the rectification items found by them: open,
past their deadline (as the home cards count them, :mod:`jiedao.enforcement.home`), rectified
this month. Two statements whatever the data.
"""

from datetime import date

from django.db.models import Count, Q
from django.utils.translation import pgettext_lazy

from jiedao.accounts.permissions import SYSTEM, scoped
from jiedao.core.localtime import local_days
from jiedao.web.cockpit import Kpi, Panel, as_of

from .models import Inspection, Rectification
from .workflow import InspectionStatus, RectificationStatus


def cockpit_panel(today: date) -> Panel:
    now = as_of(today)
    month_start = local_days(today.replace(day=1), today)[0]
    inspections = scoped(SYSTEM, Inspection.objects.all()).aggregate(
        done=Count(
            "pk",
            filter=Q(
                status=InspectionStatus.COMPLETED,
                completed_at__gte=month_start,
                completed_at__lt=now,
            ),
        ),
        planned=Count(
            "pk",
            filter=Q(
                status__in=[InspectionStatus.PLANNED, InspectionStatus.IN_PROGRESS],
                planned_on__gte=today.replace(day=1),
                planned_on__lte=today,
            ),
        ),
    )
    rectifications = scoped(SYSTEM, Rectification.objects.all()).aggregate(
        open=Count("pk", filter=Q(status=RectificationStatus.OPEN)),
        overdue=Count("pk", filter=Q(status=RectificationStatus.OPEN, deadline__lt=now)),
        rectified=Count(
            "pk",
            filter=Q(
                status=RectificationStatus.CLOSED,
                rechecked_at__gte=month_start,
                rechecked_at__lt=now,
            ),
        ),
    )
    return Panel(
        title=pgettext_lazy("cockpit", "Enforcement"),
        order=30,
        kpis=[
            Kpi(
                key="enforcement.inspections_this_month",
                label=pgettext_lazy("cockpit", "Inspections this month"),
                value=inspections["done"],
                unit=pgettext_lazy("cockpit", "visits"),
                note=pgettext_lazy("cockpit", "not yet carried out %(count)s")
                % {"count": inspections["planned"]},
                url_name="enforcement:inspections",
            ),
            Kpi(
                key="enforcement.rectifications_open",
                label=pgettext_lazy("cockpit", "Being rectified"),
                value=rectifications["open"],
                unit=pgettext_lazy("cockpit", "items"),
                note=pgettext_lazy("cockpit", "rectified this month %(count)s")
                % {"count": rectifications["rectified"]},
                url_name="enforcement:rectifications",
            ),
            Kpi(
                key="enforcement.rectifications_overdue",
                label=pgettext_lazy("cockpit", "Rectifications overdue"),
                value=rectifications["overdue"],
                unit=pgettext_lazy("cockpit", "items"),
                better="lower",
            ),
        ],
    )
