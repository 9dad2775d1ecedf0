"""The admin adds indicators through the same service as the API and the demo: its checks
beside their fields, nothing written on refusal, an audit entry on success."""

import html

from jiedao.audit.models import AuditEntry
from jiedao.geo.models import Department
from jiedao.indicators.models import Indicator

from .conftest import state


def test_the_admin_adds_an_indicator_through_the_service(client_for, catalogue):
    client = client_for("administrator")
    economy = Department.objects.get(code="economy")
    fields = {
        "subdistrict": economy.subdistrict_id,
        "code": "exports",
        "name": "出口总额",
        "definition": "",
        "kind": "amount",
        "unit": "元",
        "aggregation": "sum",
        "department": economy.pk,
        "position": 0,
    }
    before = state()

    wrong = client.post("/admin/indicators/indicator/add/", {**fields, "display_unit": "美元"})

    assert wrong.status_code == 200
    assert "显示单位必须是在单位前加万、亿、千或百，例如亿元。" in html.unescape(
        wrong.content.decode()
    )
    assert state() == before

    right = client.post("/admin/indicators/indicator/add/", {**fields, "display_unit": "亿元"})

    assert right.status_code == 302
    indicator = Indicator.objects.get(code="exports")
    entry = AuditEntry.objects.get(target_type="indicators.indicator", target_id=str(indicator.pk))
    assert (entry.action, entry.actor_label, indicator.display_unit) == (
        "indicators.indicator.create",
        "admin",
        "亿元",
    )
