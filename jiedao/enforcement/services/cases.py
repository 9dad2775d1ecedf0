"""Writes to penalty cases: opening one from a lead, an event or an inspection finding, the
simple procedure (当场处罚), and every move of the case table. Each move records a step of the
timeline, stores the clock now running and is audited in its transaction."""

import copy
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import SYSTEM, get_in_scope, require
from jiedao.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from jiedao.core.localtime import local_zone
from jiedao.core.text import clean_text
from jiedao.core.updates import model_create, model_update
from jiedao.events.models import Event

from .. import clocks, numbering, policy
from ..models import Case, CaseStep, DocumentKind, Rectification, Target
from ..workflow_cases import (
    CASE_TRANSITIONS,
    LEGAL_REVIEW,
    CaseSource,
    CaseStatus,
    Outcome,
    PenaltyKind,
    Procedure,
)
from .common import actor_user, department_in, step_moment
from .disclosure import decision_fields
from .disclosure import penalty_content as default_penalty_content
from .inspections import rectification_recheck
from .notices import review_notices_close, review_notices_send

SIMPLE_LIMITS = {"person": Decimal(200), "business": Decimal(3000)}
MAX_EXTENSION_DAYS = 90


def simple_limit(kind: str) -> Decimal:
    limits = getattr(settings, "ENFORCEMENT_SIMPLE_FINE", SIMPLE_LIMITS)
    return Decimal(limits[kind])


def _money(value: Any, field: str, label: Any) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(clocks.CENT)
    except (InvalidOperation, ValueError):
        amount = Decimal(-1)
    if value is None or value == "" or amount <= 0 or amount >= Decimal("1e10"):
        raise InvalidInput(
            _("%(field)s must be an amount in yuan above zero.") % {"field": label},
            code="invalid",
            field=field,
        )
    return amount


def _date(value: Any, field: str, label: Any) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidInput(
            _("%(field)s: give a date.") % {"field": label}, code="required", field=field
        )
    return value


def _step(case: Case, action: str, before: str, actor: Any, at: datetime, **extra: Any) -> None:
    note = extra.pop("note", "")
    CaseStep.objects.create(
        case=case,
        action=action,
        from_status=before,
        to_status=case.status,
        note=note,
        data={key: str(value) for key, value in extra.items()},
        actor=actor_user(actor),
        at=at,
    )


@transaction.atomic
def case_open(
    *,
    actor: Any,
    title: str,
    target_id: int | None = None,
    event_number: str = "",
    rectification_id: int | None = None,
    facts: str = "",
    grave: bool = False,
    needs_review: bool = True,
    department_id: int | None = None,
    is_synthetic: bool = False,
    now: datetime | None = None,
) -> Case:
    """A case at the lead stage (线索), from a lead, an event (its number) or an inspection
    finding; an open finding is escalated to it. The 立案 clock starts now."""
    require(actor, "enforcement.case_manage")
    moment = step_moment(actor, now)
    title = clean_text(title, field="title", label=_("Case title"), max_length=200, required=True)
    facts = clean_text(facts, field="facts", label=_("Facts of the violation"), max_length=4000)
    event = rectification = None
    source = CaseSource.LEAD
    if event_number and rectification_id:
        raise InvalidInput(
            _("%(field)s: a case starts from an event or from a finding, not both.")
            % {"field": _("Source")},
            code="invalid",
            field="source",
        )
    if event_number:
        try:
            event = get_in_scope(actor, Event.objects.all(), number=str(event_number).strip())
        except NotFound:
            raise InvalidInput(
                _("%(field)s: no event with this number in your scope.") % {"field": _("Event")},
                code="unknown",
                field="event_number",
            ) from None
        source = CaseSource.EVENT
    if rectification_id:
        try:
            rectification = get_in_scope(
                actor,
                Rectification.objects.select_related("inspection__target"),
                pk=rectification_id,
            )
        except NotFound:
            raise InvalidInput(
                _("%(field)s: no such finding in your scope.") % {"field": _("Inspection finding")},
                code="unknown",
                field="rectification",
            ) from None
        source = CaseSource.RECTIFICATION
        target_id = target_id or rectification.inspection.target_id
    try:
        target = get_in_scope(actor, Target.objects.all(), pk=target_id or 0)
    except NotFound:
        raise InvalidInput(
            _("%(field)s: choose a party.") % {"field": _("Party")}, code="required", field="target"
        ) from None
    department = department_in(
        actor,
        department_id or getattr(actor, "department_id", None),
        "department",
        _("Department"),
    )
    case = Case(
        subdistrict_id=target.subdistrict_id,
        department=department,
        procedure=Procedure.GENERAL,
        status=CaseStatus.LEAD,
        source=source,
        target=target,
        event=event,
        rectification=rectification,
        title=title,
        facts=facts,
        grave=bool(grave),
        needs_review=bool(needs_review),
        lead_at=moment,
        created_by=actor_user(actor),
        is_synthetic=is_synthetic,
    )
    # The row's columns as built above (ids, not objects: reading them would query).
    data = {
        field.attname: getattr(case, field.attname)
        for field in Case._meta.concrete_fields
        if not field.primary_key
    }
    data.update(clocks.clock_fields(case))
    case = model_create(model=Case, data=data, actor=actor, action="enforcement.case_open")
    _step(case, "open", "", actor, moment, source=source)
    if rectification is not None and rectification.status == "open":
        rectification_recheck(
            actor=actor,
            rectification_id=rectification.pk,
            passed=False,
            notes=str(_("Escalated to case %(id)s.") % {"id": case.pk}),
            now=now,
        )
    return case


