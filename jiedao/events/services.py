"""Writes to events: intake, every workflow transition, photos, warnings, the catalogue.

Every service is keyword-only and atomic, checks permission through
:mod:`jiedao.accounts.permissions`, saves with ``update_fields``, logs a timeline step
(:class:`~jiedao.events.models.EventStep`) and an audit entry in the same transaction, and tells
people after commit (:class:`~jiedao.events.models.Notification`).

The entry points:

``event_report(*, actor, category, description, lat=None, lng=None, crs="wgs84", grid="", ...)``
    Intake (上报). Places the point in its grid, computes the acceptance deadline, numbers the
    event (``WY20261122-0001``: prefix per subdistrict, local day, sequence), makes the command
    centre its first owner (首接负责). With ``client_key`` the call is idempotent: the same key
    and content return the first event (``created`` False); the same key with other content is a
    422. With ``self_resolved=True`` a grid worker's report is closed on the spot in the same
    transaction (needs an "after" photo). Returns :class:`ReportOutcome`.

``event_transition(*, event, action, actor, at=None, **data)``
    Applies any action of :data:`jiedao.events.workflow.TRANSITIONS` under a row lock. Data by
    action: ``note``; ``reason`` (reject, return, verify_fail, suspend, reopen,
    request_extension); ``department`` (dispatch: a Department or code, default the proposal);
    ``departments`` (call_departments); ``working_days`` (request_extension); ``approve``
    (decide_extension); ``satisfaction`` 1–5 (rate); ``primary`` (merge: an Event or number);
    ``photos`` (uploaded files, stored at the action's stage). Errors: 404 unknown action or
    event out of scope, 403 role/relation, 409 status/guard (naming both), 422 bad data — and
    nothing is written.

``event_photo_add``, ``event_contact_reveal`` (logged), ``event_warnings_announce`` (the
periodic job's work), ``notification_mark_read``, ``category_catalogue_load``,
``catalogue_entry_save`` / ``catalogue_entry_delete`` (admin).

**Back-dated history.** ``event_report`` and ``event_transition`` accept ``at``: the business
time of the step (stored in ``created_at`` and the stage timestamps, and used for deadlines).
Only :data:`~jiedao.accounts.permissions.SYSTEM` may pass it — generators that rebuild past
history through the services (the demo's 2022 events); interfaces never do. It must not go back
before the event's last step nor lie in the future. Back-dated steps notify nobody (it all
happened long ago); the audit entry still records the real time of the write.
"""

import hashlib
import json
import logging
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.models import Role, User
from jiedao.accounts.permissions import SYSTEM, get_in_scope, require, scoped
from jiedao.audit.services import audit_record, snapshot
from jiedao.core import workcalendar
from jiedao.core.coordinates import CRS, parse_crs, to_wgs84
from jiedao.core.errors import Conflict, Forbidden, InvalidInput
from jiedao.geo.geometry import parse_boundary
from jiedao.geo.lookup import grid_index
from jiedao.geo.models import Department, Grid, Subdistrict

from .catalogue import catalogue_changed, category_by_code
from .deadlines import (
    acceptance_deadline,
    handling_deadline,
    warning_level,
    warning_level_q,
    warning_moment,
)
from .models import (
    Category,
    DutyAssignment,
    Event,
    EventAssignment,
    EventNumberSequence,
    EventPhoto,
    EventStep,
    Notification,
)
from .photos import CheckedPhoto, check_photos
from .routing import command_centre, route_propose
from .selectors import EventHistory, can_add_photo, can_reveal_contact, check_transition
from .workflow import (
    ACTION_PHOTO_STAGE,
    FOLLOW,
    NOTIFY,
    OPEN_STATES,
    REPORT_SOURCES,
    RESTORE,
    STAY,
    SYSTEM_DEFAULT_SOURCE,
    WARNING_NOTIFY,
    WARNING_RANK,
    Action,
    Audience,
    PhotoStage,
    Source,
    Status,
    Urgency,
    WarningLevel,
)

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
MAX_DESCRIPTION = 2000
MAX_NOTE = 2000
MAX_EXTENSION_DAYS = 30
FUTURE_TOLERANCE = timedelta(minutes=5)
_PHONE = re.compile(r"^\+?[\d\s\-()]{5,30}$")
_CLIENT_KEY = re.compile(r"^[\x21-\x7e]{1,100}$")


# --- Small helpers --------------------------------------------------------------------------


def _user_or_none(actor: Any) -> User | None:
    return actor if isinstance(actor, User) else None


def _actor_label(actor: Any) -> str:
    user = _user_or_none(actor)
    return user.get_username() if user else str(actor)


def _business_time(actor: Any, at: datetime | None, *, not_before: datetime | None) -> datetime:
    """The time a step happened: now, or ``at`` for SYSTEM-driven back-dated history."""
    now = timezone.now()
    if at is None:
        return now
    if actor is not SYSTEM:
        raise Forbidden(_("Only the system may record steps at another time."), field="at")
    if at.utcoffset() is None:
        raise InvalidInput(_("“at” must be an aware datetime."), field="at")
    if at > now + FUTURE_TOLERANCE:
        raise InvalidInput(_("“at” lies in the future."), field="at")
    if not_before is not None and at < not_before:
        raise InvalidInput(
            _("“at” (%(at)s) is before the event's last step (%(last)s).")
            % {"at": at.isoformat(), "last": not_before.isoformat()},
            field="at",
        )
    return at


