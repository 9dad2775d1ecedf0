"""A funded project's milestones and progress: planned, marked done and reported by its own
organisation from its project page and the API (one service behind both), every write audited;
another organisation, the administrator or a grid worker is refused and nothing is written; bad
input is refused by the field's label."""

import html
import re
from datetime import date

import pytest

from jiedao.accounts.models import User
from jiedao.accounts.permissions import SYSTEM
from jiedao.audit.models import AuditEntry
from jiedao.community import grants, projects, selectors_projects
from jiedao.community.models import GrantApplication, Milestone, Organisation, ProgressReport
from jiedao.core.errors import Conflict, Forbidden, InvalidInput

SIGNED = date(2023, 9, 20)


@pytest.fixture
def project(fund, users):
    """三江社工站's project (shegong acts for it), its agreement signed on SIGNED."""
    grant_round = grants.round_open(
        actor=SYSTEM,
        fund=fund,
        name="测试创投",
        budget="60",
        max_per_project="30",
        opens_on=date(2023, 1, 1),
        closes_on=date(2099, 12, 31),
    )
    application = grants.application_submit(
        actor=SYSTEM,
        grant_round=grant_round,
        organisation=Organisation.objects.get(name="三江社工站"),
        title="一老一小",
        summary="助餐与托管",
        amount="30",
    )
    grants.application_score(actor=users["administrator"], application=application, score=90)
    grants.round_select(actor=users["administrator"], grant_round=grant_round)
    return grants.agreement_sign(
        actor=users["administrator"], application=application, signed_on=SIGNED
    )


@pytest.fixture
def other_organisation_member(users):
    """An account acting for another social organisation of the same community."""
    shegong = users["social_organisation"]
    user = User.objects.create(
        username="other_org",
        role="social_organisation",
        subdistrict=shegong.subdistrict,
        community=shegong.community,
    )
    other = Organisation.objects.exclude(name="三江社工站").order_by("pk").first()
    other.members.add(user)
    return user


def written():
    return (Milestone.objects.count(), ProgressReport.objects.count(), AuditEntry.objects.count())


def alert(response) -> str:
    found = re.findall(r'role="alert"[^>]*>([^<]*)<', response.content.decode())
    return html.unescape(" ".join(found))


def test_the_organisation_plans_marks_done_and_reports_progress(users, project):
    shegong = users["social_organisation"]

    milestone = projects.milestone_plan(
        actor=shegong, application=project, title="招募志愿者", due_on="2023-10-31", note="20人"
    )
    projects.milestone_done(actor=shegong, milestone=milestone, done_on="2023-11-02", note="")
    report = projects.progress_report(
        actor=shegong, application=project, text="已开展助餐12次", reported_on="2023-11-03"
    )

    milestone.refresh_from_db()
    assert (milestone.title, milestone.due_on, milestone.done_on, milestone.note) == (
        "招募志愿者",
        date(2023, 10, 31),
        date(2023, 11, 2),
        "20人",
    )
    assert (report.reported_on, report.text, report.created_by_id) == (
        date(2023, 11, 3),
        "已开展助餐12次",
        shegong.pk,
    )
    actions = list(AuditEntry.objects.order_by("-id").values_list("action", flat=True)[:3])
    assert actions == [
        "community.progressreport.create",
        "community.milestone.done",
        "community.milestone.plan",
    ]


@pytest.mark.parametrize("role", ["administrator", "grid_lead", "grid_worker", "supervisor"])
def test_other_roles_may_not_write_and_nothing_is_written(users, project, role):
    milestone = projects.milestone_plan(
        actor=SYSTEM, application=project, title="招募志愿者", due_on="2023-10-31"
    )
    before = written()
    actor = users[role]

    with pytest.raises(Forbidden):
        projects.milestone_plan(actor=actor, application=project, title="偷改", due_on="2023-10-31")
    with pytest.raises(Forbidden):
        projects.milestone_done(actor=actor, milestone=milestone, done_on="2023-11-02")
    with pytest.raises(Forbidden):
        projects.progress_report(actor=actor, application=project, text="偷改")

    assert written() == before
    assert Milestone.objects.get(pk=milestone.pk).done_on is None


