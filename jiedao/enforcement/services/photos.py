"""Photos taken on site: of a checklist item's answer (above all a 不合格) and of a finding.

Each is checked and re-encoded as the events' photos are (:mod:`jiedao.events.photos`: by its
content, not its name; size and pixel limits; the EXIF data with its GPS position and every
other piece of metadata left behind), at most ``ENFORCEMENT_PHOTOS_PER_RECORD`` on one item or
finding. The files are written last in the transaction that records them and removed again
when it fails. They are served only to those who see the inspection, never on the public page
of the 行政检查码.
"""

import logging
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import SYSTEM, get_in_scope, require
from jiedao.audit.services import audit_record
from jiedao.core.errors import Conflict, ErrorList, Forbidden, InvalidInput
from jiedao.events.photos import CheckedPhoto, check_photo, field_label

from .. import policy
from ..models import ChecklistItem, Inspection, InspectionPhoto, Rectification
from ..workflow import InspectionStatus, RectificationStatus
from .common import actor_user, joining_ids, locked_inspection

logger = logging.getLogger(__name__)

FIELD = "photos"
DEFAULT_MAX_PHOTOS = 6
# The photo checks whose message does not name the field it is about: said here with its label.
_UNLABELLED = frozenset({"empty_photo", "bad_photo_type", "photo_too_large"})


def max_photos() -> int:
    return int(getattr(settings, "ENFORCEMENT_PHOTOS_PER_RECORD", DEFAULT_MAX_PHOTOS))


def _labelled(error: InvalidInput) -> InvalidInput:
    if error.code not in _UNLABELLED:
        return error
    return InvalidInput(
        _("%(field)s: %(problem)s"),
        code=error.code,
        field=error.field,
        extra=error.extra,
        params={"field": field_label(FIELD), "problem": error.message},
    )


def photos_check(photos: Sequence[Any], *, existing: int = 0) -> list[CheckedPhoto]:
    """Every upload checked and re-encoded (all their problems reported together), and no
    more of them than the limit leaves room for beside the ``existing`` ones. Writes nothing."""
    limit = max_photos()
    if existing + len(photos) > limit:
        raise InvalidInput(
            _(
                "%(field)s: at most %(max)s photos on one item or finding; it has %(existing)s "
                "and %(count)s were sent."
            ),
            code="too_many_photos",
            field=FIELD,
            extra={"max_photos": limit},
            params={
                "field": field_label(FIELD),
                "max": limit,
                "existing": existing,
                "count": len(photos),
            },
        )
    errors = ErrorList()
    checked: list[CheckedPhoto] = []
    for upload in photos:
        try:
            checked.append(check_photo(upload, field=FIELD))
        except InvalidInput as error:
            errors.add(_labelled(error))
    errors.raise_any()
    return checked


def files_discard(names: Iterable[str]) -> None:
    """Remove files written by a transaction that did not commit."""
    storage = InspectionPhoto.file.field.storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Could not remove the orphaned photo %s", name)


def photos_attach(
    *,
    actor: Any,
    inspection: Inspection,
    checked: Sequence[CheckedPhoto],
    item: ChecklistItem | None = None,
    rectification: Rectification | None = None,
) -> list[InspectionPhoto]:
    """Store checked photos on ``item`` or ``rectification`` and audit them, inside the
    caller's transaction (the last thing it writes)."""
    if not checked:
        return []
    stored: list[str] = []
    created: list[InspectionPhoto] = []
    try:
        for photo in checked:
            record = InspectionPhoto(
                inspection=inspection,
                item=item,
                rectification=rectification,
                content_type=photo.content_type,
                size=photo.size,
                sha256=photo.sha256,
                uploaded_by=actor_user(actor),
            )
            record.file.save(
                f"{uuid.uuid4().hex}.{photo.extension}", photo.as_file("p"), save=False
            )
            stored.append(record.file.name)
            record.save()
            created.append(record)
        target: Any = item if item is not None else rectification
        audit_record(
            actor=actor,
            action="enforcement.item_photos_add"
            if item is not None
            else "enforcement.finding_photos_add",
            target=target,
            after={"photos": [photo.pk for photo in created]},
        )
    except BaseException:
        files_discard(stored)
        raise
    return created


def _required(photos: Sequence[Any]) -> None:
    if not photos:
        raise InvalidInput(
            _("%(field)s: attach at least one photo."),
            code="required",
            field=FIELD,
            params={"field": field_label(FIELD)},
        )


@transaction.atomic
def item_photos_add(*, actor: Any, item_id: int, photos: Sequence[Any]) -> list[InspectionPhoto]:
    """Add photos to a checklist item's answer while the inspection is in progress. Only the
    department that answers the item adds them: the lead department's officers to every item,
    a joining department to its own (another department's item is refused, one outside the
    actor's scope is not found)."""
    require(actor, "enforcement.check")
    item = get_in_scope(actor, ChecklistItem.objects.all(), pk=item_id)
    inspection = locked_inspection(actor, item.inspection_id)
    if actor is not SYSTEM and not policy.can_check(
        actor, inspection, item.department_id, joining_ids(inspection)
    ):
        raise Forbidden(_("Only the lead department or this item's department may record it."))
    if inspection.status != InspectionStatus.IN_PROGRESS:
        raise Conflict(
            _("Results are recorded while the inspection is in progress."), code="not_in_progress"
        )
    _required(photos)
    checked = photos_check(photos, existing=item.photos.count())
    return photos_attach(actor=actor, inspection=inspection, checked=checked, item=item)


@transaction.atomic
def finding_photos_add(
    *, actor: Any, rectification_id: int, photos: Sequence[Any]
) -> list[InspectionPhoto]:
    """Add photos to a finding (a rectification item) while it is open: those who record
    findings add them."""
    require(actor, "enforcement.rectify")
    rectification = get_in_scope(
        actor, Rectification.objects.select_for_update(of=("self",)), pk=rectification_id
    )
    if rectification.status != RectificationStatus.OPEN:
        raise Conflict(
            _("This rectification item is “%(status)s” already.")
            % {"status": RectificationStatus(rectification.status).label},
            code="not_allowed",
        )
    inspection = locked_inspection(actor, rectification.inspection_id)
    _required(photos)
    checked = photos_check(photos, existing=rectification.photos.count())
    return photos_attach(
        actor=actor, inspection=inspection, checked=checked, rectification=rectification
    )