def _text(value: Any, field: str, *, max_length: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(_("%(field)s must be text.") % {"field": field}, field=field)
    value = value.strip()
    if required and not value:
        raise InvalidInput(
            _("%(field)s is required.") % {"field": field}, code="required", field=field
        )
    if len(value) > max_length:
        raise InvalidInput(
            _("%(field)s is too long: at most %(max)s characters.")
            % {"field": field, "max": max_length},
            field=field,
        )
    return value


def _category_by_code(value: str | None) -> Category:
    code = (value or "").strip() if isinstance(value, str) else ""
    if not code:
        raise InvalidInput(_("Choose a category for the event."), code="required", field="category")
    category = category_by_code(code)
    if category is None:
        raise InvalidInput(
            _("Unknown category code “%(code)s”.") % {"code": code},
            code="unknown_category",
            field="category",
        )
    return category


def _category(value: Category | str | None) -> Category:
    category = value if isinstance(value, Category) else _category_by_code(value)
    if category.parent_id is None:
        raise InvalidInput(
            _("“%(name)s” is a main category: choose one of its subcategories.")
            % {"name": category.name},
            code="main_category",
            field="category",
        )
    if not category.is_active:
        raise InvalidInput(
            _("The category “%(name)s” is no longer used.") % {"name": category.name},
            code="inactive_category",
            field="category",
        )
    return category


def _department_by_code(value: str | None, *, subdistrict_id: int, field: str) -> Department:
    code = value.strip() if isinstance(value, str) else ""
    if not code:
        raise InvalidInput(_("Choose a department."), code="required", field=field)
    department = Department.objects.filter(subdistrict_id=subdistrict_id, code=code).first()
    if department is None:
        raise InvalidInput(
            _("Unknown department code “%(code)s”.") % {"code": code},
            code="unknown_department",
            field=field,
        )
    return department


def _department(value: Department | str | None, *, subdistrict_id: int, field: str) -> Department:
    department = (
        value
        if isinstance(value, Department)
        else _department_by_code(value, subdistrict_id=subdistrict_id, field=field)
    )
    if department.subdistrict_id != subdistrict_id or not department.is_active:
        raise InvalidInput(
            _("%(department)s cannot take events of this subdistrict.")
            % {"department": department.name},
            code="unknown_department",
            field=field,
        )
    return department


@dataclass(frozen=True)
class Location:
    lat: float
    lng: float
    grid: Grid
    is_approximate: bool


def _grid_by_code(code: str) -> Grid:
    grid = Grid.objects.select_related("community__subdistrict").filter(code=code).first()
    if grid is None:
        raise InvalidInput(
            _("Unknown grid code “%(code)s”.") % {"code": code},
            code="unknown_grid",
            field="grid",
        )
    return grid


def _locate(*, lat: Any, lng: Any, crs: CRS | str, grid_code: str) -> Location:
    """WGS-84 point and grid of a report: from coordinates (in ``crs``), or — for a hotline call
    without coordinates — a point inside the given grid, flagged approximate."""
    crs = crs if isinstance(crs, CRS) else parse_crs(crs)
    if lat is None and lng is None:
        if not grid_code:
            raise InvalidInput(
                _("Give the location (lat and lng), or the grid when there are no coordinates."),
                code="required",
                field="lat",
            )
        grid = _grid_by_code(grid_code)
        point = parse_boundary(grid.boundary).representative_point()
        return Location(lat=point.y, lng=point.x, grid=grid, is_approximate=True)
    for name, value in (("lat", lat), ("lng", lng)):
        if value is None or isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidInput(
                _("%(field)s must be a number.") % {"field": name}, code="required", field=name
            )
    point = to_wgs84(float(lat), float(lng), crs)
    located = grid_index().locate_grid(point.lng, point.lat)
    if located is None:
        raise InvalidInput(
            _(
                "The location (%(lat)s, %(lng)s, %(crs)s) lies outside every grid of the "
                "subdistrict. Check the point on the map."
            )
            % {"lat": lat, "lng": lng, "crs": crs.value},
            code="outside_area",
            field="lat",
        )
    if grid_code and grid_code != located.code:
        _grid_by_code(grid_code)  # unknown code: say so
        raise InvalidInput(
            _("The location lies in grid %(actual)s, not in grid %(given)s.")
            % {"actual": located.code, "given": grid_code},
            code="grid_mismatch",
            field="grid",
        )
    return Location(lat=point.lat, lng=point.lng, grid=located, is_approximate=False)


def _choice(value: Any, choices: type[models.TextChoices], field: str, default: str) -> str:
    if value in (None, ""):
        return default
    if value not in choices.values:
        raise InvalidInput(
            _("Unknown %(field)s “%(value)s”: use one of %(choices)s.")
            % {"field": field, "value": value, "choices": ", ".join(choices.values)},
            field=field,
        )
    return str(value)


def _source(actor: Any, value: Any) -> str:
    if actor is SYSTEM:
        return _choice(value, Source, "source", SYSTEM_DEFAULT_SOURCE)
    allowed = REPORT_SOURCES.get(actor.role, ())
    source = _choice(value, Source, "source", allowed[0] if allowed else "")
    if source not in allowed:
        raise InvalidInput(
            _("As %(role)s you may report from %(allowed)s, not from “%(source)s”.")
            % {
                "role": Role(actor.role).label,
                "allowed": ", ".join(str(Source(item).label) for item in allowed),
                "source": Source(source).label,
            },
            code="source_not_allowed",
            field="source",
        )
    return source


def next_event_number(subdistrict: Subdistrict, moment: datetime) -> str:
    """The next number of ``subdistrict`` for the local day of ``moment``: WY20261122-0001.

    One atomic upsert increments the day's counter and returns it; its row lock is held until
    the transaction ends, so concurrent intakes queue on it and never share a number, and a
    rolled-back intake gives its number back."""
    day = timezone.localtime(moment).date()
    table = EventNumberSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (subdistrict_id, day, last_value) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (subdistrict_id, day) DO UPDATE "
            f"SET last_value = {table}.last_value + 1 RETURNING last_value",
            [subdistrict.pk, day],
        )
        (value,) = cursor.fetchone()
    prefix = settings.EVENT_NUMBER_PREFIXES.get(subdistrict.code, f"{subdistrict.code}-")
    return f"{prefix}{day:%Y%m%d}-{value:04d}"


def _fingerprint(content: dict[str, Any]) -> str:
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _store_photos(
    *,
    event: Event,
    photos: Sequence[CheckedPhoto],
    stage: str,
    actor: Any,
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
            uploaded_by=_user_or_none(actor),
            step=step,
            created_at=at,
        )
        record.file.save(uuid.uuid4().hex + "." + photo.extension, photo.as_file("p"), save=False)
        stored.append(record.file.name)
        record.save()
        created.append(record)
    return created


