"""Settings for every deployment. Differences between deployments come from the environment.

With nothing set, Jiedao runs on an embedded SQLite database (WAL) under ``var/``; set
``DATABASE_URL=postgres://...`` for PostgreSQL.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[3]
PACKAGE_DIR = BASE_DIR / "jiedao"
VAR_DIR = Path(os.environ.get("JIEDAO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def local_secret_key(name: str = "secret_key") -> str:
    """A key kept in var/ so that it survives restarts of a local installation (sessions; the
    audit anchors' signatures)."""
    path = VAR_DIR / name
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or local_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    # Serves the API docs page's Swagger UI from local static files instead of a CDN.
    "ninja",
    "axes",
    "jiedao.core",
    "jiedao.accounts",
    "jiedao.audit",
    "jiedao.geo",
    "django_tasks",
    "jiedao.events",
    "jiedao.supervision",
    "jiedao.enforcement",
    "jiedao.portal",
    "jiedao.open311",
    "jiedao.sensors",
    "jiedao.indicators",
    "jiedao.sanitation",
    "jiedao.web",
    # After the other apps: where a message is shared, their translation is the product's.
    "jiedao.community",
    "jiedao.cockpit",
    "jiedao.assessment",
    "jiedao.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "jiedao.core.outage.DatabaseOutageMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, so that static files keep their public caching.
    "jiedao.web.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "jiedao.core.middleware.RejectControlCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "jiedao.audit.middleware.RequestContextMiddleware",
    # Last, so that it sees the outcome of authentication and can lock accounts out.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jiedao.config.urls"
WSGI_APPLICATION = "jiedao.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jiedao.web.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
SQLITE_PATH = VAR_DIR / "jiedao.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        # A health check is a round trip (SELECT 1) at the start of every request that reuses
        # a connection: a tenth of an Open311 report's round trips. Without it, the first
        # request on a connection the database dropped (a restart) fails, is answered 503 with
        # Retry-After by the outage middleware (nothing written; a retry with its
        # Idempotency-Key gets exactly one event), and Django replaces that connection for the
        # next request. DATABASE_HEALTH_CHECKS=true trades the round trip for that one answer.
        conn_health_checks=env_bool("DATABASE_HEALTH_CHECKS", False),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock when a transaction starts, so two writers queue
        # instead of failing half-way with "database is locked"; WAL lets readers go on.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Server-side binding with prepared statements: psycopg prepares a statement a connection
    # has run PREPARE_THRESHOLD times (every report runs the same dozen), so PostgreSQL parses
    # and plans it once. A transaction-pooling PgBouncer needs max_prepared_statements set.
    # JIT off for the application's connections: its statements are short, and on a large
    # events table the planner's cost estimate of the figures' one statement (about thirty
    # aggregates) passes jit_above_cost, so compiling it would take longer than running it.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True,
        prepare_threshold=int(os.environ.get("DATABASE_PREPARE_THRESHOLD", "5")),
        options=os.environ.get("DATABASE_SESSION_OPTIONS", "-c jit=off"),
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# A web worker trusts an API token it has verified for this many seconds (no query per request);
# revoking a token or deactivating its user takes effect within that time. 0: check every time.
API_TOKEN_TRUST_SECONDS = float(os.environ.get("API_TOKEN_TRUST_SECONDS", "5"))

# Idle timeout: the session ends after this many minutes without a request.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Login throttling (django-axes, rules in jiedao/accounts/lockout.py): each entry locks out on
# its own count of failures within LOGIN_COOLOFF_MINUTES — one username from one address, one
# username from any address, one address for any username. Failures during a lockout do not
# extend it; `jiedao unlock USERNAME` (or the admin's action on access attempts) ends it early.
LOGIN_LOCKOUT_LIMITS: list[tuple[str | list[str], int]] = [
    (["username", "ip_address"], int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))),
    ("username", int(os.environ.get("LOGIN_FAILURE_LIMIT_PER_ACCOUNT", "10"))),
    ("ip_address", int(os.environ.get("LOGIN_FAILURE_LIMIT_PER_ADDRESS", "20"))),
]
AXES_HANDLER = "jiedao.accounts.lockout.SeparateLimitsHandler"
AXES_LOCKOUT_PARAMETERS = [parameter for parameter, _limit in LOGIN_LOCKOUT_LIMITS]
AXES_FAILURE_LIMIT = LOGIN_LOCKOUT_LIMITS[0][1]
AXES_COOLOFF_TIME = float(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")) / 60
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "jiedao.accounts.auth.lockout_response"
AXES_VERBOSE = False

# API tokens expire after this many days.
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "90"))

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
# Each app keeps its translations in its own locale/ folder (found through INSTALLED_APPS).
# jiedao/locale holds the product's own words for messages of Django and its contributed apps
# (the admin's 过滤器 is 筛选 here): the first of LOCALE_PATHS wins over every app's catalogue.
USE_I18N = True
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True
# Office hours on working days, local time (WORKING_TIME_ZONE); deadlines count only these.
# Override with e.g. WORKING_HOURS="08:30-12:00,14:00-17:30".
WORKING_TIME_ZONE = os.environ.get("WORKING_TIME_ZONE", TIME_ZONE)
WORKING_HOURS = [
    (span.split("-")[0].strip(), span.split("-")[-1].strip())
    for span in env_list("WORKING_HOURS", "08:30-12:00,13:30-17:30")
]

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

