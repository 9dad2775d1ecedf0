"""``make chaos``: restart PostgreSQL under a load of reports and count what was lost.

Against a throw-away PostgreSQL cluster of its own (initdb into a temporary directory, another
port: the shared server is never touched), this script

1. migrates, loads the Wenyan demo and serves Jiedao with gunicorn (production settings, 3 sync
   workers, persistent connections with health checks, as deployed);
2. sends ``CHAOS_REPORTS`` reports (half through the API with a bearer token, half through
   Open311 with an API key), each with its own ``Idempotency-Key`` and retried with the same key
   until it is acknowledged (200/201) or ``CHAOS_GIVE_UP_SECONDS`` pass;
3. stops PostgreSQL once a third of the reports are acknowledged, keeps it down
   ``CHAOS_DOWN_SECONDS`` and starts it again, while the load goes on;
4. counts, in the database, each report's events and prints acknowledged / stored / lost /
   duplicated, and every answer during the outage by status.

It exits non-zero when an acknowledged report was lost, a report was stored twice, or any answer
was a 500. Run as root (the cluster runs as ``postgres``: initdb refuses root) or as a user who
may run PostgreSQL's binaries. Bounded: a few minutes at most.
"""

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"
PG_PORT = int(os.environ.get("CHAOS_PG_PORT", "5499"))
HTTP_PORT = int(os.environ.get("CHAOS_HTTP_PORT", "8499"))
REPORTS = int(os.environ.get("CHAOS_REPORTS", "120"))
CLIENTS = int(os.environ.get("CHAOS_CLIENTS", "6"))
WORKERS = int(os.environ.get("CHAOS_GUNICORN_WORKERS", "3"))
DOWN_SECONDS = float(os.environ.get("CHAOS_DOWN_SECONDS", "6"))
GIVE_UP_SECONDS = float(os.environ.get("CHAOS_GIVE_UP_SECONDS", "90"))
REQUEST_TIMEOUT = 30
MARKER = "混沌测试"  # starts every description sent, so that the count finds exactly ours


def log(message: str) -> None:
    print(f"[chaos {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- The throw-away PostgreSQL ----------------------------------------------------------------


def pg_bin() -> Path:
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"), key=lambda path: int(path.parent.name)
    )
    if not versions:
        sys.exit("chaos: no PostgreSQL binaries under /usr/lib/postgresql (set PG_BIN)")
    return versions[-1]


class Cluster:
    """A private cluster in ``directory``, run as ``postgres`` when this process is root."""

    def __init__(self, directory: Path) -> None:
        self.data = directory / "data"
        self.logfile = directory / "postgresql.log"
        self.bin = pg_bin()
        self.as_postgres = os.geteuid() == 0

    def run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)  # noqa: S603

    def create(self) -> None:
        self.data.mkdir()
        if self.as_postgres:
            shutil.chown(self.data.parent, "postgres")
            shutil.chown(self.data, "postgres")
        # Superuser "root", trusted on the loopback only: this cluster lives for one run.
        self.run("initdb", "-D", str(self.data), "-U", "root", "-A", "trust", "-E", "UTF8")

    def pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-p {PG_PORT} -k {self.data.parent} -h {HOST}"
        self.run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.logfile), "-o", options, "-w",
            *extra, action,
        )  # fmt: skip

    def start(self) -> None:
        self.pg_ctl("start")

    def stop(self) -> None:
        self.pg_ctl("stop", "-m", "fast")


# --- Jiedao on it -----------------------------------------------------------------------------


def jiedao_environment(directory: Path) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "jiedao.config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": f"postgres://root@{HOST}:{PG_PORT}/jiedao",
            "JIEDAO_VAR_DIR": str(directory / "var"),
            "ALLOWED_HOSTS": HOST,
            # Plain HTTP on the loopback: no TLS in front of this gunicorn.
            "SECURE_SSL_REDIRECT": "false",
            # The load comes from one address; the per-address limit is not under test here.
            "OPEN311_REQUESTS_PER_MINUTE_PER_IP": "100000",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    return environment


def jiedao(environment: dict[str, str], *args: str) -> None:
    subprocess.run([str(BIN / "jiedao"), *args], check=True, env=environment, cwd=ROOT)  # noqa: S603


