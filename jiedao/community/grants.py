"""公益创投 grant rounds, written the way Chinese districts run them: a round with a budget and a
maximum per project, one application per organisation, a panel's scores graded by a rubric
(A ≥ 85, B ≥ 60, C below, per round), selection of the best A and B projects within the budget,
an agreement whose signing commits the grant in the fund's ledger, and payment in tranches — the
first within 15 working days of signing, the second after a passed mid-term review, the rest
after a passed final review. A failed review stops the project and releases what it had left.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Avg
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import SYSTEM, get_in_scope, require
from jiedao.audit.services import audit_record
from jiedao.core.errors import Conflict, Forbidden, InvalidInput
from jiedao.core.localtime import local_today
from jiedao.core.text import clean_text
from jiedao.core.updates import model_create, model_update
from jiedao.core.workcalendar import is_workday

from . import ledger
from .models import Fund, FundEntry, GrantApplication, GrantRound, GrantScore, Organisation

Status = GrantApplication.Status
FIRST_TRANCHE_WORKING_DAYS = 15
# A first tranche due within this many working days is flagged before it is late.
DUE_SOON_WORKING_DAYS = 3


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}"


@transaction.atomic
def round_open(
    *,
    actor: Any,
    fund: Fund,
    name: str,
    budget: Any,
    max_per_project: Any,
    opens_on: date,
    closes_on: date,
) -> GrantRound:
    require(actor, "community.grant_manage")
    fund = get_in_scope(actor, Fund.objects.all(), pk=fund.pk)
    name = clean_text(name, field="name", max_length=100, label=_("Name"), required=True)
    budget = ledger.parse_amount(budget, label=_("Budget (yuan)"))
    maximum = ledger.parse_amount(max_per_project, label=_("Maximum per project (yuan)"))
    if maximum > budget:
        raise InvalidInput(
            _("Maximum per project (yuan) may not be more than the budget."),
            field="max_per_project",
        )
    if closes_on < opens_on:
        raise InvalidInput(_("Closes on must not be before opens on."), field="closes_on")
    if GrantRound.objects.filter(name=name).exists():
        raise InvalidInput(
            _("Name “%(name)s” is taken by another round.") % {"name": name}, field="name"
        )
    return model_create(
        model=GrantRound,
        data={
            "fund": fund,
            "name": name,
            "budget": budget,
            "max_per_project": maximum,
            "opens_on": opens_on,
            "closes_on": closes_on,
        },
        actor=actor,
        action="community.grantround.open",
    )


@transaction.atomic
def application_submit(
    *,
    actor: Any,
    grant_round: GrantRound,
    organisation: Organisation,
    title: str,
    summary: str,
    amount: Any,
    on: date | None = None,
) -> GrantApplication:
    """An organisation applies, once per round, for at most the round's maximum."""
    require(actor, "community.grant_apply")
    grant_round = get_in_scope(actor, GrantRound.objects.select_for_update(), pk=grant_round.pk)
    if actor is not SYSTEM and not organisation.members.filter(pk=actor.pk).exists():
        raise Forbidden(_("You do not act for this social organisation."))
    today = on if (on is not None and actor is SYSTEM) else local_today()
    if (
        grant_round.status != GrantRound.Status.OPEN
        or not grant_round.opens_on <= today <= grant_round.closes_on
    ):
        raise Conflict(
            _("The round takes applications from %(opens)s to %(closes)s.")
            % {
                "opens": f"{grant_round.opens_on:%Y-%m-%d}",
                "closes": f"{grant_round.closes_on:%Y-%m-%d}",
            },
            code="round_closed",
        )
    title = clean_text(
        title, field="title", max_length=100, label=_("Project title"), required=True
    )
    summary = clean_text(
        summary, field="summary", max_length=5000, label=_("Project summary"), required=True
    )
    amount = ledger.parse_amount(amount, label=_("Amount requested (yuan)"))
    if amount > grant_round.max_per_project:
        raise InvalidInput(
            _(
                "Amount requested (yuan) %(amount)s is above the round's maximum of %(maximum)s yuan per project."
            )
            % {"amount": _yuan(amount), "maximum": _yuan(grant_round.max_per_project)},
            field="amount",
            code="above_maximum",
        )
    if GrantApplication.objects.filter(round=grant_round, organisation=organisation).exists():
        raise InvalidInput(
            _("%(name)s has applied to this round already: one project per organisation.")
            % {"name": organisation.name},
            field="organisation",
            code="second_application",
        )
    return model_create(
        model=GrantApplication,
        data={
            "round": grant_round,
            "organisation": organisation,
            "title": title,
            "summary": summary,
            "amount": amount,
            "submitted_at": timezone.now(),
        },
        actor=actor,
        action="community.grantapplication.submit",
    )


