import pytest

from jiedao.events.templatetags.figures import percent


@pytest.mark.parametrize(
    ("rate", "shown"), [(None, "—"), (0.0, "0.0%"), (0.0412, "4.1%"), (1.0, "100.0%")]
)
def test_rates_are_shown_as_percentages(rate, shown):
    assert percent(rate) == shown
