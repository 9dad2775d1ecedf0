"""What a team member's month is scored on, and the arithmetic of the score, as plain data.

Each measure is a count of the member's own work records in the month (how each is counted is
in :mod:`jiedao.assessment.scoring`). The score is the sum over the measures of
``sign × weight × count``: the team's weight table gives each measure a weight ≥ 0, and a
measure's sign says whether it adds (work done) or deducts (returns, rework, dissatisfied
ratings). A month's score may therefore be negative. Everything is exact decimal arithmetic,
rounded to two places only because the weights have two.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MAX_WEIGHT = Decimal(1000)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Measure:
    key: str
    label: str | Promise
    description: str | Promise
    sign: int  # +1 adds to the score, -1 deducts from it
    default_weight: Decimal
    source: str  # the app whose records it counts


MEASURES: tuple[Measure, ...] = (
    Measure(
        "handled",
        _("Events handled"),
        _("Events the member reported back as handled (处置反馈) or resolved on the spot."),
        1,
        Decimal(2),
        "events",
    ),
    Measure(
        "on_time",
        _("Handled on time"),
        _("Of the events handled, those reported back no later than their handling deadline."),
        1,
        Decimal(1),
        "events",
    ),
    Measure(
        "returned",
        _("Returns"),
        _("Events the member returned to the dispatcher as not their department's (退回)."),
        -1,
        Decimal(1),
        "events",
    ),
    Measure(
        "reworked",
        _("Rework"),
        _(
            "Verifications failed (返工) and reopenings (重办) of events the member had "
            "reported back."
        ),
        -1,
        Decimal(2),
        "events",
    ),
    Measure(
        "satisfied",
        _("Satisfied ratings"),
        _("Ratings of 4 or 5 given to events the member had reported back."),
        1,
        Decimal(1),
        "events",
    ),
    Measure(
        "dissatisfied",
        _("Dissatisfied ratings"),
        _("Ratings of 1 or 2 given to events the member had reported back."),
        -1,
        Decimal(1),
        "events",
    ),
    Measure(
        "inspections",
        _("Inspections completed"),
        _("Joint inspections (综合查一次) the member completed."),
        1,
        Decimal(3),
        "enforcement",
    ),
    Measure(
        "rechecks",
        _("Rectifications re-checked"),
        _("Rectification items the member re-checked (复查), rectified or escalated."),
        1,
        Decimal(2),
        "enforcement",
    ),
    Measure(
        "task_reports",
        _("Key-task progress reports"),
        _("Progress reports on key tasks (重点任务) the member filed."),
        1,
        Decimal(1),
        "supervision",
    ),
)
MEASURE_KEYS: tuple[str, ...] = tuple(measure.key for measure in MEASURES)
BY_KEY: dict[str, Measure] = {measure.key: measure for measure in MEASURES}
DEFAULT_WEIGHTS: dict[str, Decimal] = {m.key: m.default_weight for m in MEASURES}


def parts(counts: Mapping[str, int], weights: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """Each measure's signed contribution: sign × weight × count."""
    return {
        measure.key: (measure.sign * weights[measure.key] * counts.get(measure.key, 0)).quantize(
            CENT
        )
        for measure in MEASURES
    }


def total(counts: Mapping[str, int], weights: Mapping[str, Decimal]) -> Decimal:
    """The month's score: the sum of the parts."""
    return sum(parts(counts, weights).values(), Decimal("0.00")).quantize(CENT)


def ranks(scores: list[Decimal]) -> list[int]:
    """Competition ranks for ``scores`` (best first, equal scores share a rank: 1, 1, 3)."""
    ordered = sorted(scores, reverse=True)
    return [ordered.index(score) + 1 for score in scores]
