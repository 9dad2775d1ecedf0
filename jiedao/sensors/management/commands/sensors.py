from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jiedao.accounts.permissions import SYSTEM
from jiedao.core.errors import ApplicationError
from jiedao.geo.models import Subdistrict

from ...listener import DEFAULT_CLIENT_ID, TOPIC, Listener, ListenerStats
from ...selectors import device_alarm_codes
from ...services import alarms_follow_up, devices_import
from ...simulator import simulate


class Command(BaseCommand):
    help = (
        "Sensors. `sensors listen` takes device alarms from the MQTT broker (MQTT_URL) until "
        "stopped; `sensors simulate --rate N --duration S [--repeat-share 0.7]` publishes "
        "traffic for the devices; `sensors follow-up` makes the events of alarms past their "
        "minimum active time and brings recoveries to their events (the listener does so "
        "itself); `sensors import FILE --subdistrict CODE` imports devices from "
        "CSV or Excel, all or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("operation", choices=["listen", "simulate", "follow-up", "import"])
        parser.add_argument("file", nargs="?", help="import: the CSV or .xlsx file")
        parser.add_argument("--subdistrict", default="", help="the subdistrict's code")
        parser.add_argument("--client-id", default=DEFAULT_CLIENT_ID)
        parser.add_argument("--topic", default=TOPIC)
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--batch-ms", type=int, default=200)
        parser.add_argument("--session-expiry", type=int, default=7 * 24 * 3600)
        parser.add_argument("--idle-exit", type=float, default=None, help=argparse_hidden())
        parser.add_argument("--rate", type=float, default=50.0)
        parser.add_argument("--duration", type=float, default=10.0)
        parser.add_argument("--repeat-share", type=float, default=0.7)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        operation = options["operation"]
        if operation == "listen":
            self.listen(options)
        elif operation == "simulate":
            self.simulate(options)
        elif operation == "follow-up":
            done = alarms_follow_up(limit=None)
            self.stdout.write(
                f"Raised {done.events_created} events, brought {done.recoveries} recoveries."
            )
        else:
            self.import_devices(options)

    def listen(self, options: dict[str, Any]) -> None:
        def report(stats: ListenerStats) -> None:
            self.stdout.write(
                f"batch {stats.batches}: {stats.messages} messages, {stats.new} new, "
                f"{stats.duplicates} duplicates, {stats.dead_letters} dead letters, "
                f"{stats.alarms_raised} alarms, {stats.events_created} events, "
                f"{stats.recoveries} recoveries",
            )
            self.stdout.flush()

        def ready() -> None:
            # Tests and supervisors wait for this line before they publish.
            self.stdout.write("Subscribed.")
            self.stdout.flush()

        listener = Listener(
            client_id=options["client_id"],
            topic=options["topic"],
            batch_size=options["batch_size"],
            batch_ms=options["batch_ms"],
            on_batch=report,
            on_follow_up=report,
            on_ready=ready,
            session_expiry=options["session_expiry"],
        )
        self.stdout.write(f"Listening on {listener.host}:{listener.port} {listener.topic}")
        self.stdout.flush()
        try:
            listener.run(idle_exit=options["idle_exit"])
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")

    def simulate(self, options: dict[str, Any]) -> None:
        devices = device_alarm_codes(options["subdistrict"])
        if not devices:
            raise CommandError("No devices to simulate: load the demo or import devices first.")
        if not 0 <= options["repeat_share"] < 1:
            raise CommandError("--repeat-share must be at least 0 and below 1.")
        traffic = simulate(
            devices=devices,
            rate=options["rate"],
            duration=options["duration"],
            repeat_share=options["repeat_share"],
            seed=options["seed"],
        )
        self.stdout.write(
            f"Published {traffic.published} messages: {traffic.raised} alarms raised, "
            f"{traffic.repeats} repeats, {traffic.cleared} recoveries, {traffic.malformed} "
            f"malformed, {traffic.unknown} for unknown devices."
        )

    def import_devices(self, options: dict[str, Any]) -> None:
        if not options["file"]:
            raise CommandError("Name the file to import.")
        subdistrict = Subdistrict.objects.filter(code=options["subdistrict"]).first()
        if subdistrict is None:
            raise CommandError(f"Unknown subdistrict “{options['subdistrict']}”.")
        path = Path(options["file"])
        try:
            created = devices_import(
                actor=SYSTEM,
                subdistrict=subdistrict,
                file_name=path.name,
                content=path.read_bytes(),
            )
        except ApplicationError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(f"Imported {len(created)} devices.")


def argparse_hidden() -> str:
    # Tests and the benchmark stop the listener once the traffic is over.
    return "stop after this many idle seconds (tests, benchmarks)"
