"""HTTP intake on PostgreSQL: the real WSGI app under gunicorn, fed authenticated event reports at
a fixed rate, beside the bare ORM insert rate of the same Event rows measured in the same run.

The load generator is a pool of threads in this process, each with its own keep-alive
``http.client`` connection; request *i* is due at ``start + i / RATE`` and its latency is counted
from that moment (so a server that falls behind is charged for the queueing, not hidden by it).
Everything talks to 127.0.0.1 only and is bounded in time.
"""

import http.client
import json
import os
import queue
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from .runner import Result, median, percentile

RATE = int(os.environ.get("BENCH_INTAKE_RATE", "200"))  # requests per second, fixed
DURATION = 15  # seconds
GRACE = 15  # seconds after the last due time before unsent requests are dropped
THREADS = int(os.environ.get("BENCH_INTAKE_THREADS", "48"))
WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", str(max(2, 2 * (os.cpu_count() or 1)))))
ORM_ROWS = 3000
HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parent.parent
CATEGORIES = [
    "E0101", "E0102", "E0103", "E0104", "E0105", "E0106", "E0201", "E0202", "E0301", "E0302",
    "C0101", "C0102", "C0103", "C0104", "E0401", "E0402", "E0501", "E0502", "E0503", "E0601",
    "E0602", "E0701", "E0702", "E0801", "E0802", "E0803", "E0804",
]  # fmt: skip


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _load_world() -> dict[str, Any]:
    from django.conf import settings

    from jiedao.demo.services import demo_load
    from jiedao.demo.wenyan import DEMO_PASSWORD
    from jiedao.events.demo import _points_in
    from jiedao.geo.lookup import grids_changed
    from jiedao.geo.models import Grid

    settings.DEMO_EVENTS = False  # geography, departments, users and the catalogue only
    demo_load()
    grids_changed()
    # Reports from all over the subdistrict, as the grid workers send them (duplicates are rare).
    rng = random.Random(11)
    points = [point for grid in Grid.objects.order_by("code") for point in _points_in(grid, rng, 8)]
    return {"username": "wangge", "password": DEMO_PASSWORD, "points": points}


def _server(port: int) -> subprocess.Popen[bytes]:
    from django.db import connection

    settings_dict = connection.settings_dict
    url = (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or HOST}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "jiedao.config.settings.base",
        "DEBUG": "false",
        "ALLOWED_HOSTS": HOST,
        "LOG_LEVEL": "WARNING",
        "DATABASE_CONN_MAX_AGE": "600",
    }
    if settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = settings_dict["PASSWORD"]
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "jiedao.config.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(WORKERS),
        "--log-level",
        "warning",
        "--timeout",
        "60",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=environment)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return process
        except OSError:
            if process.poll() is not None:
                raise RuntimeError("gunicorn exited before listening") from None
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start within 60 s")


def _token(port: int, username: str, password: str) -> str:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    body = json.dumps({"username": username, "password": password, "name": "bench"})
    connection.request(
        "POST", "/api/accounts/tokens", body=body, headers={"Content-Type": "application/json"}
    )
    response = connection.getresponse()
    payload = json.loads(response.read())
    connection.close()
    if response.status not in (200, 201):
        raise RuntimeError(f"token request failed: {response.status} {payload}")
    return str(payload["token"])


def _warm_up(port: int, token: str, points: list[tuple[float, float]]) -> None:
    """A few reports per worker first: each worker builds its grid index and caches on its first
    requests, which is start-up cost, not intake."""
    threads = []
    for n in range(WORKERS * 3):

        def send(n: int = n) -> None:
            connection = http.client.HTTPConnection(HOST, port, timeout=60)
            lat, lng = points[n % len(points)]
            body = json.dumps({"category": "E0101", "description": "预热", "lat": lat, "lng": lng})
            headers = {
                "Content-Type": "application/json",
                "Authorization": f"Bearer {token}",
                "Idempotency-Key": uuid.uuid4().hex,
            }
            connection.request("POST", "/api/events/", body=body, headers=headers)
            connection.getresponse().read()
            connection.close()

        threads.append(threading.Thread(target=send))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)


