"""Intake (上报): check a report, number it, give it its first owner and deadline, store its
photos — or answer a retry with the event the first try created."""

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.models import Role, User
from jiedao.accounts.permissions import SYSTEM, SystemActor, require
from jiedao.audit.services import audit_record, snapshot
from jiedao.core.coordinates import CRS
from jiedao.core.errors import Conflict, ErrorList, Forbidden, InvalidInput
from jiedao.core.inserts import insert_new
from jiedao.core.localtime import local_time
from jiedao.core.text import clean_text
from jiedao.geo.location import Location, locate
from jiedao.geo.models import Department, Subdistrict

from ..catalogue import category_by_code
from ..deadlines import acceptance_deadline
from ..models import Category, Event, EventNumberSequence
from ..notices import step_params
from ..photos import CheckedPhoto, check_photos
from ..routing import command_centre
from ..selectors import EventHistory, can_self_resolve
from ..workflow import (
    NOTIFY,
    REPORT_SOURCES,
    SYSTEM_DEFAULT_SOURCE,
    Action,
    PhotoStage,
    Source,
    Status,
    Urgency,
)
from .common import (
    CLIENT_KEY,
    MAX_DESCRIPTION,
    MAX_NOTE,
    PHONE,
    ChecksPassed,
    Reporter,
    business_time,
    clean_choice,
    is_live,
    user_or_none,
)
from .inputs import TransitionArgs
from .notifications import notify_step
from .photos import files_discard, photos_store
from .timeline import step_record
from .transitions import transition_apply

# The report's fields as the staff report form labels them (a door with other labels, such as the
# residents' portal, relabels the messages: ApplicationError.relabelled).
LABELS = {
    "category": _("Category"),
    "description": _("Description"),
    "address": _("Address"),
    "lat": _("Location"),
    "urgency": _("Urgency"),
    "reporter_name": _("Reporter's name"),
    "reporter_phone": _("Reporter's phone"),
    "resolution_note": _("What was done"),
}


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
            % {"name": category.label},
            code="main_category",
            field="category",
        )
    if not category.is_active:
        raise InvalidInput(
            _("The category “%(name)s” is no longer used.") % {"name": category.label},
            code="inactive_category",
            field="category",
        )
    return category


def _source(actor: Reporter, value: str | None) -> str:
    if actor is SYSTEM:
        return clean_choice(value, Source, "source", SYSTEM_DEFAULT_SOURCE)
    allowed = REPORT_SOURCES.get(actor.role, ())
    source = clean_choice(value, Source, "source", allowed[0] if allowed else "")
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

    On PostgreSQL it comes from a SEQUENCE of that subdistrict and day: ``nextval`` holds no lock
    for the rest of the report's transaction, so concurrent reports never wait for each other's
    commit. A sequence is not transactional, so a report rolled back after drawing its number
    (a database error, or the loser of two simultaneous retries of one report) leaves a gap:
    numbers are unique and rise through the day, but are not a count, which the events
    themselves give. On SQLite, whose one writer at a time already serialises reports, the day's
    counter row is incremented in the report's transaction (no gaps)."""
    day = local_time(moment).date()
    if connection.vendor == "postgresql":
        value = _next_in_sequence(subdistrict.pk, day)
    else:
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


# The day sequences this process has seen committed: drawing from one is then one statement.
_committed_sequences: set[str] = set()
# pg_advisory_xact_lock's first key: "creating a day's number sequence" (the second is the
# subdistrict), distinct from any other advisory lock of the installation.
SEQUENCE_LOCK_CLASS = 7311


def number_sequences_forget() -> None:
    """Forget which day sequences were seen committed. For the test suite, which runs on-commit
    callbacks inside transactions it then rolls back (and the sequences created in them with it)."""
    _committed_sequences.clear()


def _next_in_sequence(subdistrict_id: int, day: date) -> int:
    # Only digits go into the name, so it is safe to write into the SQL. The schema is the one
    # the application's role may create in (migration events 0007).
    name = f"event_numbers.events_number_{int(subdistrict_id)}_{day:%Y%m%d}"
    with connection.cursor() as cursor:
        if name not in _committed_sequences:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
            if not cursor.fetchone()[0]:
                # The day's first report creates it, once: whoever comes at the same moment
                # waits for that report's commit (CREATE … IF NOT EXISTS then finds it), which
                # happens once a day, never on the steady path. Created in the report's
                # transaction, it goes if the report is rolled back.
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(%s, %s)", [SEQUENCE_LOCK_CLASS, subdistrict_id]
                )
                # A day counted by the counter row before (the switch to sequences, or a copy
                # of a SQLite installation) goes on after that row's last number.
                table = EventNumberSequence._meta.db_table
                cursor.execute(
                    f"SELECT last_value FROM {table} WHERE subdistrict_id = %s AND day = %s",  # noqa: S608
                    [subdistrict_id, day],
                )
                counted = cursor.fetchone()
                start = int(counted[0]) + 1 if counted else 1
                cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {name} START WITH {start}")
            transaction.on_commit(lambda: _committed_sequences.add(name))
        cursor.execute("SELECT nextval(%s)", [name])
        (value,) = cursor.fetchone()
    return int(value)


