"""The one place that moves an event along the workflow table.

:func:`event_transition` locks the event, checks the table (role, relation, status, guard), reads
the action's typed input and hands it to the action's handler (:mod:`.handlers`); then
:func:`transition_apply` saves what changed, logs the step, stores the photos, writes the audit
entry and tells people after commit — and events merged into one that closes follow it.
:func:`event_transition_check` runs the same checks and writes nothing.
"""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import SYSTEM, get_in_scope, require, scoped
from jiedao.audit.services import audit_record, snapshot
from jiedao.core.errors import Forbidden
from jiedao.geo.models import Department

from ..models import Event
from ..notices import step_params
from ..photos import CheckedPhoto, check_photos
from ..selectors import check_transition
from ..workflow import ACTION_PHOTO_STAGE, FOLLOW, NOTIFY, RESTORE, STAY, Action, PhotoStage, Status
from .common import ChecksPassed, Reporter, business_time, is_live
from .handlers import HANDLERS, Change, supervision_answered
from .inputs import TransitionArgs
from .notifications import notify_step
from .photos import files_discard, photos_store
from .timeline import step_record


def transition_apply(
    *,
    event: Event,
    action: str,
    actor: Reporter,
    at: datetime,
    args: TransitionArgs,
    photos: Sequence[CheckedPhoto],
    stored: list[str],
    checks_only: bool = False,
) -> Event:
    """Apply ``action`` to a locked, visible ``event``: check, change, save, log, notify.
    ``checks_only``: stop once the table and the action's input are checked."""
    transition = check_transition(event, action, actor)
    before = snapshot(event)
    from_status = event.status
    spec = HANDLERS[action]
    action_input = spec.read(args, transition.requires, at)
    if checks_only:
        raise ChecksPassed
    change = Change(
        event=event,
        actor=actor,
        action=action,
        at=at,
        input=action_input,
        photos=list(photos),
    )
    responsible_before = event.responsible_department_id
    spec.handle(change)
    if transition.target == RESTORE:
        target = event.status_before_suspension or Status.HANDLING
        change.set(status_before_suspension="")
    elif transition.target == FOLLOW:
        target = change.input.primary.status
    elif transition.target == STAY:
        target = from_status
    else:
        target = transition.target
    if supervision_answered(change, responsible_before=responsible_before, target=target):
        change.set(supervision_kind="", supervision_since=None, supervision_deadline=None)
    change.set(status=target, last_action_at=at)
    event.save(update_fields=sorted(change.fields))
    step = step_record(
        event=event,
        action=action,
        actor=actor,
        at=at,
        from_status=from_status,
        to_status=target,
        note=change.note,
        department=change.department,
        data=change.step_data,
    )
    if change.photos:
        photos_store(
            event=event,
            photos=change.photos,
            stage=ACTION_PHOTO_STAGE.get(action, PhotoStage.HANDLING),
            actor=actor,
            step=step,
            at=at,
            stored=stored,
        )
    audit_record(
        actor=actor,
        action=f"events.event.{action}",
        target=event,
        before=before,
        after=snapshot(event),
    )
    if is_live(at):
        notify_step(
            event=event,
            kind=action,
            params=step_params(change.note),
            audiences=NOTIFY.get(action, ()),
            actor=actor,
            called=change.called,
        )
    if target in (Status.CLOSED, Status.REJECTED) and from_status != target:
        _merged_follow(primary=event, at=at, stored=stored)
    return event


def _merged_follow(*, primary: Event, at: datetime, stored: list[str]) -> None:
    """Events merged into ``primary`` take its outcome (closed or rejected)."""
    followers = Event.objects.select_for_update().filter(merged_into=primary, status=Status.MERGED)
    for follower in followers.order_by("id"):
        transition_apply(
            event=follower,
            action=Action.FOLLOW_PRIMARY,
            actor=SYSTEM,
            at=max(at, follower.last_action_at),
            args=TransitionArgs(primary=primary),
            photos=(),
            stored=stored,
        )


def _lock_merge_pair(*, event: Event, actor: Reporter, primary: Event | str | None) -> None:
    """Lock the event and the one it is to be merged into, in the order of their ids.

    A merge changes two events. Had each merge locked its own event first and the primary
    second, two merges in opposite directions at once (A into B, B into A) would each hold one
    row and wait for the other: a deadlock, which the database breaks by failing one of them.
    Locked in one fixed order, the second merge waits for the first, then sees its outcome and
    is refused with a 409 like any move that no longer fits."""
    number = primary.number if isinstance(primary, Event) else (primary or "").strip()
    ids = {event.pk}
    if number:
        ids.update(scoped(actor, Event.objects.filter(number=number)).values_list("pk", flat=True))
    locked = Event.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    list(locked.values_list("pk", flat=True))


def event_transition_check(*, event: Event, action: str, actor: Reporter, **values: Any) -> None:
    """Check an action as :func:`event_transition` does (the same arguments), writing nothing:
    a page whose own form refused a field asks this for the problems of the other fields, so
    that all are shown at once. Raises what the transition would raise up to its input's checks
    (the handlers' checks against other records, such as a department's code, run only when
    the action is applied)."""
    try:
        event_transition(event=event, action=action, actor=actor, _checks_only=True, **values)
    except ChecksPassed:
        return


@transaction.atomic
def event_transition(
    *,
    event: Event,
    action: str,
    actor: Reporter,
    at: datetime | None = None,
    note: str = "",
    reason: str = "",
    department: Department | str | None = None,
    departments: Sequence[Department | str] = (),
    working_days: int | None = None,
    approve: bool | None = None,
    satisfaction: int | None = None,
    primary: Event | str | None = None,
    deadline: date | None = None,
    photos: Sequence[File] = (),
    _checks_only: bool = False,
) -> Event:
    """Apply one action of the workflow table to ``event`` (see the package docstring).

    The row is locked first, so two people acting on one event at once are serialised: the
    second sees the first's result and gets a 409 if its action no longer fits. Returns the
    event as saved."""
    require(actor, "events.view")
    if action == Action.MERGE:
        _lock_merge_pair(event=event, actor=actor, primary=primary)
    locked = get_in_scope(actor, Event.objects.select_for_update(), pk=event.pk)
    moment = business_time(actor, at, not_before=locked.last_action_at)
    if action == Action.FOLLOW_PRIMARY:
        raise Forbidden(_("Merged events follow their primary event by themselves."))
    # Cheap checks first, so that photos are not read for a move that cannot happen.
    check_transition(locked, action, actor)
    checked = check_photos(photos, field="photos")
    args = TransitionArgs(
        note=note,
        reason=reason,
        department=department,
        departments=departments,
        working_days=working_days,
        approve=approve,
        satisfaction=satisfaction,
        primary=primary,
        deadline=deadline,
    )
    stored: list[str] = []
    try:
        return transition_apply(
            event=locked,
            action=action,
            actor=actor,
            at=moment,
            args=args,
            photos=checked,
            stored=stored,
            checks_only=_checks_only,
        )
    except BaseException:
        files_discard(stored)
        raise
