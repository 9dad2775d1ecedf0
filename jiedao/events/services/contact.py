"""The reporter's phone number, revealed (and logged) to the people who must call back."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import Actor, get_in_scope, require
from jiedao.audit.services import audit_record
from jiedao.core.errors import Forbidden

from ..models import Event
from ..selectors import can_reveal_contact


@transaction.atomic
def event_contact_reveal(*, event: Event, actor: Actor) -> str:
    """The reporter's full phone number, for the people who must call back. Every reveal is
    recorded in the audit trail (who saw whose number, when)."""
    require(actor, "events.reveal_contact")
    visible = get_in_scope(actor, Event.objects.all(), pk=event.pk)
    if not can_reveal_contact(event=visible, user=actor):
        raise Forbidden(
            _("Only the people who must call the reporter back may see the phone number.")
        )
    audit_record(
        actor=actor,
        action="events.event.reveal_contact",
        target=visible,
        after={"field": "reporter_phone", "reporter_name": visible.reporter_name},
    )
    return visible.reporter_phone
