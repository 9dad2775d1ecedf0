"""Open311 and the events API under gunicorn on PostgreSQL, beside a plain Open311 server.

The reference is :mod:`bench.reference`, a stand-in for Helsinki's issue-reporting server (plain
ORM inserts: seven statements per POST in autocommit, no transaction, no audit), run under the
same gunicorn with the same number of workers against the same database, one server at a time.
Each figure is measured for both in this run:

* **CPU per POST** — a closed loop of ``CLIENTS`` clients for ``CAPACITY_SECONDS``: the user and
  system time of the gunicorn processes and of the PostgreSQL backends serving the benchmark's
  database (``/proc/<pid>/stat``), divided by the requests answered; the same loop gives the
  **capacity** (answered requests per second).
* **statements per POST** — one POST through Django's test client, statements counted (Jiedao
  in this process, the reference in a process of its own settings). Jiedao's audit sealing runs
  in the background once per ``AUDIT_SEAL_DELAY``; its statements are spread over the POSTs of
  that interval and counted in the CPU figure, not in this one.
* **latency at a fixed rate** — an open loop (see :mod:`bench.intake`): Open311 POSTs at
  ``POST_RATE``/s, and the events API's reports at ``INTAKE_RATE``/s beside the reference's POST
  at the same rate.
* **GET newest 100 of 100,000** — after ``HISTORY`` requests are written to each (bulk), the
  median time of the newest 100, and the statements it runs.
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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self
from urllib.parse import urlencode

from .intake import CATEGORIES, HOST, ROOT, Load, _free_port, _load_world, _open_loop, _post, _token
from .runner import Result, median, percentile

WORKERS = 2
CLIENTS = 8
CAPACITY_SECONDS = 10
POST_RATE = 80
INTAKE_RATE = 100
DURATION = 15
HISTORY = int(os.environ.get("BENCH_OPEN311_HISTORY", "100000"))
GET_SAMPLES = 30
KEYS = 4  # a key allows at most 10,000 requests a minute: the load spreads over several
TICKS = os.sysconf("SC_CLK_TCK")


# --- the servers --------------------------------------------------------------------------------


def _database_url() -> str:
    from django.db import connection

    settings_dict = connection.settings_dict
    return (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or HOST}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )


def _environment(settings_module: str) -> dict[str, str]:
    from django.db import connection

    environment = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DEBUG": "false",
        "ALLOWED_HOSTS": HOST,
        "LOG_LEVEL": "WARNING",
        "DATABASE_CONN_MAX_AGE": "600",
        "OPEN311_REQUESTS_PER_MINUTE_PER_IP": "1000000",
    }
    if connection.settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = connection.settings_dict["PASSWORD"]
    return environment


@dataclass
class Server:
    name: str
    application: str
    settings_module: str
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Self:
        self.port = _free_port()
        command = [
            str(Path(sys.executable).with_name("gunicorn")),
            self.application,
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(WORKERS),
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ]
        self.process = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=_environment(self.settings_module)
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection((HOST, self.port), timeout=0.5):
                    return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"{self.name}: gunicorn exited before listening") from None
                time.sleep(0.2)
        self.process.kill()
        raise RuntimeError(f"{self.name}: gunicorn did not start within 60 s")

    def __exit__(self, *exc: object) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def pids(self) -> list[int]:
        assert self.process is not None
        return [self.process.pid, *_children(self.process.pid)]


def _children(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            found.append(int(entry.name))
    return found


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # utime and stime: fields 14 and 15 of stat, 12 and 13 after the command name.
    return (int(fields[11]) + int(fields[12])) / TICKS


def _backend_pids() -> list[int]:
    """The PostgreSQL backends connected to the benchmark's database, but this process's."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


