"""Photos of an event (留痕): stored with the step they document, removed again when the
transaction that wrote them does not commit, and added later to an open event."""

import logging
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import Actor, get_in_scope, require
from jiedao.audit.services import audit_record
from jiedao.core.errors import Conflict, Forbidden, InvalidInput

from ..models import Event, EventPhoto, EventStep
from ..photos import CheckedPhoto, check_photos
from ..selectors import can_add_photo
from ..workflow import OPEN_STATES, PhotoStage, Status
from .common import Reporter, business_time, clean_choice, user_or_none
from .timeline import step_record

logger = logging.getLogger(__name__)


def photos_store(
    *,
    event: Event,
    photos: Sequence[CheckedPhoto],
    stage: str,
    actor: Reporter,
    step: EventStep | None,
    at: datetime,
    stored: list[str],
) -> list[EventPhoto]:
    created = []
    for photo in photos:
        record = EventPhoto(
            event=event,
            stage=stage,
            content_type=photo.content_type,
            size=photo.size,
            sha256=photo.sha256,
            uploaded_by=user_or_none(actor),
            step=step,
            created_at=at,
        )
        record.file.save(uuid.uuid4().hex + "." + photo.extension, photo.as_file("p"), save=False)
        stored.append(record.file.name)
        record.save()
        created.append(record)
    return created


def files_discard(names: Iterable[str]) -> None:
    """Remove files written by a transaction that did not commit."""
    storage = EventPhoto.file.field.storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Could not remove the orphaned photo %s", name)


@transaction.atomic
def event_photo_add(
    *,
    event: Event,
    actor: Actor,
    photos: Sequence[File],
    stage: str = PhotoStage.HANDLING,
    step_id: int | None = None,
    at: datetime | None = None,
) -> list[EventPhoto]:
    """Add photos to an open event: to one of the actor's own steps (``step_id``), or as a
    step of their own ("add_photo"). Checked by content and size like every photo."""
    require(actor, "events.add_photo")
    locked = get_in_scope(actor, Event.objects.select_for_update(), pk=event.pk)
    moment = business_time(actor, at, not_before=None)
    if not can_add_photo(event=locked, user=actor):
        if locked.status not in OPEN_STATES:
            raise Conflict(
                _("Event %(number)s is %(status)s: photos can be added only while it is open.")
                % {"number": locked.number, "status": Status(locked.status).label},
                code="invalid_transition",
            )
        raise Forbidden(_("You are not working on event %(number)s.") % {"number": locked.number})
    stage = clean_choice(stage, PhotoStage, "stage", PhotoStage.HANDLING)
    checked = check_photos(photos, field="photos")
    if not checked:
        raise InvalidInput(_("Attach at least one photo."), code="required", field="photos")
    if step_id is not None:
        step = EventStep.objects.filter(pk=step_id, event=locked).first()
        if step is None or step.actor_id != getattr(actor, "pk", None):
            raise InvalidInput(
                _("Step %(step)s is not one of your steps on event %(number)s.")
                % {"step": step_id, "number": locked.number},
                code="unknown_step",
                field="step",
            )
    else:
        step = step_record(
            event=locked,
            action=EventStep.ADD_PHOTO,
            actor=actor,
            at=moment,
            from_status=locked.status,
            to_status=locked.status,
            data={"stage": stage, "count": len(checked)},
        )
    stored: list[str] = []
    try:
        created = photos_store(
            event=locked,
            photos=checked,
            stage=stage,
            actor=actor,
            step=step,
            at=moment,
            stored=stored,
        )
        audit_record(
            actor=actor,
            action="events.event.add_photo",
            target=locked,
            after={"photos": [photo.pk for photo in created], "stage": stage, "step": step.pk},
        )
    except BaseException:
        files_discard(stored)
        raise
    return created
