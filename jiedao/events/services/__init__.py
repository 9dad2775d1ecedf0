"""Writes to events: intake, every workflow transition, photos, warnings, the catalogue.

Every service is keyword-only and atomic, checks permission through
:mod:`jiedao.accounts.permissions`, saves with ``update_fields``, logs a timeline step
(:func:`.timeline.step_record`) and an audit entry in the same transaction, and tells people
after commit (:mod:`.notifications`). Actors are typed :data:`~jiedao.accounts.permissions.Actor`
(a user or :data:`~jiedao.accounts.permissions.SYSTEM`); intake also takes a public door.

The entry points:

``event_report(*, actor, category, description, lat=None, lng=None, crs="wgs84", grid="", ...)``
    Intake (上报, :mod:`.intake`). Places the point in its grid (:mod:`jiedao.geo.location`),
    computes the acceptance deadline, numbers the event (``WY20261122-0001``: prefix per
    subdistrict, local day, sequence), makes the command centre its first owner (首接负责). With
    ``client_key`` the call is idempotent: the same key and content return the first event
    (``created`` False); the same key with other content is a 422. With ``self_resolved=True`` a
    report by someone the workflow table lets resolve on the spot is closed at once in the same
    transaction (needs an "after" photo). Returns :class:`ReportOutcome`.

``event_transition(*, event, action, actor, at=None, note="", reason="", department=None, ...)``
    Applies any action of :data:`jiedao.events.workflow.TRANSITIONS` under a row lock
    (:mod:`.transitions`, the actions' work in :mod:`.handlers`). Typed data, each action taking
    what it uses as its own input (:mod:`.inputs`): ``note``; ``reason`` (reject, return,
    verify_fail, suspend, reopen, request_extension); ``department`` (dispatch: a Department or
    code, default the proposal); ``departments`` (call_departments); ``working_days: int``
    (request_extension); ``approve: bool`` (decide_extension); ``satisfaction: int`` 1–5 (rate);
    ``primary`` (merge: an Event or number); ``photos`` (uploaded files, stored at the action's
    stage). Errors: 404 unknown action or event out of scope, 403 role/relation, 409
    status/guard (naming both), 422 bad data (every problem of the action's input at once) —
    and nothing is written. ``event_transition_check`` (same arguments) runs those checks and
    writes nothing, for a page whose own form already refused a field.

``event_photo_add`` (:mod:`.photos`), ``event_contact_reveal`` (logged, :mod:`.contact`),
``event_warnings_announce`` (the periodic job's work, :mod:`.deadline_warnings`),
``notification_mark_read``, ``category_catalogue_load``, ``catalogue_entry_save`` /
``catalogue_entry_delete`` (admin, :mod:`.catalogue`).

**Back-dated history.** ``event_report`` and ``event_transition`` accept ``at``: the business
time of the step (stored in ``created_at`` and the stage timestamps, and used for deadlines).
Only :data:`~jiedao.accounts.permissions.SYSTEM` may pass it — generators that rebuild past
history through the services (the demo's 2022 events); interfaces never do. It must not go back
before the event's last step nor lie in the future. Back-dated steps notify nobody (it all
happened long ago); the audit entry still records the real time of the write.
"""

from jiedao.geo.location import Location
from jiedao.geo.location import locate as _locate

from .catalogue import (
    catalogue_entry_check,
    catalogue_entry_delete,
    catalogue_entry_save,
    category_catalogue_load,
)
from .common import MAX_DESCRIPTION, MAX_EXTENSION_DAYS, MAX_NOTE
from .contact import event_contact_reveal
from .deadline_warnings import event_warnings_announce
from .duty_matrix import DutyCell, duty_matrix_save
from .inputs import TransitionArgs
from .intake import ReportOutcome, event_report, event_report_check, next_event_number
from .notifications import notification_mark_read
from .photos import event_photo_add
from .timeline import step_record
from .transitions import event_transition, event_transition_check

__all__ = [
    "MAX_DESCRIPTION",
    "MAX_EXTENSION_DAYS",
    "MAX_NOTE",
    "DutyCell",
    "Location",
    "ReportOutcome",
    "TransitionArgs",
    "_locate",
    "catalogue_entry_check",
    "catalogue_entry_delete",
    "catalogue_entry_save",
    "category_catalogue_load",
    "duty_matrix_save",
    "event_contact_reveal",
    "event_photo_add",
    "event_report",
    "event_report_check",
    "event_transition",
    "event_transition_check",
    "event_warnings_announce",
    "next_event_number",
    "notification_mark_read",
    "step_record",
]
