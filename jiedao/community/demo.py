"""The modern community in the Wenyan demo, created through the services.

Seed 000 (2022 H1): 112 needs collected, 35 social organisations reported in (吹哨报到), and the
安居乐堰 community development fund set at 10,000,000 yuan with its first 2,000,000 paid in. The
needs, the organisations and their answers are **synthesised** (flagged ``is_synthetic``, the
texts marked 「示例数据」): the seed gives the counts, not the items. On top of that, open work
for today: needs in 三江社区 for ``sanjiang`` to assess (two alike, offered for merging) and an
open call that ``shegong``'s organisation, 三江社工站, has not answered yet. The fund's
公益创投 rounds: 11 projects completed in 2022 H1 (seed 000), 21 funded in 2023 (seed 003), and a
round open for applications today. Seed 003 (2023): 35 activities and 15 trainings held, the
trainings with 500 social-worker person-times (the activities' participants are synthesised), and
an activity 三江社工站 has planned for next week. Seed 000's facilities: 12 dementia-care beds,
40 public and 20 inclusive childcare places (the places in use are synthesised).
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from jiedao.accounts.models import User
from jiedao.accounts.permissions import SYSTEM
from jiedao.core.localtime import local_today, local_zone
from jiedao.events.models import Event
from jiedao.events.workflow import OPEN_STATES
from jiedao.geo.models import Community, Department, Subdistrict

from . import activities, event_calls, grants, ledger, projects, services
from .credit_code import check_character
from .models import (
    Activity,
    Call,
    Facility,
    Fund,
    GrantApplication,
    Need,
    NeedGroup,
    Organisation,
)
from .workflow import MatchKind, NeedAction, ResponseAction

NEEDS_2022_H1 = 112
ORGANISATIONS = 35
FUND_NAME = "安居乐堰社区发展基金"
FUND_SIZE = Decimal("10000000.00")
FUND_FIRST_INJECTION = Decimal("2000000.00")
SYNTHETIC = "（示例数据）"

# group code → what residents of that group asked for
NEED_TITLES = {
    "elderly": ["老年食堂助餐服务", "独居老人上门探访", "适老化改造", "老年人智能手机培训"],
    "children": ["四点半课堂", "暑期托管班", "儿童游乐设施维护", "亲子阅读活动"],
    "women": ["妇女健康讲座", "家庭教育指导", "女性就业技能培训"],
    "disabled": ["无障碍通道改造", "残疾人康复辅具租借", "助残志愿陪护"],
    "youth": ["青少年心理辅导", "青年志愿服务队", "社区篮球场开放"],
    "new-residents": ["新居民融入活动", "新居民子女入学咨询", "租住房屋安全宣传"],
}
SERVICES = ["为老服务", "儿童托管", "心理疏导", "助残服务", "家庭教育", "志愿服务", "文化活动"]


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=local_zone())


def credit_code(number: int) -> str:
    """A well-formed code of a social service institution registered in Xiaoshan (330109)."""
    first = f"52330109MJ{number:07d}"
    return first + check_character(first)


def _organisations(subdistrict: Subdistrict, communities: list[Community]) -> list[Organisation]:
    shegong = User.objects.get(username="shegong")
    organisations = []
    for number in range(ORGANISATIONS):
        served = [communities[number % len(communities)]]
        if number % 3 == 0:
            served.append(communities[(number + 3) % len(communities)])
        name = (
            "三江社工站" if number == 0 else f"闻堰{SERVICES[number % len(SERVICES)]}社{number:02d}"
        )
        organisation = services.organisation_register(
            actor=SYSTEM,
            subdistrict_id=subdistrict.pk,
            name=name,
            credit_code=credit_code(1000 + number),
            kind=(
                Organisation.Kind.SERVICE_INSTITUTION
                if number % 2 == 0
                else Organisation.Kind.COMMUNITY_GROUP
            ),
            services=f"{SYNTHETIC}{SERVICES[number % len(SERVICES)]}",
            communities=served,
            is_synthetic=True,
        )
        organisations.append(organisation)
    services.organisation_member_add(actor=SYSTEM, organisation=organisations[0], user=shegong)
    return organisations


def _title(group: NeedGroup, number: int) -> str:
    titles = NEED_TITLES.get(group.code, ["社区服务需求"])
    return titles[number % len(titles)]


def _history(
    communities: list[Community],
    groups: list[NeedGroup],
    organisations: list[Organisation],
    departments: list[Department],
) -> None:
    """2022 H1: 112 needs; the first 35 answered through calls, one organisation each."""
    start = date(2022, 1, 4)
    for number in range(NEEDS_2022_H1):
        day = start + timedelta(days=(number * 176) // NEEDS_2022_H1)
        organisation = organisations[number] if number < ORGANISATIONS else None
        community = (
            organisation.communities.all()[0]
            if organisation is not None
            else communities[number % len(communities)]
        )
        group = groups[number % len(groups)]
        need = services.need_raise(
            actor=SYSTEM,
            community=community,
            group=group,
            source=[Need.Source.SURVEY, Need.Source.VISIT, Need.Source.PORTAL, Need.Source.EVENT][
                number % 4
            ],
            title=_title(group, number),
            description=f"{SYNTHETIC}{community.name}居民反映：{_title(group, number)}。",
            raised_at=_at(day),
            is_synthetic=True,
        )
        if number % 8 == 7 and organisation is None:
            continue  # still collected
        services.need_transition(
            actor=SYSTEM, need=need, action=NeedAction.ASSESS, at=_at(day + timedelta(days=2))
        )
        if organisation is not None:
            call = services.call_blow(
                actor=SYSTEM,
                need=need,
                message=f"{SYNTHETIC}请社会组织认领。",
                at=_at(day + timedelta(days=3)),
            )
            response = services.call_report_in(
                actor=SYSTEM, call=call, organisation=organisation, at=_at(day + timedelta(days=4))
            )
            services.response_transition(
                actor=SYSTEM,
                response=response,
                action=ResponseAction.COMMIT,
                text=f"{SYNTHETIC}安排社工两名，每周服务一次。",
                at=_at(day + timedelta(days=5)),
            )
            services.response_transition(
                actor=SYSTEM,
                response=response,
                action=ResponseAction.COMPLETE,
                text=f"{SYNTHETIC}服务已完成，居民满意。",
                at=_at(day + timedelta(days=20)),
            )
        elif number % 8 == 6:
            services.need_transition(
                actor=SYSTEM,
                need=need,
                action=NeedAction.DECLINE,
                reason=f"{SYNTHETIC}不属于社区服务范围，已向居民解释。",
                at=_at(day + timedelta(days=5)),
            )
            continue
        else:
            department = departments[number % len(departments)]
            services.need_transition(
                actor=SYSTEM,
                need=need,
                action=NeedAction.MATCH,
                match_kind=MatchKind.DEPARTMENT,
                department=department,
                at=_at(day + timedelta(days=5)),
            )
        if organisation is not None or number % 8 != 5:
            services.need_transition(
                actor=SYSTEM, need=need, action=NeedAction.MEET, at=_at(day + timedelta(days=21))
            )


def _open_work(sanjiang: Community, groups: dict[str, NeedGroup]) -> None:
    for title, description, group in [
        ("老年食堂助餐服务", "三江花园独居老人多，希望社区老年食堂能送餐上门。", "elderly"),
        ("老年食堂送餐服务", "希望老年食堂为行动不便的老人送餐上门。", "elderly"),
        ("暑期托管班", "双职工家庭希望暑假有托管班。", "children"),
    ]:
        services.need_raise(
            actor=SYSTEM,
            community=sanjiang,
            group=groups[group],
            source=Need.Source.VISIT,
            title=title,
            description=f"{SYNTHETIC}{description}",
            is_synthetic=True,
        )
    need = services.need_raise(
        actor=SYSTEM,
        community=sanjiang,
        group=groups["disabled"],
        source=Need.Source.SURVEY,
        title="助残志愿陪护",
        description=f"{SYNTHETIC}两位残疾人需要每周陪同就医。",
        is_synthetic=True,
    )
    services.need_transition(actor=SYSTEM, need=need, action=NeedAction.ASSESS)
    services.call_blow(
        actor=SYSTEM,
        need=need,
        message=f"{SYNTHETIC}需要每周二上午陪同就医，请能承接的社会组织报到。",
    )


def community_demo_load(*, subdistrict: Subdistrict) -> None:
    services.need_groups_ensure(actor=SYSTEM)
    communities = list(Community.objects.filter(subdistrict=subdistrict).order_by("code"))
    groups = list(NeedGroup.objects.filter(is_active=True))
    departments = list(Department.objects.filter(subdistrict=subdistrict).order_by("code"))
    organisations = _organisations(subdistrict, communities)
    _history(communities, groups, organisations, departments)
    _open_work(communities[0], {group.code: group for group in groups})
    fund = ledger.fund_create(
        actor=SYSTEM, subdistrict_id=subdistrict.pk, name=FUND_NAME, size=FUND_SIZE
    )
    ledger.fund_entry_book(
        actor=SYSTEM,
        fund=fund,
        kind=ledger.Kind.INJECTION,
        amount=FUND_FIRST_INJECTION,
        description="首期注资",
        booked_on=date(2022, 4, 15),
    )
    funded = _rounds(fund, organisations)
    _milestones(funded[0])
    _activities(organisations, funded)
    _facilities(communities)


def _milestones(project: GrantApplication) -> None:
    """One running project's plan and progress, so that its page is not empty (three writes)."""
    # Written by an account of the project's organisation when it has one, as it would be.
    actor = project.organisation.members.order_by("pk").first() or SYSTEM
    recruit = projects.milestone_plan(
        actor=actor, application=project, title="招募志愿者并完成培训", due_on=date(2023, 4, 30)
    )
    projects.milestone_plan(
        actor=actor, application=project, title="开展第一季度服务", due_on=date(2023, 7, 31)
    )
    projects.milestone_done(actor=actor, milestone=recruit, done_on=date(2023, 4, 26))
    projects.progress_report(
        actor=actor,
        application=project,
        text=f"{SYNTHETIC}已招募志愿者24名，完成岗前培训2场。",
        reported_on=date(2023, 4, 28),
    )


