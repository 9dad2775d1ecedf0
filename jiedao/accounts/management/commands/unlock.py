from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jiedao.accounts.models import User
from jiedao.accounts.permissions import SYSTEM
from jiedao.accounts.services import user_unlock


class Command(BaseCommand):
    help = (
        "End a sign-in lockout now: `jiedao unlock USERNAME` forgets the account's failed "
        "sign-ins from every address (recorded in the audit trail)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user is called {options['username']!r}.")
        failures = user_unlock(actor=SYSTEM, user=user)
        self.stdout.write(f"Unlocked {user.get_username()}: {failures} failed sign-ins forgotten.")
