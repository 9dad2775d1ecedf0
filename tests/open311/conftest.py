from typing import Any

import pytest

from jiedao.open311 import services


@pytest.fixture
def api_key(users: dict[str, Any]) -> str:
    """A fresh key issued by the demo administrator."""
    return services.api_key_issue(actor=users["administrator"], name="FixMyStreet 测试").key