ACTIVITIES_2023 = 35
TRAININGS_2023 = 15
TRAINING_PERSON_TIMES_2023 = 500
ACTIVITY_TITLES = ["邻里节", "老年人健康讲座", "四点半课堂", "亲子阅读会", "垃圾分类宣传"]
TRAINING_TITLES = ["社工学院专题培训", "社区营造训练营"]
# Seed 000's facilities: (name, kind, capacity, in use — synthesised).
FACILITIES = [
    ("认知症照护床位", Facility.Kind.ELDERLY_BED, 12, 10),
    ("公办托育园托位", Facility.Kind.CHILDCARE, 40, 36),
    ("普惠性托育托位", Facility.Kind.CHILDCARE, 20, 15),
]


def _held(
    organisation: Organisation,
    community: Community,
    kind: str,
    title: str,
    day: date,
    person_times: int,
    project: GrantApplication | None = None,
) -> None:
    activity = activities.activity_plan(
        actor=SYSTEM,
        community=community,
        kind=kind,
        title=title,
        organiser=organisation,
        planned_on=day,
        project=project,
        is_synthetic=True,
    )
    activities.activity_transition(
        actor=SYSTEM, activity=activity, action="hold", held_on=day, person_times=person_times
    )


def _activities(organisations: list[Organisation], projects: list[GrantApplication]) -> None:
    """Seed 003: 35 activities of the 2023 projects and 15 trainings whose person-times add up
    to the seed's 500; and one activity planned for ``shegong`` to record."""
    # Each organisation's first community, read once (the demo's load time counts in CI).
    first = {
        organisation.pk: organisation.communities.order_by("code")[0]
        for organisation in {project.organisation for project in projects} | {organisations[0]}
    }
    for number in range(ACTIVITIES_2023):
        project = projects[number % len(projects)]
        _held(
            project.organisation,
            first[project.organisation_id],
            Activity.Kind.ACTIVITY,
            f"{SYNTHETIC}{ACTIVITY_TITLES[number % len(ACTIVITY_TITLES)]}",
            date(2023, 4, 1) + timedelta(days=number * 7),
            20 + number % 4 * 5,
            project,
        )
    share, rest = divmod(TRAINING_PERSON_TIMES_2023, TRAININGS_2023)
    for number in range(TRAININGS_2023):
        _held(
            organisations[0],
            first[organisations[0].pk],
            Activity.Kind.TRAINING,
            f"{SYNTHETIC}{TRAINING_TITLES[number % len(TRAINING_TITLES)]}",
            date(2023, 3, 6) + timedelta(days=number * 14),
            share + (1 if number < rest else 0),
        )
    activities.activity_plan(
        actor=SYSTEM,
        community=first[organisations[0].pk],
        kind=Activity.Kind.ACTIVITY,
        title="助残志愿陪护培训",
        organiser=organisations[0],
        planned_on=local_today() + timedelta(days=7),
        is_synthetic=True,
    )


