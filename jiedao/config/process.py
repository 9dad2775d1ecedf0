"""The per-process caches of every app, forgotten together.

Each app keeps what every request reads and rarely changes (grids, departments, the catalogue,
verified tokens and API keys, the working calendar, the event-number sequences already created)
in its process. A process that moves to another database — the test suite between tests, the
benchmarks between their throw-away databases — must forget all of them at once, or it would
answer from the database it left.
"""

from django.core.cache import cache


def forget_process_caches() -> None:
    from jiedao.accounts.auth import trusted_tokens
    from jiedao.core import workcalendar
    from jiedao.events.catalogue import catalogue_changed
    from jiedao.events.services.intake import number_sequences_forget
    from jiedao.geo import lookup
    from jiedao.open311.selectors import trusted_api_keys

    cache.clear()
    trusted_tokens.clear()
    lookup.grids_changed()
    lookup.departments_changed()
    lookup.subdistricts_changed()
    trusted_api_keys.clear()
    workcalendar.calendar_changed()
    catalogue_changed()
    number_sequences_forget()