# --- Cache ----------------------------------------------------------------------------------
# One process needs nothing; several stateless workers share a Redis cache (REDIS_URL).
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Sensors ------------------------------------------------------------------------------------
# The MQTT broker the sensors publish to, e.g. mqtt://127.0.0.1:1883 (`jiedao doctor` checks it).
MQTT_URL = os.environ.get("MQTT_URL", "")

# --- Audit trail ----------------------------------------------------------------------------
# `jiedao audit anchor` (run every few minutes) appends a signed checkpoint of the trail's head to
# AUDIT_ANCHOR_FILE; `jiedao audit verify` checks the trail against every checkpoint. The key
# signs them (HMAC-SHA256) and must not be readable by the database: keep the file and the key on
# the application server (or pass the key in the environment), never in the database.
AUDIT_ANCHOR_KEY = os.environ.get("AUDIT_ANCHOR_KEY") or local_secret_key("audit_anchor_key")
AUDIT_ANCHOR_FILE = Path(os.environ.get("AUDIT_ANCHOR_FILE", VAR_DIR / "audit-anchors.jsonl"))
# Entries are written unchained (no lock shared by every writer) and sealed into the hash chain
# after commit: each process asks for a seal at most once per AUDIT_SEAL_DELAY seconds, and a
# timer asks again at the end of that interval for what committed meanwhile, so an entry waits
# about this long (plus the queue's delay) to be sealed. 0 seals after every commit.
AUDIT_SEAL_DELAY = float(os.environ.get("AUDIT_SEAL_DELAY", "1.0"))
# The figures' rollup (jiedao.events.rollups, PostgreSQL) is refreshed this many seconds after a
# figures read met days changed since the last refresh (in a thread that enqueues the task);
# `jiedao refresh_figures` from cron is the safety net. Empty: never from a read.
FIGURES_REFRESH_DELAY = (
    float(os.environ.get("FIGURES_REFRESH_DELAY", "2.0"))
    if os.environ.get("FIGURES_REFRESH_DELAY", "2.0")
    else None
)