def _facilities(communities: list[Community]) -> None:
    for number, (name, kind, capacity, in_use) in enumerate(FACILITIES):
        activities.facility_create(
            actor=SYSTEM,
            community=communities[number % len(communities)],
            name=name,
            kind=kind,
            capacity=capacity,
            in_use=in_use,
            is_synthetic=True,
        )


def _round(
    fund: Fund,
    organisations: list[Organisation],
    *,
    year: int,
    projects: int,
    amount: Decimal,
    opens_on: date,
    signed_on: date,
    completed_on: date | None,
) -> list[GrantApplication]:
    """A past round: applications, the panel's scores, selection, agreements, and the tranches
    paid so far (all of them when the projects were completed)."""
    # The demo's panel is the subdistrict's leader (柳主任): the administrator's own trail stays
    # what the administrator did.
    panel = [User.objects.get(username="lingdao")]
    grant_round = grants.round_open(
        actor=SYSTEM,
        fund=fund,
        name=f"{year}年闻堰街道社区公益创投",
        budget=amount * projects,
        max_per_project=amount,
        opens_on=opens_on,
        closes_on=opens_on + timedelta(days=30),
    )
    applications = [
        grants.application_submit(
            actor=SYSTEM,
            grant_round=grant_round,
            organisation=organisation,
            title=f"{SYNTHETIC}{organisation.name}{year}年服务项目",
            summary=f"{SYNTHETIC}{organisation.services}",
            amount=amount,
            on=opens_on + timedelta(days=10),
        )
        for organisation in organisations[:projects]
    ]
    for number, application in enumerate(applications):
        for reviewer in panel:
            grants.application_score(
                actor=reviewer, application=application, score=70 + number % 25
            )
    grants.round_select(actor=SYSTEM, grant_round=grant_round)
    for application in applications:
        grants.agreement_sign(actor=SYSTEM, application=application, signed_on=signed_on)
    for application in applications:
        grants.tranche_pay(
            actor=SYSTEM, application=application, paid_on=signed_on + timedelta(days=7)
        )
    if completed_on is None:
        return applications
    for application in applications:
        grants.review_record(actor=SYSTEM, application=application, stage="midterm", passed=True)
    for application in applications:
        grants.tranche_pay(
            actor=SYSTEM, application=application, paid_on=completed_on - timedelta(days=20)
        )
    for application in applications:
        grants.review_record(actor=SYSTEM, application=application, stage="final", passed=True)
    for application in applications:
        grants.tranche_pay(actor=SYSTEM, application=application, paid_on=completed_on)
    return applications