SETUP = """
import json
from jiedao.accounts.models import User
from jiedao.demo.wenyan import DEMO_PASSWORD
from jiedao.events.models import Category
from jiedao.geo.geometry import parse_boundary
from jiedao.open311 import services
worker = User.objects.filter(role="grid_worker", grid__isnull=False).select_related("grid").first()
point = parse_boundary(worker.grid.boundary).representative_point()
admin = User.objects.filter(role="administrator").first()
key = services.api_key_issue(actor=admin, name="chaos", rate_limit_per_minute=10000).key
print(json.dumps({"username": worker.username, "password": DEMO_PASSWORD, "lat": point.y,
                  "lng": point.x, "open311_key": key}))
"""

COUNT = """
import json
from collections import Counter
from jiedao.events.models import Event
descriptions = Event.objects.filter(description__startswith=%r).values_list("description", flat=True)
print(json.dumps(Counter(description.split()[1] for description in descriptions)))
"""


def django_shell(environment: dict[str, str], code: str) -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603
        [str(BIN / "jiedao"), "shell", "-c", code],
        check=False,
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"jiedao shell failed:\n{done.stdout}\n{done.stderr}")
    answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


@contextmanager
def gunicorn(environment: dict[str, str], directory: Path) -> Iterator[None]:
    server = subprocess.Popen(  # noqa: S603
        [
            str(BIN / "gunicorn"), "jiedao.config.wsgi:application",
            "--workers", str(WORKERS), "--bind", f"{HOST}:{HTTP_PORT}", "--timeout", "60",
            "--error-logfile", str(directory / "gunicorn.log"),
        ],
        env=environment,
        cwd=ROOT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://{HOST}:{HTTP_PORT}/api/openapi.json"):
                    break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("gunicorn did not come up") from None
                time.sleep(0.5)
        yield
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


# --- The load ---------------------------------------------------------------------------------


@dataclass
class Answer:
    at: float
    status: int  # 0: no answer (connection refused or reset, timeout)


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    answers: list[Answer] = field(default_factory=list)
    acknowledged: set[str] = field(default_factory=set)
    given_up: set[str] = field(default_factory=set)

    def answer(self, status: int) -> None:
        with self.lock:
            self.answers.append(Answer(time.monotonic(), status))


def send(request: urllib.request.Request) -> tuple[int, dict[str, str]]:
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:  # noqa: S310
            response.read()
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        error.read()
        return error.code, dict(error.headers)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, {}


def report_request(
    number: int, key: str, world: dict[str, object], token: str
) -> urllib.request.Request:
    description = f"{MARKER} {key} 第{number}号：垃圾桶满溢"
    if number % 2:
        body = json.dumps(
            {
                "category": "E0101",
                "description": description,
                "lat": world["lat"],
                "lng": world["lng"],
            }
        ).encode()
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
        url = f"http://{HOST}:{HTTP_PORT}/api/events/"
    else:
        body = urllib.parse.urlencode(
            {
                "api_key": world["open311_key"],
                "service_code": "E0101",
                "lat": world["lat"],
                "long": world["lng"],
                "description": description,
            }
        ).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        url = f"http://{HOST}:{HTTP_PORT}/open311/v2/requests.json"
    return urllib.request.Request(  # noqa: S310 (http://127.0.0.1 only)
        url, data=body, headers={**headers, "Idempotency-Key": key}
    )


def report_until_acknowledged(
    number: int, world: dict[str, object], token: str, tally: Tally
) -> None:
    key = str(uuid.uuid4())
    give_up = time.monotonic() + GIVE_UP_SECONDS
    while True:
        status, headers = send(report_request(number, key, world, token))
        tally.answer(status)
        if status in (200, 201):
            with tally.lock:
                tally.acknowledged.add(key)
            return
        if time.monotonic() > give_up:
            with tally.lock:
                tally.given_up.add(key)
            return
        # Honour Retry-After, but probe often enough to see the recovery.
        time.sleep(min(float(headers.get("Retry-After", "1")), 1.0))


def token_for(world: dict[str, object]) -> str:
    request = urllib.request.Request(
        f"http://{HOST}:{HTTP_PORT}/api/accounts/tokens",
        data=json.dumps({"username": world["username"], "password": world["password"]}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:  # noqa: S310
        return str(json.loads(response.read())["token"])


def restart_midway(cluster: Cluster, tally: Tally, window: dict[str, float]) -> None:
    while len(tally.acknowledged) < REPORTS // 3:
        time.sleep(0.05)
    log(f"stopping PostgreSQL ({len(tally.acknowledged)} acknowledged so far)")
    window["start"] = time.monotonic()
    cluster.stop()
    time.sleep(DOWN_SECONDS)
    cluster.start()
    window["restarted"] = time.monotonic()
    log("PostgreSQL started again")


# --- The run ----------------------------------------------------------------------------------


def main() -> int:
    directory = Path(tempfile.mkdtemp(prefix="jiedao-chaos-"))
    cluster = Cluster(directory)
    log(f"private PostgreSQL in {directory} on port {PG_PORT} ({cluster.bin})")
    cluster.create()
    cluster.start()
    try:
        subprocess.run(  # noqa: S603
            [str(cluster.bin / "createdb"), "-h", HOST, "-p", str(PG_PORT), "-U", "root", "jiedao"],
            check=True,
        )
        environment = jiedao_environment(directory)
        log("migrating and loading the demo")
        jiedao(environment, "migrate", "--no-input", "-v", "0")
        jiedao(environment, "load-demo")
        world = django_shell(environment, SETUP)
        with gunicorn(environment, directory):
            token = token_for(world)
            tally = Tally()
            window: dict[str, float] = {}
            log(f"sending {REPORTS} reports with {CLIENTS} clients, {WORKERS} gunicorn workers")
            restarter = threading.Thread(target=restart_midway, args=(cluster, tally, window))
            restarter.start()
            with ThreadPoolExecutor(CLIENTS) as pool:
                for result in [
                    pool.submit(report_until_acknowledged, number, world, token, tally)
                    for number in range(1, REPORTS + 1)
                ]:
                    result.result()
            restarter.join(timeout=DOWN_SECONDS + 60)
        stored = django_shell(environment, COUNT % (MARKER,))
        return summarise(tally, stored, window)
    finally:
        cluster.stop()
        if os.environ.get("CHAOS_KEEP") != "1":
            shutil.rmtree(directory, ignore_errors=True)


def summarise(tally: Tally, stored: dict[str, int], window: dict[str, float]) -> int:
    acknowledged = tally.acknowledged
    lost = sorted(key for key in acknowledged if stored.get(key, 0) == 0)
    duplicated = sorted(key for key, count in stored.items() if count > 1)
    # The outage: from the stop to the first acknowledgement after the restart.
    start = window.get("start", float("inf"))
    restarted = window.get("restarted", float("inf"))
    back = min(
        (a.at for a in tally.answers if a.at >= restarted and a.status in (200, 201)),
        default=float("inf"),
    )
    during = Counter(a.status for a in tally.answers if start <= a.at <= back)
    overall = Counter(a.status for a in tally.answers)
    rows = [
        ("reports sent", REPORTS),
        ("acknowledged", len(acknowledged)),
        ("given up (never acknowledged)", len(tally.given_up)),
        ("stored (distinct reports in the database)", len(stored)),
        ("lost (acknowledged, not stored)", len(lost)),
        ("duplicated (stored more than once)", len(duplicated)),
        ("outage: seconds from stop to first acknowledgement", round(back - start, 1)),
    ]
    rows += [
        (f"outage answers {status or 'no answer'}", count)
        for status, count in sorted(during.items())
    ]
    rows += [
        (f"all answers {status or 'no answer'}", count) for status, count in sorted(overall.items())
    ]
    width = max(len(label) for label, _ in rows)
    print()
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")
    print()
    failures = []
    if lost:
        failures.append(f"{len(lost)} lost")
    if duplicated:
        failures.append(f"{len(duplicated)} duplicated")
    if overall[500]:
        failures.append(f"{overall[500]} answers 500")
    if "start" not in window:
        failures.append("PostgreSQL was never restarted")
    if failures:
        print("chaos: FAILED — " + ", ".join(failures))
        return 1
    print("chaos: OK — nothing lost, nothing duplicated, no 500 during the outage")
    return 0


if __name__ == "__main__":
    sys.exit(main())
