import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from jiedao.core.errors import ApplicationError
from jiedao.indicators.extraction import Extraction, Figure, extract_file


class Command(BaseCommand):
    help = (
        "Indicators. `extract FILE [--json]`: repairs a narrative report (mojibake, pinyin "
        "annotations, traditional characters) and lists the figures in it, with their names, "
        "base-unit values, units and stated year-on-year changes, and the places it could not "
        "read. Writes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        extract = commands.add_parser(
            "extract", help="List the figures of a report file; write nothing."
        )
        extract.add_argument("file", help="The report, as a text file (UTF-8 or GBK).")
        extract.add_argument(
            "--json", action="store_true", help="Print the repaired text and figures as JSON."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            extraction = extract_file(options["file"])
        except ApplicationError as error:
            raise CommandError(str(error.message)) from None
        if options["json"]:
            self.stdout.write(json.dumps(extraction.as_json(), ensure_ascii=False, indent=2))
            return
        self._print_table(extraction)

    def _print_table(self, extraction: Extraction) -> None:
        self.stdout.write(_("Figures: %(count)d") % {"count": len(extraction.figures)})
        for figure in extraction.figures:
            self.stdout.write(
                "\t".join(
                    [
                        figure.name or _("(no name)"),
                        f"{figure.as_json()['value']} {figure.unit}".rstrip(),
                        _change(figure),
                        figure.sentence,
                    ]
                )
            )
        self.stdout.write(_("Unreadable places: %(count)d") % {"count": len(extraction.unreadable)})
        for place in extraction.unreadable:
            self.stdout.write(
                "\t".join(
                    [
                        extraction.text[place.start : place.end],
                        place.explanation,
                        place.sentence,
                    ]
                )
            )


def _change(figure: Figure) -> str:
    if figure.yoy_percent is None:
        return "—"
    text = figure.as_json()["yoy_percent"]
    return _("year on year %(change)s%%") % {"change": text if text.startswith("-") else f"+{text}"}