def _rounds(fund: Fund, organisations: list[Organisation]) -> list[GrantApplication]:
    """The rounds; returns the 2023 round's projects, which run the year's activities."""
    # Seed 000: 11 projects completed in 2022 H1; seed 003: 21 projects funded in 2023.
    _round(
        fund,
        organisations,
        year=2022,
        projects=11,
        amount=Decimal("20000.00"),
        opens_on=date(2022, 4, 18),
        signed_on=date(2022, 5, 20),
        completed_on=date(2022, 6, 28),
    )
    projects_2023 = _round(
        fund,
        organisations,
        year=2023,
        projects=21,
        amount=Decimal("30000.00"),
        opens_on=date(2023, 2, 1),
        signed_on=date(2023, 3, 15),
        completed_on=None,
    )
    today = local_today()
    grants.round_open(
        actor=SYSTEM,
        fund=fund,
        name=f"{today.year}年闻堰街道社区公益创投",
        budget=Decimal("500000.00"),
        max_per_project=Decimal("50000.00"),
        opens_on=today - timedelta(days=7),
        closes_on=today + timedelta(days=30),
    )
    return projects_2023


def event_call_demo_load(*, subdistrict: Subdistrict) -> Call | None:
    """A call (吹哨) for the newest open event of 三江社区, blown by ``sanjiang`` after the events
    demo is loaded (without events there is nothing to call for, and no call)."""
    sanjiang = Community.objects.filter(subdistrict=subdistrict).order_by("code").first()
    lead = User.objects.filter(role="grid_lead", community=sanjiang).order_by("pk").first()
    event = (
        Event.objects.filter(community=sanjiang, status__in=OPEN_STATES, calls__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )
    if lead is None or event is None:
        return None
    return event_calls.call_blow_for_event(
        actor=lead, event=event, message=f"{SYNTHETIC}请能协助处置的社会组织和部门报到。"
    )
