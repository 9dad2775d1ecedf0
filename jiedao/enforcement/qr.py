"""The 行政检查码: a QR code of the public address of one inspection's record."""

import segno


def qr_svg(url: str, *, scale: int = 4) -> str:
    """An inline SVG of ``url`` as a QR code (error correction M or better)."""
    return str(segno.make(url, error="m").svg_inline(scale=scale, title="行政检查码"))
