"""What the audit trail calls the sensor services' entries (see jiedao.audit.labels)."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "sensors.kind.create": _("Device kind added"),
    "sensors.alarm_type.create": _("Alarm type added"),
    "sensors.alarm.acknowledge": _("Alarm acknowledged"),
    "sensors.alarm.clear": _("Alarm cleared"),
}
