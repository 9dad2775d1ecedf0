"""The points ledger: immutable entries, balances derived, never below zero.

Every entry is booked by :func:`_book`, which first locks the account's row (``SELECT … FOR
UPDATE``), so that two redemptions cannot both spend the same points; it checks the points
against the locked balance, writes the entry (audited) and moves the balance. The account's
CHECK constraint (``sanitation_account_balance_not_negative``) is the last word: should any code
ever skip the check, the database refuses the write.

Points are earned by the rules in force (:class:`~jiedao.sanitation.models.PointsRule`): so
many per correctly sorted drop-off, at most so many a day; so many per yuan of recycling
credited as points. They are redeemed for the rewards on offer, whose stock is locked too.
"""

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import get_in_scope, require
from jiedao.core.errors import ErrorList, InvalidInput
from jiedao.core.localtime import local_start, local_time
from jiedao.core.updates import model_create, model_update

from ..models import Account, DropOff, PointsEntry, PointsRule, Reward, WeighIn
from ..workflow import EntryKind, PointsTrigger
from .common import account_by_number, record_time

MAX_QUANTITY = 99


def rule_in_force(subdistrict_id: int, trigger: str) -> PointsRule | None:
    return PointsRule.objects.filter(
        subdistrict_id=subdistrict_id, trigger=trigger, is_active=True
    ).first()


def _actor_user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _book(
    *,
    actor: Any,
    account: Account,
    kind: str,
    points: int,
    description: str,
    at: datetime,
    rule: PointsRule | None = None,
    drop_off: DropOff | None = None,
    weigh_in: WeighIn | None = None,
    reward: Reward | None = None,
    quantity: int = 1,
) -> PointsEntry:
    """Book one entry under the lock of the account's row. A redemption above the balance is a
    422 naming the balance; nothing is written."""
    # The lock every writer of this account waits for: from here to the commit, nobody else books.
    locked = Account.objects.select_for_update().get(pk=account.pk)
    if kind == EntryKind.REDEEM:
        if points > locked.points_balance:
            raise InvalidInput(
                _(
                    "Points: the redemption needs %(points)s points and the account has "
                    "%(balance)s."
                ),
                params={"points": points, "balance": locked.points_balance},
                code="above_balance",
                field="reward",
            )
        balance = locked.points_balance - points
    else:
        balance = locked.points_balance + points
    entry = model_create(
        model=PointsEntry,
        data={
            "account": locked,
            "kind": kind,
            "points": points,
            "balance_after": balance,
            "rule": rule,
            "drop_off": drop_off,
            "weigh_in": weigh_in,
            "reward": reward,
            "quantity": quantity,
            "description": description[:200],
            "created_by": _actor_user(actor),
            "booked_at": at,
        },
        actor=actor,
        action=f"sanitation.points.{kind}",
    )
    # The CHECK constraint on this row refuses a balance below zero.
    locked.points_balance = balance
    locked.save(update_fields=["points_balance"])
    account.points_balance = balance
    return entry


def points_for_drop_off(*, actor: Any, drop_off: DropOff) -> PointsEntry | None:
    """Credit a correctly sorted drop-off under the rule in force, within its daily cap."""
    if not drop_off.is_correct:
        return None
    account = drop_off.account
    rule = rule_in_force(account.subdistrict_id, PointsTrigger.CORRECT_DROP_OFF)
    if rule is None:
        return None
    # Lock first, then count: two drop-offs of the same minute cannot both pass the cap.
    Account.objects.select_for_update().get(pk=account.pk)
    if rule.daily_cap is not None:
        day_start = local_start(local_time(drop_off.dropped_at).date())
        earned = PointsEntry.objects.filter(
            account=account,
            rule=rule,
            booked_at__gte=day_start,
            booked_at__lt=day_start + timedelta(days=1),
        ).aggregate(n=Count("pk"))["n"]
        if earned >= rule.daily_cap:
            return None
    return _book(
        actor=actor,
        account=account,
        kind=EntryKind.EARN,
        points=rule.points,
        description=str(
            _("Correctly sorted: %(class)s") % {"class": drop_off.get_waste_class_display()}
        ),
        at=drop_off.dropped_at,
        rule=rule,
        drop_off=drop_off,
    )


