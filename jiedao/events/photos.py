"""Checking uploaded photos before anything is stored.

A photo is accepted when its *content* is JPEG, PNG or WebP (the first bytes, never the file name
or the content type the client claims) and it is no larger than
``settings.EVENT_PHOTO_MAX_BYTES``. Anything else is a 422 naming the field and the file.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from jiedao.core.errors import InvalidInput

# (signature test, content type, file extension)
JPEG = ("image/jpeg", "jpg")
PNG = ("image/png", "png")
WEBP = ("image/webp", "webp")


def sniff_image(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a JPEG, PNG or WebP image from its first bytes, else None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


@dataclass(frozen=True)
class CheckedPhoto:
    content: bytes
    content_type: str
    extension: str
    size: int
    sha256: str
    original_name: str

    def as_file(self, stem: str) -> ContentFile:
        return ContentFile(self.content, name=f"{stem}.{self.extension}")


def check_photo(upload: Any, *, field: str) -> CheckedPhoto:
    """Read and check one uploaded file (a Django ``File``/``UploadedFile``)."""
    name = str(getattr(upload, "name", "") or "")
    limit = int(settings.EVENT_PHOTO_MAX_BYTES)
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _too_large(name, size, limit, field)
    if hasattr(upload, "seek"):
        upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise _too_large(name, len(content), limit, field)
    if not content:
        raise InvalidInput(
            _("The photo %(name)s is empty.") % {"name": name}, code="empty_photo", field=field
        )
    kind = sniff_image(content[:16])
    if kind is None:
        raise InvalidInput(
            _(
                "%(name)s is not a JPEG, PNG or WebP image (its content was checked, not its "
                "name). Upload a photo in one of these formats."
            )
            % {"name": name or _("The file")},
            code="bad_photo_type",
            field=field,
        )
    return CheckedPhoto(
        content=content,
        content_type=kind[0],
        extension=kind[1],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        original_name=name,
    )


def check_photos(uploads: Sequence[Any], *, field: str) -> list[CheckedPhoto]:
    return [check_photo(upload, field=field) for upload in uploads]


def _too_large(name: str, size: int, limit: int, field: str) -> InvalidInput:
    return InvalidInput(
        _("The photo %(name)s is %(size)s; the largest accepted is %(limit)s.")
        % {"name": name, "size": human_size(size), "limit": human_size(limit)},
        code="photo_too_large",
        field=field,
        extra={"max_bytes": limit},
    )


def human_size(size: int) -> str:
    """8 MB, 1.5 MB, 300 KB, 20 B."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} B"