@dataclass
class CpuMeter:
    """CPU seconds of the server's processes and its database backends over a measurement."""

    server: Server
    start: dict[str, dict[int, float]] = field(default_factory=dict)

    def __enter__(self) -> Self:
        self.start = self._sample()
        return self

    def _sample(self) -> dict[str, dict[int, float]]:
        return {
            "app": {pid: _cpu_seconds(pid) for pid in self.server.pids()},
            "database": {pid: _cpu_seconds(pid) for pid in _backend_pids()},
        }

    def __exit__(self, *exc: object) -> None:
        end = self._sample()
        self.used = {
            part: sum(
                seconds - self.start[part].get(pid, 0.0) for pid, seconds in end[part].items()
            )
            for part in end
        }


# --- the load -----------------------------------------------------------------------------------


@dataclass
class Open311Load(Load):
    """Open311 POSTs (form-encoded, the spec's arguments) instead of the events API's JSON."""

    keys: list[str] = field(default_factory=list)

    def next_report(self) -> bytes:
        n = self.sent
        self.sent += 1
        rng = random.Random(n)
        lat, lng = self.points[n % len(self.points)]
        return urlencode(
            {
                "api_key": self.keys[n % len(self.keys)],
                "service_code": rng.choice(CATEGORIES),
                "lat": f"{lat:.6f}",
                "long": f"{lng:.6f}",
                "description": f"基准测试 Open311 {uuid.uuid4().hex[:12]}",
                "address_string": "三江路1号",
            }
        ).encode()

    async def send(self, body: bytes, since: float) -> None:
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        status, _payload = await _post(self.port, "/open311/v2/requests.json", body, headers)
        self.latencies.append(time.perf_counter() - since)
        self.statuses[status] = self.statuses.get(status, 0) + 1


async def _closed_loop(load: Load, clients: int, seconds: float) -> float:
    start = time.perf_counter()
    stop = start + seconds

    async def client() -> None:
        while time.perf_counter() < stop:
            await load.send(load.next_report(), time.perf_counter())

    await asyncio.gather(*(client() for _ in range(clients)))
    return time.perf_counter() - start


async def _get(port: int, path: str) -> tuple[int, float]:
    start = time.perf_counter()
    reader, writer = await asyncio.open_connection(HOST, port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode())
    response = await reader.read()
    writer.close()
    elapsed = time.perf_counter() - start
    return int(response.split(b" ", 2)[1]), elapsed


def _get_median(port: int, path: str) -> float:
    for _ in range(3):  # each worker's caches, once
        asyncio.run(_get(port, path))
    timings = []
    for _ in range(GET_SAMPLES):
        status, elapsed = asyncio.run(_get(port, path))
        if status != 200:
            raise RuntimeError(f"GET {path}: {status}")
        timings.append(elapsed)
    return median(timings) * 1000


@dataclass
class PostFigures:
    capacity: float = 0.0
    cpu_app_ms: float = 0.0
    cpu_database_ms: float = 0.0
    p95_ms: float = 0.0
    answered_at_rate: int = 0
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def cpu_ms(self) -> float:
        return self.cpu_app_ms + self.cpu_database_ms


def _measure_posts(server: Server, make_load: Callable[[int], Load], rate: int) -> PostFigures:
    figures = PostFigures()
    asyncio.run(_closed_loop(make_load(server.port), CLIENTS, 2))  # warm-up: caches, backends
    capacity = make_load(server.port)
    with CpuMeter(server) as meter:
        elapsed = asyncio.run(_closed_loop(capacity, CLIENTS, CAPACITY_SECONDS))
    answered = sum(count for status, count in capacity.statuses.items() if status in (200, 201))
    figures.capacity = answered / elapsed
    figures.cpu_app_ms = meter.used["app"] / max(answered, 1) * 1000
    figures.cpu_database_ms = meter.used["database"] / max(answered, 1) * 1000
    fixed = make_load(server.port)
    asyncio.run(_open_loop(fixed, rate, DURATION))
    figures.p95_ms = percentile(fixed.latencies, 0.95) * 1000
    figures.answered_at_rate = sum(
        count for status, count in fixed.statuses.items() if status in (200, 201)
    )
    figures.statuses = {**capacity.statuses}
    for status, count in fixed.statuses.items():
        figures.statuses[status] = figures.statuses.get(status, 0) + count
    print(f"{server.name}: statuses {figures.statuses}", file=sys.stderr)
    return figures


