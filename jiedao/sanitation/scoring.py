"""The arithmetic of the monthly compound score and the 红黄黑榜, with no database in sight.

A compound's month is a handful of counts taken from the records (:class:`MonthRecords`); the
rule table (:class:`Rule`) turns each measure into a part score between 0 and 100; the weights,
which add up to 100, make the compound's score; the list rule (:class:`ListRule`) gives each
scored compound its colour, by score thresholds or by ranks.

The measures:

* **participation** — households with at least one drop-off in the month / households. Full
  marks at ``benchmark`` (a rate, e.g. 0.90); below it the part is proportional.
* **accuracy** — correct drop-offs / drop-offs, full marks at ``benchmark`` (e.g. 0.95). No
  drop-off at all earns nothing: there was no sorting to be accurate about.
* **recycling** — kilograms of recyclables weighed in per household, full marks at
  ``benchmark`` kilograms.
* **findings** — inspection findings at the compound's collection points: ``benchmark`` points
  off 100 per finding, never below 0.
* **rectification** — of the rectification items raised from the month's findings (the ones
  the collection point's responsible party must put right; findings sent to a department as
  events are theirs), those reported done by their deadline; full marks at ``benchmark``
  (usually 1.00). A month without such items has nothing to rectify: full marks.

A compound without households has nothing to measure and is not scored (no score, rank or
colour). Scores are decimals rounded half up to two places, so that the published list and a
recomputation agree to the cent.

Ranks are competition ranks ("1224"): equal scores share a rank and the next rank skips. By
ranks, the red list is the compounds ranked within the first ``red_count``; the black list the
compounds ranked within the last ``black_count`` counted from the bottom the same way; the
yellow list the others ranked within the last ``black_count + yellow_count`` from the bottom, so
that compounds tied at the black list's edge take the yellow list's places. Ties at an edge all
join the list. A compound that qualifies for the red list and another colour (few compounds, or
everyone tied) is red: the red list is earned by the score, the others by comparison. By score,
red is ``score >= red_min``, black is ``score < black_below`` and yellow is
``black_below <= score < yellow_below``: a score exactly on a threshold is on the upper side.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
ZERO = Decimal(0)


class Metric(StrEnum):
    PARTICIPATION = "participation"
    ACCURACY = "accuracy"
    RECYCLING = "recycling"
    FINDINGS = "findings"
    RECTIFICATION = "rectification"


class Colour(StrEnum):
    RED = "red"
    YELLOW = "yellow"
    BLACK = "black"


class ListMode(StrEnum):
    SCORE = "score"
    RANK = "rank"


@dataclass(frozen=True)
class MonthRecords:
    """What the records of one month say about one compound."""

    households: int
    participating_households: int = 0
    drop_offs: int = 0
    correct_drop_offs: int = 0
    recycling_kg: Decimal = ZERO
    findings: int = 0
    rectifications: int = 0
    rectified_on_time: int = 0


@dataclass(frozen=True)
class Rule:
    metric: Metric
    weight: Decimal  # percent of the score; the table's weights add up to 100
    benchmark: Decimal  # full marks at this value; for findings, the points off per finding


@dataclass(frozen=True)
class ListRule:
    mode: ListMode
    red_min: Decimal = Decimal(90)
    yellow_below: Decimal = Decimal(75)
    black_below: Decimal = Decimal(60)
    red_count: int = 3
    yellow_count: int = 3
    black_count: int = 3


@dataclass(frozen=True)
class Score:
    total: Decimal | None  # None: not scored (no households)
    parts: Mapping[Metric, Decimal] = field(default_factory=dict)  # metric → 0..100
    measures: Mapping[Metric, Decimal | None] = field(default_factory=dict)  # the raw rates


@dataclass(frozen=True)
class Placed:
    """A compound's place on the month's list."""

    key: int
    score: Decimal | None
    rank: int | None
    colour: Colour | None


class RuleProblem(ValueError):
    """The rule table cannot score: the service turns it into a message naming the field."""

    def __init__(self, code: str, field: str) -> None:
        super().__init__(code)
        self.code = code
        self.field = field


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _rate(numerator: Decimal | int, denominator: Decimal | int) -> Decimal | None:
    if not denominator:
        return None
    return Decimal(numerator) / Decimal(denominator)


def _towards(measure: Decimal | None, benchmark: Decimal) -> Decimal:
    """The part score of a measure that earns full marks at ``benchmark``, proportionally below."""
    if measure is None or measure <= 0:
        return ZERO
    return min(measure / benchmark, Decimal(1)) * HUNDRED


def check_rules(rules: Sequence[Rule]) -> None:
    """Raise :class:`RuleProblem` unless the table can score: each metric once, weights
    between 0 and 100 adding up to exactly 100, positive benchmarks."""
    metrics = [rule.metric for rule in rules]
    if len(set(metrics)) != len(metrics):
        raise RuleProblem("metric_twice", "metric")
    for rule in rules:
        if rule.weight < 0 or rule.weight > HUNDRED:
            raise RuleProblem("weight_range", "weight")
        if rule.benchmark <= 0:
            raise RuleProblem("benchmark_positive", "benchmark")
    if sum((rule.weight for rule in rules), ZERO) != HUNDRED:
        raise RuleProblem("weights_sum", "weight")


def check_list_rule(rule: ListRule) -> None:
    """Raise :class:`RuleProblem` unless the thresholds are ordered and the counts sensible."""
    if rule.mode is ListMode.SCORE:
        if not ZERO <= rule.black_below <= rule.yellow_below <= rule.red_min <= HUNDRED:
            raise RuleProblem("thresholds_order", "red_min")
    elif min(rule.red_count, rule.yellow_count, rule.black_count) < 0:
        raise RuleProblem("count_negative", "red_count")


def measures(records: MonthRecords) -> dict[Metric, Decimal | None]:
    """The raw measure of each metric (a rate, kilograms per household, a count)."""
    return {
        Metric.PARTICIPATION: _rate(records.participating_households, records.households),
        Metric.ACCURACY: _rate(records.correct_drop_offs, records.drop_offs),
        Metric.RECYCLING: _rate(records.recycling_kg, records.households),
        Metric.FINDINGS: Decimal(records.findings),
        Metric.RECTIFICATION: _rate(records.rectified_on_time, records.rectifications),
    }


def part_score(rule: Rule, measure: Decimal | None) -> Decimal:
    """One metric's part, 0..100, rounded to the cent."""
    if rule.metric is Metric.FINDINGS:
        return _round(max(HUNDRED - rule.benchmark * (measure or ZERO), ZERO))
    if rule.metric is Metric.RECTIFICATION and measure is None:
        return HUNDRED  # nothing found, nothing to rectify
    return _round(_towards(measure, rule.benchmark))


