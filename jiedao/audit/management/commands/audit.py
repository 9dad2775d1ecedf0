from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tasks import TaskResultStatus

from jiedao.audit.anchors import anchor_file
from jiedao.audit.services import ChainReport, audit_verify
from jiedao.audit.tasks import anchor_trail, seal_trail


class Command(BaseCommand):
    help = (
        "Work with the audit trail. `audit verify` checks the hash chain of every entry and the "
        "trail against the signed anchors, and says up to where it is sealed; `audit seal` "
        "chains the entries committed since the last seal (the application asks for it after "
        "every commit; run it from cron as a safety net); `audit anchor` seals, then appends a "
        "signed checkpoint of the trail's head to AUDIT_ANCHOR_FILE (run it every few minutes)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("operation", choices=["verify", "seal", "anchor"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["operation"] == "anchor":
            self.anchor()
        elif options["operation"] == "seal":
            self.seal()
        else:
            self.verify()

    def anchor(self) -> None:
        result = anchor_trail.enqueue()
        if result.status == TaskResultStatus.FAILED:
            details = "\n".join(error.traceback for error in result.errors)
            raise CommandError(f"Anchoring the audit trail failed:\n{details}")
        if result.status != TaskResultStatus.SUCCESSFUL:
            self.stdout.write(f"Enqueued the audit anchoring job {result.id}.")
            return
        anchor = result.return_value or {}
        self.stdout.write(
            f"Anchored the audit trail at {anchor['anchored_at']}: {anchor['entry_count']} "
            f"entries up to #{anchor['entry_id']}, head {anchor['entry_hash']} "
            f"(anchor {anchor['line']} in {anchor_file()})."
        )

    def seal(self) -> None:
        result = seal_trail.enqueue()
        if result.status == TaskResultStatus.FAILED:
            details = "\n".join(error.traceback for error in result.errors)
            raise CommandError(f"Sealing the audit trail failed:\n{details}")
        if result.status != TaskResultStatus.SUCCESSFUL:
            self.stdout.write(f"Enqueued the audit sealing job {result.id}.")
            return
        sealed = result.return_value or {}
        self.stdout.write(
            f"Sealed {sealed['sealed']} entries: the chain has {sealed['entry_count']} entries, "
            f"head {sealed['head_hash']}."
        )

    def verify(self) -> None:
        report = audit_verify()
        if not report.is_intact:
            where = f"entry #{report.broken_entry_id}: " if report.broken_entry_id else ""
            raise CommandError(
                f"Audit chain BROKEN after {report.entry_count} entries: {where}{report.problem}"
            )
        self.stdout.write(
            f"Audit chain intact: {report.entry_count} entries, head {report.head_hash}"
        )
        self.stdout.write(self._sealed(report))
        if report.anchors:
            last = report.anchors[-1]
            self.stdout.write(
                f"It agrees with the {len(report.anchors)} anchors in {anchor_file()}, the last "
                f"of {last.anchored_at} ({last.entry_count} entries)."
            )
        else:
            # Without anchors the owner of the tables could rewrite the chain unnoticed.
            self.stderr.write(
                f"Warning: no anchors in {anchor_file()}: run `jiedao audit anchor` every few "
                "minutes so that a rewritten or emptied trail is detected."
            )

    @staticmethod
    def _sealed(report: ChainReport) -> str:
        if report.sealed_up_to is None:
            sealed = "Nothing is sealed yet"
        else:
            until = report.sealed_until.isoformat(timespec="seconds") if report.sealed_until else ""
            sealed = f"Sealed up to entry #{report.sealed_up_to} of {until}"
        if not report.unsealed_count:
            return f"{sealed}; every entry is sealed."
        oldest = (
            report.oldest_unsealed_at.isoformat(timespec="seconds")
            if report.oldest_unsealed_at
            else ""
        )
        return (
            f"{sealed}; {report.unsealed_count} entries await sealing (the oldest of {oldest}), "
            "each checked against its own hash."
        )
