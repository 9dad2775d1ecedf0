"""Activities, facilities and figures through HTTP: the organisation's and the lead's pages and
the API call the same services, refuse the same bad input with the same Chinese message and
write nothing then; lists run a constant number of statements; the database refuses more places
in use than a facility has."""

import html
import re
from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from jiedao.accounts.permissions import SYSTEM
from jiedao.audit.models import AuditEntry
from jiedao.community import activities
from jiedao.community.models import Activity, Facility, Organisation
from jiedao.core.localtime import local_today


def alert(response) -> str:
    found = re.findall(r'role="alert"[^>]*>([^<]*)<', response.content.decode())
    return html.unescape(" ".join(found))


def rows(response, prefix: str) -> int:
    return len(re.findall(rf'<tr id="{prefix}-\d+"', response.content.decode()))


def test_shegong_sees_the_own_organisations_activities_and_records_one_as_held(client_for):
    client = client_for("social_organisation")
    page = client.get("/community/activities/")
    # 三江社工站 ran the 15 trainings and 2 of the 35 activities in 2023, and plans one more
    assert (page.status_code, rows(page, "activity")) == (200, 18)
    planned = Activity.objects.get(title="助残志愿陪护培训")
    response = client.post(
        f"/community/activities/{planned.pk}/action/",
        {"action": "hold", "held_on": local_today().isoformat(), "person_times": "16"},
    )
    planned.refresh_from_db()
    assert (response.status_code, planned.status, planned.person_times) == (302, "held", 16)


def test_bad_person_times_are_refused_alike_at_page_and_api_and_nothing_is_written(client_for):
    planned = Activity.objects.get(title="助残志愿陪护培训")
    client = client_for("social_organisation")
    before = (list(Activity.objects.values_list("pk", "status")), AuditEntry.objects.count())
    data = {"action": "hold", "held_on": local_today().isoformat(), "person_times": "-5"}
    page = client.post(f"/community/activities/{planned.pk}/action/", data)
    api = client.post(
        f"/api/community/activities/{planned.pk}/actions", data, content_type="application/json"
    )
    message = "参加人次必须在 1 到 100000 之间。"
    assert (page.status_code, alert(page)) == (422, message)
    assert (api.status_code, api.json()["error"]["message"], api.json()["error"]["field"]) == (
        422,
        message,
        "person_times",
    )
    assert (
        list(Activity.objects.values_list("pk", "status")),
        AuditEntry.objects.count(),
    ) == before


def test_the_lead_plans_a_training_through_the_api_for_an_organisation_of_the_community(
    client_for,
):
    station = Organisation.objects.get(name="三江社工站")
    sanjiang = station.communities.get(name="三江社区")
    response = client_for("grid_lead").post(
        "/api/community/activities",
        {
            "community_id": sanjiang.pk,
            "kind": "training",
            "title": "社工督导培训",
            "organiser_id": station.pk,
            "planned_on": "2030-05-01",
        },
        content_type="application/json",
    )
    body = response.json()
    assert (response.status_code, body["organiser"], body["status"], body["actions"]) == (
        201,
        "三江社工站",
        "planned",
        ["hold", "cancel"],
    )


def test_a_planning_with_a_bad_date_names_the_field_on_the_page(client_for):
    station = Organisation.objects.get(name="三江社工站")
    before = Activity.objects.count()
    page = client_for("grid_lead").post(
        "/community/activities/",
        {
            "community": station.communities.get(name="三江社区").pk,
            "kind": "activity",
            "title": "邻里节",
            "organiser": station.pk,
            "planned_on": "明天",
        },
    )
    assert (page.status_code, alert(page)) == (
        422,
        "计划日期 应为形如 2022-06-30 的日期，而不是“明天”。",
    )
    assert Activity.objects.count() == before