@transaction.atomic
def application_score(*, actor: Any, application: GrantApplication, score: int) -> GrantScore:
    """A panel member scores an application (0–100); scoring again replaces their score."""
    require(actor, "community.grant_review")
    application = get_in_scope(
        actor, GrantApplication.objects.select_related("round"), pk=application.pk
    )
    if application.round.status != GrantRound.Status.OPEN:
        raise Conflict(
            _("The round's projects are selected: scores are final."), code="round_selected"
        )
    if not isinstance(score, int) or not 0 <= score <= 100:
        raise InvalidInput(_("Score must be a whole number from 0 to 100."), field="score")
    reviewer = actor if getattr(actor, "pk", None) else None
    if reviewer is None:
        raise Forbidden(_("Scores are given by the panel's members."))
    found, created = GrantScore.objects.update_or_create(
        application=application, reviewer=reviewer, defaults={"score": score}
    )
    audit_record(
        actor=actor,
        action="community.grantscore.set",
        target=application,
        after={"reviewer": reviewer.get_username(), "score": score, "created": created},
    )
    return found


@dataclass(frozen=True)
class Ranked:
    application_id: int
    score: Decimal | None
    grade: str
    amount: Decimal


def select_within_budget(items: list[Ranked], budget: Decimal) -> set[int]:
    """The applications chosen: A then B grades by score, each while it still fits the budget
    (a project that does not fit is passed over for a smaller one below it)."""
    chosen: set[int] = set()
    left = budget
    eligible = [item for item in items if item.grade in ("A", "B")]
    for item in sorted(eligible, key=lambda item: (-(item.score or 0), item.application_id)):
        if item.amount <= left:
            chosen.add(item.application_id)
            left -= item.amount
    return chosen


