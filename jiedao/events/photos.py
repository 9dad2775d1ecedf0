"""Checking uploaded photos before anything is stored.

A photo is accepted when its *content* is JPEG, PNG or WebP (the first bytes, never the file name
or the content type the client claims), it is no larger than ``settings.EVENT_PHOTO_MAX_BYTES``
and has no more than ``settings.EVENT_PHOTO_MAX_PIXELS`` pixels, and Pillow decodes all of it.
What is stored is then only the pixels, re-encoded in the same format (JPEG, PNG or WebP): the
camera's orientation is applied to the pixels, and every piece of metadata (EXIF with its GPS
position, XMP, comments, ICC profiles, text chunks) and anything appended to the file is left
behind. A file carrying markup (HTML, SVG or script: a polyglot meant to be served as a page)
is refused outright rather than silently cleaned, so that its sender learns it was seen.

The GPS position in the EXIF data is read before it is dropped and travels with the checked
photo (:attr:`CheckedPhoto.location`) so that a report form can offer it as the place of the
problem; it is never written to the stored file, the event or any public output.

Anything wrong is a 422 naming the photo field and the file.
"""

import hashlib
import io
import math
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageOps

from jiedao.core.errors import InvalidInput

# (content type, file extension)
JPEG = ("image/jpeg", "jpg")
PNG = ("image/png", "png")
WEBP = ("image/webp", "webp")
PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}

# Pillow refuses to open anything past twice this on its own (DecompressionBombError); the
# explicit check in check_photo below refuses anything past the setting itself, before decoding.
Image.MAX_IMAGE_PIXELS = int(settings.EVENT_PHOTO_MAX_PIXELS)

# Markup that makes a file a page when a browser sniffs it. Tags are matched with what must
# follow their name, <svg only together with its closing tag and event handlers only with a
# quoted value, so that the bytes of a compressed image do not match by chance. Each pattern
# starts with a literal, which lets the regular expression engine skip ahead: the search runs
# on a lower-cased copy rather than with IGNORECASE, which would disable that (an 8 MB photo
# takes a tenth of a second instead of seconds).
_TAG = re.compile(rb"<(?:script|html|body|iframe|object|embed|!doctype|\?php)[\s>/]")
_SVG_OPEN = re.compile(rb"<svg[\s>/]")
_SVG_CLOSE = re.compile(rb"</svg\s*>")
_HANDLER = re.compile(rb"on[a-z]{3,}\s*=\s*[\"']")
_WHITESPACE = b" \t\r\n\f\v/"


def has_markup(content: bytes) -> bool:
    """Whether ``content`` carries HTML, SVG or script beside (or inside) an image."""
    lowered = content.lower()
    if _TAG.search(lowered) or b"javascript:" in lowered:
        return True
    if _SVG_OPEN.search(lowered) and _SVG_CLOSE.search(lowered):
        return True
    return any(
        match.start() > 0 and lowered[match.start() - 1] in _WHITESPACE
        for match in _HANDLER.finditer(lowered)
    )


_FIELD_LABELS = {
    "photos": _("Photos"),
    "after_photos": _("Photos after handling"),
}


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
class PhotoLocation:
    """Where the camera says the photo was taken: WGS-84, as GPS receivers report it."""

    lat: float
    lng: float


@dataclass(frozen=True)
class CheckedPhoto:
    content: bytes  # the re-encoded pixels, nothing else
    content_type: str
    extension: str
    size: int
    sha256: str
    original_name: str
    # From the EXIF data before it was dropped: offered to the reporter, never stored.
    location: PhotoLocation | None = None

    def as_file(self, stem: str) -> ContentFile:
        return ContentFile(self.content, name=f"{stem}.{self.extension}")


def field_label(field: str) -> str | Promise:
    """The photo field as the forms label it (the API's field name when it has no label)."""
    return _FIELD_LABELS.get(field, field)


def check_photo(upload: Any, *, field: str) -> CheckedPhoto:
    """Read, decode and re-encode one uploaded file (a Django ``File``/``UploadedFile``)."""
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
    if has_markup(content):
        raise InvalidInput(
            _(
                "%(field)s: %(name)s contains markup (HTML, SVG or script) besides the image, "
                "which a photo from a camera or phone never does. Upload the original photo."
            )
            % {"field": field_label(field), "name": name or _("the file")},
            code="photo_with_markup",
            field=field,
        )
    image, location = _decode(content, kind, name=name, field=field)
    clean = _encode(image, kind)
    return CheckedPhoto(
        content=clean,
        content_type=kind[0],
        extension=kind[1],
        size=len(clean),
        sha256=hashlib.sha256(clean).hexdigest(),
        original_name=name,
        location=location,
    )


def check_photos(uploads: Sequence[Any], *, field: str) -> list[CheckedPhoto]:
    return [check_photo(upload, field=field) for upload in uploads]


