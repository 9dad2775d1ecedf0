"""吹哨 for an event of the events app: a community lead calls the organisations serving the
community and the subdistrict's departments to an event of that community. They report in, commit
and complete exactly as for a need (:mod:`jiedao.community.services`).

Closing rule: an event call is closed by the community lead once every answer is complete (and at
least one came). It is not closed by the event's own workflow: that would make the events app
write community rows (or need a signal); the lead decides that the work called for is done.
A need's call still closes when the need is met (the needs table).
"""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import SYSTEM, get_in_scope, require
from jiedao.core.errors import Conflict, NotFound
from jiedao.core.text import clean_text
from jiedao.core.updates import model_create, model_update
from jiedao.events.models import Event

from .models import Call
from .policy import may_call_for
from .services import MAX_TEXT
from .workflow import ResponseStatus


@transaction.atomic
def call_blow_for_event(
    *, actor: Any, event: Event, message: str, at: datetime | None = None
) -> Call:
    """A community lead blows the whistle (吹哨) for an open event of the own community."""
    require(actor, "community.call")
    event = Event.objects.select_for_update().get(pk=event.pk)
    if actor is not SYSTEM and not may_call_for(actor, event):
        # The same answer as for an event that does not exist: another community's events
        # are not the lead's to see.
        raise NotFound()
    if not event.is_open:
        raise Conflict(
            _("A whistle can be blown only for an open event; this one is “%(status)s”.")
            % {"status": event.get_status_display()},
            code="event_not_open",
        )
    if Call.objects.filter(event=event, closed_at__isnull=True).exists():
        raise Conflict(_("This event already has an open call."), code="call_open")
    message = clean_text(
        message, field="message", max_length=MAX_TEXT, label=_("Message"), required=True
    )
    return model_create(
        model=Call,
        data={
            "event": event,
            "community_id": event.community_id,
            "subdistrict_id": event.subdistrict_id,
            "message": message,
            "called_by": actor if getattr(actor, "pk", None) else None,
            "called_at": at if (at is not None and actor is SYSTEM) else timezone.now(),
        },
        actor=actor,
        action="community.call.blow",
    )


@transaction.atomic
def call_close(*, actor: Any, call: Call, at: datetime | None = None) -> Call:
    """The community lead closes an event's call once every answer reports completion."""
    require(actor, "community.call")
    call = get_in_scope(actor, Call.objects.select_for_update(), pk=call.pk)
    if call.event_id is None:
        raise Conflict(
            _("A need's call closes when the need is met, not by hand."), code="need_call"
        )
    if not call.is_open:
        raise Conflict(_("This call is closed."), code="call_closed")
    statuses = list(call.responses.values_list("status", flat=True))
    if not statuses or any(status != ResponseStatus.COMPLETED for status in statuses):
        raise Conflict(
            _("A call can be closed only when every answer has reported completion."),
            code="answers_incomplete",
        )
    now = at if (at is not None and actor is SYSTEM) else timezone.now()
    model_update(instance=call, data={"closed_at": now}, actor=actor, action="community.call.close")
    return call
