"""The broker fixtures for the sensors tests."""

from .broker import broker, publisher  # noqa: F401