def _discard_files(names: Iterable[str]) -> None:
    """Remove files written by a transaction that did not commit."""
    storage = EventPhoto.file.field.storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Could not remove the orphaned photo %s", name)


# --- Notifications --------------------------------------------------------------------------


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


def _notify_on_commit(
    *,
    event: Event,
    kind: str,
    title: Any,
    note: str,
    audiences: Sequence[Audience],
    actor: Any,
    called: Sequence[int] = (),
) -> None:
    """After commit, tell the audiences about a step (never the actor themself). ``event`` is
    the instance the services saved, so at commit it holds what was committed."""
    if not audiences:
        return
    actor_id = getattr(actor, "pk", None)

    def send() -> None:
        audience = _recipients(event, audiences, called=called)
        if audience is None:
            return
        with translation.override(settings.LANGUAGE_CODE):
            message = gettext("%(number)s (%(category)s): %(what)s") % {
                "number": event.number,
                "category": event.category.name,
                "what": str(title),
            }
            if note:
                message = f"{message} — {note}"
        recipients = User.objects.filter(audience, is_active=True)
        if actor_id is not None:
            recipients = recipients.exclude(pk=actor_id)
        _notifications_insert(recipients, event=event, kind=kind, message=message[:300])

    transaction.on_commit(send)


def _notifications_insert(
    recipients: QuerySet[User], *, event: Event, kind: str, message: str
) -> None:
    """One notification per recipient in one INSERT … SELECT: a step that tells the whole
    dispatch room costs one statement, however many people are in it."""
    select, params = recipients.values("pk").query.sql_with_params()
    table = Notification._meta.db_table
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (user_id, event_id, kind, message, created_at, read_at) "  # noqa: S608
            f"SELECT recipient.pk, %s, %s, %s, %s, NULL FROM ({select}) recipient "
            f"ORDER BY recipient.pk",
            [event.pk, kind, message, now, *params],
        )


# --- Intake ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportOutcome:
    event: Event
    created: bool  # False: an earlier request with the same client key created it
    # What this call wrote besides the event, when that is the whole history (a plain new
    # report), so that the answer needs no second read; None otherwise.
    history: EventHistory | None = None


def _replay(actor: Any, client_key: str, fingerprint: str) -> Event | None:
    existing = Event.objects.filter(reported_by=_user_or_none(actor), client_key=client_key).first()
    if existing is None:
        return None
    if existing.request_fingerprint != fingerprint:
        raise InvalidInput(
            _(
                "The Idempotency-Key “%(key)s” was already used for a different report "
                "(%(number)s). Use a new key for a new report."
            )
            % {"key": client_key, "number": existing.number},
            code="idempotency_key_reused",
            field="client_key",
            extra={"number": existing.number},
        )
    return existing


def event_report(
    *,
    actor: Any,
    category: Category | str | None = None,
    description: str = "",
    lat: float | None = None,
    lng: float | None = None,
    crs: CRS | str = CRS.WGS84,
    grid: str = "",
    address: str = "",
    source: str | None = None,
    urgency: str | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    photos: Sequence[Any] = (),
    self_resolved: bool = False,
    after_photos: Sequence[Any] = (),
    resolution_note: str = "",
    client_key: str = "",
    at: datetime | None = None,
) -> ReportOutcome:
    """Report an event (上报). See the module docstring; everything is checked before anything
    is written, and a failed check leaves nothing behind."""
    require(actor, "events.report")
    moment = _business_time(actor, at, not_before=None)
    client_key = (client_key or "").strip()
    if client_key and not _CLIENT_KEY.match(client_key):
        raise InvalidInput(
            _("The Idempotency-Key must be 1 to 100 printable ASCII characters."),
            code="bad_client_key",
            field="client_key",
        )
    checked_category = _category(category)
    description = _text(description, "description", max_length=MAX_DESCRIPTION, required=True)
    address = _text(address, "address", max_length=200)
    location = _locate(lat=lat, lng=lng, crs=crs, grid_code=(grid or "").strip())
    subdistrict = location.grid.community.subdistrict
    user = _user_or_none(actor)
    if user is not None and user.subdistrict_id not in (None, subdistrict.pk):
        raise InvalidInput(
            _("The location lies outside your subdistrict."), code="outside_area", field="lat"
        )
    checked_source = _source(actor, source)
    checked_urgency = _choice(urgency, Urgency, "urgency", Urgency.NORMAL)
    reporter_name = _text(reporter_name, "reporter_name", max_length=100)
    reporter_phone = _text(reporter_phone, "reporter_phone", max_length=30)
    if reporter_phone and not _PHONE.match(reporter_phone):
        raise InvalidInput(
            _("“%(phone)s” is not a phone number.") % {"phone": reporter_phone},
            field="reporter_phone",
        )
    if user is not None and not reporter_name and not reporter_phone:
        reporter_name, reporter_phone = user.display_name, user.phone
    before = check_photos(photos, field="photos")
    after = check_photos(after_photos, field="after_photos")
    resolution_note = _text(resolution_note, "resolution_note", max_length=MAX_NOTE)
    if self_resolved and user is not None and user.role != Role.GRID_WORKER:
        raise Forbidden(_("Only a grid worker resolves events on the spot."), field="self_resolved")
    fingerprint = _fingerprint(
        {
            "category": checked_category.code,
            "description": description,
            "lat": None if lat is None else round(float(lat), 7),
            "lng": None if lng is None else round(float(lng), 7),
            "crs": str(crs).lower(),
            "grid": location.grid.code,
            "address": address,
            "source": checked_source,
            "urgency": checked_urgency,
            "reporter": [reporter_name, reporter_phone],
            "photos": [photo.sha256 for photo in before],
            "self_resolved": [self_resolved, [photo.sha256 for photo in after], resolution_note],
        }
    )
    owner_department = command_centre(subdistrict.pk)
    if owner_department is None and user is None:
        raise Conflict(
            _(
                "%(subdistrict)s has no command centre (a department with code %(code)s) to "
                "receive reports; an administrator must create it."
            )
            % {"subdistrict": subdistrict.name, "code": settings.EVENT_COMMAND_CENTRE_CODE},
            code="no_command_centre",
        )
    stored: list[str] = []
    try:
        with transaction.atomic():
            history = _create_event(
                actor=actor,
                moment=moment,
                category=checked_category,
                subdistrict=subdistrict,
                location=location,
                description=description,
                address=address,
                source=checked_source,
                urgency=checked_urgency,
                reporter_name=reporter_name,
                reporter_phone=reporter_phone,
                owner_department=owner_department,
                client_key=client_key,
                fingerprint=fingerprint,
                photos=before,
                stored=stored,
            )
            event = history.steps[0].event
            if self_resolved:
                _apply(
                    event=event,
                    action=Action.SELF_RESOLVE,
                    actor=actor,
                    at=moment,
                    data={"note": resolution_note, "photos": after},
                    stored=stored,
                )
    except IntegrityError:
        # The client key is taken (unique per reporter): this is a retry, or a parallel request
        # with the same key committed first. Answer with the first event. Trying the insert
        # first costs a retry nothing more, and saves every first try a query.
        _discard_files(stored)
        existing = _replay(actor, client_key, fingerprint) if client_key else None
        if existing is None:
            raise
        return ReportOutcome(existing, created=False)
    except BaseException:
        _discard_files(stored)
        raise
    return ReportOutcome(event, created=True, history=None if self_resolved else history)


