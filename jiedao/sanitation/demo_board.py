"""The demo's 红黄黑榜: Wenyan's weights and list rule saved through the service, and every
month of the past year that has ended and has records published in order, as an administrator
would have done each month — so `make demo` shows a year of lists, each black-listed compound
with its rectification task, the older tasks closed. Runs after the sanitation demo's records
(``jiedao.demo.services``), behind ``DEMO_SANITATION``."""

from datetime import timedelta

from jiedao.accounts.permissions import SYSTEM
from jiedao.core.localtime import local_today
from jiedao.geo.models import Subdistrict

from . import lists
from .models.board import BlackListTask, MonthlyList
from .selectors_board import live_ranking, months_back

RULES = {
    "participation_weight": "30",
    "participation_benchmark": "0.9",
    "accuracy_weight": "30",
    "accuracy_benchmark": "0.95",
    "recycling_weight": "15",
    "recycling_benchmark": "3",
    "findings_weight": "15",
    "findings_benchmark": "5",
    "rectification_weight": "10",
    "rectification_benchmark": "1",
    # By rank: with Wenyan's five compounds under management, each month names its best two,
    # its last (black, with a rectification task) and the one above it (yellow).
    "mode": "rank",
    "red_min": "85",
    "yellow_below": "70",
    "black_below": "60",
    "red_count": "2",
    "yellow_count": "1",
    "black_count": "1",
    "rectification_days": "10",
}
# The demo's black-listed compounds have put things right, except in the last two lists.
OPEN_LISTS = 2


def board_demo_load(*, subdistrict: Subdistrict, months: int = 12) -> dict[str, int]:
    """Save the rules and publish each ended month with records of the last ``months``; a month
    already published is left as it is, so loading twice changes nothing."""
    lists.board_rules_save(actor=SYSTEM, subdistrict=subdistrict, values=RULES)
    this_month = local_today().replace(day=1)
    published = 0
    for month in months_back(this_month - timedelta(days=1), months):
        if MonthlyList.objects.filter(subdistrict=subdistrict, month=month).exists():
            continue
        if not live_ranking(subdistrict=subdistrict, month=month).has_records:
            continue
        lists.month_list_publish(actor=SYSTEM, subdistrict=subdistrict, month=month)
        published += 1
    settled = 0
    recent = list(
        MonthlyList.objects.filter(subdistrict=subdistrict)
        .order_by("-month")
        .values_list("pk", flat=True)[:OPEN_LISTS]
    )
    for task in BlackListTask.objects.filter(
        compound__subdistrict=subdistrict, status="open"
    ).exclude(entry__monthly_list_id__in=recent):
        lists.black_list_task_complete(
            actor=SYSTEM,
            task_id=task.pk,
            notes="示例：物业增派垃圾分类督导员，投放点已整改并复查",
        )
        settled += 1
    return {"published": published, "settled": settled}