def test_another_organisation_cannot_touch_the_project(
    client_for, users, project, other_organisation_member
):
    from django.test import Client

    milestone = projects.milestone_plan(
        actor=SYSTEM, application=project, title="招募志愿者", due_on="2023-10-31"
    )
    before = written()
    other = other_organisation_member

    with pytest.raises(Forbidden):
        projects.milestone_plan(actor=other, application=project, title="偷改", due_on="2023-10-31")
    with pytest.raises(Forbidden):
        projects.milestone_done(actor=other, milestone=milestone, done_on="2023-11-02")
    with pytest.raises(Forbidden):
        projects.progress_report(actor=other, application=project, text="偷改")

    client = Client()
    client.force_login(other)
    page = client.get(f"/community/projects/{project.pk}/").content.decode()
    assert 'name="step" value="milestone"' not in page
    statuses = [
        client.post(
            f"/community/projects/{project.pk}/action/",
            {"step": "milestone", "title": "偷改", "due_on": "2023-10-31"},
        ).status_code,
        client.post(
            f"/api/community/milestones/{milestone.pk}/done",
            {"done_on": "2023-11-02"},
            content_type="application/json",
        ).status_code,
        client.post(
            f"/api/community/projects/{project.pk}/progress",
            {"text": "偷改"},
            content_type="application/json",
        ).status_code,
    ]
    assert statuses == [403, 403, 403]
    assert written() == before
    assert Milestone.objects.get(pk=milestone.pk).done_on is None


def test_bad_input_is_refused_by_label_and_nothing_is_written(users, project):
    shegong = users["social_organisation"]
    milestone = projects.milestone_plan(
        actor=shegong, application=project, title="招募志愿者", due_on="2023-10-31"
    )
    before = written()
    cases = [
        (
            lambda: projects.milestone_plan(
                actor=shegong, application=project, title=" ", due_on="2023-10-31"
            ),
            "里程碑",
        ),
        (
            lambda: projects.milestone_plan(
                actor=shegong, application=project, title="培训", due_on="2023-09-19"
            ),
            "计划完成日期不能早于协议签订日期（2023-09-20）。",
        ),
        (
            lambda: projects.milestone_plan(
                actor=shegong, application=project, title="招募志愿者", due_on="2023-11-30"
            ),
            "里程碑“招募志愿者”已经计划过了。",
        ),
        (
            lambda: projects.milestone_done(
                actor=shegong, milestone=milestone, done_on="2099-01-01"
            ),
            "完成日期不能是将来的日期。",
        ),
        (lambda: projects.progress_report(actor=shegong, application=project, text=""), "进展"),
    ]
    from django.utils import translation

    with translation.override("zh-hans"):
        messages = []
        for change, _expected in cases:
            with pytest.raises(InvalidInput) as error:
                change()
            messages.append(str(error.value.message))
    for message, (_change, expected) in zip(messages, cases, strict=True):
        assert expected in message
    assert written() == before


def test_a_stopped_project_takes_no_more_milestones(users, project):
    grants.review_record(
        actor=users["administrator"], application=project, stage="midterm", passed=False
    )
    before = written()

    with pytest.raises(Conflict):
        projects.milestone_plan(
            actor=users["social_organisation"],
            application=project,
            title="培训",
            due_on="2023-12-01",
        )

    assert written() == before
    assert GrantApplication.objects.get(pk=project.pk).status == "stopped"


