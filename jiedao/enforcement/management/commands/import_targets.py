from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jiedao.accounts.permissions import SYSTEM
from jiedao.core.errors import ApplicationError
from jiedao.enforcement.importers import MAX_BYTES, parse_targets
from jiedao.enforcement.services import targets_import
from jiedao.geo.models import Subdistrict


class Command(BaseCommand):
    help = (
        "Import enforcement targets (执法对象) from an Excel workbook (.xlsx) or a CSV file whose "
        "first row names the columns. All or nothing: a wrong row imports nothing and every "
        "wrong row is printed with its column."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The register: .xlsx or .csv")
        parser.add_argument(
            "--subdistrict", default="", help="Subdistrict code (needed when there are several)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        subdistricts = Subdistrict.objects.all()
        if options["subdistrict"]:
            subdistricts = subdistricts.filter(code=options["subdistrict"])
        if subdistricts.count() != 1:
            raise CommandError("Name the subdistrict with --subdistrict CODE.")
        try:
            with path.open("rb") as handle:
                rows = parse_targets(path.name, handle.read(MAX_BYTES + 1))
            created = targets_import(actor=SYSTEM, rows=rows, subdistrict=subdistricts.get())
        except ApplicationError as error:
            for problem in error.extra.get("errors", []):
                self.stderr.write(f"{problem['row']}\t{problem['column']}\t{problem['message']}")
            raise CommandError(str(error.message)) from None
        self.stdout.write(f"{len(created)}")
