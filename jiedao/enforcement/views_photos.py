"""The photos of an inspection on its pages: a photo's file for those who see the inspection,
and the photos of a refused form held for the next attempt (the
events' :mod:`~jiedao.events.held`: a browser cannot refill a file input, and an officer on site
should not have to take the photo again because the notes were missing)."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from jiedao.core.errors import ApplicationError, InvalidInput
from jiedao.core.http import JiedaoRequest
from jiedao.events.held import HeldPhoto, photos_held, photos_hold, photos_release
from jiedao.web.errors import render_application_errors

from . import selectors
from .services.photos import FIELD, max_photos

HELD = "held_photos"


def with_held_photos(
    request: JiedaoRequest, record: Callable[[list[Any]], Any]
) -> tuple[Any, ApplicationError | None, list[HeldPhoto]]:
    """Call ``record`` with the photos held from the last attempt and those uploaded now. On
    success the held files are released; on a refusal the new uploads are held too, and the
    page shows them (with their tokens) for the next attempt. (result, error, held photos)."""
    owner = f"user:{request.user.pk}"
    held = photos_held(tokens=request.POST.getlist(HELD), field=FIELD, owner=owner)
    uploads = list(request.FILES.getlist(FIELD))
    try:
        result = record([photo.as_file() for photo in held] + uploads)
    except ApplicationError as error:
        if not isinstance(error, InvalidInput):
            # Nothing the user can correct in the form: nothing is held.
            return None, error, []
        room = max(max_photos() - len(held), 0)
        return None, error, held + photos_hold(photos=uploads, field=FIELD, owner=owner, limit=room)
    photos_release(held)
    return result, None, []


def photo_response(*, user: Any, photo_id: int) -> HttpResponse:
    """A photo's file for ``user``, whichever door asked: only for those who see its
    inspection (never a public media address), with the same headers."""
    record = selectors.photo_get(user=user, photo_id=photo_id)
    # Photos are at most EVENT_PHOTO_MAX_BYTES (a few MB): read whole, the file closes at once.
    with record.file.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=record.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
@render_application_errors
def photo(request: JiedaoRequest, photo_id: int) -> HttpResponse:
    return photo_response(user=request.user, photo_id=photo_id)
