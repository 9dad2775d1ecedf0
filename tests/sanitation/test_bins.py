"""Smart bins: a weighing message is a drop-off recorded through the inspector's service, a
redelivered one changes nothing, a bad one is refused with its reason and leaves the rest of
the batch."""

import json
from decimal import Decimal

from jiedao.sanitation.bins import weighings_ingest
from jiedao.sanitation.models import DropOff, PointsEntry, SmartBin
from jiedao.sensors.services import RawMessage

TOPIC = "jiedao/330109012/bins/SJMY-1-food/weighings"


def weighing(message_id, **overrides):
    body = {
        "id": message_id,
        "account": "SJMY-0025",
        "weight_kg": 1.25,
        "correct": True,
        "ts": "2026-11-20T07:30:00+08:00",
    }
    body.update(overrides)
    return RawMessage(topic=overrides.pop("topic", TOPIC), payload=json.dumps(body).encode())


def test_a_weighing_is_a_drop_off_of_the_bins_class_with_its_points(account):
    result = weighings_ingest(messages=[weighing("m-1")])

    drop_off = DropOff.objects.get(message_id="m-1")
    assert (result.new, result.rejected) == (1, 0)
    assert (
        drop_off.account,
        drop_off.waste_class,
        drop_off.weight_kg,
        drop_off.source,
        drop_off.smart_bin.code,
        drop_off.collection_point.name,
    ) == (account, "food", Decimal("1.250"), "smart_bin", "SJMY-1-food", "1号投放点")
    assert PointsEntry.objects.filter(drop_off=drop_off).get().points == 2
    assert SmartBin.objects.get(code="SJMY-1-food").last_seen_at is not None


def test_a_redelivered_weighing_changes_nothing(account):
    weighings_ingest(messages=[weighing("m-2")])

    again = weighings_ingest(messages=[weighing("m-2"), weighing("m-2")])

    assert (again.new, again.duplicates) == (0, 2)
    assert DropOff.objects.filter(message_id="m-2").count() == 1


def test_bad_weighings_are_refused_and_leave_the_rest_of_the_batch(account):
    batch = [
        weighing("bad-1", weight_kg=-3),
        weighing("bad-2", weight_kg=900),
        weighing("bad-3", account="SJMY-9999"),
        RawMessage(topic=TOPIC, payload=b"{not json"),
        weighing("bad-4", correct="yes"),
        RawMessage(topic="jiedao/330109012/bins/NOPE/weighings", payload=weighing("bad-5").payload),
        weighing("good-1"),
    ]

    result = weighings_ingest(messages=batch)

    assert (result.new, result.rejected) == (1, 6)
    assert result.reasons[:3] == [
        "重量（公斤）必须大于 0 公斤。",
        "重量（公斤） 900 公斤超过 50 公斤：请检查秤和数字。",
        "账户号“SJMY-9999”不存在：请核对卡上的号码。",
    ]
    assert list(
        DropOff.objects.filter(message_id__in=["good-1", "bad-1", "bad-3"]).values_list(
            "message_id", flat=True
        )
    ) == ["good-1"]
