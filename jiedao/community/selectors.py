"""Reads of the modern community, narrowed to the user's scope, in a constant number of
statements whatever the number of rows."""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import can, get_in_scope, require, scoped
from jiedao.core.errors import InvalidInput
from jiedao.core.pii import mask_emails_in, mask_name, mask_phone
from jiedao.geo.models import Community, Department

from . import ledger
from .models import (
    Call,
    CallResponse,
    Fund,
    FundEntry,
    GrantApplication,
    GrantRound,
    Need,
    NeedGroup,
    Organisation,
)
from .similarity import Similar, similar_needs
from .workflow import OPEN_NEED_STATUSES, NeedStatus

# A mainland mobile number inside free text (published titles must not carry one).
_MOBILE_IN_TEXT = re.compile(r"(?<!\d)(\+?86)?1\d{10}(?!\d)")


def group_list() -> list[NeedGroup]:
    return list(NeedGroup.objects.filter(is_active=True))


def _needs(user: Any) -> QuerySet[Need]:
    return scoped(user, Need.objects.all()).select_related(
        "community", "group", "matched_organisation", "matched_department"
    )


def need_list(
    *, user: Any, status: str | None = None, community_id: int | None = None, limit: int = 200
) -> list[Need]:
    require(user, "community.view")
    needs = _needs(user)
    if status:
        needs = needs.filter(status=status)
    if community_id:
        needs = needs.filter(community_id=community_id)
    return list(needs[:limit])


def need_get(*, user: Any, need_id: int) -> Need:
    require(user, "community.view")
    return get_in_scope(user, _needs(user), pk=need_id)


def need_similar(*, user: Any, need: Need) -> list[Similar]:
    """Open needs of the same community and group worded alike (one statement)."""
    candidates = list(
        scoped(user, Need.objects.all())
        .filter(
            community_id=need.community_id,
            group_id=need.group_id,
            status__in=OPEN_NEED_STATUSES,
        )
        .exclude(pk=need.pk)
    )
    return similar_needs(need, candidates)


def need_contact(user: Any, need: Need) -> tuple[str, str]:
    """Who raised the need: in full for the community's lead, masked for everyone else."""
    if can(user, "community.need_contact"):
        return need.contact_name, need.contact_phone
    return mask_name(need.contact_name), mask_phone(need.contact_phone)


def need_calls(*, user: Any, need: Need) -> list[Call]:
    return list(
        scoped(user, Call.objects.filter(need=need)).prefetch_related(
            Prefetch("responses", CallResponse.objects.select_related("organisation", "department"))
        )
    )


@dataclass(frozen=True)
class PublicNeed:
    """What the public list shows of a need: no name, no phone, no description."""

    title: str
    group: str
    status: str
    status_label: str
    source_label: str
    raised_on: Any


def public_title(title: str) -> str:
    return _MOBILE_IN_TEXT.sub("***", mask_emails_in(title))


def public_communities() -> list[Community]:
    return list(Community.objects.order_by("code"))


def public_need_list(*, community: Community, limit: int = 200) -> list[PublicNeed]:
    """The needs list a community publishes (merged needs appear as the need they joined)."""
    needs = (
        Need.objects.filter(community=community)
        .exclude(status=NeedStatus.MERGED)
        .select_related("group")
        .order_by("-raised_at", "-id")[:limit]
    )
    return [
        PublicNeed(
            title=public_title(need.title),
            group=need.group.name,
            status=need.status,
            status_label=str(NeedStatus(need.status).label),
            source_label=str(Need.Source(need.source).label),
            raised_on=need.raised_at.date(),
        )
        for need in needs
    ]


def organisation_list(*, user: Any) -> list[Organisation]:
    require(user, "community.view")
    return list(
        scoped(user, Organisation.objects.all()).prefetch_related("communities").order_by("name")
    )


def organisation_get(*, user: Any, organisation_id: int) -> Organisation:
    require(user, "community.view")
    return get_in_scope(user, Organisation.objects.all(), pk=organisation_id)


def organisations_of(user: Any) -> list[Organisation]:
    """The organisations the user acts for."""
    if getattr(user, "pk", None) is None:
        return []
    return list(Organisation.objects.filter(members=user).prefetch_related("communities"))


