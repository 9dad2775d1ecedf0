"""The Wenyan demo loaded once per test module instead of once per test.

Loading the demo takes seconds (geography, users, categories, key tasks), and the foundation
tests use it a few hundred times. A directory's ``conftest.py`` imports these two fixtures to
replace ``wenyan_demo`` there: the demo is loaded in a transaction opened for the module, every
test runs inside it in a savepoint as usual (so its changes are still undone), and the module's
transaction is rolled back at the end.

Once a test of the module asked for it, the demo is in the database for the module's later tests
too; a test that needs an empty database belongs in another module. Not for ``transactional_db``
tests either: other connections cannot see the uncommitted demo.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction


@pytest.fixture(scope="module")
def _wenyan_for_module(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, int]]:
    from jiedao.demo.services import demo_load

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield demo_load()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def wenyan_demo(_wenyan_for_module: dict[str, int], db: Any) -> dict[str, int]:
    return _wenyan_for_module
