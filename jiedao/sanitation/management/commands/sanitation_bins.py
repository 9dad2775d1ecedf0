"""``jiedao sanitation-bins listen``: take the smart bins' weighings from the MQTT broker."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jiedao.sensors.listener import ListenerStats

from ...bins import CLIENT_ID, TOPIC, WeighingListener


class Command(BaseCommand):
    help = (
        "Smart bins. `sanitation-bins listen` takes the bins' weighings from the MQTT broker "
        "(MQTT_URL) on jiedao/<subdistrict>/bins/<bin>/weighings until stopped, each a drop-off "
        "recorded through the same service as the inspector's page."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("operation", choices=["listen"])
        parser.add_argument("--client-id", default=CLIENT_ID)
        parser.add_argument("--topic", default=TOPIC)
        parser.add_argument("--batch-size", type=int, default=200)
        parser.add_argument("--batch-ms", type=int, default=200)
        parser.add_argument("--idle-exit", type=float, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        def report(stats: ListenerStats) -> None:
            self.stdout.write(
                f"batch {stats.batches}: {stats.messages} messages, {stats.new} new, "
                f"{stats.duplicates} duplicates, {stats.dead_letters} refused"
            )
            self.stdout.flush()

        def ready() -> None:
            self.stdout.write("Subscribed.")
            self.stdout.flush()

        listener = WeighingListener(
            client_id=options["client_id"],
            topic=options["topic"],
            batch_size=options["batch_size"],
            batch_ms=options["batch_ms"],
            on_batch=report,
            on_ready=ready,
        )
        listener.run(idle_exit=options["idle_exit"])
