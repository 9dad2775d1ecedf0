"""The portal's part of the Wenyan demo: two reports a resident made through the portal, so that
a visitor can follow one with its tracking number and follow code — one still being handled, one
handled and checked, with the handler's "after" photo, waiting for the resident's rating.

Made through the services (the portal's intake, then the workflow's transitions by the demo
staff); the follow codes are not stored, so :func:`portal_demo_codes` derives them again for the
loader to print.
"""

from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from jiedao.accounts.models import User
from jiedao.events.services import event_transition
from jiedao.geo.geometry import parse_boundary
from jiedao.geo.models import Department, Grid, Subdistrict

from .actors import PORTAL
from .models import PublicReport
from .selectors import public_report_code
from .services import public_report_submit

HOME_GRID = "330109012001001"
# The demo's reports through the portal, told apart from the rest by this mark in their text.
DEMO_MARK = "（门户演示）"
REPORTS = (
    ("E0101", f"小区东门垃圾桶满溢，气味很大。{DEMO_MARK}", True),
    ("E0102", f"三江路人行道有一处破损，老人容易绊倒。{DEMO_MARK}", False),
)


def after_photo() -> bytes:
    """A picture a resident can make out on the follow page (the events demo's 1×1 pixel would be
    invisible): a pavement with an emptied green bin, drawn rather than shipped as a file."""
    image = Image.new("RGB", (640, 420), (196, 201, 204))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 300, 640, 420), fill=(150, 150, 146))
    draw.rectangle((250, 140, 390, 330), fill=(46, 125, 50), outline=(27, 94, 32), width=6)
    draw.rectangle((235, 120, 405, 150), fill=(56, 142, 60), outline=(27, 94, 32), width=6)
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def portal_demo_load(*, subdistrict: Subdistrict) -> int:
    """Create the demo's portal reports (once); returns how many were created."""
    if PublicReport.objects.filter(event__description__endswith=DEMO_MARK).exists():
        return 0
    grid = Grid.objects.get(code=HOME_GRID, community__subdistrict=subdistrict)
    point = parse_boundary(grid.boundary).representative_point()
    dispatcher = User.objects.get(username="zhihui")
    handler = User.objects.get(username="chengguan")
    verifier = User.objects.get(username="wangge")
    city = Department.objects.get(subdistrict=subdistrict, code="city-management")
    for category, description, handled in REPORTS:
        submission = public_report_submit(
            door=PORTAL,
            channel=PublicReport.Channel.PORTAL,
            category=category,
            description=description,
            lat=point.y,
            lng=point.x,
            reporter_name="张居民",
            reporter_phone="13800138000",
        )
        event = event_transition(event=submission.event, action="accept", actor=dispatcher)
        event = event_transition(event=event, action="dispatch", actor=dispatcher, department=city)
        if not handled:
            continue
        event = event_transition(event=event, action="start_handling", actor=handler)
        event = event_transition(
            event=event,
            action="report_back",
            actor=handler,
            note="垃圾已清运，垃圾桶已冲洗。",
            photos=[ContentFile(after_photo(), name="after.png")],
        )
        event_transition(event=event, action="verify_pass", actor=verifier)
    return len(REPORTS)


def portal_demo_codes() -> list[tuple[str, str]]:
    """(tracking number, follow code) of each demo portal report, oldest first."""
    reports = PublicReport.objects.select_related("event").filter(
        event__description__endswith=DEMO_MARK
    )
    return [
        (report.event.number, public_report_code(report))
        for report in reports.order_by("created_at", "id")
    ]
