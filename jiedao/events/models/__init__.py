"""Unified event management (一网统管): the catalogue, events, their timeline and photos.

* :class:`Category` — the two-level catalogue (大类 → 小类) of components (部件) and events (事件)
  after GB/T 30428.2, each with a default department and time limits for acceptance and handling
  in working hours or working days. Events are filed under a 小类 (a category with a parent).
* :class:`DutyAssignment` — the duty matrix (职责清单): category × grid or community → department.
  See :mod:`jiedao.events.routing`.
* :class:`Event` — one reported problem, from intake to closure. ``status`` changes only through
  :func:`jiedao.events.services.event_transition` following :mod:`jiedao.events.workflow`.
* :class:`EventStep` — the timeline (留痕): one row per applied action, with who, when, the status
  before and after, the department involved and the action's data.
* :class:`EventPhoto` — photos before, during and after handling, checked by content.
* :class:`EventAssignment` — the departments working on an event: the lead (responsible) one and
  those called in for joint handling (吹哨报到), each reporting in.
* :class:`Notification` — what a user is told about events (written after commit; no SMS).
* :class:`EventNumberSequence` — the per-subdistrict, per-day counter behind event numbers.
* :class:`FigureRollup`, :class:`FigureChange` — the figures' per-day sums and the log of what
  changed since (PostgreSQL; see :mod:`jiedao.events.rollups`).

Times are stored in UTC. ``created_at`` and the per-stage timestamps are *business* times: the
demo generator back-dates them through the services' ``at`` argument, so they are plain fields
with a default rather than ``auto_now_add``.
"""

from .catalogue import Category, DutyAssignment, localised_name, reads_english
from .event import (
    Event,
    EventAssignment,
    EventNumberSequence,
    EventPhoto,
    EventQuerySet,
    EventStep,
    photo_path,
)
from .notification import Notification
from .rollup import FigureChange, FigureRollup

__all__ = [
    "Category",
    "DutyAssignment",
    "Event",
    "EventAssignment",
    "EventNumberSequence",
    "EventPhoto",
    "EventQuerySet",
    "EventStep",
    "FigureChange",
    "FigureRollup",
    "Notification",
    "localised_name",
    "photo_path",
    "reads_english",
]