def _create_event(
    *,
    actor: Any,
    moment: datetime,
    category: Category,
    subdistrict: Subdistrict,
    location: Location,
    description: str,
    address: str,
    source: str,
    urgency: str,
    reporter_name: str,
    reporter_phone: str,
    owner_department: Department | None,
    client_key: str,
    fingerprint: str,
    photos: Sequence[CheckedPhoto],
    stored: list[str],
) -> EventHistory:
    deadline = acceptance_deadline(category, moment)
    event = Event.objects.create(
        number=next_event_number(subdistrict, moment),
        subdistrict=subdistrict,
        source=source,
        category=category,
        description=description,
        lat=location.lat,
        lng=location.lng,
        is_location_approximate=location.is_approximate,
        address=address,
        grid=location.grid,
        community=location.grid.community,
        reported_by=_user_or_none(actor),
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        urgency=urgency,
        status=Status.REPORTED,
        responsible_department=owner_department,
        responsible_user=None if owner_department else _user_or_none(actor),
        accept_due_at=deadline.due_at,
        accept_warn_at=deadline.warn_at,
        created_at=moment,
        last_action_at=moment,
        client_key=client_key,
        request_fingerprint=fingerprint if client_key else "",
    )
    step_data: dict[str, Any] = {"source": source, "category": category.code}
    if deadline.calendar_warning:
        step_data["calendar_warning"] = deadline.calendar_warning
    step = EventStep.objects.create(
        event=event,
        action=Action.REPORT,
        actor=_user_or_none(actor),
        actor_label=_actor_label(actor),
        from_status="",
        to_status=Status.REPORTED,
        department=owner_department,
        created_at=moment,
        data=step_data,
    )
    stored_photos = _store_photos(
        event=event,
        photos=photos,
        stage=PhotoStage.BEFORE,
        actor=actor,
        step=step,
        at=moment,
        stored=stored,
    )
    audit_record(actor=actor, action="events.event.report", target=event, after=snapshot(event))
    if moment >= timezone.now() - FUTURE_TOLERANCE:
        _notify_on_commit(
            event=event,
            kind=Action.REPORT,
            title=Action.REPORT.label,
            note="",
            audiences=NOTIFY[Action.REPORT],
            actor=actor,
        )
    return EventHistory(steps=[step], photos=stored_photos)


# --- Transitions ----------------------------------------------------------------------------


@dataclass
class Change:
    """What an action handler decided; :func:`_apply` saves it, logs it and tells people."""

    event: Event
    actor: Any
    action: str
    at: datetime
    data: dict[str, Any]
    fields: set[str] = field(default_factory=set)
    note: str = ""
    department: Department | None = None
    step_data: dict[str, Any] = field(default_factory=dict)
    photos: list[CheckedPhoto] = field(default_factory=list)
    called: list[int] = field(default_factory=list)
    after_step: list[Callable[[EventStep], None]] = field(default_factory=list)

    def set(self, **values: Any) -> None:
        for name, value in values.items():
            setattr(self.event, name, value)
            self.fields.add(name)


def _require_data(change: Change, name: str, *, max_length: int = MAX_NOTE) -> str:
    return _text(change.data.get(name), name, max_length=max_length, required=True)


def _optional_note(change: Change) -> str:
    return _text(change.data.get("note"), "note", max_length=MAX_NOTE)


def _start_handle_clock(change: Change) -> None:
    deadline = handling_deadline(change.event.category, change.at)
    change.set(
        handle_due_at=deadline.due_at,
        handle_warn_at=deadline.warn_at,
        alert_level=WarningLevel.NONE,
    )
    change.step_data["handle_due_at"] = deadline.due_at.isoformat()
    if deadline.calendar_warning:
        change.step_data["calendar_warning"] = deadline.calendar_warning


def _handle_self_resolve(change: Change) -> None:
    event = change.event
    change.note = _optional_note(change)
    has_after_photo = change.photos or event.photos.filter(stage=PhotoStage.AFTER).exists()
    if not has_after_photo:
        raise InvalidInput(
            _("Resolving on the spot needs a photo taken after the work."),
            code="required",
            field="photos",
        )
    change.set(is_self_resolved=True, closed_at=change.at)
    user = _user_or_none(change.actor)
    if user is not None:
        change.set(responsible_user=user)


def _handle_accept(change: Change) -> None:
    change.note = _optional_note(change)
    proposed = route_propose(change.event)
    change.set(accepted_at=change.at, proposed_department=proposed)
    change.department = proposed
    change.step_data["proposed_department"] = proposed.code if proposed else None
    _start_handle_clock(change)


def _handle_reject(change: Change) -> None:
    change.note = _require_data(change, "reason")
    change.set(rejected_at=change.at)


