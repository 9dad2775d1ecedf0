"""12345 bulk import: ``jiedao events import`` of N work orders beside a raw PostgreSQL ``COPY``
of the very rows it wrote into the same tables, and the time of a large import.

The work orders are a benchmark fixture: N rows of a 12345 export (CSV, the Chinese headers)
over the demo's grids (coordinates), catalogue and departments — nine in ten closed with a
satisfaction, one in ten still open. The import reads and checks the file, places each order in
its grid, computes its deadlines on the working calendar and writes events, timeline steps and
one audit entry per batch. The reference then copies exactly the event and step rows the import
wrote (``COPY … TO`` into memory, the tables emptied, ``COPY … FROM`` timed): the bare cost of
putting those rows into those tables with their indexes.

``BENCH_BULK_ROWS`` (100,000) sets N for the comparison, ``BENCH_BULK_LARGE`` (1,000,000) the
size of the timed large import (0 skips it).
"""

import csv
import io
import os
import random
import sys
import time
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from .runner import Result

ROWS = int(os.environ.get("BENCH_BULK_ROWS", "100000"))
LARGE = int(os.environ.get("BENCH_BULK_LARGE", "1000000"))
BATCH = 5000
HEADER = [
    "工单编号",
    "受理时间",
    "诉求内容",
    "诉求类型",
    "地址",
    "经度",
    "纬度",
    "承办单位",
    "办结时间",
    "满意度",
]
FIRST = datetime(2021, 1, 1, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _world() -> dict[str, Any]:
    from django.conf import settings

    from jiedao.demo.services import demo_load
    from jiedao.events.models import Category
    from jiedao.geo.geometry import parse_boundary
    from jiedao.geo.models import Grid

    settings.DEMO_EVENTS = settings.DEMO_SENSORS = settings.DEMO_COMMUNITY = False
    demo_load()
    points = []
    for grid in Grid.objects.filter(is_active=True):
        point = parse_boundary(grid.boundary).representative_point()
        points.append((point.x, point.y))
    categories = list(
        Category.objects.filter(
            parent__isnull=False, is_active=True, default_department__isnull=False
        ).values_list("name", "default_department__name")
    )
    return {"points": points, "categories": categories}


def _file(world: dict[str, Any], count: int, prefix: str) -> bytes:
    rng = random.Random(count)
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADER)
    for n in range(count):
        received = FIRST + timedelta(seconds=rng.randrange(700 * 86400))
        lng, lat = rng.choice(world["points"])
        category, department = rng.choice(world["categories"])
        closed = rng.random() < 0.9
        writer.writerow(
            [
                f"{prefix}{n:08d}",
                received.strftime("%Y-%m-%d %H:%M:%S"),
                "市民来电反映的问题，基准测试工单",
                category,
                "闻堰街道某路某号",
                f"{lng:.6f}",
                f"{lat:.6f}",
                department,
                (received + timedelta(hours=rng.uniform(1, 72))).strftime("%Y-%m-%d %H:%M:%S")
                if closed
                else "",
                rng.choice(["满意", "满意", "基本满意", "不满意", ""]) if closed else "",
            ]
        )
    return text.getvalue().encode("utf-8")


def _import(content: bytes) -> tuple[float, Any]:
    from jiedao.accounts.permissions import SYSTEM
    from jiedao.events.importing import work_orders_import

    start, cpu = time.perf_counter(), time.process_time()
    report = work_orders_import(
        actor=SYSTEM, stream=io.BytesIO(content), name="bench.csv", batch_size=BATCH
    )
    elapsed = time.perf_counter() - start
    # The machine may be shared: the import's own CPU time (every thread of this process; the
    # database's share is on top) and the load it ran under say how far the wall time is ours.
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(
        f"  bulk: {report.created:,} imported in {elapsed:.1f} s, "
        f"{time.process_time() - cpu:.1f} s CPU of this process, load average {load}",
        file=sys.stderr,
        flush=True,
    )
    assert report.created > 0, report
    assert not report.rejected, report.rejected[:3]
    return elapsed, report


def _copy_reference() -> float:
    """Seconds to COPY the event and step rows now in the tables back into them, emptied."""
    from django.db import connection

    tables = ["events_event", "events_eventstep"]
    dumps: dict[str, bytes] = {}
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for table in tables:
            buffer = io.BytesIO()
            with raw.copy(f"COPY {table} TO STDOUT") as copy:
                for chunk in copy:
                    buffer.write(chunk)
            dumps[table] = buffer.getvalue()
        cursor.execute("TRUNCATE events_eventstep, events_event CASCADE")
        start = time.perf_counter()
        for table in tables:
            with raw.copy(f"COPY {table} FROM STDIN") as copy:
                copy.write(dumps[table])
        elapsed = time.perf_counter() - start
    return elapsed


def run() -> list[Result]:
    world = _world()
    print(f"  bulk: {ROWS:,} work orders…", file=sys.stderr, flush=True)
    content = _file(world, ROWS, "B")
    imported, _report = _import(content)
    copied = _copy_reference()
    results = [
        Result(
            name=f"12345 import, {ROWS:,} work orders",
            value=ROWS / imported,
            unit="orders/s",
            reference_name="raw COPY of the same rows",
            reference_value=ROWS / copied,
            target="≥ 30 % of COPY",
            passed=copied / imported >= 0.30,
        )
    ]
    if LARGE:
        print(f"  bulk: {LARGE:,} work orders…", file=sys.stderr, flush=True)
        content = _file(world, LARGE, "L")
        elapsed, _report = _import(content)
        results.append(
            Result(
                name=f"12345 import, {LARGE:,} work orders",
                value=elapsed,
                unit="s",
                target="< 60 s for 1,000,000",
                passed=elapsed < 60 if LARGE >= 1_000_000 else None,
            )
        )
    return results
