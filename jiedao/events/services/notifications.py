"""Telling people: one notification per recipient after the step commits, and marking them read."""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from jiedao.accounts.models import Role, User
from jiedao.accounts.permissions import Actor, require, scoped
from jiedao.audit.services import audit_record

from ..models import Event, Notification
from ..routing import command_centre
from ..workflow import Audience
from .common import Reporter


def _recipients(
    event: Event, audiences: Iterable[Audience], *, called: Sequence[int] = ()
) -> Q | None:
    """Who the audiences of a step are, as a filter on users; None when nobody is."""
    department_roles = (Role.DEPARTMENT_HANDLER, Role.ENFORCEMENT_OFFICER)
    dispatchers = Q(role=Role.DISPATCHER, subdistrict_id=event.subdistrict_id)
    parts: list[Q] = []
    for audience in audiences:
        if audience is Audience.REPORTER and event.reported_by_id:
            parts.append(Q(pk=event.reported_by_id))
        elif audience is Audience.DISPATCHERS:
            parts.append(dispatchers)
        elif audience is Audience.RESPONSIBLE:
            if event.responsible_user_id:
                parts.append(Q(pk=event.responsible_user_id))
            centre = command_centre(event.subdistrict_id)
            if centre is not None and event.responsible_department_id == centre.pk:
                parts.append(dispatchers)
            elif event.responsible_department_id:
                parts.append(
                    Q(role__in=department_roles, department_id=event.responsible_department_id)
                )
        elif audience is Audience.VERIFIERS:
            parts.append(Q(role=Role.GRID_WORKER, grid_id=event.grid_id))
        elif audience is Audience.CALLED and called:
            parts.append(Q(role__in=department_roles, department_id__in=called))
    if not parts:
        return None
    condition = parts[0]
    for part in parts[1:]:
        condition |= part
    return condition


# The fields of an event that decide who is told: all a queued delivery needs, so that neither
# the enqueuing nor the task reads the event again.
RECIPIENT_FIELDS = (
    "id",
    "subdistrict_id",
    "reported_by_id",
    "responsible_user_id",
    "responsible_department_id",
    "grid_id",
)


def notify_on_commit(
    *,
    event: Event,
    kind: str,
    params: dict[str, Any],
    audiences: Sequence[Audience],
    actor: Reporter,
    called: Sequence[int] = (),
) -> None:
    """After commit, tell the audiences about a step (never the actor themself). ``kind`` and
    ``params`` are stored, not a sentence: each reader sees it in their own language (see
    :mod:`jiedao.events.notices`). ``event`` is the instance the services saved, so at commit
    it holds what was committed.

    The delivery is a task (:func:`jiedao.events.tasks.deliver_notifications`): with a queue
    (TASKS_BACKEND=redis) a worker writes the notifications and the request is answered without
    waiting for them; with the embedded default it runs at once, after the commit."""
    if not audiences:
        return
    actor_id = getattr(actor, "pk", None)

    def send() -> None:
        from ..tasks import deliver_notifications

        deliver_notifications.enqueue(
            event={name: getattr(event, name) for name in RECIPIENT_FIELDS},
            kind=str(kind),
            params=params,
            audiences=[str(audience) for audience in audiences],
            actor_id=actor_id,
            called=[int(pk) for pk in called],
        )

    transaction.on_commit(send)


def notifications_deliver(
    *,
    event: dict[str, Any],
    kind: str,
    params: dict[str, Any],
    audiences: Sequence[str],
    actor_id: int | None,
    called: Sequence[int] = (),
) -> int:
    """Write one notification per recipient of a step (the task behind
    :func:`notify_on_commit`); ``event`` holds its :data:`RECIPIENT_FIELDS`. Returns how many
    people were told, in two statements whatever their number."""
    target = Event(**event)
    audience = _recipients(target, [Audience(value) for value in audiences], called=called)
    if audience is None:
        return 0
    recipients = User.objects.filter(audience, is_active=True)
    if actor_id is not None:
        recipients = recipients.exclude(pk=actor_id)
    return _notifications_insert(recipients, event=target, kind=kind, params=params)


def _notifications_insert(
    recipients: QuerySet[User], *, event: Event, kind: str, params: dict[str, Any]
) -> int:
    """One notification per recipient in one INSERT … SELECT: a step that tells the whole
    dispatch room costs one statement, however many people are in it."""
    select, params_sql = recipients.values("pk").query.sql_with_params()
    table = Notification._meta.db_table
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    # The JSON as the field itself prepares it (jsonb on PostgreSQL, text on SQLite).
    stored = Notification._meta.get_field("params").get_db_prep_save(params, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} "  # noqa: S608
            "(user_id, event_id, kind, params, message, created_at, read_at) "
            f"SELECT recipient.pk, %s, %s, %s, '', %s, NULL FROM ({select}) recipient "
            f"ORDER BY recipient.pk",
            [event.pk, kind, stored, now, *params_sql],
        )
        return int(cursor.rowcount)


@transaction.atomic
def notification_mark_read(*, actor: Actor, notification_ids: Sequence[int] | None = None) -> int:
    """Mark the actor's notifications read (all of them, or those listed); returns how many."""
    require(actor, "events.view")
    notifications = scoped(actor, Notification.objects.filter(read_at__isnull=True))
    if notification_ids is not None:
        notifications = notifications.filter(pk__in=list(notification_ids))
    ids = list(notifications.values_list("pk", flat=True))
    if not ids:
        return 0
    count = Notification.objects.filter(pk__in=ids).update(read_at=timezone.now())
    audit_record(
        actor=actor,
        action="events.notification.read",
        target_type="events.notification",
        target_id=",".join(str(pk) for pk in ids[:20]),
        target_repr=f"{count} notifications",
        after={"count": count},
    )
    return count
