"""Writes to enforcement: targets (``targets``); actions, inspections, findings, re-checks and
ratings (``inspections``) with the photos taken on site (``photos``); the catalogue of matters
and the guard's rules (``catalogue``); cases (``cases``), their documents (``documents``), their
public disclosure (``disclosure``), the notifications about them (``notices``) and the legal
reviewers (``reviewers``). Every write checks the actor's role and scope and is audited in its
transaction."""

from .cases import case_open, case_simple, case_transition
from .catalogue import guard_rule_set, matter_create
from .disclosure import disclosure_publish, disclosure_withdraw, disclosures_announce_late
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
from .photos import finding_photos_add, item_photos_add
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
    "disclosure_publish",
    "disclosure_withdraw",
    "disclosures_announce_late",
    "draw_targets",
    "finding_create",
    "finding_photos_add",
    "guard_rule_set",
    "inspection_plan",
    "inspection_rate",
    "inspection_transition",
    "item_photos_add",
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