@transaction.atomic
def case_simple(
    *,
    actor: Any,
    target_id: int,
    title: str,
    facts: str,
    basis: str,
    penalty_kind: str,
    fine: Any = None,
    occurred_on: date | None = None,
    violation_type: str = "",
    penalty_content: str = "",
    is_synthetic: bool = False,
    now: datetime | None = None,
) -> Case:
    """当场处罚 (Art. 51): a warning, or a fine of at most 200 元 for a citizen or 3,000 元 for
    an organisation, decided and served on the spot; the payment clock runs from now."""
    require(actor, "enforcement.case_manage")
    moment = step_moment(actor, now)
    try:
        target = get_in_scope(actor, Target.objects.all(), pk=target_id or 0)
    except NotFound:
        raise InvalidInput(
            _("%(field)s: choose a party.") % {"field": _("Party")}, code="required", field="target"
        ) from None
    title = clean_text(title, field="title", label=_("Case title"), max_length=200, required=True)
    facts = clean_text(
        facts, field="facts", label=_("Facts of the violation"), max_length=4000, required=True
    )
    basis = clean_text(basis, field="basis", label=_("Legal basis"), max_length=500, required=True)
    violation_type = _violation_type(violation_type)
    penalty_content = _penalty_content(penalty_content)
    if penalty_kind not in PenaltyKind.values:
        raise InvalidInput(
            _("%(field)s: choose a warning or a fine.") % {"field": _("Penalty")},
            code="invalid",
            field="penalty_kind",
        )
    amount = None
    if penalty_kind == PenaltyKind.FINE:
        amount = _money(fine, "fine", _("Fine amount"))
        limit = simple_limit(target.kind)
        if amount > limit:
            raise InvalidInput(
                _("%(field)s: the simple procedure allows at most %(limit)s yuan for this party.")
                % {"field": _("Fine amount"), "limit": limit},
                code="above_limit",
                field="fine",
            )
    department = department_in(
        actor, getattr(actor, "department_id", None), "department", _("Department")
    )
    data: dict[str, Any] = {
        "subdistrict_id": target.subdistrict_id,
        "department": department,
        "procedure": Procedure.SIMPLE,
        "status": CaseStatus.SERVED,
        "source": CaseSource.LEAD,
        "target": target,
        "title": title,
        "facts": facts,
        "basis": basis,
        "occurred_on": occurred_on or moment.astimezone(local_zone()).date(),
        "needs_review": False,
        "lead_at": moment,
        "filed_at": moment,
        "decided_at": moment,
        "served_at": moment,
        "outcome": Outcome.PENALTY,
        "penalty_kind": penalty_kind,
        "fine": amount,
        "violation_type": violation_type,
        "penalty_content": penalty_content or default_penalty_content(penalty_kind, amount),
        "created_by": actor_user(actor),
        "is_synthetic": is_synthetic,
    }
    data.update(clocks.clock_fields(Case(**data)))
    case = model_create(model=Case, data=data, actor=actor, action="enforcement.case_simple")
    _step(case, "simple", "", actor, moment, fine=amount or "")
    # Decided on the spot: its decision is numbered at once, like the general procedure's.
    numbering.issue_number(case=case, kind=DocumentKind.DECISION, actor=actor, now=now)
    return case