# --- the two sides -----------------------------------------------------------------------------


def _reference(*arguments: str) -> str:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.reference", *arguments],
        cwd=ROOT,
        env=_environment("bench.reference.settings"),
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def _jiedao_keys() -> list[str]:
    from jiedao.accounts.models import Role, User
    from jiedao.open311.services import api_key_issue

    administrator = User.objects.filter(role=Role.ADMINISTRATOR).first()
    return [
        api_key_issue(actor=administrator, name=f"bench {n}", rate_limit_per_minute=10000).key
        for n in range(KEYS)
    ]


def _jiedao_statements(key: str, point: tuple[float, float]) -> tuple[int, int]:
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    post = {
        "api_key": key,
        "service_code": "E0101",
        "lat": str(point[0]),
        "long": str(point[1]),
    }
    client.post("/open311/v2/requests.json", {**post, "description": "预热"})
    # Every request empties the statement log (Django's request_started): start from empty, or
    # the count is cut short.
    reset_queries()
    with CaptureQueriesContext(connection) as posted:
        response = client.post(
            "/open311/v2/requests.json", {**post, "description": uuid.uuid4().hex}
        )
    # Counted now: captured_queries reads the connection's log when asked, and the next request
    # empties that log.
    post_statements = len(posted.captured_queries)
    if response.status_code != 201:
        raise RuntimeError(f"Open311 POST: {response.status_code} {response.content[:300]!r}")
    client.get("/open311/v2/requests.json", {"limit": "100"})
    reset_queries()
    with CaptureQueriesContext(connection) as listed:
        client.get("/open311/v2/requests.json", {"limit": "100"})
    return post_statements, len(listed.captured_queries)


def _jiedao_history(count: int) -> None:
    """``count`` past events, bulk-inserted (the Open311 list reads them, it never wrote them):
    spread over the last 80 days, a quarter still open."""
    from datetime import timedelta

    from django.utils import timezone

    from jiedao.events.models import Category, Event
    from jiedao.events.workflow import Source, Status
    from jiedao.geo.models import Department, Grid

    grids = list(Grid.objects.select_related("community"))
    categories = list(Category.objects.filter(code__in=CATEGORIES))
    centre = Department.objects.get(code="command-centre")
    now = timezone.now()
    batch: list[Event] = []
    for number in range(count):
        grid = grids[number % len(grids)]
        at = now - timedelta(seconds=80 * 86400 * (number + 1) / count)
        batch.append(
            Event(
                number=f"HIST-{number:07d}",
                subdistrict_id=grid.community.subdistrict_id,
                source=Source.GRID_PATROL,
                category=categories[number % len(categories)],
                description=f"基准测试历史 {number}",
                lat=30.12,
                lng=120.21,
                address="三江路1号",
                grid=grid,
                community=grid.community,
                status=Status.REPORTED if number % 4 == 0 else Status.CLOSED,
                responsible_department=centre,
                created_at=at,
                last_action_at=at,
            )
        )
        if len(batch) == 5000:
            Event.objects.bulk_create(batch)
            batch = []
    Event.objects.bulk_create(batch)


