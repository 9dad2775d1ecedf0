"""Settings for the test suite: the base settings with a fast password hasher."""

import os
import tempfile
from pathlib import Path

from .base import *

# Never the installation's own anchors (var/), which describe another database; tests that
# anchor point this at their own temporary file.
AUDIT_ANCHOR_FILE = Path(tempfile.gettempdir()) / f"jiedao-test-audit-anchors-{os.getpid()}.jsonl"

# Seal after every commit: no timer threads outliving a test.
AUDIT_SEAL_DELAY = 0.0
# No refresh threads outliving a test: the tests refresh the figures' rollup by hand.
FIGURES_REFRESH_DELAY = None

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve app static files without collectstatic (the browser tests load them).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Most tests need the demo geography and users, not its 4,000 events (tests/events loads them
# once per session where the figures are checked).
DEMO_EVENTS = False
# Nor its sensors, whose alarms are events too: tests/sensors loads them (tests/sensors/conftest.py).
DEMO_SENSORS = False
# Nor its community work, which takes most of the demo's loading time: tests/community loads it
# (tests/community/conftest.py).
DEMO_COMMUNITY = False
# Nor its indicators (seed 000 read through the extraction): tests/indicators loads them
# (tests/indicators/conftest.py).
DEMO_INDICATORS = False
# Nor the team assessment's members and their month of work: tests/assessment loads them.
DEMO_ASSESSMENT = False
# Nor its waste sorting: tests/sanitation loads it (tests/sanitation/conftest.py).
DEMO_SANITATION = False
