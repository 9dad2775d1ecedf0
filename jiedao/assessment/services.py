"""Writes of the team assessment: teams, members, the weight table, closing a month. Each
checks the actor's role and scope, validates every field before writing anything, and is
audited in its transaction."""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.models import Role, User
from jiedao.accounts.permissions import SYSTEM, get_in_scope, require
from jiedao.audit.services import audit_record
from jiedao.core.errors import Conflict, ErrorList, InvalidInput
from jiedao.core.text import clean_text
from jiedao.core.updates import model_create, model_update
from jiedao.geo.models import Department, Subdistrict

from . import measures, scoring
from .models import MemberScore, MonthResult, Team, TeamMember, WeightTable
from .policy import MEMBER_ROLES, RUNNERS
from .selectors import live_rows


def _user_or_none(actor: Any) -> User | None:
    return None if actor is SYSTEM else actor


def _subdistrict_of(actor: Any, subdistrict_id: int | None) -> Subdistrict:
    if actor is SYSTEM and subdistrict_id is not None:
        return Subdistrict.objects.get(pk=subdistrict_id)
    return Subdistrict.objects.get(pk=actor.subdistrict_id)


def _staff(subdistrict: Subdistrict, user_id: Any, *, field: str, label: Any, roles: Any) -> User:
    user = User.objects.filter(pk=user_id, subdistrict=subdistrict, is_active=True).first()
    if user is None or user.role not in roles:
        names = "、".join(str(Role(role).label) for role in Role if role in roles)
        raise InvalidInput(
            _(
                "%(field)s: choose an active user of the subdistrict with one of the roles %(roles)s."
            ),
            params={"field": label, "roles": names},
            field=field,
        )
    return user


@transaction.atomic
def team_create(
    *,
    actor: Any,
    name: str,
    leader_id: int,
    department_id: int | None = None,
    subdistrict_id: int | None = None,
    is_synthetic: bool = False,
) -> Team:
    """A team of the actor's subdistrict with its leader and the default weight table."""
    require(actor, "assessment.manage")
    subdistrict = _subdistrict_of(actor, subdistrict_id)
    errors = ErrorList()
    clean_name = errors.check(
        lambda: clean_text(name, field="name", label=_("Team name"), max_length=100, required=True),
        default="",
    )
    if clean_name and Team.objects.filter(subdistrict=subdistrict, name=clean_name).exists():
        errors.add(
            InvalidInput(
                _("Team name: a team “%(name)s” exists already.") % {"name": clean_name},
                field="name",
            )
        )
    leader = errors.check(
        lambda: _staff(
            subdistrict,
            leader_id,
            field="leader",
            label=_("Team leader"),
            roles=RUNNERS | MEMBER_ROLES,
        ),
        default=None,
    )
    department = None
    if department_id is not None:
        department = Department.objects.filter(pk=department_id, subdistrict=subdistrict).first()
        if department is None:
            errors.add(InvalidInput(_("Department: no such department."), field="department"))
    errors.raise_any()
    team = model_create(
        model=Team,
        data={
            "subdistrict": subdistrict,
            "name": clean_name,
            "leader": leader,
            "department": department,
            "is_synthetic": is_synthetic,
        },
        actor=actor,
        action="assessment.team.create",
    )
    model_create(
        model=WeightTable, data={"team": team}, actor=actor, action="assessment.weights.create"
    )
    return team


@transaction.atomic
def team_member_add(
    *, actor: Any, team_id: int, user_id: int, is_synthetic: bool = False
) -> TeamMember:
    """Add a member (a handler, enforcement officer or grid worker of the subdistrict)."""
    require(actor, "assessment.manage")
    team = get_in_scope(actor, Team.objects.select_for_update(), pk=team_id)
    subdistrict = Subdistrict.objects.get(pk=team.subdistrict_id)
    user = _staff(subdistrict, user_id, field="user", label=_("Member"), roles=MEMBER_ROLES)
    if TeamMember.objects.filter(team=team, user=user).exists():
        raise InvalidInput(
            _("Member: %(name)s is in the team already.") % {"name": user.display_name},
            field="user",
        )
    return model_create(
        model=TeamMember,
        data={"team": team, "user": user, "is_synthetic": is_synthetic},
        actor=actor,
        action="assessment.member.create",
    )


