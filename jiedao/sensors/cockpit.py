"""Sensors on the leaders' cockpit (registered from ``SensorsConfig.ready()``).

Alarms not yet cleared (of which nobody acknowledged yet), and devices gone silent — the state the
device map shows (:func:`jiedao.sensors.selectors.device_rows`). Two statements for the panel,
one for the map layer.
"""

from datetime import date

from django.db.models import Count
from django.utils.translation import pgettext_lazy

from jiedao.accounts.permissions import SYSTEM
from jiedao.web.cockpit import GridLayer, Kpi, Panel

from .selectors import AlarmFilters, alarm_list, device_rows, open_alarm_counts
from .workflow import DeviceState

ALARMS_LAYER = "sensors.alarms"


def cockpit_panel(today: date) -> Panel:
    open_count, unacknowledged = open_alarm_counts(SYSTEM)
    devices = device_rows(SYSTEM)
    silent = sum(1 for row in devices if row.state == DeviceState.SILENT)
    return Panel(
        title=pgettext_lazy("cockpit", "Sensors"),
        order=60,
        kpis=[
            Kpi(
                key="sensors.alarms_active",
                label=pgettext_lazy("cockpit", "Active alarms"),
                value=open_count,
                unit=pgettext_lazy("cockpit", "alarms"),
                better="lower",
                note=pgettext_lazy("cockpit", "not acknowledged %(count)s")
                % {"count": unacknowledged},
                url_name="sensors:alarms",
            ),
            Kpi(
                key="sensors.devices_offline",
                label=pgettext_lazy("cockpit", "Devices offline"),
                value=silent,
                unit=pgettext_lazy("cockpit", "devices"),
                better="lower",
                note=pgettext_lazy("cockpit", "of %(count)s in use") % {"count": len(devices)},
                url_name="sensors:map",
            ),
        ],
    )


def active_alarms_by_grid(today: date) -> GridLayer:
    """Alarms not yet cleared per grid (one statement)."""
    rows = (
        alarm_list(SYSTEM, AlarmFilters(state="open"))
        .filter(grid__isnull=False)
        .values("grid_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return GridLayer(
        key=ALARMS_LAYER,
        label=pgettext_lazy("cockpit", "Active alarms"),
        by_grid={row["grid_id"]: row["count"] for row in rows},
    )
