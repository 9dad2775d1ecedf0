"""Reads of 双公示: the public list of published penalty decisions (no sign-in; withdrawn
publications and unpublished decisions never appear), its export rows, the staff's counts of
decisions awaiting publication and late, and one case's publications. Each runs a constant
number of statements whatever the number of rows."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import can, scoped
from jiedao.core.dates import parse_optional_date
from jiedao.core.errors import ErrorList, InvalidInput
from jiedao.core.localtime import local_today

from .models import Case, Disclosure
from .services.disclosure import late_q
from .workflow_cases import DisclosureState

PAGE_SIZE = 20
EXPORT_LIMIT = 5000
MAX_TEXT = 100


@dataclass(frozen=True)
class PublicFilters:
    """The public list's filters: the decisions' dates (决定日期) from and to, and a text found
    in the party's name, the decision number, the type of violation or the facts."""

    date_from: date | None = None
    date_to: date | None = None
    text: str = ""

    def query(self) -> dict[str, str]:
        """The filters as the page's query string (for the pager and the export links)."""
        values = {
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "q": self.text,
        }
        return {key: value for key, value in values.items() if value}


def public_filters(values: Any) -> PublicFilters:
    """The filters from a query string (``from``, ``to``, ``q``); every bad one named."""
    errors = ErrorList()
    date_from = errors.check(
        lambda: parse_optional_date(values.get("from"), field="from", label=_("Decided from")),
        None,
    )
    date_to = errors.check(
        lambda: parse_optional_date(values.get("to"), field="to", label=_("Decided until")),
        None,
    )
    if date_from and date_to and date_to < date_from:
        errors.add(
            InvalidInput(
                _("%(field)s must not be before the start.") % {"field": _("Decided until")},
                code="invalid",
                field="to",
            )
        )
    errors.raise_any()
    text = str(values.get("q") or "").strip()[:MAX_TEXT]
    return PublicFilters(date_from=date_from, date_to=date_to, text=text)


def public_queryset(filters: PublicFilters) -> QuerySet[Disclosure]:
    """The live publications the filters select, newest decision first."""
    rows = Disclosure.objects.filter(withdrawn_at__isnull=True)
    if filters.date_from:
        rows = rows.filter(decided_on__gte=filters.date_from)
    if filters.date_to:
        rows = rows.filter(decided_on__lte=filters.date_to)
    if filters.text:
        rows = rows.filter(
            Q(party_name__icontains=filters.text)
            | Q(decision_number__icontains=filters.text)
            | Q(violation_type__icontains=filters.text)
            | Q(facts__icontains=filters.text)
        )
    return rows.order_by("-decided_on", "-published_on", "-pk")


def public_page(
    filters: PublicFilters, *, page: int, size: int = PAGE_SIZE
) -> tuple[list[Disclosure], bool]:
    """One page (1-based) and whether another follows: one statement."""
    start = (max(page, 1) - 1) * size
    rows = list(public_queryset(filters)[start : start + size + 1])
    return rows[:size], len(rows) > size


def public_export(filters: PublicFilters) -> list[Disclosure]:
    """Every row the filters select for a file, in one statement; refused past the limit."""
    rows = list(public_queryset(filters)[: EXPORT_LIMIT + 1])
    if len(rows) > EXPORT_LIMIT:
        raise InvalidInput(
            _(
                "More than %(limit)s decisions match the filters, more than one file holds: "
                "narrow the dates and download again."
            )
            % {"limit": EXPORT_LIMIT},
            code="export_too_large",
        )
    return rows


def disclosure_counts(*, user: Any) -> dict[str, int]:
    """Decisions in the user's scope awaiting publication, and those late: one statement."""
    today = local_today()
    return scoped(user, Case.objects.filter(disclosure=DisclosureState.PENDING)).aggregate(
        pending=Count("pk"), late=Count("pk", filter=late_q(today))
    )


def filter_cases(cases: QuerySet[Case], disclosure: str) -> QuerySet[Case]:
    """The case list's 双公示 filter: ``pending`` (待公示) or ``late`` (公示超期)."""
    if disclosure == "late":
        return cases.filter(late_q(local_today()))
    return cases.filter(disclosure=DisclosureState.PENDING)


def case_disclosure_flag(case: Case, today: date | None = None) -> str:
    """``late``, ``pending`` or blank: the flag the case list and file show."""
    if case.disclosure != DisclosureState.PENDING or case.disclosure_due_on is None:
        return ""
    return "late" if case.disclosure_due_on < (today or local_today()) else "pending"


def case_disclosures(*, user: Any, case: Case) -> list[Disclosure]:
    """The publications of a case the user sees, newest first (withdrawn ones kept)."""
    if not can(user, "enforcement.case_view"):
        return []
    return list(
        scoped(user, Disclosure.objects.filter(case=case))
        .select_related("published_by", "withdrawn_by")
        .order_by("-published_at", "-pk")
    )