def _fingerprint(content: dict[str, Any]) -> str:
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class ReportOutcome:
    event: Event
    created: bool  # False: an earlier request with the same client key created it
    # What this call wrote besides the event, when that is the whole history (a plain new
    # report), so that the answer needs no second read; None otherwise.
    history: EventHistory | None = None


def _replay(actor: Reporter, client_key: str, fingerprint: str) -> Event | None:
    # Three columns, unordered (the key is unique): the Open311 door asks this before every
    # report, and reading whole events, ordered, cost a quarter of its time.
    found = Event.objects.filter(
        reported_by=user_or_none(actor), client_key=client_key
    ).values_list("pk", "request_fingerprint", "number")[:1]
    row = next(iter(found), None)
    if row is None:
        return None
    pk, stored_fingerprint, number = row
    if stored_fingerprint != fingerprint:
        raise InvalidInput(
            _(
                "The Idempotency-Key “%(key)s” was already used for a different report "
                "(%(number)s). Use a new key for a new report."
            )
            % {"key": client_key, "number": number},
            code="idempotency_key_reused",
            field="client_key",
            extra={"number": number},
        )
    return Event.objects.get(pk=pk)


def event_report_check(**arguments: Any) -> None:
    """Check a report as :func:`event_report` does (the same arguments), writing nothing: a page
    whose own form found a problem asks this for the problems of the other fields, so that all
    are shown at once."""
    try:
        event_report(**arguments, _checks_only=True)
    except ChecksPassed:
        return


