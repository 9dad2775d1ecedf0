"""The demo's enforcement work: today's for zhifa in every test database, and with the large
demo the seed's first half of 2022 (134 actions, 197 problems found and rectified, 3 penalty
decisions, 21 cases opened and 50 closed) as the figures command prints it, each decision with
its number."""

import json
import random
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.db.models import Count

from jiedao.core.localtime import local_today
from jiedao.enforcement import demo, demo_cases
from jiedao.enforcement.codes import credit_code_problem
from jiedao.enforcement.models import Action, Case, Disclosure, Inspection, Rectification, Target
from jiedao.geo.models import Department, Subdistrict

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_demo_has_todays_work_for_zhifa(wenyan_demo):
    today = local_today()

    assert (
        Target.objects.filter(kind="business").count(),
        Target.objects.filter(kind="person").count(),
        sorted(Inspection.objects.filter(planned_on=today).values_list("status", flat=True)),
        Rectification.objects.filter(status="open").count(),
        Action.objects.filter(kind="random").get().inspections.count(),
    ) == (60, 4, ["in_progress", "planned", "planned"], 1, 3)
    assert [
        t.credit_code
        for t in Target.objects.filter(kind="business")
        if credit_code_problem(t.credit_code)
    ] == []


def test_the_history_of_2022_gives_the_seeds_figures(wenyan_demo):
    subdistrict = Subdistrict.objects.get()
    departments = {d.code: d for d in Department.objects.filter(subdistrict=subdistrict)}
    targets = list(Target.objects.filter(kind="business").order_by("pk"))

    demo._history(subdistrict, departments, targets, random.Random(demo.SEED))

    start = datetime(2022, 1, 1, tzinfo=SHANGHAI)
    end = datetime(2022, 7, 1, tzinfo=SHANGHAI)
    actions = Action.objects.filter(
        starts_on__gte=date(2022, 1, 1), starts_on__lte=date(2022, 6, 30)
    )
    found = Rectification.objects.filter(found_at__gte=start, found_at__lt=end)
    assert (
        actions.count(),
        Inspection.objects.filter(action__in=actions, status="completed").count(),
        found.count(),
        found.filter(status="closed", rechecked_at__lt=end).count(),
        dict(actions.values_list("kind").annotate(n=Count("pk")).order_by("kind")),
    ) == (
        134,
        134,
        197,
        197,
        {"assigned": 10, "campaign": 20, "complaint": 14, "joint": 90},
    )

    demo_cases.case_history(targets, departments)
    out = StringIO()
    call_command(
        "enforcement",
        "figures",
        "--since",
        "2022-01-01",
        "--until",
        "2022-06-30",
        "--format",
        "json",
        stdout=out,
    )

    # The "done when": 134 / 197 / 197 / 3 / 21 / 50.
    assert json.loads(out.getvalue()) == {
        "actions": 134,
        "inspections": 134,
        "problems_found": 197,
        "problems_rectified": 197,
        "penalty_decisions": 3,
        "cases_opened": 21,
        "cases_closed": 50,
    }
    # 双公示: every penalty decision of the history is published, one of 2022's three late.
    published_2022 = Disclosure.objects.filter(decided_on__year=2022)
    assert (
        published_2022.count(),
        sorted(d.is_late for d in published_2022),
        Case.objects.filter(disclosure="pending", decided_at__lt=start).count(),
    ) == (3, [False, False, True], 0)

    # Each decision took its number in the decide step: 2021's carried-over cases were decided
    # in 2021, so 2022's numbers start at 1 — the three fines, and the 18 decisions not to
    # punish in their own series.
    decided = Case.objects.filter(decided_at__gte=start, decided_at__lt=end).order_by("decided_at")
    assert list(decided.filter(outcome="penalty").values_list("decision_number", flat=True)) == [
        "萧闻综执罚〔2022〕1号",
        "萧闻综执罚〔2022〕2号",
        "萧闻综执罚〔2022〕3号",
    ]
    assert list(decided.filter(outcome="no_penalty").values_list("decision_number", flat=True)) == [
        f"萧闻综执不罚〔2022〕{number}号" for number in range(1, 19)
    ]
    assert (
        Case.objects.filter(decided_at__year=2021, decision_number__startswith="萧闻综执").count()
        == 29
    )
