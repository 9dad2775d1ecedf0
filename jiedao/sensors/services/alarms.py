"""An alarm's life beyond the messages: its event and its recovery (the follow-up stage behind
the listener's batches), staff acknowledging and clearing it."""

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import SYSTEM, Actor, get_in_scope, require
from jiedao.audit.services import audit_record, snapshot
from jiedao.core.coordinates import CRS
from jiedao.core.errors import Conflict
from jiedao.core.localtime import local_time
from jiedao.events.models import Event, EventStep
from jiedao.events.notices import step_params
from jiedao.events.services import event_report, event_transition, step_record
from jiedao.events.services.notifications import notify_step
from jiedao.events.workflow import OPEN_STATES as EVENT_OPEN_STATES
from jiedao.events.workflow import Action, Audience, Source, Status

from ..models import Alarm, AlarmType, Device
from ..workflow import AlarmAction, AlarmState, OnClear, transition_for

# The timeline step the sensors add to an alarm's event (its label lives with EventStep).
STEP = EventStep.SENSOR


def _when(moment: datetime) -> str:
    return f"{local_time(moment):%Y-%m-%d %H:%M:%S}"


def alarm_event_create(*, alarm: Alarm, alarm_type: AlarmType, device: Device) -> Event:
    """The alarm's event, through the events intake as the system with source “sensor”:
    routed, numbered and given deadlines like any event. Once per alarm (the alarm's one-to-one
    link; the caller holds the alarm's row)."""
    if alarm.event_id is not None:
        return alarm.event  # type: ignore[return-value]
    with override("zh-hans"):
        description = gettext(
            "%(kind)s %(name)s (%(code)s) reports “%(type)s” since %(since)s."
        ) % {
            "kind": device.kind.name,
            "name": device.name,
            "code": device.code,
            "type": alarm_type.name,
            "since": _when(alarm.raised_at),
        }
    outcome = event_report(
        actor=SYSTEM,
        category=alarm_type.category,
        description=description,
        lat=device.lat,
        lng=device.lng,
        crs=CRS.WGS84,
        address=device.address,
        source=Source.SENSOR,
        urgency=alarm_type.urgency,
        client_key=f"sensor-alarm-{alarm.pk}",
    )
    alarm.event = outcome.event
    alarm.event_due_at = None
    alarm.save(update_fields=["event", "event_due_at"])
    return outcome.event


def _timeline_note(*, alarm: Alarm, event: Event, note: str, at: datetime) -> None:
    step_record(
        event=event,
        action=STEP,
        actor=SYSTEM,
        at=max(at, event.last_action_at),
        from_status=event.status,
        to_status=event.status,
        note=note,
        data={
            "device": alarm.device.code,
            "alarm": alarm.pk,
            "alarm_type": alarm.alarm_type.code,
            "count": alarm.count,
            "state": alarm.state,
        },
    )


def recovery_to_event(*, alarm: Alarm, alarm_type: AlarmType, device: Device) -> None:
    """The device reported recovery (the alarm is cleared): close its event or ask the grid
    worker to verify, as the alarm type says. The caller holds the alarm's row."""
    event = alarm.event
    if event is None:
        return
    at = alarm.cleared_at or timezone.now()
    with override("zh-hans"):
        note = gettext(
            "The device %(code)s reports recovery at %(at)s (%(count)s alarm messages since "
            "%(since)s)."
        ) % {
            "code": device.code,
            "at": _when(at),
            "count": alarm.count,
            "since": _when(alarm.raised_at),
        }
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if alarm_type.on_clear == OnClear.CLOSE and locked.status in (
        Status.REPORTED,
        Status.ACCEPTED,
        Status.DISPATCHED,
        Status.HANDLING,
        Status.REPORTED_BACK,
    ):
        event_transition(event=locked, action=Action.AUTO_CLOSE, actor=SYSTEM, note=note)
        return
    if locked.status not in EVENT_OPEN_STATES:
        _timeline_note(alarm=alarm, event=locked, note=note, at=timezone.now())
        return
    with override("zh-hans"):
        note = f"{note} {gettext('Please verify on the spot.')}"
    _timeline_note(alarm=alarm, event=locked, note=note, at=timezone.now())
    notify_step(
        event=locked,
        kind="sensor_recovered",
        params=step_params(note),
        audiences=(Audience.VERIFIERS,),
        actor=SYSTEM,
    )


