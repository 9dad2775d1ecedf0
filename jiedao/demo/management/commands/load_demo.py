from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from jiedao.demo.services import demo_load


class Command(BaseCommand):
    help = "Load the Wenyan demo (geography, departments, one user per role). Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        result = demo_load()
        if not result["created"]:
            self.stdout.write(_("The Wenyan demo is already loaded."))
            return
        self.stdout.write(
            _(
                "Loaded the Wenyan demo: %(communities)s communities and villages, "
                "%(grids)s grids, %(departments)s departments, %(users)s users."
            )
            % result
        )
