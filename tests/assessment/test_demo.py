"""The demo's team: its members and this month's work, made through the services as the members
(DEMO_ASSESSMENT, off in the test settings, loaded here on top of the shared demo)."""

import pytest

from jiedao.accounts.permissions import SYSTEM
from jiedao.assessment import selectors
from jiedao.assessment.demo import assessment_demo_load
from jiedao.geo.models import Subdistrict


@pytest.fixture
def demo_team(wenyan_demo):
    subdistrict = Subdistrict.objects.get(code="330109012")
    loaded = assessment_demo_load(subdistrict=subdistrict)
    return loaded, selectors.team_list(user=SYSTEM).get(name="城市综合管理队")


def test_the_demo_team_is_ranked_from_its_members_work(demo_team):
    loaded, team = demo_team

    scores = selectors.team_month(user=SYSTEM, team=team, month=selectors.parse_month_value(None))

    assert loaded == {"created": 1, "members": 6, "events": 16, "enforcement": 4}
    assert [(row.name, row.rank, str(row.score), row.is_synthetic) for row in scores.rows] == [
        ("赵城管", 1, "11.00", False),
        ("钱志远（示例数据）", 2, "10.00", True),
        ("李建国（示例数据）", 3, "9.00", True),
        ("周执法", 4, "8.00", False),
        ("孙海燕（示例数据）", 5, "6.00", True),
        # One inspection (3 points); the demo's one open rectification is 周执法's re-check.
        ("吴晓东（示例数据）", 6, "3.00", True),
    ]
    assert assessment_demo_load(subdistrict=team.subdistrict) == {"created": 0}
