"""The portal's demo reports: made through the services, followed with the codes the loader
prints, one handled with its after-photo for the resident to see and rate."""

import re
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.test import Client

from jiedao.events.models import Event
from jiedao.events.workflow import PhotoStage
from jiedao.geo.models import Subdistrict
from jiedao.portal.demo import portal_demo_codes, portal_demo_load
from jiedao.portal.models import PublicReport


def test_the_demo_reports_are_followed_with_the_printed_codes(users: Any) -> None:
    subdistrict = Subdistrict.objects.get(code="330109012")
    assert portal_demo_load(subdistrict=subdistrict) == 2
    assert portal_demo_load(subdistrict=subdistrict) == 0  # once

    codes = portal_demo_codes()
    handled, open_report = (Event.objects.get(number=number) for number, _code in codes)
    assert (handled.status, handled.source, handled.responsible_department.code) == (
        "closed",
        "resident",
        "city-management",
    )
    assert open_report.status == "dispatched"
    assert PublicReport.objects.filter(event__in=[handled, open_report]).count() == 2
    photo = handled.photos.get(stage=PhotoStage.AFTER)

    output = StringIO()
    call_command("load_demo", stdout=output)
    assert output.getvalue().splitlines()[1:] == [
        f"居民服务演示报告：跟踪编号 {number}，查询码 {code}。" for number, code in codes
    ]

    client = Client()
    number, code = codes[0]
    assert client.post("/public/follow/", {"number": number, "code": code}).status_code == 302
    page = client.get(f"/public/follow/{number}/").content.decode()
    assert f'<img src="/public/follow/{number}/photos/{photo.pk}/"' in page
    assert re.findall(r'name="satisfaction" value="(\d)"', page) == ["5", "3", "1"]
    assert client.get(f"/public/follow/{number}/photos/{photo.pk}/").status_code == 200
