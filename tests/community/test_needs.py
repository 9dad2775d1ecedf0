"""Needs and calls through the services: the demo's seeds, the workflow, similar needs, the
call answered by an organisation, and bad input refused by label with nothing written."""

from datetime import date

import pytest
from django.utils import translation

from jiedao.accounts.permissions import SYSTEM
from jiedao.audit.models import AuditEntry
from jiedao.community import selectors, services
from jiedao.community.models import Call, CallResponse, Need, NeedGroup, Organisation
from jiedao.core.errors import Conflict, InvalidInput
from jiedao.geo.models import Community


def sanjiang() -> Community:
    return Community.objects.get(name="三江社区")


def state() -> tuple[int, int, int, int, list]:
    return (
        Need.objects.count(),
        Call.objects.count(),
        CallResponse.objects.count(),
        AuditEntry.objects.count(),
        list(Need.objects.order_by("pk").values_list("status", flat=True)),
    )


def raise_need(
    user, title="老年食堂助餐服务", group="elderly", description="希望老年食堂送餐上门。"
):
    return services.need_raise(
        actor=user,
        community=sanjiang(),
        group=NeedGroup.objects.get(code=group),
        source="visit",
        title=title,
        description=description,
    )


def test_the_demo_has_the_seeds_figures(wenyan_demo):
    in_2022_h1 = {
        "raised_at__date__gte": date(2022, 1, 1),
        "raised_at__date__lte": date(2022, 6, 30),
    }
    reported_in = (
        CallResponse.objects.filter(
            reported_at__date__gte=date(2022, 1, 1), reported_at__date__lte=date(2022, 6, 30)
        )
        .values("organisation")
        .distinct()
        .count()
    )
    assert (Need.objects.filter(**in_2022_h1).count(), reported_in) == (112, 35)


def test_shegong_acts_for_the_sanjiang_social_work_station_and_has_a_call_to_answer(users):
    shegong = users["social_organisation"]
    assert [o.name for o in selectors.organisations_of(shegong)] == ["三江社工站"]
    counts = selectors.workspace_counts(user=shegong)
    assert (counts.open_calls, counts.calls_to_answer) == (1, 1)
    assert selectors.workspace_counts(user=users["grid_lead"]).to_assess == 4


def test_a_need_goes_from_collected_to_met_through_a_call(users):
    lead, shegong = users["grid_lead"], users["social_organisation"]
    need = raise_need(users["grid_worker"], title="周末儿童托管", group="children")
    services.need_transition(actor=lead, need=need, action="assess")
    call = services.call_blow(actor=lead, need=need, message="需要周末托管，请报到。")
    station = Organisation.objects.get(name="三江社工站")

    response = services.call_report_in(actor=shegong, call=call, organisation=station)
    services.response_transition(
        actor=shegong, response=response, action="commit", text="每周六开班"
    )
    need.refresh_from_db()
    assert (need.status, need.match_kind, need.matched_label) == (
        "matched",
        "organisation",
        "三江社工站",
    )

    services.response_transition(
        actor=shegong, response=response, action="complete", text="已开班8次"
    )
    services.need_transition(actor=lead, need=need, action="meet")
    need.refresh_from_db()
    call.refresh_from_db()
    response.refresh_from_db()
    assert (need.status, call.is_open, response.status, response.completion) == (
        "met",
        False,
        "completed",
        "已开班8次",
    )


def test_a_move_the_table_does_not_allow_is_a_conflict_and_changes_nothing(users):
    need = raise_need(users["grid_lead"])
    before = state()
    with translation.override("zh-hans"), pytest.raises(Conflict) as raised:
        services.need_transition(actor=users["grid_lead"], need=need, action="meet")
    assert str(raised.value.message) == "处于“已收集”的需求不能“确认满足”。"
    assert state() == before