@transaction.atomic
def alarm_transition(*, alarm: Alarm, action: str, actor: Actor, note: str = "") -> Alarm:
    """A member of staff acknowledges or clears an alarm (audited; noted on its event)."""
    if action not in AlarmAction.values:
        raise Conflict(_("Unknown action “%(action)s”.") % {"action": action}, field="action")
    require(actor, f"sensors.{action}")
    locked = get_in_scope(
        actor, Alarm.objects.select_for_update().select_related("device", "alarm_type"), pk=alarm.pk
    )
    transition = transition_for(locked.state, action)
    if transition is None:
        raise Conflict(
            _("Cannot %(action)s the alarm: it is %(state)s.")
            % {
                "action": AlarmAction(action).label,
                "state": AlarmState(locked.state).label,
            },
            code="invalid_transition",
        )
    before = snapshot(locked)
    now = timezone.now()
    user = actor if actor is not SYSTEM else None
    locked.state = transition.target
    fields = ["state"]
    if action == AlarmAction.ACKNOWLEDGE:
        locked.acknowledged_at, locked.acknowledged_by = now, user  # type: ignore[assignment]
        fields += ["acknowledged_at", "acknowledged_by"]
    else:
        locked.cleared_at, locked.cleared_by = now, user  # type: ignore[assignment]
        # Cleared by staff before it became an event: it never will.
        locked.event_due_at = None
        fields += ["cleared_at", "cleared_by", "event_due_at"]
    locked.save(update_fields=fields)
    audit_record(
        actor=actor,
        action=f"sensors.alarm.{action}",
        target=locked,
        before=before,
        after=snapshot(locked),
    )
    if locked.event_id is not None:
        event = Event.objects.select_for_update().get(pk=locked.event_id)
        with override("zh-hans"):
            text = gettext("%(who)s: %(action)s the alarm of %(code)s.") % {
                "who": getattr(actor, "display_name", str(actor)),
                "action": AlarmAction(action).label,
                "code": locked.device.code,
            }
        _timeline_note(alarm=locked, event=event, note=f"{text} {note}".strip(), at=now)
    return locked


@dataclass
class FollowUp:
    events_created: int = 0
    recoveries: int = 0
    # Work left over when the time budget ran out (the listener comes back to it at once).
    remaining: bool = False


FOLLOW_UP_LIMIT = 200


def alarms_follow_up(
    *,
    now: datetime | None = None,
    budget: float | None = None,
    limit: int | None = FOLLOW_UP_LIMIT,
) -> FollowUp:
    """The second stage behind the listener's batches: the events of alarms due to become
    one (active for their type's minimum time) and the recoveries still to reach their events,
    oldest first, each alarm in a transaction of its own. ``budget``: seconds after which to
    stop (the listener goes back to its messages); ``limit``: alarms at most (None: all). What
    is left waits for the next call.

    Idempotent: an alarm's event is made once (its one-to-one link, under the alarm's row
    lock), and a recovery is brought to its event once (``recovery_pending``)."""
    now = now or timezone.now()
    stop_at = None if budget is None else time.monotonic() + budget
    done = FollowUp()
    due = Q(event_due_at__lte=now) | Q(recovery_pending=True)
    pending = Alarm.objects.filter(due).order_by("event_due_at", "id").values_list("pk", flat=True)
    if limit is not None:
        pending = pending[: limit + 1]
    pks = list(pending)
    if limit is not None and len(pks) > limit:
        done.remaining = True
        pks = pks[:limit]
    for pk in pks:
        if stop_at is not None and time.monotonic() > stop_at:
            done.remaining = True
            break
        with transaction.atomic():
            alarm = (
                Alarm.objects.select_for_update(of=("self",))
                .select_related("alarm_type__category", "device__kind", "event")
                .filter(due, pk=pk)
                .first()
            )
            if alarm is None:
                continue  # another follow-up took it meanwhile
            alarm_type, device = alarm.alarm_type, alarm.device
            if alarm.event_id is None and alarm.event_due_at and alarm.event_due_at <= now:
                alarm_event_create(alarm=alarm, alarm_type=alarm_type, device=device)
                done.events_created += 1
            if alarm.recovery_pending and (alarm.event_id is not None or not alarm.event_due_at):
                recovery_to_event(alarm=alarm, alarm_type=alarm_type, device=device)
                alarm.recovery_pending = False
                alarm.save(update_fields=["recovery_pending"])
                done.recoveries += 1
    return done


def alarm_label(alarm: Any) -> str:
    return f"{alarm.device.code} {alarm.alarm_type.name}"