def event_report(
    *,
    actor: Reporter,
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
    photos: Sequence[File] = (),
    self_resolved: bool = False,
    after_photos: Sequence[File] = (),
    resolution_note: str = "",
    client_key: str = "",
    at: datetime | None = None,
    savepoint: bool = True,
    _checks_only: bool = False,
) -> ReportOutcome:
    """Report an event (上报). See the package docstring; everything is checked before anything
    is written, all that is wrong is reported at once, and a failed check leaves nothing
    behind.

    ``savepoint=False`` is for a caller whose own transaction is rolled back whole on any error
    (Open311's): the report then takes no savepoint (two statements less), inserts its event
    only if its client key is free (``ON CONFLICT DO NOTHING``, which waits for a simultaneous
    try of the same key to commit or roll back) and looks for the first try only when it was
    not (see :func:`jiedao.open311.services.open311_request_create`)."""
    require(actor, "events.report")
    moment = business_time(actor, at, not_before=None)
    client_key = (client_key or "").strip()
    if client_key and not CLIENT_KEY.match(client_key):
        raise InvalidInput(
            _("The Idempotency-Key must be 1 to 100 printable ASCII characters."),
            code="bad_client_key",
            field="client_key",
        )
    # Every field is checked, and all that is wrong is reported at once (before any write).
    errors = ErrorList()
    checked_category = errors.check(lambda: _category(category), None)
    description = errors.check(
        lambda: clean_text(
            description,
            field="description",
            label=LABELS["description"],
            max_length=MAX_DESCRIPTION,
            required=True,
        ),
        "",
    )
    address = errors.check(
        lambda: clean_text(address, field="address", label=LABELS["address"], max_length=200), ""
    )
    location = errors.check(
        lambda: locate(lat=lat, lng=lng, crs=crs, grid_code=(grid or "").strip()), None
    )
    user = user_or_none(actor)
    subdistrict = location.grid.community.subdistrict if location is not None else None
    if (
        subdistrict is not None
        and user is not None
        and user.subdistrict_id
        not in (
            None,
            subdistrict.pk,
        )
    ):
        errors.add(
            InvalidInput(
                _("The location lies outside your subdistrict."), code="outside_area", field="lat"
            )
        )
    checked_source = errors.check(lambda: _source(actor, source), "")
    checked_urgency = errors.check(
        lambda: clean_choice(urgency, Urgency, "urgency", Urgency.NORMAL, label=LABELS["urgency"]),
        "",
    )
    reporter_name = errors.check(
        lambda: clean_text(
            reporter_name, field="reporter_name", label=LABELS["reporter_name"], max_length=100
        ),
        "",
    )
    reporter_phone = errors.check(
        lambda: clean_text(
            reporter_phone, field="reporter_phone", label=LABELS["reporter_phone"], max_length=30
        ),
        "",
    )
    if reporter_phone and not PHONE.match(reporter_phone):
        errors.add(
            InvalidInput(
                _("%(field)s: “%(phone)s” is not a phone number."),
                params={"field": LABELS["reporter_phone"], "phone": reporter_phone},
                field="reporter_phone",
            )
        )
    if user is not None and not reporter_name and not reporter_phone:
        reporter_name, reporter_phone = user.display_name, user.phone
    no_photos: list[CheckedPhoto] = []
    before = errors.check(lambda: check_photos(photos, field="photos"), no_photos)
    after = errors.check(lambda: check_photos(after_photos, field="after_photos"), no_photos)
    resolution_note = errors.check(
        lambda: clean_text(
            resolution_note,
            field="resolution_note",
            label=LABELS["resolution_note"],
            max_length=MAX_NOTE,
        ),
        "",
    )
    resolver = actor if isinstance(actor, User | SystemActor) else None
    if self_resolved and (resolver is None or not can_self_resolve(resolver)):
        raise Forbidden(_("Only a grid worker resolves events on the spot."), field="self_resolved")
    if self_resolved and not after_photos:
        errors.add(
            InvalidInput(
                _("Resolving on the spot needs a photo taken after the work."),
                code="required",
                field="after_photos",
            )
        )
    errors.raise_any()
    if _checks_only:
        raise ChecksPassed
    # Checked above: none of these is missing once no error was found.
    assert checked_category is not None  # noqa: S101
    assert location is not None  # noqa: S101
    assert subdistrict is not None  # noqa: S101
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
    # Inside a caller's transaction a failed insert cannot be caught here without a savepoint,
    # two statements on every report: a caller that does without one has the event inserted
    # only if its client key is free (ON CONFLICT DO NOTHING), and looks for the first try
    # only when it was not.
    nested = connection.in_atomic_block and not savepoint
    try:
        with transaction.atomic(savepoint=savepoint):
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
                skip_taken_key=nested and bool(client_key),
            )
            if history is None:
                # The client key is taken: a retry of a committed report (a simultaneous one
                # has been waited for by the insert). Nothing was written.
                existing = _replay(actor, client_key, fingerprint)
                if existing is None:
                    raise IntegrityError(f"Event {client_key!r} conflicts with another event.")
                return ReportOutcome(existing, created=False)
            event = history.steps[0].event
            if self_resolved and resolver is not None:
                transition_apply(
                    event=event,
                    action=Action.SELF_RESOLVE,
                    actor=resolver,
                    at=moment,
                    args=TransitionArgs(note=resolution_note),
                    photos=after,
                    stored=stored,
                )
    except IntegrityError:
        # The client key is taken (unique per reporter): this is a retry, or a parallel request
        # with the same key committed first. Answer with the first event. Trying the insert
        # first costs a retry nothing more, and saves every first try a query.
        files_discard(stored)
        if nested:
            raise
        existing = _replay(actor, client_key, fingerprint) if client_key else None
        if existing is None:
            raise
        return ReportOutcome(existing, created=False)
    except BaseException:
        files_discard(stored)
        raise
    return ReportOutcome(event, created=True, history=None if self_resolved else history)


def _create_event(
    *,
    actor: Reporter,
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
    skip_taken_key: bool = False,
) -> EventHistory | None:
    """The event and its first step, photos, audit entry and notifications; None (nothing
    written) when ``skip_taken_key`` and the reporter's client key is already taken."""
    deadline = acceptance_deadline(category, moment)
    event = Event(
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
        reported_by=user_or_none(actor),
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        urgency=urgency,
        status=Status.REPORTED,
        responsible_department=owner_department,
        responsible_user=None if owner_department else user_or_none(actor),
        accept_due_at=deadline.due_at,
        accept_warn_at=deadline.warn_at,
        created_at=moment,
        last_action_at=moment,
        client_key=client_key,
        request_fingerprint=fingerprint if client_key else "",
    )
    if not insert_new(event, skip_conflicts=skip_taken_key):
        return None
    step_data: dict[str, Any] = {"source": source, "category": category.code}
    if deadline.calendar_warning:
        step_data["calendar_warning"] = deadline.calendar_warning
    step = step_record(
        event=event,
        action=Action.REPORT,
        actor=actor,
        at=moment,
        from_status="",
        to_status=Status.REPORTED,
        department=owner_department,
        data=step_data,
    )
    stored_photos = photos_store(
        event=event,
        photos=photos,
        stage=PhotoStage.BEFORE,
        actor=actor,
        step=step,
        at=moment,
        stored=stored,
    )
    audit_record(actor=actor, action="events.event.report", target=event, after=snapshot(event))
    if is_live(moment):
        notify_step(
            event=event,
            kind=Action.REPORT,
            params=step_params(""),
            audiences=NOTIFY[Action.REPORT],
            actor=actor,
        )
    return EventHistory(steps=[step], photos=stored_photos)
