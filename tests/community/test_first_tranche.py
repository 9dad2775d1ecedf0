"""The first tranche's deadline: due on the 15th working day after signing (holidays and make-up
days of the working calendar counted), flagged when late or due within 3 working days, counted on
the fund card of the community lead and the fund manager, and flagged on the round's page."""

from datetime import date

import pytest

from jiedao.accounts.permissions import SYSTEM
from jiedao.community import cards, grants, selectors_projects
from jiedao.community.models import GrantApplication, Organisation

SIGNED = date(2023, 9, 20)  # a Wednesday before the National Day holiday (09-29 … 10-06)
DUE = date(2023, 10, 17)  # 15 working days later, with the make-up Saturday and Sunday 10-07/08


@pytest.fixture
def signed(fund, users):
    """三江社工站's project of 30 yuan, its agreement signed on SIGNED, no tranche paid."""
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


def test_the_first_tranche_is_due_15_working_days_after_signing_across_national_day(db):
    assert grants.first_tranche_due(SIGNED) == DUE
    # Without a holiday in between: three calendar weeks.
    assert grants.first_tranche_due(date(2023, 3, 1)) == date(2023, 3, 22)


@pytest.mark.parametrize(
    ("today", "flag"),
    [
        (date(2023, 9, 28), ""),  # the eve of the holiday: 11 working days to go
        (date(2023, 10, 11), ""),  # 10-12, 10-13, 10-16: the due date is the 4th working day
        (date(2023, 10, 12), "due_soon"),  # 10-13, 10-16, 10-17: due on the 3rd
        (date(2023, 10, 14), "due_soon"),  # a Saturday: 10-16, 10-17
        (date(2023, 10, 17), "due_soon"),  # due today, not yet late
        (date(2023, 10, 18), "late"),
    ],
)
def test_the_flag_counts_working_days(db, today, flag):
    assert grants.first_tranche_flag(signed_on=SIGNED, tranches_paid=0, today=today) == flag


def test_a_paid_or_unsigned_project_is_never_flagged(db):
    late = date(2023, 12, 1)
    assert grants.first_tranche_flag(signed_on=SIGNED, tranches_paid=1, today=late) == ""
    assert grants.first_tranche_flag(signed_on=None, tranches_paid=0, today=late) == ""


def fund_card(user):
    return next(card for card in cards.home_cards(user) if card.url == "/community/fund/")


@pytest.mark.parametrize("role", ["grid_lead", "administrator"])
def test_a_late_first_tranche_is_counted_on_the_fund_card(
    users, signed, monkeypatch, role, django_assert_num_queries
):
    user = users[role]
    monkeypatch.setattr(cards, "local_today", lambda: date(2023, 10, 11))
    quiet = fund_card(user).urgent
    monkeypatch.setattr(cards, "local_today", lambda: date(2023, 10, 18))

    assert fund_card(user).urgent == quiet + 1
    with django_assert_num_queries(1):
        flagged = selectors_projects.first_tranches_flagged(user=user, today=date(2023, 10, 18))
    mine = [item for item in flagged if item.application.pk == signed.pk]
    assert [(item.due, item.flag) for item in mine] == [(DUE, "late")]


def test_the_first_payment_takes_the_project_off_the_card(users, signed, monkeypatch):
    admin = users["administrator"]
    monkeypatch.setattr(cards, "local_today", lambda: date(2023, 10, 18))
    before = fund_card(admin).urgent

    grants.tranche_pay(actor=admin, application=signed, paid_on=date(2023, 10, 18))

    assert fund_card(admin).urgent == before - 1


def test_an_organisation_sees_no_fund_card_count(users, signed):
    assert (
        selectors_projects.first_tranches_flagged(
            user=users["social_organisation"], today=date(2023, 10, 18)
        )
        == []
    )


def test_the_round_page_shows_the_due_date_and_the_flag(client_for, signed, monkeypatch):
    from jiedao.community import views_grants

    url = f"/community/grants/{signed.round_id}/"
    monkeypatch.setattr(views_grants, "local_today", lambda: date(2023, 10, 12))
    page = client_for("administrator").get(url).content.decode()
    assert "2023-10-17" in page
    assert page.count('data-flag="due_soon"') == 1
    assert 'data-flag="late"' not in page

    monkeypatch.setattr(views_grants, "local_today", lambda: date(2023, 10, 18))
    page = client_for("administrator").get(url).content.decode()
    assert page.count('data-flag="late"') == 1
    assert GrantApplication.objects.get(pk=signed.pk).status == "signed"


def test_the_project_page_shows_the_due_date_and_the_flag(client_for, signed, monkeypatch):
    from jiedao.community import views_projects

    url = f"/community/projects/{signed.pk}/"
    monkeypatch.setattr(views_projects, "local_today", lambda: date(2023, 10, 11))
    page = client_for("social_organisation").get(url).content.decode()
    assert 'id="first-tranche-due">2023-10-17' in page
    assert "data-flag=" not in page

    monkeypatch.setattr(views_projects, "local_today", lambda: date(2023, 10, 18))
    page = client_for("grid_lead").get(url).content.decode()
    assert page.count('data-flag="late"') == 1
