"""双公示: publishing a general-procedure penalty decision, withdrawing a publication, and
announcing the decisions whose publication is late.

A decision is due for publication ``ENFORCEMENT_DISCLOSURE_DAYS`` (7) working days after it is
made, on the working calendar (:func:`disclosure_due_on`; the decide step stores it on the case).
Publishing copies the published fields into a :class:`~jiedao.enforcement.models.Disclosure`, so
later edits of the case leave the publication as it was; a natural person's name is masked and
their ID number never copied. A supervisor may withdraw a publication with a reason; the row is
kept. Lateness is announced once per case (``disclosure_late_at``) to the department's officers
and the office's supervisors, with the notifications' one INSERT … SELECT.
"""

import copy
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.models import Role, User
from jiedao.accounts.permissions import SYSTEM, get_in_scope, require
from jiedao.core.errors import Conflict, ErrorList, InvalidInput, NotFound
from jiedao.core.localtime import local_zone
from jiedao.core.pii import mask_name
from jiedao.core.text import clean_text
from jiedao.core.updates import model_create, model_update
from jiedao.events.services.notifications import notify_users

from .. import clocks
from ..models import Case, Disclosure, Target
from ..workflow_cases import DisclosureState, Outcome, PenaltyKind, Procedure
from .common import actor_user, step_moment

DISCLOSURE_DAYS = 7
LATE_KIND = "disclosure_late"


def disclosure_days() -> int:
    return int(getattr(settings, "ENFORCEMENT_DISCLOSURE_DAYS", DISCLOSURE_DAYS))


def disclosure_due_on(decided_at: datetime) -> date:
    """The last day to publish a decision made at ``decided_at``: the working days of
    ``ENFORCEMENT_DISCLOSURE_DAYS`` after the decision's (local) day, which does not count."""
    return clocks.last_day(decided_at.astimezone(local_zone()).date(), disclosure_days(), True)


def is_disclosed(case: Case) -> bool:
    """Whether the case's decision is one that 双公示 publishes: a penalty (处罚) decided in the
    general procedure. 不予处罚, a transfer and the simple procedure's decisions are not."""
    return case.procedure == Procedure.GENERAL and case.outcome == Outcome.PENALTY


def decision_fields(case: Case, moment: datetime) -> dict[str, Any]:
    """What the decide step stores for 双公示 (nothing to publish: blank)."""
    if not is_disclosed(case):
        return {"disclosure": "", "disclosure_due_on": None}
    return {"disclosure": DisclosureState.PENDING, "disclosure_due_on": disclosure_due_on(moment)}


def penalty_content(penalty_kind: str, fine: Decimal | None) -> str:
    """The operative words of a penalty when the officer wrote none: 警告, or the fine as the
    decision document writes it (罚款人民币500元)."""
    from ..documents.content import yuan

    if penalty_kind == PenaltyKind.FINE and fine:
        return f"罚款{yuan(fine)}"
    return "警告" if penalty_kind == PenaltyKind.WARNING else ""


def authority(case: Case) -> str:
    """处罚机关: the subdistrict office, as its documents name it (``ENFORCEMENT_AUTHORITY``),
    with the department that handled the case."""
    # Imported here: the documents' package imports the services.
    from ..documents.content import authority as office

    return f"{office(case)}（{case.department.name}）"


def party_name(target: Target) -> str:
    """A business's name as registered; a natural person's masked (张**)."""
    if target.kind == Target.Kind.PERSON:
        return mask_name(target.name)
    return target.name


def _required(errors: ErrorList, value: str, field: str, label: Any) -> str:
    if not value.strip():
        errors.add(
            InvalidInput(
                _("%(field)s is missing: the decision cannot be published without it.")
                % {"field": label},
                code="required",
                field=field,
            )
        )
    return value.strip()


def _snapshot(case: Case) -> dict[str, Any]:
    """The published fields, read from the case now; every missing one reported together."""
    errors = ErrorList()
    # The 决定书文号 the decide step took (jiedao.enforcement.numbering).
    number = _required(errors, case.decision_number, "decision_number", _("Decision number"))
    violation = _required(errors, case.violation_type, "violation_type", _("Type of violation"))
    facts = _required(errors, case.facts, "facts", _("Facts of the violation"))
    basis = _required(errors, case.basis, "basis", _("Legal basis"))
    content = _required(
        errors,
        case.penalty_content or penalty_content(case.penalty_kind, case.fine),
        "penalty_content",
        _("Content of the penalty"),
    )
    errors.raise_any()
    target = case.target
    decided_at = case.decided_at or timezone.now()  # set whenever the state is pending
    return {
        "case": case,
        "subdistrict_id": case.subdistrict_id,
        "department_id": case.department_id,
        "party_name": party_name(target),
        "party_kind": target.kind,
        "credit_code": target.credit_code if target.kind == Target.Kind.BUSINESS else "",
        "decision_number": number,
        "violation_type": violation,
        "facts": facts,
        "basis": basis,
        "penalty_kind": case.penalty_kind,
        "penalty_content": content,
        "fine": case.fine if case.penalty_kind == PenaltyKind.FINE else None,
        "decided_on": decided_at.astimezone(local_zone()).date(),
        "authority": authority(case),
        "due_on": case.disclosure_due_on or disclosure_due_on(decided_at),
        "is_synthetic": case.is_synthetic,
    }


def _case_for_update(actor: Any, case_id: int) -> Case:
    case = get_in_scope(
        actor,
        Case.objects.select_for_update(of=("self",)).select_related(
            "target", "department", "subdistrict"
        ),
        pk=case_id,
    )
    # Publishing is the handling department's (or the office's supervisors'): an officer of
    # another department does not see the case at all.
    if (
        actor is not SYSTEM
        and actor.role == Role.ENFORCEMENT_OFFICER
        and actor.department_id != case.department_id
    ):
        raise NotFound()
    return case


