"""Benchmark plumbing: a throw-away database, timing helpers and the result table.

Each benchmark measures Jiedao beside a reference measured in the same run on the same machine
(e.g. our point → grid lookup beside a bare shapely STRtree query), so the ratio means something
even though absolute numbers depend on the machine.
"""

import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    name: str
    value: float
    unit: str
    reference_name: str = ""
    reference_value: float | None = None
    target: str = ""
    passed: bool | None = None

    @property
    def ratio(self) -> str:
        if not self.reference_value:
            return ""
        return f"{self.value / self.reference_value:.0%}"


def rate(function: Callable[[], object], count: int) -> float:
    """Calls per second of ``function`` over ``count`` calls."""
    start = time.perf_counter()
    for _ in range(count):
        function()
    return count / (time.perf_counter() - start)


def best_of(function: Callable[[], object], repeat: int = 5) -> float:
    """The fastest of ``repeat`` runs, in seconds (the least disturbed by other work)."""
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return min(timings)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def median(values: list[float]) -> float:
    return statistics.median(values)


@contextmanager
def bench_database() -> Iterator[None]:
    """A fresh database (test_<name>), migrated, dropped at the end."""
    from django.db import connection

    from jiedao.config.process import forget_process_caches

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    forget_process_caches()
    try:
        yield
    finally:
        from jiedao.audit.sealing import flush_announcements

        # Seal what the benchmark wrote while its database is there: the process's sealer would
        # otherwise try it at exit, in the database the settings name again.
        flush_announcements()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        forget_process_caches()


def print_table(results: list[Result]) -> None:
    headers = ["benchmark", "Jiedao", "reference", "reference value", "ratio", "target", "ok"]
    rows = [
        [
            r.name,
            f"{r.value:,.1f} {r.unit}",
            r.reference_name,
            "" if r.reference_value is None else f"{r.reference_value:,.1f} {r.unit}",
            r.ratio,
            r.target,
            "" if r.passed is None else ("yes" if r.passed else "NO"),
        ]
        for r in results
    ]
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows, strict=False)]
    line = " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    print(line)
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=True)))
    print(f"\nmachine: {os.cpu_count()} cores; database: {database_label()}")


def database_label() -> str:
    from django.db import connection

    return f"{connection.vendor} {connection.settings_dict['HOST'] or ''}".strip()