def run() -> list[Result]:
    world = _load_world()
    points = world["points"]
    keys = _jiedao_keys()
    reference_key = uuid.uuid4().hex
    _reference("setup", reference_key, *CATEGORIES)
    jiedao_post_statements, _ = _jiedao_statements(keys[0], points[0])
    counted = _reference("count", reference_key, "E0101", str(points[0][0]), str(points[0][1]))
    reference_statements = json.loads(counted)

    jiedao = Server("Jiedao", "jiedao.config.wsgi:application", "jiedao.config.settings.base")
    reference = Server("reference", "bench.reference.wsgi:application", "bench.reference.settings")
    with jiedao:
        token = _token(jiedao.port, world["username"], world["password"])
        j_post = _measure_posts(
            jiedao, lambda port: Open311Load(port, "", points[500:], keys=keys), POST_RATE
        )
        asyncio.run(_closed_loop(Load(jiedao.port, token, points[2000:]), CLIENTS, 2))
        intake = Load(jiedao.port, token, points[2500:])
        asyncio.run(_open_loop(intake, INTAKE_RATE, DURATION))
    with reference:
        r_post = _measure_posts(
            reference,
            lambda port: Open311Load(port, "", points[500:], keys=[reference_key]),
            POST_RATE,
        )
        r_intake = Open311Load(reference.port, "", points[2500:], keys=[reference_key])
        asyncio.run(_open_loop(r_intake, INTAKE_RATE, DURATION))

    _jiedao_history(HISTORY)
    _reference("seed", str(HISTORY))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    _, jiedao_get_statements = _jiedao_statements(keys[0], points[1])
    newest = "/open311/v2/requests.json?limit=100"
    default_page = "/open311/v2/requests.json"
    with jiedao:
        j_get = _get_median(jiedao.port, newest)
        j_default = _get_median(jiedao.port, default_page)
    with reference:
        r_get = _get_median(reference.port, newest)
        r_default = _get_median(reference.port, default_page)

    intake_p95 = percentile(intake.latencies, 0.95) * 1000
    r_intake_p95 = percentile(r_intake.latencies, 0.95) * 1000
    name = f"(gunicorn ×{WORKERS})"
    return [
        Result(
            f"Open311 POST: CPU per POST, app + PostgreSQL {name}",
            j_post.cpu_ms,
            "ms",
            "reference stand-in",
            r_post.cpu_ms,
            "≤ 7 ms",
            j_post.cpu_ms <= 7,
        ),
        Result(
            "  of which the app / PostgreSQL",
            j_post.cpu_app_ms,
            "ms",
            "reference app",
            r_post.cpu_app_ms,
            f"PostgreSQL {j_post.cpu_database_ms:.1f} vs {r_post.cpu_database_ms:.1f} ms",
        ),
        Result(
            "Open311 POST: statements per POST",
            jiedao_post_statements,
            "",
            "reference stand-in",
            reference_statements["post"],
            "≤ 12",
            jiedao_post_statements <= 12,
        ),
        Result(
            f"Open311 POST: capacity, {CLIENTS} clients {name}",
            j_post.capacity,
            "req/s",
            "reference stand-in",
            r_post.capacity,
            "reported",
        ),
        Result(
            f"Open311 POST at a fixed {POST_RATE}/s: p95 {name}",
            j_post.p95_ms,
            "ms",
            "reference stand-in",
            r_post.p95_ms,
            "≤ 40 ms",
            j_post.p95_ms <= 40 and j_post.answered_at_rate == POST_RATE * DURATION,
        ),
        Result(
            f"events API intake at a fixed {INTAKE_RATE}/s: p95 {name}",
            intake_p95,
            "ms",
            f"reference POST at {INTAKE_RATE}/s",
            r_intake_p95,
            "≤ 50 ms",
            intake_p95 <= 50 and intake.created() == INTAKE_RATE * DURATION,
        ),
        Result(
            f"Open311 GET newest 100 of {HISTORY:,}: p50",
            j_get,
            "ms",
            "reference stand-in",
            r_get,
            "≤ 40 ms",
            j_get <= 40,
        ),
        Result(
            "Open311 GET newest 100: statements",
            jiedao_get_statements,
            "",
            "reference stand-in",
            reference_statements["get"],
            "constant (tests: 3 vs 300 rows)",
        ),
        Result(
            f"Open311 GET default page (1,000 of 90 days) of {HISTORY:,}: p50",
            j_default,
            "ms",
            "reference stand-in",
            r_default,
            "reported",
        ),
    ]