def test_a_dispatcher_reads_without_forms_and_a_resident_is_refused(client_for):
    dispatcher = client_for("dispatcher").get("/community/activities/")
    assert (dispatcher.status_code, rows(dispatcher, "activity")) == (200, 51)
    assert 'id="plan-activity"' not in dispatcher.content.decode()
    assert client_for("resident").get("/api/community/activities").status_code == 403


def count_statements(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_lists_run_a_constant_number_of_statements(client_for):
    client = client_for("administrator")
    urls = [
        "/api/community/activities",
        "/api/community/facilities",
        "/community/activities/",
        "/community/facilities/",
    ]
    before = [count_statements(client, url) for url in urls]
    for organisation in Organisation.objects.order_by("pk")[5:9]:
        community = organisation.communities.order_by("code").first()
        activities.activity_plan(
            actor=SYSTEM,
            community=community,
            kind="activity",
            title="新活动",
            organiser=organisation,
            planned_on=date(2030, 1, 1),
        )
        activities.facility_create(
            actor=SYSTEM,
            community=community,
            name=f"活动室{organisation.pk}",
            kind="room",
            capacity=9,
        )
    assert [count_statements(client, url) for url in urls] == before


def test_the_demo_has_the_seeds_facilities(client_for):
    listed = client_for("dispatcher").get("/api/community/facilities").json()
    assert sorted(
        (f["name"], f["kind"], f["capacity"], f["in_use"], f["free"]) for f in listed
    ) == [
        ("公办托育园托位", "childcare", 40, 36, 4),
        ("普惠性托育托位", "childcare", 20, 15, 5),
        ("认知症照护床位", "elderly_bed", 12, 10, 2),
    ]


def test_more_places_in_use_than_the_capacity_are_refused_by_service_and_database(client_for):
    facility = Facility.objects.get(name="公办托育园托位")
    admin = client_for("administrator")
    before = AuditEntry.objects.count()
    api = admin.post(
        f"/api/community/facilities/{facility.pk}/use",
        {"in_use": 41},
        content_type="application/json",
    )
    page = admin.post(f"/community/facilities/{facility.pk}/use/", {"in_use": "41"})
    message = "在用数（41）不能超过容量（40）。"
    assert (api.status_code, api.json()["error"]["message"]) == (422, message)
    assert (page.status_code, alert(page)) == (422, message)
    with pytest.raises(IntegrityError), transaction.atomic():
        Facility.objects.filter(pk=facility.pk).update(in_use=F("capacity") + 1)
    facility.refresh_from_db()
    assert (facility.in_use, AuditEntry.objects.count()) == (36, before)
    ok = admin.post(f"/community/facilities/{facility.pk}/use/", {"in_use": "40"})
    facility.refresh_from_db()
    assert (ok.status_code, facility.in_use) == (302, 40)


def test_a_grid_worker_may_read_facilities_but_not_change_their_use(client_for):
    facility = Facility.objects.get(name="认知症照护床位")
    worker = client_for("grid_worker")
    response = worker.post(f"/community/facilities/{facility.pk}/use/", {"in_use": "3"})
    facility.refresh_from_db()
    assert (response.status_code, facility.in_use) == (403, 10)


def test_the_figures_page_shows_the_seeds_2023_activities(client_for):
    page = client_for("administrator").get("/community/figures/?since=2023-01-01&until=2023-12-31")
    content = page.content.decode()
    found = {
        key: re.search(rf'id="figure-{key}">(\d+)<', content).group(1)
        for key in ("activities", "trainings", "person_times", "projects_funded")
    }
    assert found == {
        "activities": "35",
        "trainings": "15",
        "person_times": "500",
        "projects_funded": "21",
    }


def test_the_api_figures_have_the_issues_keys(client_for):
    body = (
        client_for("administrator")
        .get("/api/community/figures?since=2023-01-01&until=2023-12-31")
        .json()
    )
    assert (body["activities"], body["trainings"], body["person_times"]) == (35, 15, 500)
