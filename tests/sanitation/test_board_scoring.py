"""The score and the 红黄黑榜 against cases worked out by hand (no database)."""

import itertools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiedao.sanitation.scoring import (
    Colour,
    ListMode,
    ListRule,
    Metric,
    MonthRecords,
    Placed,
    Rule,
    RuleProblem,
    check_list_rule,
    competition_ranks,
    place,
    score,
)

D = Decimal
RULES = [
    Rule(Metric.PARTICIPATION, D(30), D("0.90")),
    Rule(Metric.ACCURACY, D(30), D("0.95")),
    Rule(Metric.RECYCLING, D(15), D(5)),
    Rule(Metric.FINDINGS, D(15), D(10)),
    Rule(Metric.RECTIFICATION, D(10), D(1)),
]


def test_a_month_worked_out_by_hand():
    records = MonthRecords(
        households=200,
        participating_households=150,
        drop_offs=1000,
        correct_drop_offs=855,
        recycling_kg=D(600),
        findings=3,
        rectifications=2,
        rectified_on_time=1,
    )

    result = score(records, RULES)

    # 0.75 / 0.90 → 83.33; 0.855 / 0.95 → 90; 3 kg / 5 kg → 60; 100 − 3 × 10 → 70; 1/2 → 50.
    assert result.parts == {
        Metric.PARTICIPATION: D("83.33"),
        Metric.ACCURACY: D("90.00"),
        Metric.RECYCLING: D("60.00"),
        Metric.FINDINGS: D("70.00"),
        Metric.RECTIFICATION: D("50.00"),
    }
    # 24.999 + 27 + 9 + 10.5 + 5 = 76.499
    assert result.total == D("76.50")
    assert result.measures[Metric.PARTICIPATION] == D("0.75")
    assert result.measures[Metric.RECYCLING] == D(3)


def test_measures_above_the_benchmark_earn_full_marks_and_no_more():
    records = MonthRecords(
        households=10,
        participating_households=10,
        drop_offs=20,
        correct_drop_offs=20,
        recycling_kg=D(80),
    )

    result = score(records, RULES)

    assert result.total == D("100.00")
    assert set(result.parts.values()) == {D(100)}


def test_many_findings_take_the_findings_part_to_zero_not_below():
    records = MonthRecords(households=10, findings=12, rectifications=12)

    result = score(records, RULES)

    assert result.parts[Metric.FINDINGS] == D("0.00")
    assert result.parts[Metric.ACCURACY] == D("0.00")  # no drop-off: no sorting to credit
    assert result.total == D("0.00")


def test_parts_are_rounded_before_weighting_and_the_total_half_up():
    records = MonthRecords(
        households=3, participating_households=1, drop_offs=3, correct_drop_offs=2
    )

    result = score(records, RULES)

    # 0.3333/0.90 → 37.04 (×0.3 = 11.112); 0.6667/0.95 → 70.18 (×0.3 = 21.054); 0; 15; 10.
    assert result.parts[Metric.PARTICIPATION] == D("37.04")
    assert result.parts[Metric.ACCURACY] == D("70.18")
    assert result.total == D("57.17")


def test_half_a_cent_rounds_up():
    rules = [
        Rule(Metric.PARTICIPATION, D(100), D(1)),
        Rule(Metric.ACCURACY, D(0), D(1)),
    ]

    result = score(MonthRecords(households=20000, participating_households=1), rules)

    assert result.total == D("0.01")  # 0.005, which banker's rounding would make 0.00


def test_a_month_without_findings_gives_full_rectification_marks():
    result = score(MonthRecords(households=5), RULES)

    assert result.parts[Metric.RECTIFICATION] == D(100)
    assert result.parts[Metric.FINDINGS] == D(100)
    assert result.total == D("25.00")


def test_a_compound_without_households_is_not_scored():
    assert score(MonthRecords(households=0, drop_offs=4), RULES).total is None


@pytest.mark.parametrize(
    ("rules", "code", "field"),
    [
        (RULES[:4], "weights_sum", "weight"),
        ([*RULES[:4], Rule(Metric.RECTIFICATION, D("10.01"), D(1))], "weights_sum", "weight"),
        ([*RULES[:4], Rule(Metric.FINDINGS, D(10), D(1))], "metric_twice", "metric"),
        ([*RULES[:4], Rule(Metric.RECTIFICATION, D(10), D(0))], "benchmark_positive", "benchmark"),
        (
            [Rule(Metric.PARTICIPATION, D(110), D(1)), Rule(Metric.ACCURACY, D(-10), D(1))],
            "weight_range",
            "weight",
        ),
    ],
)
def test_a_rule_table_that_cannot_score_is_refused(rules, code, field):
    with pytest.raises(RuleProblem) as problem:
        score(MonthRecords(households=1), rules)

    assert (problem.value.code, problem.value.field) == (code, field)