def _load(port: int, token: str, points: list[tuple[float, float]]) -> dict[str, Any]:
    """Send RATE requests a second for DURATION seconds; latency from each request's due time."""
    total = RATE * DURATION
    due: queue.Queue[int | None] = queue.Queue()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    rng = random.Random(5)
    bodies = [
        json.dumps(
            {
                "category": rng.choice(CATEGORIES),
                "description": f"基准测试上报 {n}",
                "lat": points[n % len(points)][0],
                "lng": points[n % len(points)][1],
                "address": "三江路1号",
            }
        )
        for n in range(total)
    ]
    start = time.perf_counter() + 0.5

    def worker() -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        while True:
            index = due.get()
            if index is None:
                break
            scheduled = start + index / RATE
            delay = scheduled - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            elif time.perf_counter() > start + DURATION + GRACE:
                # The server fell far behind: stop rather than run on, and say so.
                with lock:
                    statuses[-1] = statuses.get(-1, 0) + 1
                continue
            headers = {
                "Content-Type": "application/json",
                "Authorization": f"Bearer {token}",
                "Idempotency-Key": uuid.uuid4().hex,
            }
            try:
                connection.request("POST", "/api/events/", body=bodies[index], headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
                status = 0
            finished = time.perf_counter()
            with lock:
                latencies.append(finished - scheduled)
                statuses[status] = statuses.get(status, 0) + 1
        connection.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for index in range(total):
        due.put(index)
    for _ in threads:
        due.put(None)
    for thread in threads:
        thread.join(timeout=DURATION + GRACE + 60)
    elapsed = max(time.perf_counter() - start, DURATION)
    return {"latencies": latencies, "statuses": statuses, "elapsed": elapsed}


def _bare_orm_rate() -> float:
    """Event.objects.create in a loop: the same row, no HTTP, no services, autocommit."""
    from django.utils import timezone

    from jiedao.events.models import Category, Event
    from jiedao.geo.models import Department, Grid

    grid = Grid.objects.select_related("community").get(code="330109012001001")
    category = Category.objects.get(code="E0101")
    department = Department.objects.get(code="command-centre")
    prefix = uuid.uuid4().hex[:8]
    start = time.perf_counter()
    for n in range(ORM_ROWS):
        now = timezone.now()
        Event.objects.create(
            number=f"ORM-{prefix}-{n}",
            subdistrict_id=grid.community.subdistrict_id,
            source="grid_patrol",
            category=category,
            description=f"基准测试上报 {n}",
            lat=30.12,
            lng=120.21,
            address="三江路1号",
            grid=grid,
            community=grid.community,
            responsible_department=department,
            created_at=now,
            last_action_at=now,
        )
    return ORM_ROWS / (time.perf_counter() - start)


def run() -> list[Result]:
    world = _load_world()
    port = _free_port()
    server = _server(port)
    try:
        token = _token(port, world["username"], world["password"])
        _warm_up(port, token, world["points"])
        outcome = _load(port, token, world["points"])
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    from jiedao.events.models import Event

    created = Event.objects.filter(description__startswith="基准测试上报").count()
    bare = _bare_orm_rate()
    latencies = outcome["latencies"]
    ok = outcome["statuses"].get(201, 0)
    achieved = ok / outcome["elapsed"]
    p50 = median(latencies) * 1000
    p95 = percentile(latencies, 0.95) * 1000
    statuses = ", ".join(
        f"{'dropped' if code == -1 else code}: {count}"
        for code, count in sorted(outcome["statuses"].items())
    )
    print(
        f"intake: {ok} created ({created} rows) of {RATE * DURATION} sent in "
        f"{outcome['elapsed']:.1f} s; statuses {statuses}; gunicorn workers {WORKERS}",
        file=sys.stderr,
    )
    return [
        Result(
            f"HTTP intake at {RATE}/s for {DURATION} s (gunicorn ×{WORKERS})",
            achieved,
            "events/s",
            "bare Event.objects.create loop",
            bare,
            "≥ 35% of reference",
            achieved >= 0.35 * bare and ok == RATE * DURATION,
        ),
        Result("HTTP intake latency p50", p50, "ms", target="", passed=None),
        Result("HTTP intake latency p95", p95, "ms", target="≤ 50 ms", passed=p95 <= 50),
    ]