@transaction.atomic
def case_transition(
    *,
    actor: Any,
    case_id: int,
    action: str,
    note: str = "",
    occurred_on: date | None = None,
    facts: str = "",
    basis: str = "",
    proposed_fine: Any = None,
    days: Any = None,
    hearing_on: date | None = None,
    outcome: str = "",
    penalty_kind: str = "",
    fine: Any = None,
    paid_on: date | None = None,
    violation_type: str = "",
    penalty_content: str = "",
    now: datetime | None = None,
) -> Case:
    """Apply one move of the case table, with the inputs it requires. The type of violation
    may be given with the facts (or at the decision), the content of a penalty at the
    decision; both are published by 双公示."""
    require(actor, "enforcement.case_view")
    case = get_in_scope(
        actor, Case.objects.select_for_update(of=("self",)).select_related("target"), pk=case_id
    )
    move = CASE_TRANSITIONS.get((case.status, action))
    if move is None:
        raise Conflict(
            _("A case that is “%(status)s” cannot do this.")
            % {"status": CaseStatus(case.status).label},
            code="not_allowed",
        )
    if actor is not SYSTEM and actor.role not in move.roles:
        raise Forbidden(_("Your role may not take this step of the case."))
    refusal = policy.guard_refusal(move.guard, actor, case)
    if refusal is not None:
        raise Forbidden(refusal, code="not_reviewer")
    moment = step_moment(actor, now)
    today = moment.astimezone(local_zone()).date()
    before = case.status
    data: dict[str, Any] = {"status": move.target}
    extra: dict[str, Any] = {}
    if "note" in move.inputs:
        # The legal reviewer's note is the review opinion (审核意见), kept on the step.
        label = _("Review opinion") if move.guard == LEGAL_REVIEW else _("Note")
        note = clean_text(note, field="note", label=label, max_length=2000, required=True)
    if action == "file":
        occurred = _date(occurred_on, "occurred_on", _("Violation occurred on"))
        if occurred > today:
            raise InvalidInput(
                _("%(field)s must not be in the future.") % {"field": _("Violation occurred on")},
                code="invalid",
                field="occurred_on",
            )
        ends = clocks.limitation_ends(occurred, case.grave)
        if today > ends:
            raise InvalidInput(
                _(
                    "%(field)s: the limitation of %(years)s years ended on %(ends)s; the "
                    "violation can no longer be punished."
                )
                % {
                    "field": _("Violation occurred on"),
                    "years": 5 if case.grave else 2,
                    "ends": ends.isoformat(),
                },
                code="limitation",
                field="occurred_on",
            )
        data.update(occurred_on=occurred, filed_at=moment)
    elif action in ("submit_review", "notify"):
        if action == "notify" and case.needs_review:
            raise Conflict(
                _("This case needs the legal review (法制审核) before the party is notified."),
                code="review_required",
            )
        data["facts"] = clean_text(
            facts or case.facts,
            field="facts",
            label=_("Facts of the violation"),
            max_length=4000,
            required=True,
        )
        data["basis"] = clean_text(
            basis or case.basis,
            field="basis",
            label=_("Legal basis"),
            max_length=500,
            required=True,
        )
        if proposed_fine not in (None, ""):
            data["proposed_fine"] = _money(proposed_fine, "proposed_fine", _("Proposed fine"))
        if violation_type:
            data["violation_type"] = _violation_type(violation_type)
        if action == "notify":
            data["notified_at"] = moment
    elif action == "approve":
        data.update(reviewed_at=moment, notified_at=moment)
    elif action == "extend":
        if (
            isinstance(days, bool)
            or not isinstance(days, int)
            or not 1 <= days <= MAX_EXTENSION_DAYS
        ):
            raise InvalidInput(
                _("%(field)s must be from 1 to %(max)s.")
                % {"field": _("Days of extension"), "max": MAX_EXTENSION_DAYS},
                code="invalid",
                field="days",
            )
        data["extension_days"] = case.extension_days + days
        extra["days"] = days
    elif action == "request_hearing":
        _hearing_request(case, moment, hearing_on)
        data.update(hearing_requested_at=moment, hearing_on=hearing_on)
    elif action == "decide":
        data.update(_decision(case, moment, outcome, penalty_kind, fine))
        if violation_type:
            data["violation_type"] = _violation_type(violation_type)
        if data.get("penalty_kind"):
            data["penalty_content"] = _penalty_content(penalty_content) or default_penalty_content(
                data["penalty_kind"], data.get("fine")
            )
        decided = copy.copy(case)
        decided.outcome = outcome
        data.update(decision_fields(decided, moment))
    elif action == "serve":
        data["served_at"] = moment
    elif action == "execute":
        data.update(_execution(case, today, paid_on), executed_at=moment)
    elif action == "close":
        if before == CaseStatus.SERVED and case.outcome == Outcome.PENALTY:
            raise Conflict(
                _("A penalty is executed before the case is closed."), code="not_executed"
            )
        data["closed_at"] = moment
    # The clock that runs after the move, computed on a copy: model_update compares the row's
    # values before and after, so the case itself must still hold the old ones.
    after = copy.copy(case)
    for field, value in data.items():
        setattr(after, field, value)
    data.update(clocks.clock_fields(after))
    model_update(instance=case, data=data, actor=actor, action=f"enforcement.case_{action}")
    _step(case, action, before, actor, moment, note=note, **extra)
    if action == "decide" and case.outcome in (Outcome.PENALTY, Outcome.NO_PENALTY):
        # The decision's 文号 is taken with the decision, so that the case shows it from now on;
        # a transfer to the judicial organs is no decision of this office and takes none.
        numbering.issue_number(case=case, kind=DocumentKind.DECISION, actor=actor, now=now)
    if case.status == CaseStatus.REVIEW and before != CaseStatus.REVIEW:
        review_notices_send(case=case, actor=actor)
    elif before == CaseStatus.REVIEW and case.status != CaseStatus.REVIEW:
        review_notices_close(case=case)
    return case