@transaction.atomic
def disclosure_publish(
    *,
    case_id: int,
    actor: Any,
    violation_type: str = "",
    penalty_content: str = "",
    now: datetime | None = None,
) -> Disclosure:
    """Publish the case's penalty decision (双公示): a snapshot of the published fields, dated
    today; the case is then "published". The type of violation and the content of the penalty,
    when given, complete the case first (a case decided before they were asked for). Refused
    for a case without a general-procedure penalty decision, one already published, or one
    missing a published field (each named)."""
    require(actor, "enforcement.disclosure_publish")
    case = _case_for_update(actor, case_id)
    completion: dict[str, Any] = {}
    errors = ErrorList()
    if violation_type:
        completion["violation_type"] = errors.check(
            lambda: clean_text(
                violation_type,
                field="violation_type",
                label=_("Type of violation"),
                max_length=100,
            ),
            "",
        )
    if penalty_content:
        completion["penalty_content"] = errors.check(
            lambda: clean_text(
                penalty_content,
                field="penalty_content",
                label=_("Content of the penalty"),
                max_length=2000,
            ),
            "",
        )
    errors.raise_any()
    if case.disclosure == DisclosureState.PUBLISHED:
        raise Conflict(_("This decision is already published."), code="already_published")
    if case.disclosure not in (DisclosureState.PENDING, DisclosureState.WITHDRAWN):
        raise Conflict(
            _(
                "Only a penalty decision (处罚) of the general procedure is published; this case "
                "has none."
            ),
            code="not_disclosed",
        )
    moment = step_moment(actor, now)
    # The snapshot reads a completed copy: model_update compares the case before and after.
    completed = copy.copy(case)
    for field, value in completion.items():
        setattr(completed, field, value)
    data = _snapshot(completed)
    data["case"] = case
    data.update(
        published_at=moment,
        published_on=moment.astimezone(local_zone()).date(),
        published_by=actor_user(actor),
    )
    disclosure = model_create(
        model=Disclosure, data=data, actor=actor, action="enforcement.disclosure_publish"
    )
    model_update(
        instance=case,
        data={**completion, "disclosure": DisclosureState.PUBLISHED},
        actor=actor,
        action="enforcement.case_disclosed",
    )
    return disclosure


@transaction.atomic
def disclosure_withdraw(
    *, disclosure_id: int, actor: Any, reason: str, now: datetime | None = None
) -> Disclosure:
    """撤销公示: take a publication off the public list, with the reason; the row is kept and
    the case may be published again (a corrected decision)."""
    require(actor, "enforcement.disclosure_withdraw")
    disclosure = get_in_scope(
        actor, Disclosure.objects.select_for_update(of=("self",)), pk=disclosure_id
    )
    reason = clean_text(
        reason,
        field="reason",
        label=_("Reason for the withdrawal"),
        max_length=1000,
        required=True,
    )
    if disclosure.withdrawn_at is not None:
        raise Conflict(_("This publication is already withdrawn."), code="already_withdrawn")
    moment = step_moment(actor, now)
    model_update(
        instance=disclosure,
        data={
            "withdrawn_at": moment,
            "withdrawn_by": actor_user(actor),
            "withdrawal_reason": reason,
        },
        actor=actor,
        action="enforcement.disclosure_withdraw",
    )
    case = Case.objects.select_for_update().get(pk=disclosure.case_id)
    model_update(
        instance=case,
        data={"disclosure": DisclosureState.WITHDRAWN},
        actor=actor,
        action="enforcement.case_disclosed",
    )
    return disclosure


def late_q(today: date) -> Q:
    """Cases whose decision awaits publication past its last day."""
    return Q(disclosure=DisclosureState.PENDING, disclosure_due_on__lt=today)


def disclosures_announce_late(*, actor: Any = SYSTEM, now: datetime | None = None) -> int:
    """Announce each decision whose publication has become late, once per case: the
    department's officers and the office's supervisors are told. Each case is its own
    transaction. Returns how many were announced."""
    if actor is not SYSTEM:
        require(actor, "enforcement.disclosure_withdraw")
    moment = now or timezone.now()
    today = moment.astimezone(local_zone()).date()
    due = Case.objects.filter(late_q(today), disclosure_late_at__isnull=True).order_by("pk")
    return sum(
        _announce_late(case_id=case_id, actor=actor, moment=moment, today=today)
        for case_id in list(due.values_list("pk", flat=True))
    )


@transaction.atomic
def _announce_late(*, case_id: int, actor: Any, moment: datetime, today: date) -> int:
    case = Case.objects.select_for_update().filter(pk=case_id).first()
    if (
        case is None
        or case.disclosure_late_at is not None
        or not Case.objects.filter(late_q(today), pk=case_id).exists()
    ):
        return 0  # published or announced meanwhile
    model_update(
        instance=case,
        data={"disclosure_late_at": moment},
        actor=actor,
        action="enforcement.disclosure_late",
    )
    recipients = User.objects.filter(
        Q(role=Role.ENFORCEMENT_OFFICER, department_id=case.department_id)
        | Q(role=Role.SUPERVISOR, subdistrict_id=case.subdistrict_id)
    )
    notify_users(
        recipients=recipients,
        kind=LATE_KIND,
        params={
            "subject": case.decision_number or case.title,
            "due_on": case.disclosure_due_on.isoformat() if case.disclosure_due_on else None,
        },
        link=reverse("enforcement:case", args=[case.pk]),
    )
    return 1
