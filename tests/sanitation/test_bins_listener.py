"""The smart bins' listener against the real Mosquitto broker: published weighings become
drop-offs, acknowledged after the commit (the sensors' listener machinery)."""

import threading
import time

import pytest

from jiedao.accounts.permissions import SYSTEM
from jiedao.sanitation import services
from jiedao.sanitation.bins import WeighingListener
from jiedao.sanitation.models import DropOff
from tests.factories import GridFactory
from tests.sensors.broker import broker, publish_all, publisher, unique  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_published_weighings_become_drop_offs(broker, publisher):  # noqa: F811
    grid = GridFactory()
    subdistrict = grid.community.subdistrict
    compound = services.compound_create(
        actor=SYSTEM, grid_code=grid.code, name="桶小区", code="TXQ"
    )
    point = services.collection_point_create(
        actor=SYSTEM, compound_id=compound.pk, name="1号投放点", responsible_party="物业"
    )
    bin_code = unique("BIN")
    services.smart_bin_register(
        actor=SYSTEM, collection_point_id=point.pk, code=bin_code, waste_class="other"
    )
    account = services.household_register(
        actor=SYSTEM, compound_id=compound.pk, address="1幢101室", contact_name="桶户"
    )
    listener = WeighingListener(client_id=unique("test-bins"), session_expiry=0)
    stop = threading.Event()
    thread = threading.Thread(target=listener.run, kwargs={"stop": stop})
    thread.start()
    try:
        assert listener.subscribed.wait(timeout=20)
        topic = f"jiedao/{subdistrict.code}/bins/{bin_code}/weighings"
        payload = (
            '{{"id": "{id}", "account": "{account}", "weight_kg": 2.2, "correct": false, '
            '"ts": "2026-11-20T19:00:00+08:00"}}'
        )
        publish_all(
            publisher,
            [
                (topic, payload.format(id=f"{bin_code}-1", account=account.number).encode()),
                (topic, payload.format(id=f"{bin_code}-1", account=account.number).encode()),
                (topic, payload.format(id=f"{bin_code}-2", account=account.number).encode()),
            ],
        )
        deadline = time.monotonic() + 20
        while listener.stats.messages < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop.set()
        thread.join(timeout=20)

    assert (listener.stats.messages, listener.stats.new, listener.stats.duplicates) == (3, 2, 1)
    assert sorted(
        DropOff.objects.filter(account=account).values_list(
            "message_id", "waste_class", "is_correct"
        )
    ) == [(f"{bin_code}-1", "other", False), (f"{bin_code}-2", "other", False)]
