from typing import Any

from django.core.management.base import BaseCommand

from jiedao.demo.services import demo_load


class Command(BaseCommand):
    help = "Load the Wenyan demo (geography, departments, one user per role). Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        result = demo_load()
        if not result["created"]:
            self.stdout.write("The Wenyan demo is already loaded.")
            return
        self.stdout.write(
            "Loaded the Wenyan demo: {communities} communities and villages, {grids} grids, "
            "{departments} departments, {users} users.".format(**result)
        )