@transaction.atomic
def round_select(*, actor: Any, grant_round: GrantRound) -> list[GrantApplication]:
    """Close the round: average each application's scores, grade them, select within budget."""
    require(actor, "community.grant_manage")
    grant_round = get_in_scope(actor, GrantRound.objects.select_for_update(), pk=grant_round.pk)
    if grant_round.status != GrantRound.Status.OPEN:
        raise Conflict(_("The round's projects are selected already."), code="round_selected")
    # Locked first, averaged apart: PostgreSQL refuses FOR UPDATE together with GROUP BY.
    applications = list(
        GrantApplication.objects.select_for_update().filter(round=grant_round).order_by("pk")
    )
    averages = {
        row["application_id"]: row["average"]
        for row in GrantScore.objects.filter(application__round=grant_round)
        .values("application_id")
        .annotate(average=Avg("score"))
    }
    ranked = []
    for application in applications:
        average = averages.get(application.pk)
        score = (
            None
            if average is None
            else Decimal(str(average)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        )
        ranked.append(Ranked(application.pk, score, grant_round.grade(score), application.amount))
    chosen = select_within_budget(ranked, grant_round.budget)
    for application, item in zip(applications, ranked, strict=True):
        model_update(
            instance=application,
            data={
                "score": item.score,
                "grade": item.grade,
                "status": Status.SELECTED if application.pk in chosen else Status.NOT_SELECTED,
            },
            actor=actor,
            action="community.grantapplication.select",
        )
    model_update(
        instance=grant_round,
        data={"status": GrantRound.Status.SELECTED},
        actor=actor,
        action="community.grantround.select",
    )
    return applications


def working_days_after(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (holidays and make-up days counted)."""
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if is_workday(day):
            counted += 1
    return day


def first_tranche_due(signed_on: date) -> date:
    """The 15th working day after signing."""
    return working_days_after(signed_on, FIRST_TRANCHE_WORKING_DAYS)


FIRST_TRANCHE_LATE = "late"
FIRST_TRANCHE_DUE_SOON = "due_soon"


def first_tranche_flag(*, signed_on: date | None, tranches_paid: int, today: date) -> str:
    """``late`` when the first tranche is unpaid after its due date, ``due_soon`` when it is due
    within the next DUE_SOON_WORKING_DAYS working days (today included), else empty."""
    if signed_on is None or tranches_paid > 0:
        return ""
    due = first_tranche_due(signed_on)
    if today > due:
        return FIRST_TRANCHE_LATE
    if due <= working_days_after(today, DUE_SOON_WORKING_DAYS):
        return FIRST_TRANCHE_DUE_SOON
    return ""


def _application(actor: Any, application: GrantApplication) -> GrantApplication:
    return get_in_scope(
        actor,
        GrantApplication.objects.select_for_update(of=("self",)).select_related(
            "round__fund", "organisation", "commitment"
        ),
        pk=application.pk,
    )


@transaction.atomic
def agreement_sign(
    *, actor: Any, application: GrantApplication, signed_on: date
) -> GrantApplication:
    """Sign the agreement of a selected project: its grant is committed in the fund's ledger."""
    require(actor, "community.grant_manage")
    application = _application(actor, application)
    if application.status != Status.SELECTED:
        raise Conflict(_("Only a selected project's agreement can be signed."), code="not_selected")
    commitment = ledger.fund_entry_book(
        actor=actor,
        fund=application.round.fund,
        kind=FundEntry.Kind.COMMITMENT,
        amount=application.amount,
        description=f"{application.round.name}：{application.title}"[:200],
        booked_on=signed_on,
        organisation=application.organisation,
    )
    model_update(
        instance=application,
        data={"status": Status.SIGNED, "signed_on": signed_on, "commitment": commitment},
        actor=actor,
        action="community.grantapplication.sign",
    )
    return application


def tranche_amounts(application: GrantApplication) -> list[Decimal]:
    """The three tranches in yuan; the last takes the rounding."""
    cent = Decimal("0.01")
    first = (application.amount * application.round.first_share / 100).quantize(cent, ROUND_HALF_UP)
    second = (application.amount * application.round.midterm_share / 100).quantize(
        cent, ROUND_HALF_UP
    )
    return [first, second, application.amount - first - second]


def _paid_tranches(application: GrantApplication) -> int:
    if application.commitment is None:
        return 0
    return application.commitment.drawings.filter(kind=FundEntry.Kind.PAYMENT).count()


@transaction.atomic
def tranche_pay(
    *, actor: Any, application: GrantApplication, paid_on: date | None = None
) -> FundEntry:
    """Pay the next tranche out of the project's commitment, when its condition is met."""
    require(actor, "community.grant_manage")
    application = _application(actor, application)
    if application.status != Status.SIGNED or application.commitment is None:
        raise Conflict(
            _("No payment before the agreement is signed (the project is “%(status)s”).")
            % {"status": Status(application.status).label},
            code="not_signed",
        )
    number = _paid_tranches(application) + 1
    amounts = tranche_amounts(application)
    if number == 2 and application.midterm_passed is not True:
        raise Conflict(
            _("The second tranche is paid after a passed mid-term review."), code="midterm"
        )
    if number == 3 and application.final_passed is not True:
        raise Conflict(_("The last tranche is paid after a passed final review."), code="final")
    if number > 3 or amounts[number - 1] == 0:
        raise Conflict(_("Every tranche is paid."), code="paid")
    entry = ledger.fund_entry_book(
        actor=actor,
        fund=application.round.fund,
        kind=FundEntry.Kind.PAYMENT,
        amount=amounts[number - 1],
        description=f"{application.title}：第{number}期拨付"[:200],
        booked_on=paid_on,
        commitment=application.commitment,
    )
    if number == 3:
        model_update(
            instance=application,
            data={"status": Status.COMPLETED, "completed_on": entry.booked_on},
            actor=actor,
            action="community.grantapplication.complete",
        )
    return entry


@transaction.atomic
def review_record(
    *, actor: Any, application: GrantApplication, stage: str, passed: bool, on: date | None = None
) -> GrantApplication:
    """The mid-term or final review's result. A failed review stops the project: no more
    payments, and what it had not been paid goes back to the fund."""
    require(actor, "community.grant_manage")
    application = _application(actor, application)
    field = {"midterm": "midterm_passed", "final": "final_passed"}.get(stage)
    if field is None:
        raise InvalidInput(_("Stage must be mid-term or final."), field="stage")
    if application.status != Status.SIGNED:
        raise Conflict(_("Only a signed project is reviewed."), code="not_signed")
    if stage == "final" and application.midterm_passed is not True:
        raise Conflict(_("The final review follows a passed mid-term review."), code="midterm")
    if getattr(application, field) is not None:
        raise Conflict(_("This review is recorded already."), code="reviewed")
    data: dict[str, Any] = {field: passed}
    if not passed:
        data["status"] = Status.STOPPED
        left = ledger.commitment_left(application.commitment) if application.commitment else 0
        if application.commitment is not None and left > 0:
            ledger.fund_entry_book(
                actor=actor,
                fund=application.round.fund,
                kind=FundEntry.Kind.RELEASE,
                amount=left,
                description=f"{application.title}：评估未通过，释放余额"[:200],
                booked_on=on,
                commitment=application.commitment,
            )
    model_update(
        instance=application, data=data, actor=actor, action=f"community.grantapplication.{stage}"
    )
    return application
