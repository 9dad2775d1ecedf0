"""Who may read the audit trail (registered by ``AuditConfig``)."""

from jiedao.accounts.models import Role

ACTIONS: dict[str, frozenset[str]] = {
    "audit.view": frozenset({Role.ADMINISTRATOR}),
}
