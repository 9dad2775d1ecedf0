"""Reads for the monthly compound score and the 红黄黑榜: the counts each compound's month comes
from, the month's ranking (published, or live from the records). The page, the API, the command
and the cockpit all read through here; the figures by month, compound and grid built on them are
in :mod:`jiedao.sanitation.figures_board`.

Every read runs a constant number of statements whatever the number of compounds, households or
records: the counts of a range of months are grouped statements (:func:`month_counts`).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiedao.accounts.permissions import SYSTEM, require, scoped
from jiedao.core.dates import parse_month
from jiedao.core.errors import InvalidInput, NotFound
from jiedao.core.localtime import local_days, local_today, local_zone
from jiedao.geo.models import Subdistrict

from .models import Compound, DropOff, Finding, Household, Inspection, Rectification, WeighIn
from .models.board import ListEntry, ListRule, MonthlyList, ScoreRule
from .scoring import (
    DEFAULT_LIST_RULE,
    DEFAULT_RECTIFICATION_DAYS,
    DEFAULT_RULES,
    Colour,
    ListMode,
    MonthRecords,
    Rule,
)
from .scoring import ListRule as ListRuleValues
from .scoring import place as place_compounds
from .scoring import score as score_compound

MONTH_LABEL = pgettext_lazy("sanitation list", "Month")
RECTIFIED = ("done", "verified")

GRAM = Decimal("0.001")


# --- Months -------------------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def months_back(first: date, count: int) -> list[date]:
    """The ``count`` months ending with ``first``, oldest first."""
    months = [first]
    while len(months) < count:
        months.insert(0, month_start(months[0] - timedelta(days=1)))
    return months


def parse_board_month(value: Any, *, field: str = "month") -> date:
    """The first day of the month given as "2024-05" (or a date in it); a 422 naming the field
    for a malformed month or one that has not begun."""
    if isinstance(value, date):
        first = month_start(value)
    else:
        first, _last = parse_month(value, field=field, label=MONTH_LABEL)
    if first > month_start(local_today()):
        raise InvalidInput(
            _("%(field)s %(value)s has not begun yet: choose this month or an earlier one."),
            field=field,
            params={"field": MONTH_LABEL, "value": f"{first:%Y-%m}"},
        )
    return first


# --- Subdistrict and rules ----------------------------------------------------------------------


def board_subdistrict(*, user: Any, code: str | None = None) -> Subdistrict:
    """The subdistrict whose compounds the user ranks: their own; for the installation acting
    itself, the one named by ``code`` or the only one there is."""
    if user is not SYSTEM:
        if code is not None and code != getattr(user.subdistrict, "code", None):
            raise NotFound()
        if user.subdistrict is None:
            raise NotFound()
        return user.subdistrict
    found = list(Subdistrict.objects.filter(**({"code": code} if code else {}))[:2])
    if len(found) != 1:
        raise InvalidInput(
            _("Name the subdistrict by its code (--subdistrict): %(count)s match.")
            % {"count": len(found) if code else "several"},
            field="subdistrict",
        )
    return found[0]


@dataclass(frozen=True)
class BoardRules:
    rules: tuple[Rule, ...]
    list_rule: ListRuleValues
    rectification_days: int
    saved: bool  # False while the subdistrict still runs on the defaults

    def as_dict(self) -> dict[str, Any]:
        return {
            "rules": [
                {
                    "metric": str(rule.metric),
                    "weight": str(rule.weight),
                    "benchmark": str(rule.benchmark),
                }
                for rule in self.rules
            ],
            "list": {
                "mode": str(self.list_rule.mode),
                "red_min": str(self.list_rule.red_min),
                "yellow_below": str(self.list_rule.yellow_below),
                "black_below": str(self.list_rule.black_below),
                "red_count": self.list_rule.red_count,
                "yellow_count": self.list_rule.yellow_count,
                "black_count": self.list_rule.black_count,
            },
            "rectification_days": self.rectification_days,
        }


def board_rules(*, subdistrict_id: int) -> BoardRules:
    """The subdistrict's weights and list rule, or the defaults until it saves its own (two
    statements)."""
    stored = {row.metric: row for row in ScoreRule.objects.filter(subdistrict_id=subdistrict_id)}
    rules = tuple(
        Rule(default.metric, stored[default.metric].weight, stored[default.metric].benchmark)
        if default.metric in stored
        else default
        for default in DEFAULT_RULES
    )
    row = ListRule.objects.filter(subdistrict_id=subdistrict_id).first()
    if row is None:
        return BoardRules(rules, DEFAULT_LIST_RULE, DEFAULT_RECTIFICATION_DAYS, bool(stored))
    values = ListRuleValues(
        mode=ListMode(row.mode),
        red_min=row.red_min,
        yellow_below=row.yellow_below,
        black_below=row.black_below,
        red_count=row.red_count,
        yellow_count=row.yellow_count,
        black_count=row.black_count,
    )
    return BoardRules(rules, values, row.rectification_days, True)


# --- Counts from the records --------------------------------------------------------------------


def _month_of(value: Any) -> date:
    return value.date().replace(day=1) if hasattr(value, "date") else value.replace(day=1)


def month_counts(
    *, subdistrict_id: int, months: list[date]
) -> tuple[dict[tuple[date, int], MonthRecords], dict[date, bool]]:
    """(month, compound id) → the month's counts for every compound and month, and for each
    month whether it has any record at all. Seven statements for any range of months."""
    first, last = months[0], month_end(months[-1])
    start, end = local_days(first, last)
    zone = local_zone()
    counts: dict[tuple[date, int], dict[str, Any]] = defaultdict(dict)
    any_record = dict.fromkeys(months, False)

    # Households present in each month (registered by its end, not moved out before its
    # start), counted by the database: one conditional count per month, grouped by compound.
    present = {
        f"month_{index}": Count(
            "pk",
            filter=Q(registered_on__lte=month_end(month))
            & (Q(moved_out_on__isnull=True) | Q(moved_out_on__gte=month)),
        )
        for index, month in enumerate(months)
    }
    households = (
        Household.objects.filter(compound__subdistrict_id=subdistrict_id)
        .values("compound_id")
        .annotate(**present)
    )
    for row in households:
        for index, month in enumerate(months):
            if row[f"month_{index}"]:
                counts[(month, row["compound_id"])]["households"] = row[f"month_{index}"]

    in_range = {"compound__subdistrict_id": subdistrict_id}
    drop_offs = (
        DropOff.objects.filter(**in_range, dropped_at__gte=start, dropped_at__lt=end)
        .annotate(month=TruncMonth("dropped_at", tzinfo=zone))
        .values("month", "compound_id")
        .annotate(total=Count("pk"), correct=Count("pk", filter=Q(is_correct=True)))
    )
    for row in drop_offs:
        key = (_month_of(row["month"]), row["compound_id"])
        counts[key]["drop_offs"] = row["total"]
        counts[key]["correct_drop_offs"] = row["correct"]
        any_record[key[0]] = True

    # Participation belongs to the household's own compound, wherever it dropped its waste.
    participating = (
        DropOff.objects.filter(
            account__household__compound__subdistrict_id=subdistrict_id,
            dropped_at__gte=start,
            dropped_at__lt=end,
        )
        .annotate(month=TruncMonth("dropped_at", tzinfo=zone))
        .values("month", "account__household__compound_id")
        .annotate(households=Count("account__household_id", distinct=True))
    )
    for row in participating:
        key = (_month_of(row["month"]), row["account__household__compound_id"])
        counts[key]["participating_households"] = row["households"]

    weigh_ins = (
        WeighIn.objects.filter(**in_range, weighed_at__gte=start, weighed_at__lt=end)
        .annotate(month=TruncMonth("weighed_at", tzinfo=zone))
        .values("month", "compound_id")
        .annotate(kg=Sum("quantity", filter=Q(pricing_unit="kg")), total=Count("pk"))
    )
    for row in weigh_ins:
        key = (_month_of(row["month"]), row["compound_id"])
        # To the gram whatever the database: SQLite's SUM loses the column's three places.
        counts[key]["recycling_kg"] = (row["kg"] or Decimal(0)).quantize(GRAM)
        any_record[key[0]] = True

    # Inspections without findings are records too: a month inspected and clean is not empty.
    findings = (
        Finding.objects.filter(
            inspection__compound__subdistrict_id=subdistrict_id,
            inspection__inspected_on__range=(first, last),
        )
        .annotate(month=TruncMonth("inspection__inspected_on"))
        .values("month", "inspection__compound_id")
        .annotate(total=Count("pk"))
    )
    for row in findings:
        key = (_month_of(row["month"]), row["inspection__compound_id"])
        counts[key]["findings"] = row["total"]

    rectifications = (
        Rectification.objects.filter(
            compound__subdistrict_id=subdistrict_id,
            finding__inspection__inspected_on__range=(first, last),
        )
        .annotate(month=TruncMonth("finding__inspection__inspected_on"))
        .values("month", "compound_id")
        .annotate(
            total=Count("pk"),
            on_time=Count("pk", filter=Q(status__in=RECTIFIED, done_at__lte=F("deadline"))),
        )
    )
    for row in rectifications:
        key = (_month_of(row["month"]), row["compound_id"])
        counts[key]["rectifications"] = row["total"]
        counts[key]["rectified_on_time"] = row["on_time"]

    inspected = Inspection.objects.filter(
        compound__subdistrict_id=subdistrict_id, inspected_on__range=(first, last)
    ).dates("inspected_on", "month")
    for month in inspected:
        any_record[month] = True

    records = {key: MonthRecords(**{"households": 0, **values}) for key, values in counts.items()}
    return records, any_record


# --- The month's ranking ------------------------------------------------------------------------


@dataclass(frozen=True)
class RankedCompound:
    compound_id: int
    name: str
    community: str
    grid: str
    grid_id: int
    score: Decimal | None
    rank: int | None
    colour: str | None  # "red", "yellow", "black" or None
    parts: dict[str, str]
    counts: dict[str, Any]

    def part_list(self) -> list[str | None]:
        """The part scores in the rule table's order, for a table's columns."""
        return [self.parts.get(str(rule.metric)) for rule in DEFAULT_RULES]

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["score"] = None if self.score is None else str(self.score)
        return data


@dataclass(frozen=True)
class MonthRanking:
    subdistrict: Subdistrict
    month: date
    published: MonthlyList | None
    has_records: bool
    rows: list[RankedCompound] = field(default_factory=list)

    def colour_counts(self) -> dict[str, int]:
        found = {colour.value: 0 for colour in Colour}
        for row in self.rows:
            if row.colour:
                found[row.colour] += 1
        return found

    def as_dict(self) -> dict[str, Any]:
        return {
            "month": f"{self.month:%Y-%m}",
            "subdistrict": self.subdistrict.name,
            "published": self.published is not None,
            "published_at": self.published.published_at.isoformat() if self.published else None,
            "has_records": self.has_records,
            "colours": self.colour_counts(),
            "compounds": [row.as_dict() for row in self.rows],
        }


def _counts_dict(records: MonthRecords) -> dict[str, Any]:
    data = asdict(records)
    data["recycling_kg"] = str(records.recycling_kg)
    return data


def board_compounds(subdistrict_id: int) -> list[Compound]:
    return list(
        Compound.objects.filter(subdistrict_id=subdistrict_id, is_active=True)
        .select_related("grid__community")
        .order_by("pk")
    )


def live_rows(
    *,
    compounds: Iterable[Compound],
    records: dict[int, MonthRecords],
    rules: BoardRules,
    has_records: bool,
) -> list[RankedCompound]:
    """Every compound scored, ranked and coloured from its counts; nobody is scored in a month
    without a single record (a month before the app was used is no reason for a black list)."""
    by_id = {compound.pk: compound for compound in compounds}
    scores = {}
    parts: dict[int, dict[str, str]] = {}
    for compound_id in by_id:
        result = score_compound(records.get(compound_id, MonthRecords(households=0)), rules.rules)
        scores[compound_id] = result.total if has_records else None
        parts[compound_id] = {str(metric): str(value) for metric, value in result.parts.items()}
    rows = []
    for placed in place_compounds(scores, rules.list_rule):
        compound = by_id[placed.key]
        rows.append(
            RankedCompound(
                compound_id=compound.pk,
                name=compound.name,
                community=compound.grid.community.name,
                grid=compound.grid.name,
                grid_id=compound.grid_id,
                score=placed.score,
                rank=placed.rank,
                colour=placed.colour.value if placed.colour else None,
                parts=parts[placed.key] if placed.score is not None else {},
                counts=_counts_dict(records.get(placed.key, MonthRecords(households=0))),
            )
        )
    return rows


def _published_rows(monthly_list: MonthlyList) -> list[RankedCompound]:
    entries = ListEntry.objects.filter(monthly_list=monthly_list).select_related(
        "compound__grid__community"
    )
    rows = [
        RankedCompound(
            compound_id=entry.compound_id,
            name=entry.compound.name,
            community=entry.compound.grid.community.name,
            grid=entry.compound.grid.name,
            grid_id=entry.compound.grid_id,
            score=entry.score,
            rank=entry.rank,
            colour=entry.colour or None,
            parts=entry.parts,
            counts=entry.counts,
        )
        for entry in entries
    ]
    return sorted(
        rows, key=lambda row: (row.rank is None, row.rank or 0, -(row.score or 0), row.compound_id)
    )


def month_ranking(
    *, user: Any, month: Any, subdistrict_code: str | None = None, live: bool = False
) -> MonthRanking:
    """Every compound of the user's subdistrict with its score, rank and colour for ``month``:
    the published list when the month has one (unless ``live``), otherwise computed from the
    records now. The page, the API, the command and the cockpit all read this."""
    if user is not SYSTEM:
        require(user, "sanitation.board_view")
    first = parse_board_month(month)
    subdistrict = board_subdistrict(user=user, code=subdistrict_code)
    published = None if live else published_list(subdistrict_id=subdistrict.pk, month=first)
    if published is not None:
        return MonthRanking(subdistrict, first, published, True, _published_rows(published))
    return live_ranking(subdistrict=subdistrict, month=first)


def live_ranking(*, subdistrict: Subdistrict, month: date) -> MonthRanking:
    """The ranking computed from the records as they are now (what publishing freezes)."""
    rules = board_rules(subdistrict_id=subdistrict.pk)
    counts, any_record = month_counts(subdistrict_id=subdistrict.pk, months=[month])
    records = {compound_id: values for (_m, compound_id), values in counts.items()}
    rows = live_rows(
        compounds=board_compounds(subdistrict.pk),
        records=records,
        rules=rules,
        has_records=any_record[month],
    )
    return MonthRanking(subdistrict, month, None, any_record[month], rows)


def published_list(*, subdistrict_id: int, month: date) -> MonthlyList | None:
    return MonthlyList.objects.filter(subdistrict_id=subdistrict_id, month=month).first()


# --- Public lists -------------------------------------------------------------------------------


def public_months(*, subdistrict: Subdistrict) -> list[date]:
    """The months whose list is published, newest first: all the public may see."""
    return list(
        MonthlyList.objects.filter(subdistrict=subdistrict)
        .order_by("-month")
        .values_list("month", flat=True)
    )


def public_ranking(*, subdistrict: Subdistrict, month: Any) -> MonthRanking:
    """A published month's list for anyone (no login): compounds, scores, ranks and colours
    only — no household, no person. A month not published is simply not found."""
    first = parse_board_month(month)
    published = published_list(subdistrict_id=subdistrict.pk, month=first)
    if published is None:
        raise NotFound(_("No list has been published for %(month)s.") % {"month": f"{first:%Y-%m}"})
    return MonthRanking(subdistrict, first, published, True, _published_rows(published))


def public_subdistricts() -> list[Subdistrict]:
    return list(Subdistrict.objects.order_by("code"))


# --- Black-list tasks ---------------------------------------------------------------------------


def black_list_tasks(*, user: Any, open_only: bool = False) -> list[Any]:
    """The black list's rectification tasks in the user's scope, most urgent first."""
    from .models.board import BlackListTask

    require(user, "sanitation.board_view")
    tasks = scoped(user, BlackListTask.objects.all()).select_related(
        "compound__grid__community", "entry__monthly_list", "done_by"
    )
    if open_only:
        tasks = tasks.filter(status="open")
    return list(tasks.order_by("status", "deadline", "pk"))
