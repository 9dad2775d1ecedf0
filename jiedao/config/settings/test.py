"""Settings for the test suite: the base settings with a fast password hasher."""

from .base import *

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
