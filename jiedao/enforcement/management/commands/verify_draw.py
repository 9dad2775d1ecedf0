from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jiedao.accounts.permissions import SYSTEM
from jiedao.core.errors import ApplicationError
from jiedao.enforcement import selectors
from jiedao.enforcement.services import draw_targets


class Command(BaseCommand):
    help = (
        "Draw a 双随机 action again from its recorded seed and pool and say whether it picks the "
        "targets the action inspects (exit status 1 when it does not)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            action = selectors.action_get(user=SYSTEM, action_id=options["action_id"])
        except ApplicationError as error:
            raise CommandError(str(error.message)) from None
        if not action.draw_seed or action.draw_size is None:
            raise CommandError("This action is not a random draw.")
        drawn = draw_targets(action.draw_seed, action.draw_pool, action.draw_size)
        inspected = sorted(action.inspections.values_list("target_id", flat=True))
        self.stdout.write(f"seed {action.draw_seed}, pool {len(action.draw_pool)}, drawn {drawn}")
        if drawn != inspected:
            raise CommandError(f"The action inspects {inspected}, not the draw.")
        self.stdout.write("reproduced")
