"""The states of an administrative penalty case (行政处罚) and the moves between them, as data.

General procedure: 线索 → 立案 → 调查取证 → 法制审核 → 告知 (陈述、申辩; 听证 where the penalty
qualifies) → 决定 (处罚 / 不予处罚 / 移送司法机关) → 送达 → 执行 → 结案. A case whose review is not
required goes from investigation straight to the notice. The simple procedure (当场处罚) is
decided and served on the spot: it starts in ``served``.

``CASE_TRANSITIONS[(state, action)] = Transition(next state, roles, required inputs, guard)``;
the services apply a move only when the table has it, the pages offer the moves it lists. The
legal review's guard (``legal_review``) asks for an active designation as legal reviewer and
that the reviewer did not handle the case (``policy.can_review``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .workflow import Transition


class CaseStatus(models.TextChoices):
    LEAD = "lead", _("Lead (线索)")
    INVESTIGATING = "investigating", _("Filed, investigating (立案、调查取证)")
    REVIEW = "review", _("Legal review (法制审核)")
    NOTICE = "notice", _("Notified (告知)")
    HEARING = "hearing", _("Hearing (听证)")
    DECIDED = "decided", _("Decided (决定)")
    SERVED = "served", _("Served (送达)")
    EXECUTED = "executed", _("Executed (执行)")
    CLOSED = "closed", _("Closed (结案)")
    DECLINED = "declined", _("Not filed (不予立案)")


class Procedure(models.TextChoices):
    GENERAL = "general", _("General procedure")
    SIMPLE = "simple", _("Simple procedure (当场处罚)")


class Outcome(models.TextChoices):
    PENALTY = "penalty", _("Penalty (处罚)")
    NO_PENALTY = "no_penalty", _("No penalty (不予处罚)")
    TRANSFER = "transfer", _("Transferred to the judicial organs (移送司法机关)")


class PenaltyKind(models.TextChoices):
    WARNING = "warning", _("Warning (警告)")
    FINE = "fine", _("Fine (罚款)")


class DisclosureState(models.TextChoices):
    """双公示 of a general-procedure penalty decision (blank: nothing to publish)."""

    PENDING = "pending", _("Awaiting disclosure (待公示)")
    PUBLISHED = "published", _("Disclosed (已公示)")
    WITHDRAWN = "withdrawn", _("Disclosure withdrawn (已撤销公示)")


class CaseSource(models.TextChoices):
    LEAD = "lead", _("Lead (线索)")
    EVENT = "event", _("Event")
    RECTIFICATION = "rectification", _("Inspection finding")


OFFICER = "enforcement_officer"
# The approval of extensions is the office's leaders' work.
REVIEWER = "supervisor"
_OFFICERS = frozenset({OFFICER})
_REVIEWERS = frozenset({REVIEWER})
# The legal review (法制审核) is done by a designated legal reviewer, an enforcement officer or
# a leader holding a legal qualification, who did not handle the case (policy.can_review).
_LEGAL_REVIEWERS = frozenset({OFFICER, REVIEWER})
LEGAL_REVIEW = "legal_review"

CASE_TRANSITIONS: dict[tuple[str, str], Transition] = {
    (CaseStatus.LEAD, "file"): Transition(CaseStatus.INVESTIGATING, _OFFICERS, ("occurred_on",)),
    (CaseStatus.LEAD, "decline"): Transition(CaseStatus.DECLINED, _OFFICERS, ("note",)),
    (CaseStatus.INVESTIGATING, "submit_review"): Transition(
        CaseStatus.REVIEW, _OFFICERS, ("facts", "basis")
    ),
    (CaseStatus.INVESTIGATING, "notify"): Transition(
        CaseStatus.NOTICE, _OFFICERS, ("facts", "basis")
    ),
    (CaseStatus.INVESTIGATING, "extend"): Transition(
        CaseStatus.INVESTIGATING, _REVIEWERS, ("days", "note")
    ),
    (CaseStatus.REVIEW, "approve"): Transition(
        CaseStatus.NOTICE, _LEGAL_REVIEWERS, ("note",), LEGAL_REVIEW
    ),
    (CaseStatus.REVIEW, "return"): Transition(
        CaseStatus.INVESTIGATING, _LEGAL_REVIEWERS, ("note",), LEGAL_REVIEW
    ),
    (CaseStatus.REVIEW, "extend"): Transition(CaseStatus.REVIEW, _REVIEWERS, ("days", "note")),
    (CaseStatus.NOTICE, "request_hearing"): Transition(
        CaseStatus.HEARING, _OFFICERS, ("hearing_on",)
    ),
    (CaseStatus.NOTICE, "decide"): Transition(CaseStatus.DECIDED, _OFFICERS, ("outcome",)),
    (CaseStatus.NOTICE, "extend"): Transition(CaseStatus.NOTICE, _REVIEWERS, ("days", "note")),
    (CaseStatus.HEARING, "decide"): Transition(CaseStatus.DECIDED, _OFFICERS, ("outcome",)),
    (CaseStatus.HEARING, "extend"): Transition(CaseStatus.HEARING, _REVIEWERS, ("days", "note")),
    (CaseStatus.DECIDED, "serve"): Transition(CaseStatus.SERVED, _OFFICERS),
    (CaseStatus.SERVED, "execute"): Transition(CaseStatus.EXECUTED, _OFFICERS, ("paid_on",)),
    (CaseStatus.SERVED, "close"): Transition(CaseStatus.CLOSED, _OFFICERS, ("note",)),
    (CaseStatus.EXECUTED, "close"): Transition(CaseStatus.CLOSED, _OFFICERS, ("note",)),
}

CASE_ACTION_LABELS = {
    "file": _("File the case (立案)"),
    "decline": _("Do not file (不予立案)"),
    "submit_review": _("Submit for legal review (法制审核)"),
    "notify": _("Notify the party (告知)"),
    "extend": _("Extend the time limit"),
    "approve": _("Pass the legal review"),
    "return": _("Return for investigation"),
    "request_hearing": _("Record a hearing request (听证)"),
    "decide": _("Decide (决定)"),
    "serve": _("Record service (送达)"),
    "execute": _("Record execution (执行)"),
    "close": _("Close the case (结案)"),
}

# The timeline's names of every step: the table's moves and the two ways a case begins.
STEP_LABELS = {
    "open": _("Case opened (线索)"),
    "simple": _("Penalty on the spot (当场处罚)"),
    **CASE_ACTION_LABELS,
}

# How the audit trail names the cases' writes (registered by ``EnforcementConfig``).
AUDIT_ACTION_LABELS = {
    **{f"enforcement.case_{action}": label for action, label in STEP_LABELS.items()},
    "enforcement.case_disclosed": _("Disclosure state of the case changed (双公示)"),
    "enforcement.disclosure_publish": _("Penalty decision published (双公示)"),
    "enforcement.disclosure_withdraw": _("Publication withdrawn (撤销公示)"),
    "enforcement.disclosure_late": _("Publication late (公示超期)"),
}

OPEN_STATUSES = frozenset(
    {
        CaseStatus.LEAD,
        CaseStatus.INVESTIGATING,
        CaseStatus.REVIEW,
        CaseStatus.NOTICE,
        CaseStatus.HEARING,
        CaseStatus.DECIDED,
        CaseStatus.SERVED,
        CaseStatus.EXECUTED,
    }
)


def case_actions(status: str) -> list[str]:
    """The moves the table offers from ``status``, in the table's order."""
    return [action for (state, action) in CASE_TRANSITIONS if state == status]
