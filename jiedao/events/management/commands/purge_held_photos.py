from typing import Any

from django.core.management.base import BaseCommand

from jiedao.events.held import held_purge


class Command(BaseCommand):
    help = (
        "Remove the photos held for refused report forms once their tokens have expired "
        "(EVENT_HELD_PHOTO_SECONDS); holding new photos does it too."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        removed = held_purge()
        self.stdout.write(f"{removed}")
