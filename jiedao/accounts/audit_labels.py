"""What the audit trail calls the account services' entries that are not a plain change of a
user (see jiedao.audit.labels), and the keys they store beside a user's fields."""

from django.utils.translation import gettext_lazy as _

from jiedao.audit.labels import Key, KeyLabels

ACTIONS = {"accounts.token.create": _("API token issued")}

# A password reset records that it happened, never the password.
_PASSWORD = {"reset": _("reset to a one-time password")}

KEYS: KeyLabels = {
    "accounts.user": {
        "failed_sign_ins": _("Failed sign-ins"),
        "password": Key(_("Password"), describe=lambda value: str(_PASSWORD[value])),
    },
}
