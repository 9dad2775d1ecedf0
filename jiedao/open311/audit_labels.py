"""What the audit trail calls the Open311 services' entries (see jiedao.audit.labels)."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "open311.apikey.issue": _("Open311 API key issued"),
    "open311.apikey.revoke": _("Open311 API key revoked"),
    "open311.request.create": _("Open311 request received"),
}