def test_the_project_page_and_the_api_share_one_service(client_for, users, project):
    client = client_for("social_organisation")
    url = f"/community/projects/{project.pk}/"
    assert 'name="step" value="milestone"' in client.get(url).content.decode()

    client.post(
        f"{url}action/", {"step": "milestone", "title": "招募志愿者", "due_on": "2023-10-31"}
    )
    api = client.post(
        f"/api/community/projects/{project.pk}/milestones",
        {"title": "开展培训", "due_on": "2023-11-30", "note": "两期"},
        content_type="application/json",
    )
    assert api.status_code == 201
    first = Milestone.objects.get(title="招募志愿者")
    client.post(f"{url}action/", {"step": "done", "milestone": first.pk, "done_on": "2023-11-02"})
    client.post(
        f"/api/community/projects/{project.pk}/progress",
        {"text": "已开展助餐12次", "reported_on": "2023-11-03"},
        content_type="application/json",
    )

    body = client.get(f"/api/community/projects/{project.pk}").json()
    assert body["milestones"] == [
        {
            "id": first.pk,
            "title": "招募志愿者",
            "due_on": "2023-10-31",
            "done_on": "2023-11-02",
            "note": "",
        },
        {
            "id": api.json()["id"],
            "title": "开展培训",
            "due_on": "2023-11-30",
            "done_on": None,
            "note": "两期",
        },
    ]
    assert [(r["reported_on"], r["text"]) for r in body["progress_reports"]] == [
        ("2023-11-03", "已开展助餐12次")
    ]
    assert (body["first_tranche_due"], body["tranches_paid"]) == ("2023-10-17", 0)
    admin_page = client_for("administrator").get(url).content.decode()
    assert "招募志愿者" in admin_page
    assert "已开展助餐12次" in admin_page
    assert 'name="step" value="milestone"' not in admin_page


def test_a_bad_milestone_is_refused_alike_at_page_and_api(client_for, project):
    client = client_for("social_organisation")
    before = written()
    data = {"title": "培训", "due_on": "2023-09-19"}
    page = client.post(f"/community/projects/{project.pk}/action/", {"step": "milestone", **data})
    api = client.post(
        f"/api/community/projects/{project.pk}/milestones", data, content_type="application/json"
    )
    message = "计划完成日期不能早于协议签订日期（2023-09-20）。"
    assert (page.status_code, alert(page)) == (422, message)
    assert (api.status_code, api.json()["error"]["message"]) == (422, message)
    assert written() == before


def test_the_project_reads_in_a_constant_number_of_statements(
    users, project, django_assert_num_queries
):
    for number in range(3):
        projects.milestone_plan(
            actor=SYSTEM, application=project, title=f"第{number}步", due_on="2023-10-31"
        )
        projects.progress_report(actor=SYSTEM, application=project, text=f"进展{number}")

    with django_assert_num_queries(3):
        found = selectors_projects.project_get(
            user=users["administrator"], application_id=project.pk
        )
        counts = (len(found.milestones.all()), len(found.progress_reports.all()))
    assert counts == (3, 3)


def test_the_demo_has_a_running_project_with_its_plan_and_progress(users):
    project = GrantApplication.objects.get(milestones__title="招募志愿者并完成培训")
    assert (project.status, project.round.name) == ("signed", "2023年闻堰街道社区公益创投")
    assert list(project.milestones.values_list("title", "due_on", "done_on")) == [
        ("招募志愿者并完成培训", date(2023, 4, 30), date(2023, 4, 26)),
        ("开展第一季度服务", date(2023, 7, 31), None),
    ]
    assert list(project.progress_reports.values_list("reported_on", flat=True)) == [
        date(2023, 4, 28)
    ]


def test_the_admin_only_reads_milestones_and_progress(client_for, project):
    projects.milestone_plan(
        actor=SYSTEM, application=project, title="招募志愿者", due_on="2023-10-31"
    )
    client = client_for("administrator")
    listing = client.get("/admin/community/milestone/")
    adding = client.get("/admin/community/milestone/add/")
    assert (listing.status_code, adding.status_code) == (200, 403)
    assert "招募志愿者" in listing.content.decode()