# --- Background tasks -----------------------------------------------------------------------
# Django's tasks API (the django-tasks backport); the tasks live in jiedao/<app>/tasks.py.
# TASKS_BACKEND=immediate (the default, the embedded installation): a task runs at once, in the
#   process that enqueues it; `jiedao mark-overdue` from cron does its work right there.
# TASKS_BACKEND=redis (production): tasks go to Redis (REDIS_URL) through RQ (django-tasks-rq on
#   django-rq), and `jiedao worker` runs them; start as many workers as the load needs.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate").strip().lower()
# Longest run of one task (seconds) before the worker stops it: a 1M-row import takes minutes.
TASKS_TIMEOUT_SECONDS = int(os.environ.get("TASKS_TIMEOUT_SECONDS", "3600"))
if TASKS_BACKEND == "redis":
    # The same Redis as the cache, which also carries the progress of imports and exports
    # between the worker and the web workers (jiedao.core.jobs).
    if not os.environ.get("REDIS_URL"):
        raise ImproperlyConfigured("TASKS_BACKEND=redis needs REDIS_URL.")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    # The queues `jiedao worker` takes tasks from. Every task is declared on "default", which
    # is therefore always configured; the tests' workers take only a queue of their own, so
    # that parallel runs never run each other's tasks.
    TASKS_QUEUES = env_list("TASKS_QUEUES", "default")
    _queues = sorted({"default", *TASKS_QUEUES})
    RQ_QUEUES = {
        name: {"URL": os.environ["REDIS_URL"], "DEFAULT_TIMEOUT": TASKS_TIMEOUT_SECONDS}
        for name in _queues
    }
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": _queues}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be immediate or redis, not {TASKS_BACKEND!r}.")
# How long a finished import's or export's progress and file stay offered (seconds).
TASK_RESULT_SECONDS = int(os.environ.get("TASK_RESULT_SECONDS", str(24 * 3600)))

# --- Events (一网统管) -----------------------------------------------------------------------
# Largest photo accepted per file; JPEG, PNG and WebP only (checked by content, not name).
EVENT_PHOTO_MAX_BYTES = int(os.environ.get("EVENT_PHOTO_MAX_BYTES", str(8 * 1024 * 1024)))
# Largest photo accepted in pixels (width × height), checked before decoding: a few bytes of
# PNG can claim 50,000 × 50,000 pixels (10 GB of memory). 40 megapixels covers phone cameras.
EVENT_PHOTO_MAX_PIXELS = int(os.environ.get("EVENT_PHOTO_MAX_PIXELS", str(40_000_000)))
# A new report near an open event of the same category is offered as a duplicate.
EVENT_DUPLICATE_RADIUS_METRES = float(os.environ.get("EVENT_DUPLICATE_RADIUS_METRES", "50"))
EVENT_DUPLICATE_WINDOW_HOURS = float(os.environ.get("EVENT_DUPLICATE_WINDOW_HOURS", "72"))
# During a database outage every answer is 503 with this Retry-After (see jiedao.core.outage).
OUTAGE_RETRY_AFTER_SECONDS = int(os.environ.get("OUTAGE_RETRY_AFTER_SECONDS", "5"))
# JSON bodies are refused before parsing beyond these (see jiedao.core.textinput).
JSON_MAX_BYTES = int(os.environ.get("JSON_MAX_BYTES", str(1024 * 1024)))
JSON_MAX_DEPTH = int(os.environ.get("JSON_MAX_DEPTH", "32"))
# How many duplicate candidates an answer lists (the nearest); the rest are counted and linked.
EVENT_DUPLICATE_CANDIDATES_SHOWN = int(os.environ.get("EVENT_DUPLICATE_CANDIDATES_SHOWN", "5"))
# Yellow warning once this share of the allowed working time has passed (red when overdue).
EVENT_YELLOW_WARNING_SHARE = float(os.environ.get("EVENT_YELLOW_WARNING_SHARE", "0.8"))
# The department that receives every report first (首接负责) and gets returned events back.
EVENT_COMMAND_CENTRE_CODE = os.environ.get("EVENT_COMMAND_CENTRE_CODE", "command-centre")
# A 12345 import on PostgreSQL writes its batches over this many connections of its own while
# it reads and checks the next ones (jiedao.events.importing.pipeline); 0 writes each batch in
# the reading thread, as SQLite always does.
EVENT_IMPORT_WRITERS = int(os.environ.get("EVENT_IMPORT_WRITERS", "2"))
# Event numbers are <prefix><yyyymmdd>-<sequence>; the prefix per subdistrict code, or the
# subdistrict code followed by "-" when none is configured here.
EVENT_NUMBER_PREFIXES = {"330109012": "WY"}
# `jiedao load-demo` also creates the demo events (2022 H1 history and recent open work).
DEMO_EVENTS = env_bool("DEMO_EVENTS", True)
# The demo's sensors: devices, their traffic, a few active alarms with open events.
DEMO_SENSORS = env_bool("DEMO_SENSORS", True)
# The demo's community work: 2022–2023 needs, organisations, calls, the fund and its grant rounds.
DEMO_COMMUNITY = env_bool("DEMO_COMMUNITY", True)
# The demo's indicators: seed 000 read, reviewed and stored as Wenyan's 2022 H1 figures.
DEMO_INDICATORS = env_bool("DEMO_INDICATORS", True)
# The demo's city-management team assessment: the Wenyan team, its synthetic members and this
# month's work of the team made through the events and enforcement services as the members.
DEMO_ASSESSMENT = env_bool("DEMO_ASSESSMENT", True)
# The demo's waste sorting: Wenyan's compounds, households and a year of drop-offs, inspections,
# weigh-ins and points.
DEMO_SANITATION = env_bool("DEMO_SANITATION", True)

