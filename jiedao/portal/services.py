"""Writes of the residents' portal (and of Open311, which reports through the same door).

``public_report_submit`` hands a resident's report to :func:`jiedao.events.services.event_report`
— the same intake as every other source (routing, deadlines, figures, duplicate detection) — with
the source "resident" and the door as actor, and registers the follow code's salt. Retries with
the same client key return the first event and the same follow code.

``public_report_rate`` and ``public_report_reopen`` apply the workflow's ``rate`` and ``reopen``
actions as the holder of the follow code (:class:`~jiedao.portal.actors.FollowCodeHolder`): the
workflow table, its guards and its audit treat them like the signed-in reporter.
``event_visibility_set`` is moderation: a dispatcher hides a report from, or shows it again in,
every public output. Every write is audited in its transaction.
"""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiedao.accounts.permissions import get_in_scope, require
from jiedao.audit.services import audit_record, snapshot
from jiedao.core.errors import ErrorList, InvalidInput
from jiedao.core.inserts import insert_new
from jiedao.core.text import clean_text
from jiedao.core.updates import model_create, model_update
from jiedao.events.models import Event
from jiedao.events.services import event_report, event_report_check, event_transition
from jiedao.events.workflow import Action, Source

from .actors import FollowCodeHolder, PublicDoor
from .models import PublicReport, PublicVisibility
from .rating import Rating
from .selectors import public_report_find
from .tokens import follow_code

MAX_COMMENT = 500
MAX_REASON = 200
MAX_PHOTOS = 3


@dataclass(frozen=True)
class PublicSubmission:
    event: Event
    report: PublicReport
    code: str
    created: bool  # False: a retry of an earlier submission


def public_report_check(*, door: PublicDoor, photos: Sequence[Any] = (), **report: Any) -> None:
    """Check a resident's report as :func:`public_report_submit` does (the same arguments but
    ``channel``), writing nothing; all problems at once (a 422)."""
    errors = ErrorList()
    errors.check(lambda: _photo_count(photos), None)
    errors.check(
        lambda: event_report_check(actor=door, source=Source.RESIDENT, photos=photos, **report),
        None,
    )
    errors.raise_any()


def _photo_count(photos: Sequence[Any]) -> None:
    if len(photos) > MAX_PHOTOS:
        raise InvalidInput(
            _("Attach at most %(max)s photos.") % {"max": MAX_PHOTOS}, field="photos"
        )


def public_report_submit(
    *,
    door: PublicDoor,
    channel: str,
    category: str,
    description: str,
    lat: float | None,
    lng: float | None,
    grid: str = "",
    address: str = "",
    reporter_name: str = "",
    reporter_phone: str = "",
    urgency: str | None = None,
    photos: Sequence[Any] = (),
    client_key: str = "",
    savepoint: bool = True,
) -> PublicSubmission:
    """Report a problem for a resident without an account. Returns the event, its public report
    and the follow code; a failed check (a 422 from the intake) leaves nothing behind.

    ``savepoint=False`` is for a caller whose own transaction is rolled back whole on any error
    (Open311's): the report then takes no savepoint of its own, two statements less."""
    with transaction.atomic(savepoint=savepoint):
        return _submit(
            door=door,
            channel=channel,
            report={
                "category": category,
                "description": description,
                "lat": lat,
                "lng": lng,
                "grid": grid,
                "address": address,
                "urgency": urgency,
                "reporter_name": reporter_name,
                "reporter_phone": reporter_phone,
            },
            photos=photos,
            client_key=client_key,
            savepoint=savepoint,
        )


