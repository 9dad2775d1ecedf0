"""Settings of the reference stand-in (see the package docstring): the bench database, one app."""

import os

import dj_database_url

SECRET_KEY = "reference-stand-in-for-the-benchmark-only"  # noqa: S105 - never deployed
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
INSTALLED_APPS = ["bench.reference"]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
ROOT_URLCONF = "bench.reference.urls"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://root@127.0.0.1:5432/jiedao"),
        conn_max_age=600,
    )
}
USE_TZ = True
TIME_ZONE = "Asia/Shanghai"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