@pytest.mark.parametrize(
    ("data", "message", "field"),
    [
        ({"title": "  "}, "标题 为必填项。", "title"),
        ({"title": "长" * 101}, "标题 过长：最多 100 个字符。", "title"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(users, data, message, field):
    before = state()
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as raised:
        raise_need(users["grid_lead"], **data)
    assert (str(raised.value.message), raised.value.field) == (message, field)
    assert state() == before


def test_declining_needs_a_reason(users):
    need = raise_need(users["grid_lead"])
    before = state()
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as raised:
        services.need_transition(actor=users["grid_lead"], need=need, action="decline", reason="")
    assert (str(raised.value.message), raised.value.field) == ("理由 为必填项。", "reason")
    assert state() == before


def test_similar_needs_are_offered_with_their_shared_wording_and_merge(users):
    lead = users["grid_lead"]
    first = raise_need(lead, title="老年食堂送餐", description="行动不便的老人希望送餐上门")
    second = raise_need(lead, title="老年食堂送餐上门", description="希望为老人送餐上门")
    raise_need(
        lead, title="老年食堂送餐", group="children", description="行动不便的老人希望送餐上门"
    )
    found = selectors.need_similar(user=lead, need=second)
    assert found[0].need == first
    assert {"老年", "食堂", "送餐", "餐上", "上门"} <= set(found[0].shared)
    assert all(item.need.group.code == "elderly" for item in found)

    services.need_transition(actor=lead, need=second, action="merge", into=first)
    second.refresh_from_db()
    assert (second.status, second.merged_into_id) == ("merged", first.pk)


def test_the_public_list_carries_no_personal_data(wenyan_demo):
    door = SYSTEM
    services.need_submit_public(
        door=door,
        community=sanjiang(),
        group=NeedGroup.objects.get(code="youth"),
        title="篮球场晚上开灯 13912345678",
        description="我家住3幢501，电话13912345678",
        contact_name="王小明",
        contact_phone="13912345678",
    )
    published = selectors.public_need_list(community=sanjiang())
    assert (published[0].title, published[0].group, published[0].status_label) == (
        "篮球场晚上开灯 ***",
        "青少年",
        "已收集",
    )
    text = repr(published)
    assert ("王小明" in text, "13912345678" in text, "501" in text) == (False, False, False)


def test_a_contact_is_masked_for_everyone_but_the_lead(users):
    need = services.need_submit_public(
        door=SYSTEM,
        community=sanjiang(),
        group=NeedGroup.objects.get(code="elderly"),
        title="助浴",
        description="",
        contact_name="王小明",
        contact_phone="13912345678",
    )
    assert selectors.need_contact(users["grid_lead"], need) == ("王小明", "13912345678")
    assert selectors.need_contact(users["social_organisation"], need) == ("王**", "139****5678")


def test_an_organisation_serving_another_community_cannot_report_in(users):
    lead = users["grid_lead"]
    need = raise_need(lead)
    services.need_transition(actor=lead, need=need, action="assess")
    call = services.call_blow(actor=lead, need=need, message="请报到")
    elsewhere = Organisation.objects.exclude(communities=sanjiang()).first()
    elsewhere.members.add(users["social_organisation"])
    before = state()
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as raised:
        services.call_report_in(
            actor=users["social_organisation"], call=call, organisation=elsewhere
        )
    assert str(raised.value.message) == f"社会组织 {elsewhere.name} 不服务三江社区。"
    assert state() == before


def test_lists_run_a_constant_number_of_statements(users, django_assert_num_queries):
    lead = users["grid_lead"]
    with django_assert_num_queries(1):
        needs = selectors.need_list(user=lead)
    # 17 of 2022 and the 4 of today's open work
    assert len(needs) == 21
    with django_assert_num_queries(2):
        calls = selectors.call_list(user=users["dispatcher"])
    assert len(calls) == 36
    with django_assert_num_queries(2):
        organisations = selectors.organisation_list(user=users["dispatcher"])
    assert len(organisations) == 35
    community = sanjiang()
    with django_assert_num_queries(1):
        published = selectors.public_need_list(community=community)
    assert len(published) == 21
