"""Writes of the Open311 interface: API keys (issued and revoked by administrators) and posted
service requests.

A posted request becomes an event through :func:`jiedao.portal.services.public_report_submit`
and so through :func:`jiedao.events.services.event_report`, with the source "resident": routing,
deadlines, figures and duplicate detection are those of every other intake.

**Idempotent retries.** The event's client key is derived from the API key and either the
client's ``Idempotency-Key`` header (any retry with the same header returns the first request;
the same header with other content is a 400), or — without the header — a fingerprint of the
request's content within a 10-minute window: an identical request from the same key in the same
window is taken for a retry and answered with the first request.
"""

import hashlib
import json
import math
import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import get_in_scope, require
from jiedao.audit.services import audit_batch, audit_record, snapshot
from jiedao.core.errors import Conflict, Forbidden, InvalidInput
from jiedao.core.inserts import insert_new
from jiedao.core.text import clean_text
from jiedao.core.updates import model_create, model_update
from jiedao.events.models import Event
from jiedao.events.services import MAX_DESCRIPTION
from jiedao.events.workflow import Urgency
from jiedao.geo.lookup import grid_index
from jiedao.portal.actors import PublicDoor
from jiedao.portal.models import PublicReport
from jiedao.portal.services import MAX_PHOTOS, public_report_submit

from .models import Open311ApiKey, Open311Request
from .selectors import (
    URGENCY_ATTRIBUTE,
    jurisdiction,
    key_hash,
    service_category,
    trusted_api_keys,
)

KEY_PREFIX = "j311_"
FINGERPRINT_WINDOW_SECONDS = 600


@dataclass(frozen=True)
class IssuedKey:
    api_key: Open311ApiKey
    key: str  # shown once


# Never in the audit trail.
KEY_SECRETS = ("key_hash",)
REQUEST_PRIVATE = ("email", "first_name", "last_name", "device_id")


@transaction.atomic
def api_key_issue(*, actor: Any, name: str, rate_limit_per_minute: int = 30) -> IssuedKey:
    """Issue a key for the administrator's subdistrict. The key itself is returned once and
    only its hash is stored."""
    require(actor, "open311.manage_keys")
    name = clean_text(name, field="name", label=_("Name"), max_length=100, required=True)
    if (
        isinstance(rate_limit_per_minute, bool)
        or not isinstance(rate_limit_per_minute, int)
        or not (1 <= rate_limit_per_minute <= 10000)
    ):
        raise InvalidInput(
            _("The rate limit is a whole number of requests per minute from 1 to 10000."),
            field="rate_limit_per_minute",
        )
    if not actor.subdistrict_id:
        raise InvalidInput(_("Your account has no subdistrict to issue keys for."))
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    api_key = model_create(
        model=Open311ApiKey,
        data={
            "subdistrict_id": actor.subdistrict_id,
            "name": name,
            "prefix": key[:12],
            "key_hash": key_hash(key),
            "rate_limit_per_minute": rate_limit_per_minute,
            "created_by": actor,
        },
        actor=actor,
        action="open311.apikey.issue",
        exclude=KEY_SECRETS,
    )
    return IssuedKey(api_key=api_key, key=key)


@transaction.atomic
def api_key_revoke(*, actor: Any, key_id: int) -> Open311ApiKey:
    """Revoke a key: it stops working at once in this process, and in every other within
    ``API_TOKEN_TRUST_SECONDS`` (how long a process trusts a key it verified). Requests it
    posted stay."""
    require(actor, "open311.manage_keys")
    api_key = get_in_scope(actor, Open311ApiKey.objects.select_for_update(), pk=key_id)
    if not api_key.is_active:
        raise Conflict(_("The key “%(name)s” is already revoked.") % {"name": api_key.name})
    model_update(
        instance=api_key,
        data={"is_active": False, "revoked_at": timezone.now()},
        actor=actor,
        action="open311.apikey.revoke",
        exclude=KEY_SECRETS,
    )
    trusted_api_keys.clear()
    # Again after commit: a request may have trusted the key anew in between.
    transaction.on_commit(trusted_api_keys.clear)
    return api_key


