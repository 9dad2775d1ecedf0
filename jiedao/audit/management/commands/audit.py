from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jiedao.audit.services import audit_verify


class Command(BaseCommand):
    help = "Work with the audit trail. `audit verify` checks the hash chain of every entry."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("operation", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_verify()
        if not report.is_intact:
            where = f"entry #{report.broken_entry_id}: " if report.broken_entry_id else ""
            raise CommandError(
                f"Audit chain BROKEN after {report.entry_count} entries: {where}{report.problem}"
            )
        self.stdout.write(
            f"Audit chain intact: {report.entry_count} entries, head {report.head_hash}"
        )
