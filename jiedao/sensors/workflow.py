"""The alarm lifecycle as plain data (as ThingsBoard and Cumulocity keep alarms).

An alarm of a (device, alarm type) is *active* from the device's first ``active`` message until
it is cleared; staff may *acknowledge* it meanwhile (it stays active: the device still reports
it). A ``cleared`` message from the device, or a member of staff, clears it; the next ``active``
message then raises a new alarm. At most one alarm per (device, type) is active or acknowledged
at a time — a partial unique index on the table says so, not only this module.

:func:`jiedao.sensors.services.alarm_transition` is the one place that applies a staff action;
the listener's batches apply the device's own messages (:mod:`jiedao.sensors.services.intake`).
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class AlarmState(models.TextChoices):
    ACTIVE = "active", _("Active")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLEARED = "cleared", _("Cleared")


class AlarmAction(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", _("Acknowledge")
    CLEAR = "clear", _("Clear")


class OnClear(models.TextChoices):
    """What a recovery does to the alarm's event."""

    CLOSE = "close", _("Close the event automatically")
    VERIFY = "verify", _("Ask the grid worker to verify")


class DeviceState(models.TextChoices):
    """A device's colour on the map: its worst open alarm, or silence."""

    NORMAL = "normal", _("Normal")
    ALARM = "alarm", _("Alarm")
    ACKNOWLEDGED = "acknowledged", _("Alarm acknowledged")
    SILENT = "silent", _("Not heard from")


class DeadLetterReason(models.TextChoices):
    NOT_JSON = "not_json", _("Not JSON")
    BAD_PAYLOAD = "bad_payload", _("Missing or invalid fields")
    BAD_TOPIC = "bad_topic", _("Unknown topic")
    UNKNOWN_DEVICE = "unknown_device", _("Unknown device")
    UNKNOWN_TYPE = "unknown_type", _("Alarm type not known for the device's kind")


OPEN_STATES = frozenset({AlarmState.ACTIVE, AlarmState.ACKNOWLEDGED})


@dataclass(frozen=True)
class AlarmTransition:
    target: str


TRANSITIONS: dict[tuple[str, str], AlarmTransition] = {
    (AlarmState.ACTIVE, AlarmAction.ACKNOWLEDGE): AlarmTransition(AlarmState.ACKNOWLEDGED),
    (AlarmState.ACTIVE, AlarmAction.CLEAR): AlarmTransition(AlarmState.CLEARED),
    (AlarmState.ACKNOWLEDGED, AlarmAction.CLEAR): AlarmTransition(AlarmState.CLEARED),
}


def transition_for(state: str, action: str) -> AlarmTransition | None:
    return TRANSITIONS.get((state, action))


def actions_in(state: str) -> list[str]:
    return [action for action in AlarmAction.values if (state, action) in TRANSITIONS]
