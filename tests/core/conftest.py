# The Wenyan demo is loaded once per module here (see tests/wenyan_once.py).
from tests.wenyan_once import demo_for_module, wenyan_demo  # noqa: F401