def recycling_points(value: Decimal, rule: PointsRule) -> int:
    """Points for recycling worth ``value`` yuan: the rule's points per yuan, rounded half up."""
    return int((value * rule.points).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def points_for_weigh_in(*, actor: Any, weigh_in: WeighIn, rule: PointsRule) -> PointsEntry | None:
    if weigh_in.points == 0:
        return None
    return _book(
        actor=actor,
        account=weigh_in.account,
        kind=EntryKind.EARN,
        points=weigh_in.points,
        description=str(
            _("Recycling: %(material)s %(quantity)s")
            % {"material": weigh_in.material.name, "quantity": f"{weigh_in.quantity.normalize():f}"}
        ),
        at=weigh_in.weighed_at,
        rule=rule,
        weigh_in=weigh_in,
    )


def _parse_quantity(value: Any) -> int:
    try:
        quantity = int(str(value).strip())
    except (TypeError, ValueError):
        quantity = 0
    if not 1 <= quantity <= MAX_QUANTITY:
        raise InvalidInput(
            _("%(field)s must be a whole number from 1 to %(max)s."),
            params={"field": _("Quantity"), "max": MAX_QUANTITY},
            code="bad_quantity",
            field="quantity",
        )
    return quantity


@transaction.atomic
def points_redeem(
    *,
    actor: Any,
    subdistrict_id: int,
    account_number: str,
    reward_id: Any,
    quantity: Any = 1,
    at: datetime | None = None,
) -> PointsEntry:
    """Redeem an account's points for a reward (at the community's exchange point).

    Everything is checked before anything is written: the account, the reward on offer, the
    quantity, the stock and the balance (under the account's lock); a redemption above the
    balance is a 422 and leaves the balance, the stock and the ledger as they were."""
    require(actor, "sanitation.redeem")
    moment = record_time(actor, at)
    errors = ErrorList()
    account = errors.check(
        lambda: account_by_number(account_number, subdistrict_id=subdistrict_id), None
    )
    reward = errors.check(lambda: _reward(subdistrict_id, reward_id), None)
    count = errors.check(lambda: _parse_quantity(quantity), 0)
    errors.raise_any()
    assert account is not None  # noqa: S101 - checked above
    assert reward is not None  # noqa: S101
    # Redemption happens where the household lives: the account must lie in the actor's scope.
    account = get_in_scope(actor, Account.objects.all(), pk=account.pk)
    reward = Reward.objects.select_for_update().get(pk=reward.pk)
    if reward.stock is not None and count > reward.stock:
        raise InvalidInput(
            _("Quantity: only %(stock)s of “%(reward)s” are left."),
            params={"stock": reward.stock, "reward": reward.name},
            code="out_of_stock",
            field="quantity",
        )
    entry = _book(
        actor=actor,
        account=account,
        kind=EntryKind.REDEEM,
        points=reward.points_cost * count,
        description=f"{reward.name} × {count}",
        at=moment,
        reward=reward,
        quantity=count,
    )
    if reward.stock is not None:
        model_update(
            instance=reward,
            data={"stock": reward.stock - count},
            actor=actor,
            action="sanitation.reward.update",
        )
    return entry


def _reward(subdistrict_id: int, reward_id: Any) -> Reward:
    try:
        pk = int(reward_id)
    except (TypeError, ValueError):
        pk = 0
    reward = Reward.objects.filter(pk=pk, subdistrict_id=subdistrict_id, is_active=True).first()
    if reward is None:
        raise InvalidInput(
            _("%(field)s: choose one of the rewards on offer."),
            params={"field": _("Reward")},
            code="unknown_reward",
            field="reward",
        )
    return reward
