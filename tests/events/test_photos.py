"""Photos are decoded and re-encoded: only pixels are stored, metadata and payloads stay behind,
bombs are refused before decoding, and the camera's GPS position is read but never stored."""

import io
import struct
import time
import zlib
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings
from PIL import Image

from jiedao.core.errors import InvalidInput
from jiedao.events.photos import PhotoLocation, check_photo
from tests.images import JPEG, PNG, WEBP, camera_jpeg, image_bytes

from .conftest import counts, report


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A PNG of a few hundred bytes whose header claims ``width`` × ``height`` pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * 1000)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", rows)
        + png_chunk(b"IEND", b"")
    )


def opened(content: bytes) -> Image.Image:
    return Image.open(io.BytesIO(content))


def test_a_camera_photo_is_stored_upright_without_exif_and_its_position_is_read() -> None:
    photo = check_photo(ContentFile(camera_jpeg(), name="IMG_0001.jpg"), field="photos")

    stored = opened(photo.content)
    assert (stored.format, stored.size) == ("JPEG", (6, 8))  # turned as orientation 6 says
    assert dict(stored.getexif()) == {}
    assert b"PhoneCam" not in photo.content
    assert b"Exif" not in photo.content
    assert photo.location == PhotoLocation(lat=30.26, lng=120.15)
    # the left (red) half of the original is now on top
    assert stored.convert("RGB").getpixel((3, 0))[0] > 200


def test_a_photo_without_gps_has_no_location() -> None:
    photo = check_photo(ContentFile(camera_jpeg(gps=False), name="a.jpg"), field="photos")
    assert photo.location is None


@pytest.mark.parametrize(
    ("content", "image_format"), [(PNG, "PNG"), (JPEG, "JPEG"), (WEBP, "WEBP")]
)
def test_each_format_is_re_encoded_in_its_own_format(content: bytes, image_format: str) -> None:
    photo = check_photo(ContentFile(content, name="x"), field="photos")

    assert opened(photo.content).format == image_format
    assert opened(photo.content).size == (8, 6)
    assert photo.size == len(photo.content)


def test_text_chunks_and_trailing_bytes_are_left_behind() -> None:
    content = PNG[:33] + png_chunk(b"tEXt", b"Comment\x00private note") + PNG[33:] + b"TRAILER"

    photo = check_photo(ContentFile(content, name="note.png"), field="photos")

    assert b"private note" not in photo.content
    assert b"TRAILER" not in photo.content


@pytest.mark.parametrize(
    "content",
    [
        PNG + b"<html><body><script>alert(document.cookie)</script></body></html>",
        # a JPEG whose comment segment is an SVG with a script
        JPEG[:2]
        + b"\xff\xfe\x00\x48<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'></svg>"
        + JPEG[2:],
        PNG + b"<img src=x onerror='alert(1)'>",
    ],
    ids=["png-then-html", "jpeg-with-svg", "png-then-handler"],
)
def test_polyglots_are_refused_naming_the_field(content: bytes) -> None:
    with pytest.raises(InvalidInput) as raised:
        check_photo(ContentFile(content, name="cat.png"), field="after_photos")

    assert (raised.value.code, raised.value.field) == ("photo_with_markup", "after_photos")
    assert str(raised.value.message) == (
        "处置后照片：cat.png 除图像外还含有标记（HTML、SVG 或脚本），"
        "相机或手机拍的照片不会这样。请上传原始照片。"
    )


def test_a_png_bomb_is_refused_before_decoding() -> None:
    bomb = png_claiming(50_000, 50_000)  # 2.5 gigapixels: 7.5 GB once decoded
    started = time.monotonic()

    with pytest.raises(InvalidInput) as raised:
        check_photo(ContentFile(bomb, name="bomb.png"), field="photos")

    assert time.monotonic() - started < 1
    assert (raised.value.code, raised.value.field) == ("photo_too_many_pixels", "photos")
    assert str(raised.value.message) == (
        "照片：bomb.png 的像素超过允许的 40 百万像素。请上传较小的照片。"
    )


@override_settings(EVENT_PHOTO_MAX_PIXELS=100)
def test_a_photo_past_the_pixel_setting_is_refused_with_its_size() -> None:
    content = image_bytes("PNG", size=(20, 10))

    with pytest.raises(InvalidInput) as raised:
        check_photo(ContentFile(content, name="wide.png"), field="photos")

    assert raised.value.code == "photo_too_many_pixels"
    assert raised.value.extra == {"max_pixels": 100}
    assert str(raised.value.message) == (
        "照片：wide.png 为 20 × 10 像素，超过允许的 0.0001 百万像素。请上传较小的照片。"
    )


def test_a_truncated_photo_is_refused() -> None:
    content = image_bytes("JPEG", size=(64, 64))[:300]

    with pytest.raises(InvalidInput) as raised:
        check_photo(ContentFile(content, name="half.jpg"), field="photos")

    assert (raised.value.code, raised.value.field) == ("bad_photo", "photos")
    assert str(raised.value.message) == (
        "照片：无法将 half.jpg 读取为 JPEG 图像（文件已损坏或不完整）。请重新上传该照片或换一张。"
    )


def test_a_reported_photo_is_stored_without_its_position(users: Any) -> None:
    event = report(users["grid_worker"], photos=[ContentFile(camera_jpeg(), name="scene.jpg")])

    photo = event.photos.get()
    with photo.file.open("rb") as stored:
        content = stored.read()
    assert dict(opened(content).getexif()) == {}
    assert (photo.size, photo.content_type) == (len(content), "image/jpeg")
    # the event's place is the one reported, not the camera's
    assert (round(event.lat, 2), round(event.lng, 2)) != (30.26, 120.15)


def test_a_refused_photo_stores_nothing(users: Any) -> None:
    before = counts()
    with pytest.raises(InvalidInput):
        report(users["grid_worker"], photos=[ContentFile(png_claiming(50_000, 50_000), name="b")])
    assert counts() == before