def _decode(
    content: bytes, kind: tuple[str, str], *, name: str, field: str
) -> tuple[Image.Image, PhotoLocation | None]:
    """The fully decoded, upright image and the EXIF GPS position; refuses a picture with
    more pixels than allowed before decoding it, and anything Pillow cannot decode."""
    max_pixels = int(settings.EVENT_PHOTO_MAX_PIXELS)
    try:
        with warnings.catch_warnings():
            # Between the setting and twice the setting Pillow only warns: make it an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content), formats=[PILLOW_FORMATS[kind]])
            width, height = image.size
            if width * height > max_pixels:
                raise _too_many_pixels(name, width, height, max_pixels, field)
            location = _gps_location(image)
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(name, None, None, max_pixels, field) from None
    except (OSError, SyntaxError, ValueError, TypeError, IndexError, EOFError) as error:
        # What Pillow raises for a truncated or corrupt file (UnidentifiedImageError is an
        # OSError).
        raise InvalidInput(
            _(
                "%(field)s: %(name)s could not be read as a %(format)s image (it is damaged or "
                "incomplete). Upload the photo again, or another one."
            )
            % {
                "field": field_label(field),
                "name": name or _("the file"),
                "format": PILLOW_FORMATS[kind],
            },
            code="bad_photo",
            field=field,
        ) from error
    return upright, location


def _encode(image: Image.Image, kind: tuple[str, str]) -> bytes:
    """Only the pixels, in the format they came in."""
    has_alpha = "A" in image.mode or "transparency" in image.info
    if kind == JPEG:
        target = "L" if image.mode in ("1", "L") else "RGB"
    else:
        target = "RGBA" if has_alpha else ("L" if image.mode in ("1", "L") else "RGB")
    pixels = image if image.mode == target else image.convert(target)
    # Nothing of the original's metadata (ICC profile, text chunks, XMP, comments) is carried
    # over: Pillow's encoders write some of it from ``info`` unless it is empty.
    pixels.info = {}
    output = io.BytesIO()
    if kind == JPEG:
        pixels.save(output, "JPEG", quality=90)
    elif kind == PNG:
        pixels.save(output, "PNG", optimize=True)
    else:
        pixels.save(output, "WEBP", quality=90)
    return output.getvalue()


def _gps_location(image: Image.Image) -> PhotoLocation | None:
    """The EXIF GPS position, when there is a plausible one."""
    try:
        gps = image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        lat = _degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef))
        lng = _degrees(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef))
    except (OSError, SyntaxError, ValueError, TypeError, KeyError, ZeroDivisionError):
        return None
    if lat is None or lng is None or not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return None
    if lat == 0 and lng == 0:  # what a camera without a fix writes
        return None
    return PhotoLocation(lat=round(lat, 7), lng=round(lng, 7))


def _degrees(value: Any, reference: Any) -> float | None:
    if not value or len(value) != 3:
        return None
    degrees, minutes, seconds = (float(part) for part in value)
    result = degrees + minutes / 60 + seconds / 3600
    if not math.isfinite(result):
        return None
    if isinstance(reference, bytes):
        reference = reference.decode("ascii", "replace")
    return -result if str(reference or "").strip().upper() in ("S", "W") else result


def photo_location(photos: Sequence[CheckedPhoto]) -> PhotoLocation | None:
    """The first GPS position found among the photos."""
    return next((photo.location for photo in photos if photo.location is not None), None)


def _too_large(name: str, size: int, limit: int, field: str) -> InvalidInput:
    return InvalidInput(
        _("The photo %(name)s is %(size)s; the largest accepted is %(limit)s.")
        % {"name": name, "size": human_size(size), "limit": human_size(limit)},
        code="photo_too_large",
        field=field,
        extra={"max_bytes": limit},
    )


def _too_many_pixels(
    name: str, width: int | None, height: int | None, limit: int, field: str
) -> InvalidInput:
    megapixels = f"{limit / 1_000_000:g}"
    if width is None or height is None:
        message = _(
            "%(field)s: %(name)s has more pixels than the %(limit)s megapixels accepted. "
            "Upload a smaller photo."
        ) % {"field": field_label(field), "name": name or _("the file"), "limit": megapixels}
    else:
        message = _(
            "%(field)s: %(name)s is %(width)s × %(height)s pixels, more than the %(limit)s "
            "megapixels accepted. Upload a smaller photo."
        ) % {
            "field": field_label(field),
            "name": name or _("the file"),
            "width": width,
            "height": height,
            "limit": megapixels,
        }
    return InvalidInput(
        message, code="photo_too_many_pixels", field=field, extra={"max_pixels": limit}
    )


def human_size(size: int) -> str:
    """8 MB, 1.5 MB, 300 KB, 20 B."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} B"
