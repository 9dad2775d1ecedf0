"""The ``jiedao`` console command: Django's manage.py plus the product's own commands.

``jiedao audit verify``, ``jiedao load-demo``, ``jiedao runserver`` … Hyphens in a command name
are accepted for underscores, so ``jiedao load-demo`` runs the ``load_demo`` command.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiedao.config.settings.base")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
