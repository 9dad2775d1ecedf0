"""The staff list page (``/events/all/``) over the figures benchmark's events: the whole page
through Django's test client (middleware, selector, template), signed in as a dispatcher (the
whole subdistrict), a grid worker and a department's handler, over the list's filters and its
second page (keyset cursor). The p95 of all requests, beside the p95 of a bare keyset
``SELECT`` of one page on the same rows.
"""

import re
import sys
import time
from typing import Any

from .runner import Result, median, percentile

REPEAT = 5
TARGET_SECONDS = 0.1


def _urls() -> list[tuple[str, str]]:
    from jiedao.events.models import Category
    from jiedao.geo.models import Department, Grid

    category = Category.objects.filter(parent__isnull=False).order_by("code").first()
    grid = Grid.objects.order_by("code").first()
    department = Department.objects.exclude(code="command-centre").order_by("code").first()
    assert category is not None
    assert grid is not None
    assert department is not None
    base = "/events/all/"
    return [
        ("zhihui", base),
        ("zhihui", f"{base}?status=all"),
        ("zhihui", f"{base}?status=closed"),
        ("zhihui", f"{base}?status=rejected"),
        ("zhihui", f"{base}?status=reported"),
        ("zhihui", f"{base}?status=all&category={category.code}"),
        ("zhihui", f"{base}?status=all&grid={grid.code}"),
        ("zhihui", f"{base}?status=all&department={department.code}"),
        ("zhihui", f"{base}?status=all&source=hotline_12345"),
        ("zhihui", f"{base}?warning=red"),
        ("zhihui", f"{base}?status=all&from=2022-03-01&until=2022-03-07"),
        ("zhihui", f"{base}?status=all&q=B00000042"),
        ("wangge", base),
        ("chengguan", base),
    ]


def _bare_page() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT * FROM events_event WHERE subdistrict_id = (SELECT min(id) FROM geo_subdistrict) "
            "ORDER BY created_at DESC, id DESC LIMIT 31"
        )
        cursor.fetchall()


def measure(size: int) -> list[Result]:
    from django.conf import settings
    from django.test import Client, override_settings

    # The test client's host, and static files without the collected manifest.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"], STORAGES=storages
    ):
        return _measure(size, Client)


def _measure(size: int, client_class: Any) -> list[Result]:
    from jiedao.accounts.models import User

    clients: dict[str, Any] = {}
    timings: list[float] = []
    slowest = ("", 0.0)
    for username, url in _urls():
        if username not in clients:
            clients[username] = client_class()
            clients[username].force_login(User.objects.get(username=username))
        client = clients[username]
        first = len(timings)
        for attempt in range(REPEAT + 1):
            start = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - start
            assert response.status_code == 200, (url, response.status_code)
            if attempt:  # the first warms the process's caches
                timings.append(elapsed)
                if elapsed > slowest[1]:
                    slowest = (f"{username} {url}", elapsed)
        print(
            f"  list {username} {url}: median {median(timings[first:]) * 1000:.0f} ms",
            file=sys.stderr,
        )
        found = re.search(r"cursor=([A-Za-z0-9_-]+)", response.content.decode())
        next_cursor = found.group(1) if found else None
        if next_cursor:
            separator = "&" if "?" in url else "?"
            for _ in range(REPEAT):
                start = time.perf_counter()
                assert client.get(f"{url}{separator}cursor={next_cursor}").status_code == 200
                timings.append(time.perf_counter() - start)
    bare = []
    for _ in range(len(timings)):
        start = time.perf_counter()
        _bare_page()
        bare.append(time.perf_counter() - start)
    p95 = percentile(timings, 0.95)
    return [
        Result(
            f"staff list page p95, {size:,} events ({len(timings)} requests over its filters, "
            f"pages 1 and 2; slowest {slowest[0]} {slowest[1] * 1000:.0f} ms)",
            p95 * 1000,
            "ms",
            "bare keyset SELECT of a page, p95",
            percentile(bare, 0.95) * 1000,
            "≤ 100 ms",
            p95 <= TARGET_SECONDS,
        )
    ]