def score(records: MonthRecords, rules: Sequence[Rule]) -> Score:
    """The compound's score for the month under ``rules`` (checked first)."""
    check_rules(rules)
    if records.households <= 0:
        return Score(total=None)
    raw = measures(records)
    parts = {rule.metric: part_score(rule, raw[rule.metric]) for rule in rules}
    total = sum((parts[rule.metric] * rule.weight / HUNDRED for rule in rules), ZERO)
    return Score(total=_round(total), parts=parts, measures=raw)


def competition_ranks(scores: Mapping[int, Decimal]) -> dict[int, int]:
    """key → rank, best first; equal scores share a rank and the next rank skips ("1224")."""
    ordered = sorted(scores.values(), reverse=True)
    first_place: dict[Decimal, int] = {}
    for index, value in enumerate(ordered, start=1):
        first_place.setdefault(value, index)
    return {key: first_place[value] for key, value in scores.items()}


def _colour_by_score(value: Decimal, rule: ListRule) -> Colour | None:
    if value >= rule.red_min:
        return Colour.RED
    if value < rule.black_below:
        return Colour.BLACK
    if value < rule.yellow_below:
        return Colour.YELLOW
    return None


def place(scores: Mapping[int, Decimal | None], rule: ListRule) -> list[Placed]:
    """Every compound (key → score, None when not scored) with its rank and colour, best first,
    the unscored last, each group in key order."""
    check_list_rule(rule)
    scored = {key: value for key, value in scores.items() if value is not None}
    ranks = competition_ranks(scored)
    # The rank counted from the bottom, ties sharing it: the black and yellow lists by rank.
    from_bottom = competition_ranks({key: -value for key, value in scored.items()})
    placed = []
    for key, value in sorted(scored.items(), key=lambda item: (-item[1], item[0])):
        if rule.mode is ListMode.SCORE:
            colour = _colour_by_score(value, rule)
        elif ranks[key] <= rule.red_count:
            colour = Colour.RED
        elif from_bottom[key] <= rule.black_count:
            colour = Colour.BLACK
        elif from_bottom[key] <= rule.black_count + rule.yellow_count:
            colour = Colour.YELLOW
        else:
            colour = None
        placed.append(Placed(key=key, score=value, rank=ranks[key], colour=colour))
    unscored = sorted(key for key, value in scores.items() if value is None)
    placed.extend(Placed(key=key, score=None, rank=None, colour=None) for key in unscored)
    return placed


# The table a subdistrict starts with until its administrator saves its own: sorting carries
# most of the weight (participation and accuracy), as in Hangzhou's district assessments.
DEFAULT_RULES = (
    Rule(Metric.PARTICIPATION, Decimal(30), Decimal("0.900")),
    Rule(Metric.ACCURACY, Decimal(30), Decimal("0.950")),
    Rule(Metric.RECYCLING, Decimal(15), Decimal("5.000")),
    Rule(Metric.FINDINGS, Decimal(15), Decimal("10.000")),
    Rule(Metric.RECTIFICATION, Decimal(10), Decimal("1.000")),
)
DEFAULT_LIST_RULE = ListRule(
    mode=ListMode.SCORE,
    red_min=Decimal(85),
    yellow_below=Decimal(70),
    black_below=Decimal(60),
    red_count=3,
    yellow_count=3,
    black_count=2,
)
DEFAULT_RECTIFICATION_DAYS = 10
