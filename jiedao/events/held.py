"""Photos held between a failed submission and its correction, so that nobody takes them again.

A browser cannot refill a file input, and a grid worker on a phone (or a resident on a flaky
network) should not have to photograph the problem a second time because the description was
missing. When a report is refused, each photo that passed its own check is stored here (its
checked, re-encoded pixels, as :mod:`jiedao.events.photos` makes them, and a small thumbnail),
and the page carries for each a signed token (``held_photos``) and shows the thumbnail. Sending
the corrected form sends the tokens back: the photos are read from here, given to the service as
if uploaded again, and removed once the report is stored. This needs no script and uploads each
photo once.

A token names its file, the form field and its owner (the signed-in user, or the form's own
random id on the public portal): it is useless to anyone else, and it expires after
``EVENT_HELD_PHOTO_SECONDS``. Nothing here is a record: files past that age are removed whenever
photos are next held (:func:`held_purge`), and the management command ``purge_held_photos`` does
it on demand.
"""

import base64
import io
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage, default_storage
from PIL import Image

from jiedao.core.errors import InvalidInput

from .photos import check_photo

HELD_DIRECTORY = "held-photos"
SALT = "jiedao.events.held-photo"
THUMBNAIL_SIZE = (160, 160)
MAX_HELD = 10  # per field and form: more than any form accepts


def max_age() -> int:
    return int(getattr(settings, "EVENT_HELD_PHOTO_SECONDS", 6 * 3600))


def _storage() -> Storage:
    return default_storage


@dataclass(frozen=True)
class HeldPhoto:
    token: str
    field: str
    name: str  # the stored file
    original_name: str
    thumbnail: str  # a data: URL, shown on the re-rendered form

    def as_file(self) -> File[Any]:
        with _storage().open(self.name, "rb") as handle:
            content = handle.read()
        return ContentFile(content, name=self.original_name or self.name.rsplit("/", 1)[-1])


def _thumbnail(content: bytes) -> bytes:
    with Image.open(io.BytesIO(content)) as image:
        small = image.convert("RGB")
        small.thumbnail(THUMBNAIL_SIZE)
        output = io.BytesIO()
        small.save(output, "JPEG", quality=70)
    return output.getvalue()


def _data_url(content: bytes) -> str:
    return "data:image/jpeg;base64," + base64.b64encode(content).decode("ascii")


def photos_hold(
    *, photos: Iterable[Any], field: str, owner: str, limit: int = MAX_HELD
) -> list[HeldPhoto]:
    """Store each of the first ``limit`` of ``photos`` that passes the photo check (the others
    were refused with their own message) and give its token. ``owner`` is who may send the
    token back."""
    held_purge()
    storage = _storage()
    held: list[HeldPhoto] = []
    for upload in list(photos)[: max(0, min(limit, MAX_HELD))]:
        try:
            checked = check_photo(upload, field=field)
        except InvalidInput:
            continue
        stem = f"{HELD_DIRECTORY}/{uuid.uuid4().hex}"
        name = storage.save(f"{stem}.{checked.extension}", ContentFile(checked.content))
        thumbnail = _thumbnail(checked.content)
        storage.save(f"{stem}.thumb.jpg", ContentFile(thumbnail))
        token = signing.dumps(
            {"n": name, "f": field, "o": owner, "on": checked.original_name[:200]}, salt=SALT
        )
        held.append(
            HeldPhoto(
                token=token,
                field=field,
                name=name,
                original_name=checked.original_name,
                thumbnail=_data_url(thumbnail),
            )
        )
    return held


def photos_held(*, tokens: Sequence[str], field: str, owner: str) -> list[HeldPhoto]:
    """The held photos ``tokens`` name for ``field`` and ``owner``, each once; a token that is
    forged, expired, someone else's or whose file is gone is ignored (the form then simply shows
    fewer photos, and the user adds them again)."""
    storage = _storage()
    held: list[HeldPhoto] = []
    seen: set[str] = set()
    for token in list(tokens)[:MAX_HELD]:
        try:
            data = signing.loads(token, salt=SALT, max_age=max_age())
        except signing.BadSignature:
            continue
        if not isinstance(data, dict) or data.get("f") != field or data.get("o") != owner:
            continue
        name = str(data.get("n", ""))
        if not name.startswith(f"{HELD_DIRECTORY}/") or name in seen or not storage.exists(name):
            continue
        seen.add(name)
        try:
            with storage.open(_thumbnail_name(name), "rb") as handle:
                thumbnail = _data_url(handle.read())
        except OSError:
            thumbnail = ""
        held.append(
            HeldPhoto(
                token=token,
                field=field,
                name=name,
                original_name=str(data.get("on", "")),
                thumbnail=thumbnail,
            )
        )
    return held


def _thumbnail_name(name: str) -> str:
    return name.rsplit(".", 1)[0] + ".thumb.jpg"


def photos_release(held: Iterable[HeldPhoto]) -> None:
    """Remove held photos once the report that used them is stored."""
    storage = _storage()
    for photo in held:
        for name in (photo.name, _thumbnail_name(photo.name)):
            try:
                storage.delete(name)
            except OSError:
                continue


def held_purge(*, older_than: int | None = None) -> int:
    """Remove held photos older than ``older_than`` seconds (their tokens' lifetime); the
    number of files removed."""
    storage = _storage()
    limit = time.time() - (max_age() if older_than is None else older_than)
    try:
        _, names = storage.listdir(HELD_DIRECTORY)
    except (FileNotFoundError, NotImplementedError):
        return 0
    removed = 0
    for file_name in names:
        name = f"{HELD_DIRECTORY}/{file_name}"
        try:
            if storage.get_modified_time(name).timestamp() < limit:
                storage.delete(name)
                removed += 1
        except (OSError, NotImplementedError):
            continue
    return removed
