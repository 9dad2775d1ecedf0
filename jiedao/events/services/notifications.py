"""Telling people: one notification per recipient, written with the step, and marking them read."""

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


def notify_step(
    *,
    event: Event,
    kind: str,
    params: dict[str, Any],
    audiences: Sequence[Audience],
    actor: Reporter,
    called: Sequence[int] = (),
) -> None:
    """Tell the audiences about a step (never the actor themself), in the step's own
    transaction: one INSERT … SELECT that commits or rolls back with the step, rather than a
    second transaction after it. ``kind`` and ``params`` are stored, not a sentence: each reader
    sees it in their own language (see :mod:`jiedao.events.notices`). ``event`` is the instance
    the service has just saved."""
    if not audiences:
        return
    audience = _recipients(event, audiences, called=called)
    if audience is None:
        return
    recipients = User.objects.filter(audience, is_active=True)
    actor_id = getattr(actor, "pk", None)
    if actor_id is not None:
        recipients = recipients.exclude(pk=actor_id)
    _notifications_insert(recipients, event=event, kind=kind, params=params)


def notify_users(
    *, recipients: QuerySet[User], kind: str, params: dict[str, Any], link: str
) -> None:
    """Tell ``recipients`` (active ones only) about something that is not an event — another
    app's work, shown with ``params["subject"]`` and leading to ``link`` — in the caller's
    transaction, with the same one INSERT … SELECT as a step's notifications. ``kind`` is
    registered with :func:`jiedao.events.notices.register_kinds`."""
    _notifications_insert(
        recipients.filter(is_active=True), event=None, kind=kind, params=params, link=link
    )


def _notifications_insert(
    recipients: QuerySet[User],
    *,
    event: Event | None,
    kind: str,
    params: dict[str, Any],
    link: str = "",
) -> None:
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
            "(user_id, event_id, kind, params, message, link, created_at, read_at) "
            f"SELECT recipient.pk, %s, %s, %s, '', %s, %s, NULL FROM ({select}) recipient "
            f"ORDER BY recipient.pk",
            [event.pk if event else None, kind, stored, link, now, *params_sql],
        )


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