def event_calls(*, user: Any, event: Any) -> list[Call]:
    """The calls for one event that the user sees, newest first: one statement."""
    if not can(user, "community.view"):
        return []
    return list(scoped(user, Call.objects.filter(event_id=event.pk)).order_by("-called_at", "-id"))


def call_list(*, user: Any, open_only: bool = False, limit: int = 100) -> list[Call]:
    require(user, "community.view")
    calls = scoped(user, Call.objects.all()).select_related(
        "need__community", "need__group", "community", "event__category", "called_by"
    )
    if open_only:
        calls = calls.filter(closed_at__isnull=True)
    return list(
        calls.prefetch_related(
            Prefetch("responses", CallResponse.objects.select_related("organisation", "department"))
        )[:limit]
    )


def call_get(*, user: Any, call_id: int) -> Call:
    require(user, "community.view")
    calls = scoped(user, Call.objects.all()).select_related(
        "need__community", "need__group", "community", "event__category", "called_by"
    )
    return get_in_scope(
        user,
        calls.prefetch_related(
            Prefetch(
                "responses",
                CallResponse.objects.select_related("organisation", "department", "reported_by"),
            )
        ),
        pk=call_id,
    )


def response_get(*, user: Any, response_id: int) -> CallResponse:
    require(user, "community.view")
    return get_in_scope(
        user, CallResponse.objects.select_related("call__need", "organisation"), pk=response_id
    )


@dataclass(frozen=True)
class WorkspaceCounts:
    to_assess: int
    open_calls: int
    calls_to_answer: int


def workspace_counts(*, user: Any) -> WorkspaceCounts:
    """The counts on the home cards: two statements (three for an organisation's account)."""
    to_assess = scoped(user, Need.objects.filter(status=NeedStatus.COLLECTED)).count()
    calls = scoped(user, Call.objects.filter(closed_at__isnull=True))
    open_calls = calls.count()
    to_answer = 0
    if can(user, "community.respond"):
        to_answer = (
            calls.filter(community__social_organisations__members=user)
            .exclude(responses__organisation__members=user)
            .distinct()
            .count()
        )
    elif can(user, "community.respond_department") and user.department_id is not None:
        # Open calls the user's department has not reported in to.
        to_answer = calls.exclude(responses__department_id=user.department_id).count()
    return WorkspaceCounts(to_assess, open_calls, to_answer)


def need_counts(*, user: Any) -> dict[str, int]:
    """Needs by status in the user's scope (one statement)."""
    rows = scoped(user, Need.objects.all()).values("status").annotate(n=Count("id"))
    counts = {status: 0 for status in NeedStatus.values}
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts


def fund_list(*, user: Any) -> list[Fund]:
    require(user, "community.fund_view")
    return list(scoped(user, Fund.objects.select_related("balance")).order_by("name"))


def fund_get(*, user: Any, fund_id: int) -> Fund:
    require(user, "community.fund_view")
    return get_in_scope(user, Fund.objects.select_related("balance"), pk=fund_id)


@dataclass(frozen=True)
class Statement:
    fund: Fund
    since: date
    until: date
    opening: ledger.Totals
    movements: ledger.Totals
    closing: ledger.Totals
    entries: list[FundEntry]


def fund_statement(*, user: Any, fund: Fund, since: date, until: date) -> Statement:
    """The fund's statement for a period (booking dates, inclusive): opening totals, the entries,
    the period's movements and the closing totals. Four statements whatever the entries."""
    require(user, "community.fund_view")
    opening = ledger.totals(fund, until=since - timedelta(days=1))
    movements = ledger.totals(fund, since=since, until=until)
    closing = ledger.Totals(
        opening.injected + movements.injected,
        opening.committed + movements.committed,
        opening.paid + movements.paid,
    )
    entries = list(
        scoped(
            user, FundEntry.objects.filter(fund=fund, booked_on__gte=since, booked_on__lte=until)
        )
        .select_related("organisation", "commitment")
        .order_by("booked_on", "id")
    )
    return Statement(fund, since, until, opening, movements, closing, entries)