# --- Waste sorting (垃圾分类) -----------------------------------------------------------------
# A drop-off or a weigh-in heavier than this is refused as a typing or scale error.
SANITATION_MAX_DROP_OFF_KG = float(os.environ.get("SANITATION_MAX_DROP_OFF_KG", "50"))
SANITATION_MAX_WEIGH_IN_KG = float(os.environ.get("SANITATION_MAX_WEIGH_IN_KG", "500"))
SANITATION_MAX_WEIGH_IN_ITEMS = int(os.environ.get("SANITATION_MAX_WEIGH_IN_ITEMS", "500"))
# Working days a collection point's responsible party has to put a finding right, by default.
SANITATION_RECTIFY_WORKING_DAYS = int(os.environ.get("SANITATION_RECTIFY_WORKING_DAYS", "3"))

# --- Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the page, not the cookie.
# A form sent without its valid token (a page left open too long): a page in the reader's
# language saying what to do, instead of Django's "403" with the internal reason.
CSRF_FAILURE_VIEW = "jiedao.web.errors.csrf_failure"

# --- Maps -----------------------------------------------------------------------------------
# Government intranets usually have no internet: the map draws on a plain background unless a
# tile server on the intranet is configured, e.g. "http://tiles.intra/{z}/{x}/{y}.png".
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")

# --- Residents' portal and Open311 ----------------------------------------------------------
# Requests per minute from one client address: report submissions on the portal, follow-code
# look-ups (guessing), and every Open311 call. Each Open311 API key has its own limit as well.
PORTAL_REPORTS_PER_MINUTE = int(os.environ.get("PORTAL_REPORTS_PER_MINUTE", "5"))
PORTAL_LOOKUPS_PER_MINUTE = int(os.environ.get("PORTAL_LOOKUPS_PER_MINUTE", "20"))
OPEN311_REQUESTS_PER_MINUTE_PER_IP = int(
    os.environ.get("OPEN311_REQUESTS_PER_MINUTE_PER_IP", "120")
)
# 双公示: a penalty decision is published within this many working days of being made; the
# public list's pages (and its files, which cost more) per minute from one client address.
ENFORCEMENT_DISCLOSURE_DAYS = int(os.environ.get("ENFORCEMENT_DISCLOSURE_DAYS", "7"))
ENFORCEMENT_DISCLOSURE_PAGES_PER_MINUTE = int(
    os.environ.get("ENFORCEMENT_DISCLOSURE_PAGES_PER_MINUTE", "60")
)
ENFORCEMENT_DISCLOSURE_FILES_PER_MINUTE = int(
    os.environ.get("ENFORCEMENT_DISCLOSURE_FILES_PER_MINUTE", "5")
)
# Events of these categories (personal matters: disputes, residents in hardship) are never shown
# in public outputs; their reporters still follow them with their code.
PORTAL_PRIVATE_CATEGORIES = env_list("PORTAL_PRIVATE_CATEGORIES", "E0801,E0803")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Each task's start and end (the audit sealing runs after every write) is not news; a failed
    # task is still logged as an error.
    "loggers": {"django_tasks": {"level": os.environ.get("TASKS_LOG_LEVEL", "WARNING")}},
}
