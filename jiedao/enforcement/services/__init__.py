"""Writes to enforcement: targets (``targets``); actions, inspections, findings, re-checks and
ratings (``inspections``); the catalogue of matters and the guard's rules (``catalogue``); cases
(``cases``) and the legal reviewers (``reviewers``). Every write checks the actor's role and
scope and is audited in its transaction."""

from .cases import case_open, case_simple, case_transition
from .catalogue import guard_rule_set, matter_create
from .inspections import (
    GuardRefused,
    action_create,
    action_draw,
    draw_targets,
    finding_create,
    inspection_plan,
    inspection_rate,
    inspection_transition,
    item_record,
    rectification_recheck,
)
from .reviewers import legal_reviewer_designate, legal_reviewer_withdraw
from .targets import LABELS, RowError, target_clean, target_create, target_update, targets_import

__all__ = [
    "LABELS",
    "GuardRefused",
    "RowError",
    "action_create",
    "action_draw",
    "case_open",
    "case_simple",
    "case_transition",
    "draw_targets",
    "finding_create",
    "guard_rule_set",
    "inspection_plan",
    "inspection_rate",
    "inspection_transition",
    "item_record",
    "legal_reviewer_designate",
    "legal_reviewer_withdraw",
    "matter_create",
    "rectification_recheck",
    "target_clean",
    "target_create",
    "target_update",
    "targets_import",
]