def _violation_type(value: str) -> str:
    return clean_text(value, field="violation_type", label=_("Type of violation"), max_length=100)


def _penalty_content(value: str) -> str:
    return clean_text(
        value, field="penalty_content", label=_("Content of the penalty"), max_length=2000
    )


def _hearing_request(case: Case, moment: datetime, hearing_on: date | None) -> None:
    if not clocks.hearing_qualifies(case, case.proposed_fine):
        raise Conflict(
            _("The proposed penalty does not give the party a right to a hearing."),
            code="no_hearing",
        )
    window = clocks.clock("hearing_request", case.notified_at or moment)
    if moment > window.due_at:
        raise Conflict(
            _("The time to ask for a hearing ended at %(due)s.")
            % {"due": window.due_at.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M")},
            code="hearing_late",
        )
    hearing = _date(hearing_on, "hearing_on", _("Hearing on"))
    days, working = clocks.clock_rule("hearing_notice")
    earliest = clocks.last_day(moment.astimezone(local_zone()).date(), days, working)
    if hearing < earliest:
        raise InvalidInput(
            _("%(field)s must be on or after %(day)s: the party is notified %(days)s days before.")
            % {"field": _("Hearing on"), "day": earliest.isoformat(), "days": days},
            code="too_soon",
            field="hearing_on",
        )


def _decision(
    case: Case, moment: datetime, outcome: str, penalty_kind: str, fine: Any
) -> dict[str, Any]:
    if case.needs_review and case.reviewed_at is None:
        raise Conflict(
            _("A decision is made only after the legal review (法制审核)."),
            code="review_required",
        )
    if outcome not in Outcome.values:
        raise InvalidInput(
            _("%(field)s: choose one of the outcomes offered.") % {"field": _("Outcome")},
            code="invalid",
            field="outcome",
        )
    if (
        case.status == CaseStatus.NOTICE
        and clocks.hearing_qualifies(case, case.proposed_fine)
        and case.notified_at is not None
        and moment <= clocks.clock("hearing_request", case.notified_at).due_at
    ):
        raise Conflict(
            _("The party may still ask for a hearing: decide once that time has passed."),
            code="hearing_window",
        )
    data: dict[str, Any] = {"outcome": outcome, "decided_at": moment, "penalty_kind": ""}
    if outcome == Outcome.PENALTY:
        if penalty_kind not in PenaltyKind.values:
            raise InvalidInput(
                _("%(field)s: choose a warning or a fine.") % {"field": _("Penalty")},
                code="invalid",
                field="penalty_kind",
            )
        data["penalty_kind"] = penalty_kind
        if penalty_kind == PenaltyKind.FINE:
            data["fine"] = _money(fine, "fine", _("Fine amount"))
    return data


def _execution(case: Case, today: date, paid_on: date | None) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if case.penalty_kind == PenaltyKind.FINE and case.fine:
        paid = _date(paid_on, "paid_on", _("Paid on"))
        if paid > today or (
            case.served_at and paid < case.served_at.astimezone(local_zone()).date()
        ):
            raise InvalidInput(
                _("%(field)s must lie between service and today.") % {"field": _("Paid on")},
                code="invalid",
                field="paid_on",
            )
        due = clocks.payment_due_on(case) or paid
        data.update(paid_on=paid, surcharge=clocks.late_surcharge(case.fine, due, paid))
    return data