def _handle_merge(change: Change) -> None:
    event = change.event
    change.note = _optional_note(change)
    value = change.data.get("primary")
    if isinstance(value, Event):
        number = value.number
    elif isinstance(value, str) and value.strip():
        number = value.strip()
    else:
        raise InvalidInput(
            _("Give the number of the event to merge into."), code="required", field="primary"
        )
    primary = scoped(change.actor, Event.objects.select_for_update()).filter(number=number).first()
    if primary is None:
        raise InvalidInput(
            _("No event %(number)s that you can see.") % {"number": number},
            code="unknown_event",
            field="primary",
        )
    if primary.pk == event.pk:
        raise InvalidInput(_("An event cannot be merged into itself."), field="primary")
    if primary.status not in OPEN_STATES or primary.status == Status.MERGED:
        raise Conflict(
            _("Event %(number)s is %(status)s: merge only into an open event.")
            % {"number": primary.number, "status": Status(primary.status).label},
            code="invalid_transition",
            field="primary",
        )
    if Event.objects.filter(merged_into=event).exists():
        raise Conflict(
            _(
                "Other events are merged into %(number)s; merge %(primary)s into it instead, "
                "or keep both."
            )
            % {"number": event.number, "primary": primary.number},
            code="has_duplicates",
            field="primary",
        )
    change.set(merged_into=primary)
    change.step_data["primary"] = primary.number


def _handle_dispatch(change: Change) -> None:
    event = change.event
    change.note = _optional_note(change)
    value = change.data.get("department") or event.proposed_department or route_propose(event)
    department = _department(value, subdistrict_id=event.subdistrict_id, field="department")
    change.set(
        responsible_department=department,
        responsible_user=None,
        dispatched_at=change.at,
        extension_requested_until=None,
    )
    change.department = department
    change.step_data.update(
        department=department.code,
        proposed_department=event.proposed_department.code if event.proposed_department else None,
        overridden=event.proposed_department_id not in (None, department.pk),
    )
    EventAssignment.objects.filter(
        event=event, role=EventAssignment.Role.LEAD, ended_at__isnull=True
    ).exclude(department=department).update(ended_at=change.at)
    EventAssignment.objects.update_or_create(
        event=event,
        department=department,
        defaults={
            "role": EventAssignment.Role.LEAD,
            "assigned_at": change.at,
            "assigned_by": _user_or_none(change.actor),
            "ended_at": None,
        },
    )


def _handle_start_handling(change: Change) -> None:
    change.note = _optional_note(change)
    change.department = change.event.responsible_department
    values: dict[str, Any] = {"handling_started_at": change.at}
    user = _user_or_none(change.actor)
    if user is not None:
        values["responsible_user"] = user
    change.set(**values)


def _handle_return(change: Change) -> None:
    event = change.event
    change.note = _require_data(change, "reason")
    returning = event.responsible_department
    centre = command_centre(event.subdistrict_id)
    if centre is None:
        raise Conflict(
            _(
                "There is no command centre to return the event to; an administrator must create it."
            ),
            code="no_command_centre",
        )
    change.department = returning
    change.set(
        responsible_department=centre,
        responsible_user=None,
        extension_requested_until=None,
    )
    change.step_data["returned_by"] = returning.code if returning else None
    if returning is not None:
        EventAssignment.objects.filter(
            event=event, department=returning, ended_at__isnull=True
        ).update(ended_at=change.at, result=change.note)


def _handle_report_back(change: Change) -> None:
    change.note = _require_data(change, "note")
    change.department = change.event.responsible_department
    change.set(reported_back_at=change.at)


def _handle_verify_pass(change: Change) -> None:
    change.note = _optional_note(change)
    change.set(closed_at=change.at)


def _handle_verify_fail(change: Change) -> None:
    change.note = _require_data(change, "reason")
    change.department = change.event.responsible_department
    change.set(rework_count=change.event.rework_count + 1)


def _working_days(change: Change) -> int:
    value = change.data.get("working_days")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(
            _("working_days must be a whole number of working days."),
            code="required",
            field="working_days",
        )
    if not 1 <= value <= MAX_EXTENSION_DAYS:
        raise InvalidInput(
            _("An extension is 1 to %(max)s working days, not %(days)s.")
            % {"max": MAX_EXTENSION_DAYS, "days": value},
            field="working_days",
        )
    return value


def _handle_request_extension(change: Change) -> None:
    event = change.event
    change.note = _require_data(change, "reason")
    days = _working_days(change)
    base = max(event.handle_due_at or change.at, change.at)
    until = workcalendar.add_working_days(base, days)
    change.set(extension_requested_until=until)
    change.department = event.responsible_department
    change.step_data.update(working_days=days, until=until.isoformat())
    warning = workcalendar.calendar_warning(base, until)
    if warning:
        change.step_data["calendar_warning"] = warning


def _approve(change: Change) -> bool:
    value = change.data.get("approve")
    if isinstance(value, str) and value.lower() in {"true", "false", "1", "0", "yes", "no"}:
        return value.lower() in {"true", "1", "yes"}
    if not isinstance(value, bool):
        raise InvalidInput(
            _("Say whether the extension is approved (approve: true or false)."),
            code="required",
            field="approve",
        )
    return value


def _handle_decide_extension(change: Change) -> None:
    event = change.event
    approved = _approve(change)
    change.note = _optional_note(change)
    until = event.extension_requested_until or change.at  # the table's guard makes it set
    change.step_data.update(approved=approved, until=until.isoformat())
    if approved:
        change.step_data["previous_due_at"] = (
            event.handle_due_at.isoformat() if event.handle_due_at else None
        )
        change.set(
            handle_due_at=until,
            handle_warn_at=warning_moment(change.at, until),
            alert_level=WarningLevel.NONE,
            extension_count=event.extension_count + 1,
        )
    change.set(extension_requested_until=None)
    change.department = event.responsible_department


def _handle_suspend(change: Change) -> None:
    change.note = _require_data(change, "reason")
    change.set(status_before_suspension=change.event.status, suspended_at=change.at)


