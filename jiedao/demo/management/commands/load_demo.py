from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from jiedao.demo.services import demo_load
from jiedao.portal.demo import portal_demo_codes


class Command(BaseCommand):
    help = "Load the Wenyan demo (geography, departments, one user per role). Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        result = demo_load()
        if not result["created"]:
            self.stdout.write(_("The Wenyan demo is already loaded."))
        else:
            self.stdout.write(
                _(
                    "Loaded the Wenyan demo: %(communities)s communities and villages, "
                    "%(grids)s grids, %(departments)s departments, %(users)s users."
                )
                % result
            )
        # A resident's reports on the portal: what a visitor types at /public/follow/.
        for number, code in portal_demo_codes():
            self.stdout.write(
                _("Residents' portal: tracking number %(number)s, follow code %(code)s.")
                % {"number": number, "code": code}
            )
