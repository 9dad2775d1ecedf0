"""The dispatchers' moderation queue: every publishable event of their scope, whatever its source,
with its moderation state, a page at a time (the public reads of :mod:`jiedao.portal.selectors`
decide what is publishable and how it looks)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from jiedao.accounts.permissions import require, scoped
from jiedao.events.models import Event
from jiedao.events.selectors import decode_cursor, keyset_cursor
from jiedao.events.workflow import Source

from .selectors import PublicEvent, public_event, publishable, with_public_parts


@dataclass(frozen=True)
class ModerationRow:
    event: Event
    is_hidden: bool
    reason: str
    public: PublicEvent


# The sources the moderation queue can be narrowed to (every source reaches the public).
MODERATION_SOURCES = tuple(Source.values)


@dataclass(frozen=True)
class ModerationQueue:
    rows: list[ModerationRow]
    next_cursor: str | None  # the page after this one (``?cursor=``), None at the end


def moderation_queue(
    *,
    user: Any,
    hidden_only: bool = False,
    source: str = "",
    cursor: str = "",
    limit: int = 100,
) -> ModerationQueue:
    """Every publishable event in the user's scope, whatever its source, newest first (hidden
    ones only on request, one source on request), with its moderation state: the same events
    the public pages and Open311 show, so that each of them can be hidden. A page at a time by
    keyset (created_at, id): pass ``next_cursor`` back for the older events."""
    require(user, "portal.moderate")
    events = scoped(user, publishable(Event.objects.all()))
    if source in MODERATION_SOURCES:
        events = events.filter(source=source)
    if hidden_only:
        events = events.filter(public_visibility__is_hidden=True)
    if cursor:
        moment, pk = decode_cursor(cursor)
        events = events.filter(Q(created_at__lt=moment) | Q(created_at=moment, pk__lt=pk))
    events = with_public_parts(events).select_related("public_visibility")
    page = list(events.order_by("-created_at", "-id")[: limit + 1])
    rows = []
    for event in page[:limit]:
        visibility = getattr(event, "public_visibility", None)
        rows.append(
            ModerationRow(
                event=event,
                is_hidden=bool(visibility and visibility.is_hidden),
                reason=visibility.reason if visibility else "",
                public=public_event(event),
            )
        )
    last = page[limit - 1] if len(page) > limit else None
    return ModerationQueue(
        rows=rows, next_cursor=keyset_cursor(last.created_at, last.pk) if last else None
    )