def fund_commitments(*, user: Any, fund: Fund) -> list[tuple[FundEntry, Decimal]]:
    """Each commitment of the fund with what it has left (one statement)."""
    require(user, "community.fund_view")
    rows = (
        scoped(user, FundEntry.objects.filter(fund=fund, kind=FundEntry.Kind.COMMITMENT))
        .select_related("organisation")
        .annotate(drawn=Sum("drawings__amount"))
        .order_by("booked_on", "id")
    )
    return [(entry, entry.amount - (entry.drawn or Decimal(0))) for entry in rows]


def group_by_code(code: str) -> NeedGroup:
    """The active group with this code, or InvalidInput naming the field."""
    group = NeedGroup.objects.filter(code=code, is_active=True).first()
    if group is None:
        raise InvalidInput(
            _("Group concerned: choose one of the list."), field="group", code="unknown_group"
        )
    return group


def community_for(*, user: Any, community_id: int | None) -> Community:
    """A community inside the user's scope, or InvalidInput naming the field."""
    found = (
        scoped(user, Community.objects.all()).filter(pk=community_id).first()
        if community_id
        else None
    )
    if found is None:
        raise InvalidInput(_("Community: choose one of the list."), field="community")
    return found


def public_community(community_id: int | None) -> Community:
    found = Community.objects.filter(pk=community_id).first() if community_id else None
    if found is None:
        raise InvalidInput(_("Community: choose one of the list."), field="community")
    return found


def organisation_for(*, user: Any, organisation_id: int | None) -> Organisation | None:
    if organisation_id is None:
        return None
    found = scoped(user, Organisation.objects.all()).filter(pk=organisation_id).first()
    if found is None:
        raise InvalidInput(_("Social organisation: choose one of the list."), field="organisation")
    return found


def organisation_required(*, user: Any, organisation_id: int | None) -> Organisation:
    found = organisation_for(user=user, organisation_id=organisation_id)
    if found is None:
        raise InvalidInput(_("Social organisation: choose one of the list."), field="organisation")
    return found


def department_for(*, user: Any, department_id: int | None) -> Department | None:
    if department_id is None:
        return None
    found = scoped(user, Department.objects.filter(pk=department_id)).first()
    if found is None:
        raise InvalidInput(_("Department: choose one of the list."), field="department")
    return found


def department_list(*, user: Any) -> list[Department]:
    return list(scoped(user, Department.objects.filter(is_active=True)).order_by("code"))


def community_list(*, user: Any) -> list[Community]:
    return list(scoped(user, Community.objects.all()).order_by("code"))


def need_in_scope(*, user: Any, need_id: int | None) -> Need | None:
    if need_id is None:
        return None
    found = scoped(user, Need.objects.all()).filter(pk=need_id).first()
    if found is None:
        raise InvalidInput(_("Similar need: choose one of the list."), field="into")
    return found


def commitment_for(*, user: Any, fund: Fund, entry_id: int | None) -> FundEntry | None:
    if entry_id is None:
        return None
    found = FundEntry.objects.filter(pk=entry_id, fund=fund, kind=FundEntry.Kind.COMMITMENT).first()
    if found is None:
        raise InvalidInput(_("Commitment: choose one of the list."), field="commitment")
    return found


def round_list(*, user: Any) -> list[GrantRound]:
    require(user, "community.view")
    return list(
        scoped(user, GrantRound.objects.select_related("fund"))
        .annotate(application_count=Count("applications"))
        .order_by("-opens_on")
    )


def round_get(*, user: Any, round_id: int) -> GrantRound:
    require(user, "community.view")
    return get_in_scope(user, GrantRound.objects.select_related("fund"), pk=round_id)


def application_list(*, user: Any, grant_round: GrantRound) -> list[GrantApplication]:
    """The round's applications in the user's scope, best score first, with their paid
    tranches counted (one statement)."""
    return list(
        scoped(user, GrantApplication.objects.filter(round=grant_round))
        .select_related("organisation", "round")
        .annotate(
            tranches_paid=Count(
                "commitment__drawings", filter=Q(commitment__drawings__kind=FundEntry.Kind.PAYMENT)
            )
        )
        .order_by(F("score").desc(nulls_last=True), "pk")
    )


def application_get(*, user: Any, application_id: int) -> GrantApplication:
    require(user, "community.view")
    return get_in_scope(
        user, GrantApplication.objects.select_related("round", "organisation"), pk=application_id
    )
