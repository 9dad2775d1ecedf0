"""Telling people: one notification per recipient, written with the step, and marking them read."""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from jiedao.accounts.models import Role, User
from jiedao.accounts.permissions import Actor, require, scoped
from jiedao.audit.services import audit_record

from ..models import Event, Notification
from ..routing import command_centre
from ..workflow import Audience
from .common import Reporter

_USERS = User._meta.db_table
_DEPARTMENT_ROLES = (Role.DEPARTMENT_HANDLER.value, Role.ENFORCEMENT_OFFICER.value)


def _in(column: str, values: Sequence[Any]) -> str:
    return f"{column} IN ({', '.join(['%s'] * len(values))})"


def _recipients(
    event: Event, audiences: Iterable[Audience], *, called: Sequence[int] = ()
) -> tuple[str, list[Any]] | None:
    """Who the audiences of a step are, as a condition on the users' table (SQL and its
    parameters); None when nobody is. Plain SQL rather than a ``Q``: every step of every event
    runs this, and building and compiling a queryset was most of a notification's cost."""
    department_roles = _in("role", _DEPARTMENT_ROLES)
    dispatchers = (
        "(role = %s AND subdistrict_id = %s)",
        [Role.DISPATCHER.value, event.subdistrict_id],
    )
    parts: list[tuple[str, list[Any]]] = []
    for audience in audiences:
        if audience is Audience.REPORTER and event.reported_by_id:
            parts.append(("id = %s", [event.reported_by_id]))
        elif audience is Audience.DISPATCHERS:
            parts.append(dispatchers)
        elif audience is Audience.RESPONSIBLE:
            if event.responsible_user_id:
                parts.append(("id = %s", [event.responsible_user_id]))
            centre = command_centre(event.subdistrict_id)
            if centre is not None and event.responsible_department_id == centre.pk:
                parts.append(dispatchers)
            elif event.responsible_department_id:
                parts.append(
                    (
                        f"({department_roles} AND department_id = %s)",
                        [*_DEPARTMENT_ROLES, event.responsible_department_id],
                    )
                )
        elif audience is Audience.VERIFIERS:
            parts.append(("(role = %s AND grid_id = %s)", [Role.GRID_WORKER.value, event.grid_id]))
        elif audience is Audience.CALLED and called:
            parts.append(
                (
                    f"({department_roles} AND {_in('department_id', called)})",
                    [*_DEPARTMENT_ROLES, *called],
                )
            )
    if not parts:
        return None
    return " OR ".join(sql for sql, _params in parts), [p for _sql, ps in parts for p in ps]


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
    second transaction after it — one statement however many people are in the audiences.
    ``kind`` and ``params`` are stored, not a sentence: each reader sees it in their own
    language (see :mod:`jiedao.events.notices`). ``event`` is the instance the service has just
    saved."""
    if not audiences:
        return
    audience = _recipients(event, audiences, called=called)
    if audience is None:
        return
    condition, condition_params = audience
    actor_id = getattr(actor, "pk", None)
    if actor_id is not None:
        condition = f"({condition}) AND id <> %s"
        condition_params = [*condition_params, actor_id]
    _notifications_insert(condition, condition_params, event=event, kind=kind, params=params)


def notify_users(
    *, recipients: QuerySet[User], kind: str, params: dict[str, Any], link: str
) -> None:
    """Tell ``recipients`` (active ones only) about something that is not an event — another
    app's work, shown with ``params["subject"]`` and leading to ``link`` — in the caller's
    transaction, with the same one INSERT … SELECT as a step's notifications. ``kind`` is
    registered with :func:`jiedao.events.notices.register_kinds`."""
    select, select_params = recipients.values("pk").query.sql_with_params()
    _notifications_insert(
        f"id IN ({select})", list(select_params), event=None, kind=kind, params=params, link=link
    )


def _notifications_insert(
    condition: str,
    condition_params: list[Any],
    *,
    event: Event | None,
    kind: str,
    params: dict[str, Any],
    link: str = "",
) -> None:
    """One notification per active user matching ``condition`` (SQL on the users' table) in one
    INSERT … SELECT: a step that tells the whole dispatch room costs one statement, however
    many people are in it."""
    table = Notification._meta.db_table
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    # The JSON as the field itself prepares it (jsonb on PostgreSQL, text on SQLite).
    stored = Notification._meta.get_field("params").get_db_prep_save(params, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} "  # noqa: S608
            "(user_id, event_id, kind, params, message, link, created_at, read_at) "
            f"SELECT id, %s, %s, %s, '', %s, %s, NULL FROM {_USERS} "
            f"WHERE is_active AND ({condition}) ORDER BY id",
            [event.pk if event else None, kind, stored, link, now, *condition_params],
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