BY_SCORE = ListRule(mode=ListMode.SCORE, red_min=D(90), yellow_below=D(75), black_below=D(60))


def test_scores_exactly_on_a_threshold_fall_on_its_upper_side():
    scores = {
        1: D("90.00"),
        2: D("89.99"),
        3: D("75.00"),
        4: D("74.99"),
        5: D("60.00"),
        6: D("59.99"),
        7: None,
    }

    assert place(scores, BY_SCORE) == [
        Placed(1, D("90.00"), 1, Colour.RED),
        Placed(2, D("89.99"), 2, None),
        Placed(3, D("75.00"), 3, None),
        Placed(4, D("74.99"), 4, Colour.YELLOW),
        Placed(5, D("60.00"), 5, Colour.YELLOW),
        Placed(6, D("59.99"), 6, Colour.BLACK),
        Placed(7, None, None, None),
    ]


def test_ties_share_a_rank_and_join_the_list_at_its_edge():
    rule = ListRule(mode=ListMode.RANK, red_count=2, yellow_count=1, black_count=2)
    scores = {1: D(95), 2: D(90), 3: D(90), 4: D(80), 5: D(70), 6: D(60), 7: D(60)}

    assert place(scores, rule) == [
        Placed(1, D(95), 1, Colour.RED),
        Placed(2, D(90), 2, Colour.RED),
        Placed(3, D(90), 2, Colour.RED),
        Placed(4, D(80), 4, None),
        Placed(5, D(70), 5, Colour.YELLOW),
        Placed(6, D(60), 6, Colour.BLACK),
        Placed(7, D(60), 6, Colour.BLACK),
    ]


def test_a_tie_at_the_black_edge_takes_the_yellow_places():
    rule = ListRule(mode=ListMode.RANK, red_count=1, yellow_count=1, black_count=1)
    scores = {1: D(95), 2: D(80), 3: D(60), 4: D(60)}

    assert [placed.colour for placed in place(scores, rule)] == [
        Colour.RED,
        None,
        Colour.BLACK,
        Colour.BLACK,
    ]


def test_everyone_tied_is_on_the_red_list():
    rule = ListRule(mode=ListMode.RANK, red_count=1, yellow_count=1, black_count=1)

    assert place({4: D(80), 2: D(80)}, rule) == [
        Placed(2, D(80), 1, Colour.RED),
        Placed(4, D(80), 1, Colour.RED),
    ]


def test_a_month_with_nothing_scored_places_everyone_without_rank_or_colour():
    assert place({3: None, 1: None}, BY_SCORE) == [
        Placed(1, None, None, None),
        Placed(3, None, None, None),
    ]
    assert place({}, BY_SCORE) == []


def test_competition_ranks_skip_after_a_tie():
    assert competition_ranks({1: D(5), 2: D(7), 3: D(7), 4: D(1)}) == {1: 3, 2: 1, 3: 1, 4: 4}


@pytest.mark.parametrize(
    ("rule", "code"),
    [
        (ListRule(mode=ListMode.SCORE, red_min=D(70), yellow_below=D(75)), "thresholds_order"),
        (ListRule(mode=ListMode.SCORE, black_below=D(-1), yellow_below=D(0)), "thresholds_order"),
        (ListRule(mode=ListMode.SCORE, red_min=D(101)), "thresholds_order"),
        (ListRule(mode=ListMode.RANK, black_count=-1), "count_negative"),
    ],
)
def test_list_rules_out_of_order_are_refused(rule, code):
    with pytest.raises(RuleProblem) as problem:
        check_list_rule(rule)

    assert problem.value.code == code


COLOUR_ORDER = {Colour.RED: 3, None: 2, Colour.YELLOW: 1, Colour.BLACK: 0}
scores_strategy = st.dictionaries(
    st.integers(min_value=1, max_value=40),
    st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=2)),
    max_size=25,
)


@given(
    scores=scores_strategy,
    mode=st.sampled_from(list(ListMode)),
    counts=st.tuples(*[st.integers(min_value=0, max_value=6)] * 3),
)
def test_a_better_score_never_gets_a_worse_place(scores, mode, counts):
    rule = ListRule(mode=mode, red_count=counts[0], yellow_count=counts[1], black_count=counts[2])

    placed = place(scores, rule)

    assert sorted(p.key for p in placed) == sorted(scores)
    scored = [p for p in placed if p.score is not None]
    for better, worse in itertools.pairwise(scored):
        assert better.score >= worse.score
        assert better.rank <= worse.rank
        assert (better.rank == worse.rank) == (better.score == worse.score)
        # Red, then no colour, then yellow, then black: whichever way the list is drawn.
        assert COLOUR_ORDER[better.colour] >= COLOUR_ORDER[worse.colour]
    assert all(p.rank is None and p.colour is None for p in placed if p.score is None)
