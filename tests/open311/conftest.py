from typing import Any

import pytest

from jiedao.open311 import services
from tests.wenyan_once import demo_for_module, wenyan_demo  # noqa: F401


@pytest.fixture
def api_key(users: dict[str, Any]) -> str:
    """A fresh key issued by the demo administrator."""
    return services.api_key_issue(actor=users["administrator"], name="FixMyStreet 测试").key
