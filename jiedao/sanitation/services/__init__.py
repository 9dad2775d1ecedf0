"""Writes to waste sorting: places and accounts (:mod:`.places`), the records (:mod:`.records`),
the points ledger (:mod:`.points`) and the catalogue (:mod:`.catalogue`).

Every service is keyword-only and atomic, checks the policy and the actor's scope, reports all
that is wrong with a submission at once before writing anything, and audits every row it writes
in the same transaction. ``at`` (the business time of a record) is for the system alone: the
demo rebuilds a year of history through these same services.
"""

from .catalogue import material_save, points_rule_save, reward_save
from .places import (
    collection_point_create,
    compound_create,
    household_move_out,
    household_register,
    smart_bin_register,
    unit_register,
)
from .points import points_redeem
from .records import (
    FindingInput,
    drop_off_record,
    inspection_record,
    rectification_transition,
    weigh_in_record,
)

__all__ = [
    "FindingInput",
    "collection_point_create",
    "compound_create",
    "drop_off_record",
    "household_move_out",
    "household_register",
    "inspection_record",
    "material_save",
    "points_redeem",
    "points_rule_save",
    "rectification_transition",
    "reward_save",
    "smart_bin_register",
    "unit_register",
    "weigh_in_record",
]
