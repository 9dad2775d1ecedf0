"""HTTP intake on PostgreSQL: the real WSGI app under gunicorn, fed authenticated event reports,
beside the bare ORM insert rate of the same Event rows measured in the same run.

Two measurements, each on its own:

* **capacity** — a closed loop: ``CONNECTIONS`` clients each send the next report as soon as the
  last one is answered, for ``CAPACITY_SECONDS``. Events created per second is what the server
  sustains; it is compared with the bare insert rate.
* **latency at a fixed rate** — an open loop: report *i* is due at ``start + i / RATE`` and sent
  then, whatever happened to the others; its latency runs from that moment to the end of the
  answer, so a server that falls behind is charged for the queueing, not hidden by it.

The load generator is asyncio in this process (one short TCP connection per request: gunicorn's
sync workers close the connection after each answer). Everything talks to 127.0.0.1 only and is
bounded in time.
"""

import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .runner import Result, median, percentile

RATE = int(os.environ.get("BENCH_INTAKE_RATE", "200"))  # requests per second, fixed
DURATION = 15  # seconds of fixed-rate load
CAPACITY_SECONDS = 10
GRACE = 15  # seconds after the last due time before unsent requests are given up
REQUEST_TIMEOUT = 60  # seconds for one answer (gunicorn's own worker timeout)
WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", str(max(2, 2 * (os.cpu_count() or 1)))))
CONNECTIONS = 2 * WORKERS  # closed-loop clients: enough to keep every worker busy
ORM_ROWS = 3000
POINTS = 5000
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
    # Reports from all over the subdistrict, as the grid workers send them: a few thousand
    # places, so that a report near an open one of the same category is as rare as in life.
    rng = random.Random(11)
    grids = list(Grid.objects.order_by("code"))
    per_grid = POINTS // len(grids) + 1
    points = [point for grid in grids for point in _points_in(grid, rng, per_grid)]
    rng.shuffle(points)
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


async def _post(port: int, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    """One HTTP/1.1 POST on a connection of its own; (status, body), status 0 on a failure."""
    try:
        reader, writer = await asyncio.open_connection(HOST, port)
    except OSError:
        return 0, b""
    lines = [f"POST {path} HTTP/1.1", f"Host: {HOST}:{port}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines.append(f"Content-Length: {len(body)}")
    try:
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        # The server closes the connection after its answer.
        response = await asyncio.wait_for(reader.read(), timeout=REQUEST_TIMEOUT)
    except (OSError, TimeoutError):
        return 0, b""
    finally:
        writer.close()
    head, _separator, payload = response.partition(b"\r\n\r\n")
    try:
        return int(head.split(b" ", 2)[1]), payload
    except (IndexError, ValueError):
        return 0, b""


def _token(port: int, username: str, password: str) -> str:
    body = json.dumps({"username": username, "password": password, "name": "bench"}).encode()
    status, payload = asyncio.run(
        _post(port, "/api/accounts/tokens", body, {"Content-Type": "application/json"})
    )
    if status not in (200, 201):
        raise RuntimeError(f"token request failed: {status} {payload[:300]!r}")
    return str(json.loads(payload)["token"])


@dataclass
class Load:
    """The reports to send, and what came back."""

    port: int
    token: str
    points: list[tuple[float, float]]
    sent: int = 0
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)

    def next_report(self) -> bytes:
        n = self.sent
        self.sent += 1
        rng = random.Random(n)
        lat, lng = self.points[n % len(self.points)]
        return json.dumps(
            {
                "category": rng.choice(CATEGORIES),
                "description": f"基准测试上报 {n}",
                "lat": lat,
                "lng": lng,
                "address": "三江路1号",
            }
        ).encode()

    async def send(self, body: bytes, since: float) -> None:
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {self.token}",
            "Idempotency-Key": uuid.uuid4().hex,
        }
        status, _payload = await _post(self.port, "/api/events/", body, headers)
        self.latencies.append(time.perf_counter() - since)
        self.statuses[status] = self.statuses.get(status, 0) + 1

    def created(self) -> int:
        return self.statuses.get(201, 0)


async def _closed_loop(load: Load, clients: int, seconds: float) -> float:
    """``clients`` clients sending back to back for ``seconds``; the elapsed time."""
    start = time.perf_counter()
    stop = start + seconds

    async def client() -> None:
        while time.perf_counter() < stop:
            await load.send(load.next_report(), time.perf_counter())

    await asyncio.gather(*(client() for _ in range(clients)))
    return time.perf_counter() - start


async def _open_loop(load: Load, rate: int, seconds: int) -> float:
    """Report *i* sent at ``start + i / rate`` whatever the server does; the elapsed time."""
    total = rate * seconds
    start = time.perf_counter() + 0.2
    give_up = start + seconds + GRACE
    tasks = []
    for index in range(total):
        due = start + index / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        if time.perf_counter() > give_up:
            load.statuses[-1] = load.statuses.get(-1, 0) + total - index  # given up
            break
        tasks.append(asyncio.ensure_future(load.send(load.next_report(), due)))
    await asyncio.gather(*tasks)
    return max(time.perf_counter() - start, seconds)


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


def _summary(name: str, load: Load, elapsed: float) -> None:
    statuses = ", ".join(
        f"{'given up' if code == -1 else code}: {count}"
        for code, count in sorted(load.statuses.items())
    )
    print(
        f"intake {name}: {load.created()} created of {load.sent} sent in {elapsed:.1f} s; "
        f"statuses {statuses}; gunicorn workers {WORKERS}",
        file=sys.stderr,
    )


def run() -> list[Result]:
    world = _load_world()
    port = _free_port()
    server = _server(port)
    try:
        token = _token(port, world["username"], world["password"])
        # Each worker builds its grid index and caches on its first requests: start-up cost,
        # not intake. Then the two measurements, each with fresh counters.
        asyncio.run(_closed_loop(Load(port, token, world["points"]), CONNECTIONS, 2))
        capacity = Load(port, token, world["points"][1000:])
        capacity_elapsed = asyncio.run(_closed_loop(capacity, CONNECTIONS, CAPACITY_SECONDS))
        fixed = Load(port, token, world["points"][3000:])
        fixed_elapsed = asyncio.run(_open_loop(fixed, RATE, DURATION))
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    _summary("capacity", capacity, capacity_elapsed)
    _summary(f"at {RATE}/s", fixed, fixed_elapsed)
    bare = _bare_orm_rate()
    achieved = capacity.created() / capacity_elapsed
    p50 = median(fixed.latencies) * 1000
    p95 = percentile(fixed.latencies, 0.95) * 1000
    all_created = fixed.created() == RATE * DURATION
    return [
        Result(
            f"HTTP intake capacity, {CONNECTIONS} clients back to back (gunicorn ×{WORKERS})",
            achieved,
            "events/s",
            "bare Event.objects.create loop",
            bare,
            "≥ 35% of reference",
            achieved >= 0.35 * bare and capacity.created() == len(capacity.latencies),
        ),
        Result(
            f"HTTP intake at a fixed {RATE}/s for {DURATION} s: created",
            fixed.created(),
            "events",
            target=f"all {RATE * DURATION}",
            passed=all_created,
        ),
        Result(f"HTTP intake at {RATE}/s: latency p50", p50, "ms", target="", passed=None),
        Result(
            f"HTTP intake at {RATE}/s: latency p95", p95, "ms", target="≤ 50 ms", passed=p95 <= 50
        ),
    ]
