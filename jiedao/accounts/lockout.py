"""Sign-in lockout rules on top of django-axes: separate limits per account and per address.

django-axes counts failures for each entry of ``AXES_LOCKOUT_PARAMETERS`` separately (one
username from one address; one username from anywhere; one address for any username) but
compares the largest count with one limit. Each entry here has its own limit
(``LOGIN_LOCKOUT_LIMITS``): a few failures lock one address out of one account, many more from
everywhere lock the account, and one address guessing across accounts has its own ceiling.

Failures during a lockout are not recorded (``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT =
False``), so nobody can keep an account locked by trying again; the cool-off runs from the failure
that reached the limit, and the right password works once it has passed.
"""

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def lockout_limits() -> list[int]:
    """The limit of each entry of ``AXES_LOCKOUT_PARAMETERS``, in the same order."""
    return [limit for _parameter, limit in settings.LOGIN_LOCKOUT_LIMITS]


class SeparateLimitsHandler(AxesDatabaseHandler):
    """axes' database handler, with a limit per lockout parameter and a reset per account."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        # axes locks out when this number reaches AXES_FAILURE_LIMIT: shift each entry's count
        # so that reaching its own limit is reaching the common one.
        common = get_failure_limit(request, credentials)
        shifted = [0]
        for attempts, limit in zip(
            self.get_user_attempts(request, credentials), lockout_limits(), strict=True
        ):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if failures:
                shifted.append(failures + common - limit)
        return max(shifted)

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        # axes would delete every failure matching any entry, including all failures from this
        # address: one colleague signing in behind an office NAT would wipe an attacker's count
        # there. A success only clears the failures of the account that signed in.
        username = get_client_username(request, credentials)
        deleted, _by_model = AccessAttempt.objects.filter(username=username).delete()
        return deleted
