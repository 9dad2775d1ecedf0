"""Deployment system checks (``jiedao check --deploy``) for what the settings import at run time.

Django imports a cache backend's client library only on first use, so a missing ``redis`` package
passes ``check`` and then answers 500 on every request that touches the cache.
"""

from typing import Any

from django.core.checks import CheckMessage, Error, Tags, register

from .doctor import REDIS_PACKAGE_PIN, redis_cache_aliases, redis_package_missing


@register(Tags.caches, deploy=True)
def check_redis_package(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    aliases = redis_cache_aliases()
    if not aliases or not redis_package_missing():
        return []
    return [
        Error(
            f"The cache {', '.join(repr(alias) for alias in aliases)} uses Redis (REDIS_URL is "
            "set) but the redis package is not installed.",
            hint=f"pip install '{REDIS_PACKAGE_PIN}' (a dependency of Jiedao: reinstall it), "
            "then run `jiedao doctor`.",
            id="jiedao.E001",
        )
    ]