def _handle_resume(change: Change) -> None:
    change.note = _optional_note(change)
    # The handling clock starts again: a long-term case is not overdue for its time on hold.
    _start_handle_clock(change)


def _handle_urge(change: Change) -> None:
    change.note = _optional_note(change)
    change.department = change.event.responsible_department


def _handle_supervise(change: Change) -> None:
    change.note = _require_data(change, "note")
    change.department = change.event.responsible_department


def _handle_call_departments(change: Change) -> None:
    event = change.event
    change.note = _optional_note(change)
    values = change.data.get("departments")
    if isinstance(values, str | Department):
        values = [values]
    if not values or not isinstance(values, list | tuple):
        raise InvalidInput(
            _("Name at least one department to call."), code="required", field="departments"
        )
    departments = [
        _department(value, subdistrict_id=event.subdistrict_id, field="departments")
        for value in values
    ]
    existing = {
        assignment.department_id: assignment
        for assignment in EventAssignment.objects.filter(event=event, ended_at__isnull=True)
    }
    seen: set[int] = set()
    for department in departments:
        if department.pk == event.responsible_department_id:
            raise InvalidInput(
                _("%(department)s is already responsible for the event.")
                % {"department": department.name},
                field="departments",
            )
        if department.pk in seen or (
            department.pk in existing and existing[department.pk].reported_in_at is None
        ):
            raise InvalidInput(
                _("%(department)s has already been called.") % {"department": department.name},
                field="departments",
            )
        seen.add(department.pk)
    for department in departments:
        EventAssignment.objects.update_or_create(
            event=event,
            department=department,
            defaults={
                "role": EventAssignment.Role.COOPERATING,
                "assigned_at": change.at,
                "assigned_by": _user_or_none(change.actor),
                "reported_in_at": None,
                "reported_in_by": None,
                "result": "",
                "ended_at": None,
            },
        )
    change.called = [department.pk for department in departments]
    change.step_data["departments"] = [department.code for department in departments]


def _handle_report_in(change: Change) -> None:
    change.note = _require_data(change, "note")
    user = _user_or_none(change.actor)
    assignments = EventAssignment.objects.filter(
        event=change.event,
        role=EventAssignment.Role.COOPERATING,
        reported_in_at__isnull=True,
        ended_at__isnull=True,
    )
    if user is not None:
        assignments = assignments.filter(department_id=user.department_id or 0)
    assignment = assignments.select_related("department").first()
    if assignment is None:
        raise Conflict(
            _("No department is waiting to report in to event %(number)s.")
            % {"number": change.event.number},
            code="invalid_transition",
        )
    assignment.reported_in_at = change.at
    assignment.reported_in_by = user
    assignment.result = change.note
    assignment.save(update_fields=["reported_in_at", "reported_in_by", "result"])
    change.department = assignment.department


def _handle_reopen(change: Change) -> None:
    event = change.event
    change.note = _require_data(change, "reason")
    change.department = event.responsible_department
    change.set(
        closed_at=None,
        satisfaction=None,
        reopen_count=event.reopen_count + 1,
    )
    _start_handle_clock(change)


def _handle_rate(change: Change) -> None:
    value = change.data.get("satisfaction")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidInput(
            _("Satisfaction is a whole number from 1 (very dissatisfied) to 5 (very satisfied)."),
            code="required" if value in (None, "") else "invalid",
            field="satisfaction",
        )
    change.note = _optional_note(change)
    change.set(satisfaction=value)
    change.step_data["satisfaction"] = value


def _handle_follow_primary(change: Change) -> None:
    primary = change.data["primary"]
    change.note = gettext("Follows %(number)s.") % {"number": primary.number}
    change.step_data["primary"] = primary.number
    if primary.status == Status.CLOSED:
        change.set(closed_at=change.at, is_self_resolved=primary.is_self_resolved)
    elif primary.status == Status.REJECTED:
        change.set(rejected_at=change.at)


HANDLERS: dict[str, Callable[[Change], None]] = {
    Action.SELF_RESOLVE: _handle_self_resolve,
    Action.ACCEPT: _handle_accept,
    Action.REJECT: _handle_reject,
    Action.MERGE: _handle_merge,
    Action.DISPATCH: _handle_dispatch,
    Action.START_HANDLING: _handle_start_handling,
    Action.RETURN: _handle_return,
    Action.REPORT_BACK: _handle_report_back,
    Action.VERIFY_PASS: _handle_verify_pass,
    Action.VERIFY_FAIL: _handle_verify_fail,
    Action.REQUEST_EXTENSION: _handle_request_extension,
    Action.DECIDE_EXTENSION: _handle_decide_extension,
    Action.SUSPEND: _handle_suspend,
    Action.RESUME: _handle_resume,
    Action.URGE: _handle_urge,
    Action.SUPERVISE: _handle_supervise,
    Action.CALL_DEPARTMENTS: _handle_call_departments,
    Action.REPORT_IN: _handle_report_in,
    Action.REOPEN: _handle_reopen,
    Action.RATE: _handle_rate,
    Action.FOLLOW_PRIMARY: _handle_follow_primary,
}


