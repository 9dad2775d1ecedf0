"""The cockpit's tests run on the module's shared demo (tests/wenyan_once.py)."""

from tests.events.conftest import HOME_GRID

__all__ = ["HOME_GRID"]
