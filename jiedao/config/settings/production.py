"""Production settings: the base settings with transport security on.

Everything that differs between installations (database, hosts, key, Redis) still comes from the
environment; this module refuses to start without a real SECRET_KEY. Background tasks: set
``TASKS_BACKEND=redis`` with ``REDIS_URL`` (see the base settings) and run ``jiedao worker``
beside the web workers; without it tasks run in the web process that enqueues them.
"""

import os

from django.core.exceptions import ImproperlyConfigured

# Checked before the base settings load: they would otherwise create a local key under var/.
if not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")

from .base import *

DEBUG = False
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() == "true"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