def _submit(
    *,
    door: PublicDoor,
    channel: str,
    report: dict[str, Any],
    photos: Sequence[Any],
    client_key: str,
    savepoint: bool,
) -> PublicSubmission:
    _photo_count(photos)
    outcome = event_report(
        actor=door,
        source=Source.RESIDENT,
        photos=photos,
        client_key=client_key,
        savepoint=savepoint,
        **report,
    )
    if outcome.created:
        # A new event has no public report yet: insert it, without get_or_create's look first
        # and its savepoint.
        public = PublicReport(
            event=outcome.event, channel=channel, follow_salt=secrets.token_hex(16)
        )
        insert_new(public)
        created = True
    else:
        public, created = PublicReport.objects.get_or_create(
            event=outcome.event,
            defaults={"channel": channel, "follow_salt": secrets.token_hex(16)},
        )
    if created:
        audit_record(
            actor=door,
            action="portal.publicreport.create",
            target=public,
            after=snapshot(public, exclude=("follow_salt",)),
        )
    return PublicSubmission(
        event=outcome.event,
        report=public,
        code=follow_code(outcome.event.number, public.follow_salt),
        created=outcome.created,
    )


@transaction.atomic
def public_report_rate(*, number: str, code: str, satisfaction: int, comment: str = "") -> Event:
    """Rate a closed report as the holder of its follow code: one of the three answers of
    :class:`~jiedao.portal.rating.Rating` (stored as 5, 3 or 1) and an optional comment.

    The rating is the workflow's ``rate`` action (it feeds the satisfaction figure); the table's
    guard allows it once per closure (409 when already rated, or when the event is not closed).
    The follow code is the reporter's proof: its holder takes the action as the reporter."""
    report = public_report_find(number=number, code=code)
    holder = FollowCodeHolder(report)
    if satisfaction not in Rating.values:
        raise InvalidInput(
            _("Choose how satisfied you are: %(choices)s.")
            % {"choices": " / ".join(str(label) for label in Rating.labels)},
            code="invalid",
            field="satisfaction",
        )
    comment = clean_text(
        comment,
        field="comment",
        label=pgettext_lazy("portal field", "Comment"),
        max_length=MAX_COMMENT,
    )
    locked = PublicReport.objects.select_for_update().get(pk=report.pk)
    event = event_transition(
        event=report.event,
        action=Action.RATE,
        actor=holder,
        satisfaction=satisfaction,
        note=comment,
    )
    model_update(
        instance=locked,
        data={"rated_at": timezone.now()},
        actor=holder,
        action="portal.publicreport.rate",
        exclude=("follow_salt",),
    )
    return event


@transaction.atomic
def public_report_reopen(*, number: str, code: str, reason: str) -> Event:
    """Ask to reopen a closed report that is not solved, as the holder of its follow code: the
    workflow's ``reopen`` action (back to the responsible department, counted as a reopening);
    the table's guard refuses events that no department handled (409)."""
    report = public_report_find(number=number, code=code)
    holder = FollowCodeHolder(report)
    reason = clean_text(
        reason,
        field="reason",
        label=pgettext_lazy("portal field", "Reason"),
        max_length=MAX_COMMENT,
    )
    event = event_transition(event=report.event, action=Action.REOPEN, actor=holder, reason=reason)
    audit_record(
        actor=holder,
        action="portal.publicreport.reopen",
        target=report,
        after={"event": event.number, "reason": reason},
    )
    return event


@transaction.atomic
def event_visibility_set(
    *, actor: Any, number: str, hidden: bool, reason: str = ""
) -> PublicVisibility:
    """Hide event ``number`` from every public output (with a reason), or show it again."""
    require(actor, "portal.moderate")
    event = get_in_scope(actor, Event.objects.select_for_update(), number=number)
    reason = clean_text(
        reason, field="reason", label=pgettext_lazy("portal field", "Reason"), max_length=MAX_REASON
    )
    if hidden and not reason:
        raise InvalidInput(
            _("Say why the report is hidden (for example: personal data, abusive language)."),
            code="required",
            field="reason",
        )
    action = "portal.visibility.hide" if hidden else "portal.visibility.show"
    data = {
        "is_hidden": hidden,
        "reason": reason,
        "changed_by": actor if getattr(actor, "pk", None) else None,
        "changed_at": timezone.now(),
    }
    visibility = PublicVisibility.objects.select_for_update().filter(event=event).first()
    if visibility is not None:
        model_update(instance=visibility, data=data, actor=actor, action=action)
        return visibility
    visibility = model_create(
        model=PublicVisibility, data={"event": event, **data}, actor=actor, action=action
    )
    return visibility
