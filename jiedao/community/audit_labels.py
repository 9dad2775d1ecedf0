"""What the audit trail calls the community services' entries (see jiedao.audit.labels): every
action they write, and the keys they store beside a row's fields."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiedao.audit.labels import Key, KeyLabels

ACTIONS = {
    "community.need.raise": _("Need raised"),
    "community.need.assess": _("Need assessed"),
    "community.need.match": _("Need matched"),
    "community.need.meet": _("Need marked as met"),
    "community.need.decline": _("Need found not feasible"),
    "community.need.merge": _("Need merged into a similar need"),
    "community.group.create": _("Group of people served added"),
    "community.organisation.register": _("Social organisation registered"),
    "community.organisation.member_add": _("Member added to a social organisation"),
    "community.call.blow": _("Whistle blown (吹哨)"),
    "community.call.close": _("Call closed"),
    "community.response.report_in": _("Reported in to a call (报到)"),
    "community.response.commit": _("Commitment made on a call"),
    "community.response.complete": _("Completion reported on a call"),
    "community.fund.create": _("Community fund set up"),
    "community.fund.injection": _("Injection booked"),
    "community.fund.commitment": _("Commitment booked"),
    "community.fund.payment": _("Payment booked"),
    "community.fund.release": _("Release booked"),
    "community.grantround.open": _("Grant round opened"),
    "community.grantround.select": _("Grant round's projects selected"),
    "community.grantapplication.submit": _("Grant application submitted"),
    "community.grantapplication.select": _("Grant application selected"),
    "community.grantapplication.sign": _("Grant agreement signed"),
    "community.grantapplication.complete": _("Grant project completed"),
    "community.grantapplication.midterm": _("Mid-term review recorded"),
    "community.grantapplication.final": _("Final review recorded"),
    "community.grantscore.set": _("Grant application scored"),
    "community.milestone.plan": _("Milestone planned"),
    "community.milestone.done": _("Milestone reached"),
    "community.activity.plan": _("Activity planned"),
    "community.activity.hold": _("Activity recorded as held"),
    "community.activity.cancel": _("Activity cancelled"),
    "community.facility.create": _("Service facility added"),
    "community.facility.use": _("Places in use recorded"),
}

KEYS: KeyLabels = {
    # A reviewer's score is stored on the application it scores, the reviewer by username.
    "community.grantapplication": {
        "reviewer": Key(_("Reviewer"), refers_to="accounts.user", by="username"),
        "created": _("First score of this reviewer"),
    },
    "community.organisation": {
        "member": Key(
            pgettext_lazy("organisation", "Member"), refers_to="accounts.user", by="username"
        ),
    },
}
