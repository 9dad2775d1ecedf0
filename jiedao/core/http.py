"""Request types for annotations: what the middleware adds to Django's HttpRequest."""

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from jiedao.accounts.models import User


class JiedaoRequest(HttpRequest):
    user: "User"  # signed in: these views are behind login_required
    htmx: HtmxDetails
