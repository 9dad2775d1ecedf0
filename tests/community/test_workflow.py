"""The workflow tables against a literal copy: a change to either is a decision, made twice."""

from jiedao.community.workflow import NEED_TRANSITIONS, RESPONSE_TRANSITIONS

LEADS = {"grid_lead", "administrator"}

NEEDS = {
    ("collected", "assess"): ("assessed", LEADS, ()),
    ("collected", "decline"): ("not_feasible", LEADS, ("reason",)),
    ("collected", "merge"): ("merged", LEADS, ("into",)),
    ("assessed", "match"): ("matched", LEADS, ("match_kind", "match_target")),
    ("assessed", "decline"): ("not_feasible", LEADS, ("reason",)),
    ("assessed", "merge"): ("merged", LEADS, ("into",)),
    ("matched", "meet"): ("met", LEADS, ()),
    ("matched", "decline"): ("not_feasible", LEADS, ("reason",)),
}

RESPONSES = {
    ("reported_in", "commit"): (
        "committed",
        {"social_organisation", "department_handler"},
        ("text",),
    ),
    ("committed", "complete"): (
        "completed",
        {"social_organisation", "department_handler"},
        ("text",),
    ),
}


def _plain(table):
    return {
        (str(state), str(action)): (str(t.target), {str(role) for role in t.roles}, t.requires)
        for (state, action), t in table.items()
    }


def test_the_needs_table_is_the_agreed_one():
    assert _plain(NEED_TRANSITIONS) == NEEDS


def test_the_answers_table_is_the_agreed_one():
    assert _plain(RESPONSE_TRANSITIONS) == RESPONSES


def test_met_not_feasible_and_merged_are_final():
    assert {state for state, _action in NEED_TRANSITIONS} == {"collected", "assessed", "matched"}