@transaction.atomic
def team_member_remove(*, actor: Any, team_id: int, user_id: int) -> None:
    """Take a member out of the team; the closed months keep their score."""
    require(actor, "assessment.manage")
    team = get_in_scope(actor, Team.objects.all(), pk=team_id)
    member = get_in_scope(actor, TeamMember.objects.filter(team=team), user_id=user_id)
    audit_record(
        actor=actor,
        action="assessment.member.delete",
        target=member,
        before={"team": team.pk, "user": member.user_id},
    )
    member.delete()


def weight_value(value: Any, *, key: str, errors: ErrorList) -> Decimal:
    """One weight from what was typed: a number from 0 to 1000 with at most two decimals."""
    label = measures.BY_KEY[key].label
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        errors.add(
            InvalidInput(
                _("%(field)s must be a number, not “%(value)s”."),
                params={"field": label, "value": value},
                field=key,
            )
        )
        return Decimal(0)
    if number < 0 or number > measures.MAX_WEIGHT:
        errors.add(
            InvalidInput(
                _("%(field)s must be from 0 to %(max)s points."),
                params={"field": label, "max": measures.MAX_WEIGHT},
                field=key,
            )
        )
        return Decimal(0)
    if number != number.quantize(measures.CENT):
        errors.add(
            InvalidInput(
                _("%(field)s may have at most two decimals."),
                params={"field": label},
                field=key,
            )
        )
        return Decimal(0)
    return number.quantize(measures.CENT)


@transaction.atomic
def weights_update(*, actor: Any, team_id: int, values: Mapping[str, Any]) -> WeightTable:
    """Set the team's weights (every measure must be given). Each weight is ≥ 0 and at least one
    is above 0: a table of zeros would score everybody 0. Applies to the open months; a closed
    month keeps the weights it was closed with."""
    require(actor, "assessment.manage")
    team = get_in_scope(actor, Team.objects.all(), pk=team_id)
    table = WeightTable.objects.select_for_update().get(team=team)
    errors = ErrorList()
    clean: dict[str, Decimal] = {}
    for key in measures.MEASURE_KEYS:
        if key not in values or values[key] in (None, ""):
            errors.add(
                InvalidInput(
                    _("%(field)s is required."),
                    params={"field": measures.BY_KEY[key].label},
                    code="required",
                    field=key,
                )
            )
            continue
        clean[key] = weight_value(values[key], key=key, errors=errors)
    unknown = sorted(set(values) - set(measures.MEASURE_KEYS))
    if unknown:
        errors.add(
            InvalidInput(
                _("Unknown measures: %(names)s.") % {"names": ", ".join(unknown)},
                field=unknown[0],
            )
        )
    if not errors and not any(value > 0 for value in clean.values()):
        errors.add(
            InvalidInput(
                _("Weights: give at least one measure a weight above 0."),
                field=measures.MEASURE_KEYS[0],
                code="all_zero",
            )
        )
    errors.raise_any()
    model_update(instance=table, data=clean, actor=actor, action="assessment.weights.update")
    return table


@transaction.atomic
def month_close(*, actor: Any, team_id: int, month: date) -> MonthResult:
    """Close a month that has ended: store each member's counts, score and rank with the weights
    used. From then on the month is read from what was stored and never recomputed."""
    require(actor, "assessment.close")
    team = get_in_scope(
        actor, Team.objects.select_for_update(of=("self",)).select_related("weights"), pk=team_id
    )
    month = month.replace(day=1)
    _start, end = scoring.month_bounds(month)
    if end > timezone.now():
        raise Conflict(
            _("%(month)s has not ended yet: a month can be closed once it is over.")
            % {"month": f"{month:%Y-%m}"},
            code="month_open",
            field="month",
        )
    if MonthResult.objects.filter(team=team, month=month).exists():
        raise Conflict(
            _("%(month)s is closed already.") % {"month": f"{month:%Y-%m}"},
            code="month_closed",
            field="month",
        )
    weights = team.weights.as_dict()
    rows = live_rows([team], month)[team.pk]
    result = model_create(
        model=MonthResult,
        data={
            "team": team,
            "month": month,
            "weights": {key: str(value) for key, value in weights.items()},
            "closed_at": timezone.now(),
            "closed_by": _user_or_none(actor),
        },
        actor=actor,
        action="assessment.month.close",
    )
    MemberScore.objects.bulk_create(
        [
            MemberScore(
                result=result,
                user_id=row.user_id,
                name=row.name,
                is_synthetic=row.is_synthetic,
                score=row.score,
                rank=row.rank,
                **row.counts,
            )
            for row in rows
        ]
    )
    audit_record(
        actor=actor,
        action="assessment.month.scores",
        target=result,
        after={"scores": [row.as_dict() for row in rows]},
    )
    return result
