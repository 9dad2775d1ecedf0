"""``make bench``: run every benchmark on a throw-away database and print one table.

Usage: python -m bench [name ...]   (names: lookup, open311, intake, figures, sensors, bulk, cockpit; default all
but intake, whose target issue 16 replaced by open311's: the events API beside a plain Open311
server rather than beside a bare ORM insert)
"""

import os
import sys

import django

BENCHMARKS = ["lookup", "open311", "figures", "sensors", "bulk", "cockpit"]


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiedao.config.settings.base")
    django.setup()
    from importlib import import_module

    from .runner import bench_database, print_table

    names = argv or BENCHMARKS
    results = []
    for name in names:
        module = import_module(f"bench.{name}")
        print(f"running {name}…", file=sys.stderr, flush=True)
        # Each benchmark gets a database of its own: the 50,000 lookup cells would otherwise
        # cover Wenyan and send the intake benchmark's reports to the wrong subdistrict.
        with bench_database():
            results.extend(module.run())
    print_table(results)
    return 0 if all(r.passed is not False for r in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
