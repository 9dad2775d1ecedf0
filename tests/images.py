"""Real, decodable images for the tests: photos are decoded and re-encoded before they are stored,
so a few magic bytes are no longer a photo."""

import io
from typing import Any

from PIL import ExifTags, Image


def image_bytes(
    image_format: str = "PNG", *, size: tuple[int, int] = (8, 6), mode: str = "RGB", **save: Any
) -> bytes:
    """A small picture with a red left half and a blue right half (so that a rotation shows)."""
    image = Image.new(mode, size, "blue")
    image.paste("red", (0, 0, size[0] // 2, size[1]))
    output = io.BytesIO()
    image.save(output, image_format, **save)
    return output.getvalue()


# Saved as the platform re-encodes PNG, so that a stored PNG reads back byte for byte.
PNG = image_bytes("PNG", optimize=True)
JPEG = image_bytes("JPEG")
WEBP = image_bytes("WEBP")


def camera_jpeg(*, orientation: int = 6, gps: bool = True) -> bytes:
    """An 8 × 6 JPEG as a phone writes it: rotated by EXIF, with a GPS position (30°15'36"N,
    120°9'E) and the camera model."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Model] = "PhoneCam 3000"
    if gps:
        exif[ExifTags.IFD.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (30.0, 15.0, 36.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (120.0, 9.0, 0.0),
        }
    return image_bytes("JPEG", exif=exif.tobytes())
