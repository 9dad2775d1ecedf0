"""The nine roles, written out here for every test module.

Written literally rather than read from ``jiedao.accounts.models.Role``: a test parametrized over
the roles must still cover a role that the code under test forgets, and
``tests/accounts/test_permissions.py`` holds this list to ``Role.values``.
"""

ALL_ROLES = (
    "resident",
    "grid_worker",
    "grid_lead",
    "dispatcher",
    "department_handler",
    "enforcement_officer",
    "supervisor",
    "social_organisation",
    "administrator",
)
# Everyone who works for the subdistrict or with it: all roles but the resident.
STAFF_ROLES = tuple(role for role in ALL_ROLES if role != "resident")
