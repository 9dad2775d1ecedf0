"""The commands: ``sensors import`` (the same service as the page and the API) and
``sensors simulate`` against the real broker; ``sensors follow-up``."""

import threading
from io import StringIO
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from django.core.management import CommandError, call_command
from paho.mqtt.enums import CallbackAPIVersion

from jiedao.sensors.models import Device

from .broker import unique

pytestmark = pytest.mark.usefixtures("wenyan_demo")


def test_import_command_is_all_or_nothing(tmp_path: Path) -> None:
    device = Device.objects.get(code="WY-SM-001")
    table = tmp_path / "devices.csv"
    table.write_text(
        "code,name,kind,lat,lng,department\n"
        f"WY-CMD-1,命令导入1,smoke-detector,{device.lat},{device.lng},safety\n"
        f"WY-CMD-2,命令导入2,no-such-kind,{device.lat},{device.lng},safety\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as raised:
        call_command("sensors", "import", str(table), "--subdistrict", "330109012")
    assert "3" in str(raised.value)
    assert not Device.objects.filter(code__startswith="WY-CMD").exists()
    table.write_text(table.read_text().replace("no-such-kind", "smoke-detector"))
    out = StringIO()
    call_command("sensors", "import", str(table), "--subdistrict", "330109012", stdout=out)
    assert out.getvalue() == "Imported 2 devices.\n"
    assert Device.objects.filter(code__startswith="WY-CMD").count() == 2


def test_follow_up_command_makes_the_events_and_recoveries_the_batches_left() -> None:
    from jiedao.sensors.models import Alarm
    from jiedao.sensors.services import messages_ingest

    from .helpers import message

    messages_ingest(
        messages=[
            message("t-cmd-1", "WY-SM-002", "smoke"),
            message("t-cmd-2", "WY-WQ-002", "water-quality"),
        ]
    )
    messages_ingest(messages=[message("t-cmd-3", "WY-WQ-002", "water-quality", "cleared")])
    out = StringIO()
    call_command("sensors", "follow-up", stdout=out)
    assert out.getvalue() == "Raised 2 events, brought 1 recoveries.\n"
    closed = Alarm.objects.get(device__code="WY-WQ-002")
    assert (closed.state, closed.event.status, closed.recovery_pending) == (
        "cleared",
        "closed",
        False,
    )
    out = StringIO()
    call_command("sensors", "follow-up", stdout=out)
    assert out.getvalue() == "Raised 0 events, brought 0 recoveries.\n"


def test_simulate_publishes_the_traffic_it_reports(broker: tuple[str, int]) -> None:
    received: list[bytes] = []
    subscribed = threading.Event()
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=unique("test-count"))
    client.on_message = lambda _c, _u, message: received.append(message.payload)
    client.on_subscribe = lambda *_args: subscribed.set()
    client.on_connect = lambda c, *_args: c.subscribe("jiedao/330109012/devices/+/alarms", qos=1)
    client.connect(*broker)
    client.loop_start()
    try:
        assert subscribed.wait(10)
        out = StringIO()
        call_command(
            "sensors", "simulate", "--rate", "200", "--duration", "1", "--seed", "5", stdout=out
        )
        deadline = threading.Event()
        for _ in range(100):
            if len(received) >= 200:
                break
            deadline.wait(0.05)
    finally:
        client.loop_stop()
        client.disconnect()
    # seeded: the same traffic every run (70 % of the well-formed messages repeat an alarm)
    assert out.getvalue() == (
        "Published 200 messages: 36 alarms raised, 128 repeats, 30 recoveries, 4 malformed, "
        "2 for unknown devices.\n"
    )
    assert len(received) == 200


def test_simulate_refuses_a_repeat_share_of_one(broker: tuple[str, int]) -> None:
    with pytest.raises(CommandError):
        call_command("sensors", "simulate", "--repeat-share", "1")
