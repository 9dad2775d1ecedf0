"""The client address of the request being served, for the audit trail.

Services are called from pages, the API, commands and tasks alike; rather than thread the
address through every signature, the request middleware sets it here for the request's duration.
"""

from contextvars import ContextVar

client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)