def _text(params: Mapping[str, Any], name: str, max_length: int) -> str:
    # The spec's argument names are the labels its clients know.
    return clean_text(str(params.get(name) or ""), field=name, max_length=max_length)


def _coordinate(params: Mapping[str, Any], name: str) -> float | None:
    raw = str(params.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
        if not math.isfinite(value):
            raise ValueError(raw)
        return value
    except ValueError:
        raise InvalidInput(
            _("%(field)s “%(value)s” is not a number.") % {"field": name, "value": raw},
            field=name,
        ) from None


@dataclass(frozen=True)
class PostedRequest:
    request: Open311Request
    created: bool


def _client_key(api_key: Open311ApiKey, idempotency_key: str, content: dict[str, Any]) -> str:
    if idempotency_key:
        digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:40]
        return f"open311:{api_key.pk}:k:{digest}"
    window = int(time.time() // FINGERPRINT_WINDOW_SECONDS)
    text = json.dumps([content, window], sort_keys=True, ensure_ascii=False)
    return f"open311:{api_key.pk}:f:{hashlib.sha256(text.encode()).hexdigest()[:40]}"


def open311_request_create(
    *,
    api_key: Open311ApiKey,
    params: Mapping[str, Any],
    media: Sequence[Any] = (),
    idempotency_key: str = "",
) -> PostedRequest:
    """POST Service Request: validate the spec's arguments, report the event, keep the
    requester's private details. Any error leaves nothing stored. A request that loses the race
    with a simultaneous retry of itself (the same client key, committed first) is answered as
    that retry's replay."""

    def create() -> PostedRequest:
        return _request_create(
            api_key=api_key, params=params, media=media, idempotency_key=idempotency_key
        )

    if connection.in_atomic_block:
        return create()
    try:
        return create()
    except IntegrityError:
        # Rolled back whole; the second try finds the winner's event and replays it.
        return create()


@transaction.atomic
def _request_create(
    *,
    api_key: Open311ApiKey,
    params: Mapping[str, Any],
    media: Sequence[Any],
    idempotency_key: str,
) -> PostedRequest:
    # The event's, the public report's and the request's audit entries in one statement.
    with audit_batch():
        return _request_write(
            api_key=api_key, params=params, media=media, idempotency_key=idempotency_key
        )


def _request_write(
    *,
    api_key: Open311ApiKey,
    params: Mapping[str, Any],
    media: Sequence[Any],
    idempotency_key: str,
) -> PostedRequest:
    subdistrict = jurisdiction(params.get("jurisdiction_id"))
    if subdistrict.pk != api_key.subdistrict_id:
        raise Forbidden(
            _("This api_key is not issued for jurisdiction %(code)s.") % {"code": subdistrict.code},
            field="api_key",
        )
    code = str(params.get("service_code") or "").strip()
    if not code:
        raise InvalidInput(_("service_code was not provided."), field="service_code")
    category = service_category(code)
    if category is None:
        raise InvalidInput(
            _("service_code “%(code)s” was not found.") % {"code": code}, field="service_code"
        )
    lat = _coordinate(params, "lat")
    lng = _coordinate(params, "long")
    address_string = _text(params, "address_string", 200)
    address_id = _text(params, "address_id", 15)
    if (lat is None) != (lng is None):
        raise InvalidInput(_("Send both lat and long, or neither."), field="lat")
    if lat is None and not address_id:
        if address_string:
            raise InvalidInput(
                _(
                    "address_string alone cannot be located (there is no geocoder on this "
                    "network): send lat and long, or address_id (a grid code)."
                ),
                field="address_string",
            )
        raise InvalidInput(
            _("The location was not provided: send lat and long (WGS-84)."), field="lat"
        )
    description = _text(params, "description", MAX_DESCRIPTION)
    if not description:
        raise InvalidInput(_("description was not provided."), field="description")
    urgency = str(params.get(f"attribute[{URGENCY_ATTRIBUTE}]") or "").strip()
    if urgency and urgency not in Urgency.values:
        raise InvalidInput(
            _("attribute[urgency] “%(value)s” is not one of %(values)s.")
            % {"value": urgency, "values": ", ".join(Urgency.values)},
            field="attribute[urgency]",
        )
    email = _text(params, "email", 254)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidInput(
                _("email “%(value)s” is not an e-mail address.") % {"value": email}, field="email"
            ) from None
    media_url = _text(params, "media_url", 500)
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            raise InvalidInput(_("media_url is not an http(s) URL."), field="media_url") from None
    if len(media) > MAX_PHOTOS:
        raise InvalidInput(
            _("Attach at most %(max)s media files.") % {"max": MAX_PHOTOS}, field="media"
        )
    first_name = _text(params, "first_name", 50)
    last_name = _text(params, "last_name", 50)
    private: dict[str, Any] = {
        "email": email,
        "first_name": first_name,
        "last_name": last_name,
        "device_id": _text(params, "device_id", 100),
        "account_id": _text(params, "account_id", 100),
        "media_url": media_url,
        "attributes": {URGENCY_ATTRIBUTE: urgency} if urgency else {},
    }
    phone = _text(params, "phone", 30)
    reporter_name = " ".join(part for part in (first_name, last_name) if part)
    name_limit = Event._meta.get_field("reporter_name").max_length or 0
    if len(reporter_name) > name_limit:
        # Each within its own limit, together (with the space between them) they can still be
        # longer than the name the event keeps.
        raise InvalidInput(
            _(
                "first_name and last_name together are too long: at most %(max)s characters "
                "including the space between them (%(count)s were sent)."
            )
            % {"max": name_limit, "count": len(reporter_name)},
            field="last_name",
        )
    content = {
        "service_code": code,
        "lat": lat,
        "long": lng,
        "address_id": address_id,
        "address_string": address_string,
        "description": description,
        "phone": phone,
        **private,
        "media": [hashlib.sha256(_read(upload)).hexdigest() for upload in media],
    }
    if lat is not None and lng is not None:
        grid = grid_index().locate_grid(lng, lat)
        if grid is not None and grid.community.subdistrict_id != subdistrict.pk:
            raise InvalidInput(
                _("The location lies outside jurisdiction %(code)s.") % {"code": subdistrict.code},
                field="lat",
            )
    try:
        submission = public_report_submit(
            door=PublicDoor(f"open311:{api_key.name}"[:150]),
            channel=PublicReport.Channel.OPEN311,
            category=category.code,
            description=description,
            lat=lat,
            lng=lng,
            grid=address_id,
            address=address_string,
            reporter_name=reporter_name,
            reporter_phone=phone,
            urgency=urgency or None,
            photos=media,
            client_key=_client_key(api_key, idempotency_key, content),
            # This transaction is rolled back whole on any error.
            savepoint=False,
        )
    except InvalidInput as error:
        if error.code != "idempotency_key_reused":
            raise
        # The intake's message names the event's internal client key; the client knows only
        # its own header.
        raise InvalidInput(
            _(
                "The Idempotency-Key “%(key)s” was already used for a different request. Use a "
                "new key for a new request."
            )
            % {"key": idempotency_key},
            code="idempotency_key_reused",
            field="Idempotency-Key",
        ) from None
    # A new event has no request yet: only a replay needs to look.
    existing = (
        None
        if submission.created
        else Open311Request.objects.filter(event=submission.event).first()
    )
    if existing is not None:
        return PostedRequest(request=existing, created=False)
    request = Open311Request(
        event=submission.event, api_key=api_key, token=secrets.token_urlsafe(16), **private
    )
    insert_new(request)
    audit_record(
        actor=PublicDoor(f"open311:{api_key.name}"[:150]),
        action="open311.request.create",
        target=request,
        after=snapshot(request, exclude=REQUEST_PRIVATE),
    )
    return PostedRequest(request=request, created=True)


def _read(upload: Any) -> bytes:
    if hasattr(upload, "seek"):
        upload.seek(0)
    content = upload.read(int(settings.EVENT_PHOTO_MAX_BYTES) + 1)
    if hasattr(upload, "seek"):
        upload.seek(0)
    return content if isinstance(content, bytes) else bytes(content)
