"""Rate limits on the public doors, counted in the Django cache (Redis with several workers).

A fixed window of ``window`` seconds per (scope, identity): the first ``limit`` hits pass, the
next are refused with the number of seconds until the window ends (the ``Retry-After`` value).
"""

import time

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jiedao.audit.middleware import request_client_ip
from jiedao.core.errors import RateLimited


def hit(scope: str, identity: str, *, limit: int, window: int = 60) -> int | None:
    """Count one hit; None when it is allowed, else the seconds to wait."""
    now = time.time()
    bucket = int(now // window)
    key = f"throttle:{scope}:{identity}:{bucket}"
    if cache.add(key, 1, timeout=window + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window + 5)
            count = 1
    if count <= limit:
        return None
    return max(1, int((bucket + 1) * window - now) + 1)


def client_address(request: HttpRequest) -> str:
    return request_client_ip(request) or "unknown"


def throttle(scope: str, identity: str, *, limit: int, window: int = 60) -> None:
    """Raise :class:`RateLimited` (429, ``extra["retry_after"]``) when over the limit."""
    wait = hit(scope, identity, limit=limit, window=window)
    if wait is not None:
        raise RateLimited(
            _("Too many requests. Try again in %(seconds)s seconds.") % {"seconds": wait},
            extra={"retry_after": wait},
        )
