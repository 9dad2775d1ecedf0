"""A value built once per process from the database and rebuilt when any process changes it.

The grid index and the working calendar are read on hot paths (every report, every deadline) and
change rarely. Each process keeps its own copy; the code that changes the data calls
:meth:`ProcessCache.changed` after commit, which drops this process's copy at once and bumps a
version number in the shared Django cache (Redis when several workers run), so other processes
notice within ``check_interval`` seconds without asking the cache on every read.
"""

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from django.core.cache import cache

T = TypeVar("T")


class ProcessCache(Generic[T]):
    """``build(version)`` makes the value; the version lets its users tell two builds apart."""

    def __init__(self, version_key: str, build: Callable[[int], T], check_interval: float = 5.0):
        self.version_key = version_key
        self.build = build
        self.check_interval = check_interval
        self._lock = threading.Lock()
        self._value: T | None = None
        self._version = 0
        self._checked_at = 0.0

    def get(self) -> T:
        now = time.monotonic()
        value = self._value
        if value is not None and now - self._checked_at < self.check_interval:
            return value
        version = int(cache.get_or_set(self.version_key, 1, timeout=None) or 1)
        with self._lock:
            if self._value is None or self._version != version:
                self._value = self.build(version)
                self._version = version
            self._checked_at = now
            return self._value

    def changed(self) -> None:
        """Call after a transaction that changed the underlying data has committed."""
        with self._lock:
            self._value = None
        try:
            cache.incr(self.version_key)
        except ValueError:
            cache.set(self.version_key, 2, timeout=None)
