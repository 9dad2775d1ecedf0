"""Smart bins: drop-offs weighed by the bin and reported over MQTT.

A bin publishes each drop-off at QoS 1 on ``jiedao/<subdistrict code>/bins/<bin code>/weighings``
as JSON: ``{"id": "<message id>", "account": "SJMY-0001", "weight_kg": 1.25, "correct": true,
"ts": "2026-11-29T07:30:00+08:00"}`` — the account read from the card or QR code the household
shows, the weight, and whether the bin's check found the waste sorted correctly. The class is
the bin's own.

The sensors app's listener (:class:`jiedao.sensors.listener.Listener`) does the MQTT work: a
persistent session, manual acknowledgement after the batch's commit, reconnection with
back-off. :class:`WeighingListener` is that listener on the bins' topic, applying each batch
with :func:`weighings_ingest`, which records each new message through the same service as the
inspector's page (:func:`~jiedao.sanitation.services.drop_off_record`, acting as the system) and
recognises a redelivered one by its id. A message that cannot be applied (unknown bin or
account, an absurd weight, bad JSON) is counted, logged with its reason and acknowledged: the
broker would only send it again unchanged.
"""

import json
import logging
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import DatabaseError, close_old_connections, transaction
from django.utils import timezone

from jiedao.accounts.permissions import SYSTEM
from jiedao.core.errors import ApplicationError
from jiedao.sensors.listener import Delivery, Listener
from jiedao.sensors.services import RawMessage

from . import services
from .models import DropOff, SmartBin

logger = logging.getLogger(__name__)

TOPIC = "jiedao/+/bins/+/weighings"
TOPIC_PATTERN = re.compile(r"^jiedao/(?P<subdistrict>[^/]+)/bins/(?P<bin>[^/]+)/weighings$")
CLIENT_ID = "jiedao-sanitation-bins"
MESSAGE_ID_MAX = 100


@dataclass
class WeighingResult:
    messages: int = 0
    new: int = 0
    duplicates: int = 0
    rejected: int = 0
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Weighing:
    message_id: str
    subdistrict_code: str
    bin_code: str
    account: str
    weight_kg: object
    is_correct: bool
    sent_at: datetime


class Rejected(Exception):
    """A bin message that cannot become a drop-off (its reason is the message)."""


def parse(message: RawMessage) -> Weighing:
    match = TOPIC_PATTERN.match(message.topic)
    if match is None:
        raise Rejected(f"topic {message.topic[:200]}")
    try:
        body = json.loads(message.payload)
    except (UnicodeDecodeError, ValueError) as error:
        raise Rejected(f"not JSON: {error}") from error
    if not isinstance(body, dict):
        raise Rejected("not an object")
    message_id = body.get("id")
    if not isinstance(message_id, str) or not 0 < len(message_id) <= MESSAGE_ID_MAX:
        raise Rejected("id")
    account = body.get("account")
    if not isinstance(account, str) or not account:
        raise Rejected("account")
    weight = body.get("weight_kg")
    if isinstance(weight, bool) or not isinstance(weight, int | float | str):
        raise Rejected("weight_kg")
    correct = body.get("correct")
    if not isinstance(correct, bool):
        raise Rejected("correct")
    stamp = body.get("ts")
    try:
        sent_at = datetime.fromisoformat(stamp) if isinstance(stamp, str) else None
    except ValueError:
        sent_at = None
    if sent_at is None or sent_at.utcoffset() is None:
        raise Rejected("ts")
    return Weighing(
        message_id=message_id,
        subdistrict_code=match["subdistrict"],
        bin_code=match["bin"],
        account=account,
        weight_kg=weight,
        is_correct=correct,
        sent_at=sent_at,
    )


def weighings_ingest(*, messages: Sequence[RawMessage]) -> WeighingResult:
    """Apply one batch of bin messages; never raises on input. Each message is applied in a
    savepoint of its own, so that one refused message leaves the others of the batch."""
    result = WeighingResult(messages=len(messages))
    with transaction.atomic():
        for message in messages:
            try:
                weighing = parse(message)
                if DropOff.objects.filter(message_id=weighing.message_id).exists():
                    result.duplicates += 1
                    continue
                bin_ = (
                    SmartBin.objects.filter(
                        code=weighing.bin_code,
                        collection_point__compound__subdistrict__code=weighing.subdistrict_code,
                        is_active=True,
                    )
                    .select_related("collection_point")
                    .first()
                )
                if bin_ is None:
                    raise Rejected(f"unknown bin {weighing.bin_code[:64]}")
                # A bin's clock a little ahead of the server's must not make a record "future".
                moment = min(weighing.sent_at, timezone.now())
                with transaction.atomic():
                    services.drop_off_record(
                        actor=SYSTEM,
                        collection_point_id=bin_.collection_point_id,
                        account_number=weighing.account,
                        waste_class=bin_.waste_class,
                        weight_kg=weighing.weight_kg,
                        is_correct=weighing.is_correct,
                        at=moment,
                        smart_bin=bin_,
                        message_id=weighing.message_id,
                    )
                    SmartBin.objects.filter(pk=bin_.pk).update(last_seen_at=timezone.now())
                result.new += 1
            except (Rejected, ApplicationError) as refusal:
                result.rejected += 1
                reason = getattr(refusal, "message", None) or str(refusal)
                result.reasons.append(str(reason))
                logger.warning("smart bin message refused (%s): %s", reason, message.topic[:200])
    return result


class WeighingListener(Listener):
    """The sensors' MQTT listener on the smart bins' topic, applying batches of weighings."""

    def __init__(self, **options: object) -> None:
        options.setdefault("client_id", CLIENT_ID)
        options.setdefault("topic", TOPIC)
        super().__init__(**options)  # type: ignore[arg-type]

    def follow_up(self, budget: float | None = None) -> bool:
        """Nothing: the sensors' alarms and their events are the sensors listener's follow-up,
        and two listeners taking the same alarms would only contend for them."""
        return False

    def _apply(self, batch: list[Delivery]) -> None:
        delay = 1.0
        while True:
            try:
                close_old_connections()
                result = weighings_ingest(messages=[delivery.message for delivery in batch])
                break
            except DatabaseError as error:
                self.stats.failures += 1
                logger.warning("weighings not applied (%s); retrying in %ss", error, delay)
                close_old_connections()
                time.sleep(delay)
                delay = min(delay * 2, 60.0)
        for delivery in batch:
            if delivery.generation == self.generation and delivery.qos > 0:
                self.client.ack(delivery.mid, delivery.qos)
        self.stats.batches += 1
        self.stats.messages += result.messages
        self.stats.new += result.new
        self.stats.duplicates += result.duplicates
        self.stats.dead_letters += result.rejected
        if self.on_batch is not None:
            self.on_batch(self.stats)
