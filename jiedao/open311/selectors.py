"""Reads for Open311: jurisdictions, the service list and definitions, requests (through the
portal's public-safe selectors), tokens and API keys.

Field lists follow GeoReport v2 exactly and in the spec's order; see :mod:`jiedao.open311.views`
for the decisions (ids, locations, statuses, defaults).
"""

import copy
import hashlib
import threading
import time
from collections.abc import Iterable
from datetime import tzinfo
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import require, scoped
from jiedao.core.errors import InvalidInput, NotFound
from jiedao.core.localtime import local_time, local_zone
from jiedao.events.models import Category
from jiedao.events.workflow import Urgency
from jiedao.geo.lookup import subdistricts
from jiedao.geo.models import Subdistrict
from jiedao.portal.selectors import PublicEvent, category_name, public_categories, public_category

from .models import Open311ApiKey, Open311Request

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
URGENCY_ATTRIBUTE = "urgency"


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def iso(moment: Any, zone: tzinfo | None = None) -> str | None:
    """ISO 8601 with the local offset: 2026-11-22T08:30:00+08:00 (``zone``: the local zone,
    when the caller has it at hand)."""
    if moment is None:
        return None
    if zone is None:
        return local_time(moment).isoformat(timespec="seconds")
    return moment.astimezone(zone).isoformat(timespec="seconds")


def jurisdiction(code: str | None) -> Subdistrict:
    """The subdistrict a request is about: ``jurisdiction_id`` is its code. It may be left out
    while the installation serves one subdistrict only (the spec's rule for single-jurisdiction
    endpoints); an unknown code is a 404, a missing one with several subdistricts a 400."""
    code = (code or "").strip()
    known = subdistricts()  # the process's copy: no query on the hot path
    if code:
        subdistrict = next((item for item in known if item.code == code), None)
        if subdistrict is None:
            # Not in this process's copy: one that was just created elsewhere, or none.
            subdistrict = Subdistrict.objects.filter(code=code).first()
        if subdistrict is None:
            raise NotFound(
                _("jurisdiction_id “%(code)s” was not found.") % {"code": code},
                field="jurisdiction_id",
            )
        return subdistrict
    if len(known) != 1:
        raise InvalidInput(
            _("jurisdiction_id was not provided: this endpoint serves several subdistricts."),
            field="jurisdiction_id",
        )
    return known[0]


def _limit_text(limit: int, unit: str) -> str:
    if unit == Category.TimeUnit.WORKING_HOURS:
        return gettext("%(count)s working hours") % {"count": limit}
    return gettext("%(count)s working days") % {"count": limit}


def service_notice(category: Category) -> str:
    return gettext("Accepted within %(accept)s, handled within %(handle)s.") % {
        "accept": _limit_text(category.acceptance_limit, category.acceptance_unit),
        "handle": _limit_text(category.handling_limit, category.handling_unit),
    }


def service_list() -> list[dict[str, Any]]:
    """GET Service List: one service per public category (小类); group is its 大类."""
    services = []
    for main, children in public_categories():
        for category in children:
            keywords = [category.name, category.name_en, main.name, main.name_en]
            services.append(
                {
                    "service_code": category.code,
                    "service_name": category_name(category),
                    "description": category.description or service_notice(category),
                    "metadata": True,
                    "type": "realtime",
                    "keywords": ", ".join(word for word in keywords if word),
                    "group": category_name(main),
                }
            )
    return services


def service_category(code: str) -> Category | None:
    return public_category(code) if code else None


def service_definition(code: str) -> dict[str, Any]:
    """GET Service Definition: the description (required) and urgency (紧急程度) the request takes,
    and the service's time limits as an informational attribute."""
    category = service_category(code)
    if category is None:
        raise NotFound(
            _("service_code “%(code)s” was not found.") % {"code": code}, field="service_code"
        )
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": True,
                "code": URGENCY_ATTRIBUTE,
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": gettext("Leave empty for a normal report."),
                "order": 1,
                "description": gettext("How urgent is it?"),
                "values": [{"key": value, "name": str(label)} for value, label in Urgency.choices],
            },
            {
                "variable": False,
                "code": "time_limits",
                "datatype": "string",
                "required": False,
                "datatype_description": None,
                "order": 2,
                "description": service_notice(category),
                "values": [],
            },
        ],
    }


def request_rows(items: Iterable[PublicEvent]) -> list[dict[str, Any]]:
    """:func:`request_row` of each of ``items``, the local zone looked up once."""
    zone = local_zone()
    return [request_row(item, zone) for item in items]


def request_row(item: PublicEvent, zone: tzinfo | None = None) -> dict[str, Any]:
    """GET Service Request(s): one request in the spec's fields and order. The location is the
    public (rounded) one, the address the community and grid; no media (photos stay inside)."""
    return {
        "service_request_id": item.number,
        "status": item.open311_status,
        "status_notes": item.status_note or item.status_label,
        "service_name": item.service_name,
        "service_code": item.service_code,
        "description": item.description,
        "agency_responsible": item.agency or None,
        "service_notice": None,
        "requested_datetime": iso(item.requested_at, zone),
        "updated_datetime": iso(item.updated_at, zone),
        "expected_datetime": iso(item.expected_at, zone),
        "address": item.area,
        "address_id": None,
        "zipcode": None,
        "lat": item.lat,
        "long": item.lng,
        "media_url": None,
    }


def token_row(token: str) -> dict[str, Any]:
    """GET service_request_id from a token."""
    request = Open311Request.objects.select_related("event").filter(token=token).first()
    if request is None:
        raise NotFound(_("Token “%(token)s” was not found.") % {"token": token}, field="token")
    return {"service_request_id": request.event.number, "token": request.token}


class TrustedApiKeys:
    """The keys this process verified in the last ``API_TOKEN_TRUST_SECONDS``, as the API's
    bearer tokens are (:class:`jiedao.accounts.auth.TrustedTokens`): a client posting many
    requests a second would otherwise cost a query on every one. Revoking a key drops this
    process's trust at once and every other process's within those seconds."""

    MAX_ENTRIES = 10_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[float, Open311ApiKey]] = {}

    def get(self, digest: str) -> Open311ApiKey | None:
        entry = self._entries.get(digest)
        if entry is None:
            return None
        if time.monotonic() >= entry[0]:
            self._entries.pop(digest, None)
            return None
        return copy.copy(entry[1])

    def put(self, digest: str, api_key: Open311ApiKey) -> None:
        seconds = float(settings.API_TOKEN_TRUST_SECONDS)
        if seconds <= 0:
            return
        with self._lock:
            if len(self._entries) >= self.MAX_ENTRIES:
                self._entries.clear()
            self._entries[digest] = (time.monotonic() + seconds, copy.copy(api_key))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


trusted_api_keys = TrustedApiKeys()


def api_key_authenticate(key: str) -> Open311ApiKey | None:
    """The active key whose hash matches ``key``, or None."""
    key = (key or "").strip()
    if not key:
        return None
    digest = key_hash(key)
    trusted = trusted_api_keys.get(digest)
    if trusted is not None:
        return trusted
    found = (
        Open311ApiKey.objects.select_related("subdistrict")
        .filter(key_hash=digest, is_active=True)
        .first()
    )
    if found is not None:
        trusted_api_keys.put(digest, found)
    return found


def api_key_list(*, user: Any) -> QuerySet[Open311ApiKey]:
    require(user, "open311.manage_keys")
    return scoped(user, Open311ApiKey.objects.select_related("created_by")).order_by(
        "-created_at", "-id"
    )
