"""Answering while the database is unreachable: 503 with ``Retry-After``, logged once.

When PostgreSQL restarts or the network drops, every request that reaches the database fails
with ``OperationalError`` or ``InterfaceError``. Instead of Django's HTML 500 (and one error log
with a traceback per request), each door answers what its clients can act on: the API a JSON
error body with code ``unavailable``, Open311 its error list, people a short page in their
language — all with status 503 and ``Retry-After``. Nothing is written, so a client retrying with
its ``Idempotency-Key`` after the outage gets exactly one event.

The outage is logged when it starts and when it ends (with the number of requests answered 503),
per process: the flag is module-level, set by the first failing request and cleared by the next
one that completes holding a database connection (a request that never needed the database
proves nothing).
"""

import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from . import doors
from .errors import ApplicationError

logger = logging.getLogger("jiedao.outage")
DATABASE_ERRORS = (OperationalError, InterfaceError)


class Unavailable(ApplicationError):
    status = 503
    default_code = "unavailable"


class _Outage:
    """When the current outage began (None: no outage) and how many requests it refused."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.started: float | None = None
        self.refused = 0

    def fail(self, error: BaseException) -> None:
        with self.lock:
            self.refused += 1
            if self.started is not None:
                return
            self.started = time.monotonic()
        logger.error(
            "Database unavailable (%s: %s); answering 503 until it is back.",
            type(error).__name__,
            str(error).strip().splitlines()[0] if str(error).strip() else "",
        )

    def succeed(self) -> None:
        if self.started is None:  # the usual case: no lock taken
            return
        with self.lock:
            if self.started is None:
                return
            lasted, refused = time.monotonic() - self.started, self.refused
            self.started, self.refused = None, 0
        logger.warning(
            "Database back after %.1f s; %d requests were answered 503.", lasted, refused
        )

    @property
    def is_ongoing(self) -> bool:
        return self.started is not None


outage = _Outage()


def outage_response(request: HttpRequest, error: BaseException) -> HttpResponse:
    """The door's 503 answer to a request that failed because the database is unreachable."""
    outage.fail(error)
    request.database_unavailable = True  # type: ignore[attr-defined]
    retry_after = settings.OUTAGE_RETRY_AFTER_SECONDS
    unavailable = Unavailable(
        _("The service is briefly unavailable; try again in %(seconds)s seconds.")
        % {"seconds": retry_after},
        extra={"retry_after": retry_after},
    )
    door = doors.door_of(request)
    response: HttpResponse
    if door is doors.Door.API:
        response = doors.api_error(unavailable)
    elif door is doors.Door.OPEN311:
        response = doors.open311_error(request, 503, unavailable)
    else:
        # A template of its own, without the site's layout: that one reads the user and the
        # navigation, which would need the database.
        response = HttpResponse(
            render_to_string("core/unavailable.html", {"retry_after": retry_after}),
            status=503,
        )
    response["Retry-After"] = str(retry_after)
    # Logged once per outage above, not by Django once per request.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


class DatabaseOutageMiddleware:
    """Turns a database error raised by a view into the 503 answer; clears the outage when a
    request completes without one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            outage.is_ongoing
            and response.status_code < 500
            and not getattr(request, "database_unavailable", False)
            and any(c.connection is not None for c in connections.all(initialized_only=True))
        ):
            outage.succeed()
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_ERRORS):
            return outage_response(request, exception)
        return None