def _apply(
    *,
    event: Event,
    action: str,
    actor: Any,
    at: datetime,
    data: dict[str, Any],
    stored: list[str],
) -> Event:
    """Apply ``action`` to a locked, visible ``event``: check, change, save, log, notify."""
    transition = check_transition(event, action, actor)
    before = snapshot(event)
    from_status = event.status
    photos = data.get("photos") or []
    change = Change(event=event, actor=actor, action=action, at=at, data=data, photos=photos)
    HANDLERS[action](change)
    if transition.target == RESTORE:
        target = event.status_before_suspension or Status.HANDLING
        change.set(status_before_suspension="")
    elif transition.target == FOLLOW:
        target = data["primary"].status
    elif transition.target == STAY:
        target = from_status
    else:
        target = transition.target
    change.set(status=target, last_action_at=at)
    event.save(update_fields=sorted(change.fields))
    step = EventStep.objects.create(
        event=event,
        action=action,
        actor=_user_or_none(actor),
        actor_label=_actor_label(actor),
        from_status=from_status,
        to_status=target,
        note=change.note,
        department=change.department,
        created_at=at,
        data=change.step_data,
    )
    if change.photos:
        _store_photos(
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
    if at >= timezone.now() - FUTURE_TOLERANCE:
        _notify_on_commit(
            event=event,
            kind=action,
            title=Action(action).label,
            note=change.note,
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
        _apply(
            event=follower,
            action=Action.FOLLOW_PRIMARY,
            actor=SYSTEM,
            at=max(at, follower.last_action_at),
            data={"primary": primary},
            stored=stored,
        )


def _photos_of(data: dict[str, Any]) -> list[CheckedPhoto]:
    uploads = data.get("photos") or []
    if not isinstance(uploads, list | tuple):
        uploads = [uploads]
    return check_photos(uploads, field="photos")


@transaction.atomic
def event_transition(
    *, event: Event, action: str, actor: Any, at: datetime | None = None, **data: Any
) -> Event:
    """Apply one action of the workflow table to ``event`` (see the module docstring).

    The row is locked first, so two people acting on one event at once are serialised: the
    second sees the first's result and gets a 409 if its action no longer fits. Returns the
    event as saved."""
    require(actor, "events.view")
    locked = get_in_scope(actor, Event.objects.select_for_update(), pk=event.pk)
    moment = _business_time(actor, at, not_before=locked.last_action_at)
    if action == Action.FOLLOW_PRIMARY:
        raise Forbidden(_("Merged events follow their primary event by themselves."))
    # Cheap checks first, so that photos are not read for a move that cannot happen.
    check_transition(locked, action, actor)
    data["photos"] = _photos_of(data)
    stored: list[str] = []
    try:
        return _apply(event=locked, action=action, actor=actor, at=moment, data=data, stored=stored)
    except BaseException:
        _discard_files(stored)
        raise


# --- Photos, contact, notifications ----------------------------------------------------------


@transaction.atomic
def event_photo_add(
    *,
    event: Event,
    actor: Any,
    photos: Sequence[Any],
    stage: str = PhotoStage.HANDLING,
    step_id: int | None = None,
    at: datetime | None = None,
) -> list[EventPhoto]:
    """Add photos to an open event: to one of the actor's own steps (``step_id``), or as a
    step of their own ("add_photo"). Checked by content and size like every photo."""
    require(actor, "events.add_photo")
    locked = get_in_scope(actor, Event.objects.select_for_update(), pk=event.pk)
    moment = _business_time(actor, at, not_before=None)
    if not can_add_photo(event=locked, user=actor):
        if locked.status not in OPEN_STATES:
            raise Conflict(
                _("Event %(number)s is %(status)s: photos can be added only while it is open.")
                % {"number": locked.number, "status": Status(locked.status).label},
                code="invalid_transition",
            )
        raise Forbidden(_("You are not working on event %(number)s.") % {"number": locked.number})
    stage = _choice(stage, PhotoStage, "stage", PhotoStage.HANDLING)
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
        step = EventStep.objects.create(
            event=locked,
            action=EventStep.ADD_PHOTO,
            actor=_user_or_none(actor),
            actor_label=_actor_label(actor),
            from_status=locked.status,
            to_status=locked.status,
            created_at=moment,
            data={"stage": stage, "count": len(checked)},
        )
    stored: list[str] = []
    try:
        created = _store_photos(
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
        _discard_files(stored)
        raise
    return created


@transaction.atomic
def event_contact_reveal(*, event: Event, actor: Any) -> str:
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


@transaction.atomic
def notification_mark_read(*, actor: Any, notification_ids: Sequence[int] | None = None) -> int:
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


# --- Deadline warnings (the periodic job) ---------------------------------------------------


def event_warnings_announce(*, actor: Any = SYSTEM, now: datetime | None = None) -> dict[str, int]:
    """Announce every deadline warning that is due and not yet announced: once per event and
    level (yellow, then red) for the current deadline. Each event is its own transaction, so one
    failure does not hold back the rest. Returns how many of each level were announced."""
    if actor is not SYSTEM:
        require(actor, "events.supervise")
    now = now or timezone.now()
    due = Event.objects.filter(
        (
            warning_level_q(WarningLevel.YELLOW, now)
            & ~models.Q(alert_level__in=[WarningLevel.YELLOW, WarningLevel.RED])
        )
        | (warning_level_q(WarningLevel.RED, now) & ~models.Q(alert_level=WarningLevel.RED))
    ).order_by("id")
    counts = {WarningLevel.YELLOW.value: 0, WarningLevel.RED.value: 0}
    for event_id in due.values_list("pk", flat=True).iterator(chunk_size=500):
        level = _announce_warning(event_id=event_id, actor=actor, now=now)
        if level is not None:
            counts[level] += 1
    return counts


@transaction.atomic
def _announce_warning(*, event_id: int, actor: Any, now: datetime) -> str | None:
    event = Event.objects.select_for_update().select_related("category").get(pk=event_id)
    level = warning_level(event, now)
    if WARNING_RANK[level] <= WARNING_RANK[WarningLevel(event.alert_level)]:
        return None  # someone acted on it meanwhile
    before = snapshot(event)
    due_at = event.accept_due_at if event.status == Status.REPORTED else event.handle_due_at
    event.alert_level = level
    event.save(update_fields=["alert_level"])
    EventStep.objects.create(
        event=event,
        action=EventStep.WARNING,
        actor=_user_or_none(actor),
        actor_label=_actor_label(actor),
        from_status=event.status,
        to_status=event.status,
        department=event.responsible_department,
        created_at=now,
        data={"level": level.value, "due_at": due_at.isoformat() if due_at else None},
    )
    audit_record(
        actor=actor,
        action="events.event.warning",
        target=event,
        before=before,
        after=snapshot(event),
    )
    title = _("Overdue") if level is WarningLevel.RED else _("Deadline near")
    _notify_on_commit(
        event=event,
        kind=f"warning_{level.value}",
        title=title,
        note=timezone.localtime(due_at).strftime("%Y-%m-%d %H:%M") if due_at else "",
        audiences=WARNING_NOTIFY[level],
        actor=actor,
    )
    return level.value


# --- The catalogue --------------------------------------------------------------------------


@transaction.atomic
def category_catalogue_load(
    *,
    actor: Any = SYSTEM,
    subdistrict: Subdistrict | None = None,
    path: Path | str | None = None,
) -> dict[str, int]:
    """Load the category catalogue from JSON (default: ``events/data/categories.json``, after
    GB/T 30428.2). Categories whose code exists are left as administrators edited them; new
    codes are created. Default departments are given by code and looked up in ``subdistrict``
    (or the first subdistrict that has the code). Returns how many were created and kept."""
    require(actor, "events.manage_catalogue")
    transaction.on_commit(catalogue_changed)
    source = Path(path) if path else DATA_DIR / "categories.json"
    try:
        entries = json.loads(source.read_text(encoding="utf-8"))["categories"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise InvalidInput(
            _("The catalogue file %(path)s cannot be read: %(error)s")
            % {"path": source.name, "error": error},
            field="path",
        ) from None
    existing = {category.code: category for category in Category.objects.all()}
    created = kept = 0

    def department_for(code: str | None) -> Department | None:
        if not code:
            return None
        departments = Department.objects.filter(code=code)
        if subdistrict is not None:
            departments = departments.filter(subdistrict=subdistrict)
        return departments.order_by("subdistrict__code").first()

    for main in entries:
        parent = existing.get(main["code"])
        if parent is None:
            parent = _catalogue_create(actor, main, parent=None, department=None)
            existing[parent.code] = parent
            created += 1
        else:
            kept += 1
        for sub in main.get("children", []):
            if sub["code"] in existing:
                kept += 1
                continue
            child = _catalogue_create(
                actor, sub, parent=parent, department=department_for(sub.get("department"))
            )
            existing[child.code] = child
            created += 1
    return {"created": created, "kept": kept}


def _catalogue_create(
    actor: Any, entry: dict[str, Any], *, parent: Category | None, department: Department | None
) -> Category:
    category = Category(
        parent=parent,
        code=entry["code"],
        name=entry["name"],
        name_en=entry.get("name_en", ""),
        kind=entry.get("kind") or (parent.kind if parent else Category.Kind.EVENT),
        default_department=department,
        description=entry.get("description", ""),
    )
    if parent is not None:
        limits = entry.get("limits", {})
        category.acceptance_limit, category.acceptance_unit = _limit(limits.get("accept", "2h"))
        category.handling_limit, category.handling_unit = _limit(limits.get("handle", "3d"))
        category.priority = int(entry.get("priority", Category.Priority.NORMAL))
    category.full_clean()
    category.save()
    audit_record(
        actor=actor, action="events.category.create", target=category, after=snapshot(category)
    )
    return category


def _limit(text: str) -> tuple[int, str]:
    """ "4h" → 4 working hours, "3d" → 3 working days."""
    amount, unit = int(text[:-1]), text[-1]
    if unit == "h":
        return amount, Category.TimeUnit.WORKING_HOURS
    if unit == "d":
        return amount, Category.TimeUnit.WORKING_DAYS
    raise ValueError(f"limit {text!r}: use a number followed by h or d")


def catalogue_entry_check(instance: Category | DutyAssignment) -> None:
    """The catalogue's own rules beyond the model's (two levels; departments of the same
    subdistrict as the grid or community)."""
    if isinstance(instance, Category) and instance.parent_id is not None:
        parent = Category.objects.get(pk=instance.parent_id)
        if parent.parent_id is not None or parent.pk == instance.pk:
            raise InvalidInput(
                _("The catalogue has two levels: a subcategory's parent must be a main category."),
                field="parent",
            )
        if instance.pk is not None and instance.children.exists():
            raise InvalidInput(
                _("This main category has subcategories, so it cannot become one itself."),
                field="parent",
            )
    if isinstance(instance, DutyAssignment) and instance.department_id:
        grid, community = instance.grid, instance.community
        where = None
        if grid is not None:
            where = grid.community.subdistrict_id
        elif community is not None:
            where = community.subdistrict_id
        if where is not None and instance.department.subdistrict_id != where:
            raise InvalidInput(
                _("The department belongs to another subdistrict than the grid or community."),
                field="department",
            )


@transaction.atomic
def catalogue_entry_save(
    *, actor: Any, instance: Category | DutyAssignment, changed_fields: Sequence[str] = ()
) -> Category | DutyAssignment:
    """Create or change a category or a duty-matrix line (the admin's forms call this)."""
    require(actor, "events.manage_catalogue")
    transaction.on_commit(catalogue_changed)
    is_new = instance.pk is None
    before = None if is_new else snapshot(type(instance)._default_manager.get(pk=instance.pk))
    catalogue_entry_check(instance)
    instance.full_clean()
    if is_new or not changed_fields:
        instance.save()
    else:
        instance.save(update_fields=list(changed_fields))
    label = instance._meta.model_name
    audit_record(
        actor=actor,
        action=f"events.{label}.{'create' if is_new else 'update'}",
        target=instance,
        before=before,
        after=snapshot(instance),
    )
    return instance


@transaction.atomic
def catalogue_entry_delete(*, actor: Any, instance: Category | DutyAssignment) -> None:
    """Delete a category (only while no event uses it) or a duty-matrix line."""
    require(actor, "events.manage_catalogue")
    transaction.on_commit(catalogue_changed)
    if isinstance(instance, Category) and (
        Event.objects.filter(
            models.Q(category=instance) | models.Q(category__parent=instance)
        ).exists()
    ):
        raise Conflict(
            _("Events are filed under “%(name)s”; deactivate it instead of deleting it.")
            % {"name": instance.name},
            code="in_use",
        )
    before = snapshot(instance)
    label = instance._meta.model_name
    target_id = str(instance.pk)
    target_repr = str(instance)[:200]
    instance.delete()
    audit_record(
        actor=actor,
        action=f"events.{label}.delete",
        target_type=f"events.{label}",
        target_id=target_id,
        target_repr=target_repr,
        before=before,
    )
