"""The community fund's ledger: immutable entries, balances derived, never overspent.

Every entry is written by :func:`fund_entry_book`, which first locks the fund's balance row
(``SELECT … FOR UPDATE``), so that two payments cannot both see the same available money; it
checks the amount against the locked totals, adds the entry and moves the totals. The balance
row's CHECK constraint (``community_fund_never_overspent``) is the last word: should any code
ever skip the check, the database refuses the write.

* injection — money paid into the fund; the pledged size is its ceiling;
* commitment — money set aside for a grant or a project; at most what is available
  (injected − committed);
* payment — money paid out of one commitment; at most what the commitment has left;
* release — the part of a commitment that will not be paid, given back to what is available.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max, Q, Sum
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import get_in_scope, require
from jiedao.core.errors import InvalidInput
from jiedao.core.localtime import local_today
from jiedao.core.text import clean_text
from jiedao.core.updates import model_create

from .models import Fund, FundBalance, FundEntry, Organisation

Kind = FundEntry.Kind
CENT = Decimal("0.01")


def parse_amount(value: Any, *, label: Any = None) -> Decimal:
    """A positive amount in yuan with at most two decimals, or InvalidInput naming the field."""
    label = label or _("Amount (yuan)")
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise InvalidInput(
            _("%(label)s must be a number of yuan, e.g. 50000 or 1234.50.") % {"label": label},
            field="amount",
        ) from None
    if not amount.is_finite() or amount <= 0:
        raise InvalidInput(
            _("%(label)s must be more than zero.") % {"label": label}, field="amount"
        )
    if amount != amount.quantize(CENT):
        raise InvalidInput(
            _("%(label)s may have at most two decimals (fen).") % {"label": label}, field="amount"
        )
    if amount >= Decimal("1e12"):
        raise InvalidInput(_("%(label)s is too large.") % {"label": label}, field="amount")
    return amount


@transaction.atomic
def fund_create(*, actor: Any, subdistrict_id: int, name: str, size: Decimal) -> Fund:
    require(actor, "community.fund_manage")
    name = clean_text(name, field="name", max_length=100, label=_("Name"), required=True)
    size = parse_amount(size, label=_("Pledged size (yuan)"))
    if Fund.objects.filter(name=name).exists():
        raise InvalidInput(
            _("Name “%(name)s” is taken by another fund.") % {"name": name}, field="name"
        )
    fund = model_create(
        model=Fund,
        data={"subdistrict_id": subdistrict_id, "name": name, "size": size},
        actor=actor,
        action="community.fund.create",
    )
    FundBalance.objects.create(fund=fund)
    return fund


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}"


@transaction.atomic
def fund_entry_book(
    *,
    actor: Any,
    fund: Fund,
    kind: str,
    amount: Any,
    description: str,
    booked_on: date | None = None,
    commitment: FundEntry | None = None,
    organisation: Organisation | None = None,
) -> FundEntry:
    """Book one entry on the fund's ledger under the lock of its balance row."""
    require(actor, "community.fund_manage")
    fund = get_in_scope(actor, Fund.objects.all(), pk=fund.pk)
    if kind not in Kind.values:
        raise InvalidInput(
            _("Kind must be one of: %(kinds)s.")
            % {"kinds": "、".join(str(k) for k in Kind.labels)},
            field="kind",
        )
    amount = parse_amount(amount)
    description = clean_text(
        description, field="description", max_length=200, label=_("Description"), required=True
    )
    booked_on = booked_on or local_today()
    if booked_on > local_today():
        raise InvalidInput(_("Booked on may not be in the future."), field="booked_on")
    # The lock every writer of this fund waits for: from here to the commit, nobody else books.
    balance = FundBalance.objects.select_for_update().get(fund=fund)
    # The ledger is kept in order: an entry dated before the last one would make the statements
    # of past periods show money committed before it was there.
    last = FundEntry.objects.filter(fund=fund).aggregate(last=Max("booked_on"))["last"]
    if last is not None and booked_on < last:
        raise InvalidInput(
            _("Booked on may not be before the last entry of the ledger (%(date)s).")
            % {"date": f"{last:%Y-%m-%d}"},
            field="booked_on",
        )
    data: dict[str, Any] = {
        "fund": fund,
        "kind": kind,
        "amount": amount,
        "description": description,
        "booked_on": booked_on,
        "organisation": organisation,
        "created_by": actor if getattr(actor, "pk", None) else None,
    }
    if kind == Kind.INJECTION:
        room = fund.size - balance.injected
        if amount > room:
            raise InvalidInput(
                _(
                    "Amount (yuan) %(amount)s is more than the %(room)s yuan still pledged to the fund."
                )
                % {"amount": _yuan(amount), "room": _yuan(room)},
                field="amount",
                code="above_pledge",
            )
        balance.injected += amount
    elif kind == Kind.COMMITMENT:
        if amount > balance.available:
            raise InvalidInput(
                _(
                    "Amount (yuan) %(amount)s is more than the %(available)s yuan available in the fund."
                )
                % {"amount": _yuan(amount), "available": _yuan(balance.available)},
                field="amount",
                code="above_available",
            )
        balance.committed += amount
    else:
        if commitment is None:
            raise InvalidInput(
                _("Commitment is required for a payment or a release."), field="commitment"
            )
        commitment = FundEntry.objects.get(pk=commitment.pk)
        if commitment.fund_id != fund.pk or commitment.kind != Kind.COMMITMENT:
            raise InvalidInput(
                _("Commitment must be a commitment of this fund."), field="commitment"
            )
        left = commitment_left(commitment)
        if amount > left:
            raise InvalidInput(
                _("Amount (yuan) %(amount)s is more than the %(left)s yuan left of the commitment.")
                % {"amount": _yuan(amount), "left": _yuan(left)},
                field="amount",
                code="above_commitment",
            )
        data["commitment"] = commitment
        data["organisation"] = organisation or commitment.organisation
        if kind == Kind.PAYMENT:
            balance.paid += amount
        else:
            balance.committed -= amount
    entry = model_create(model=FundEntry, data=data, actor=actor, action=f"community.fund.{kind}")
    # The CHECK constraint on this row refuses any total that overspends the fund.
    balance.save(update_fields=["injected", "committed", "paid"])
    return entry


def commitment_left(commitment: FundEntry) -> Decimal:
    """What a commitment can still pay: its amount less what was paid or released from it."""
    drawn = commitment.drawings.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    return commitment.amount - drawn


@dataclass(frozen=True)
class Totals:
    injected: Decimal
    committed: Decimal
    paid: Decimal

    @property
    def available(self) -> Decimal:
        return self.injected - self.committed

    @property
    def unpaid(self) -> Decimal:
        return self.committed - self.paid


def totals(fund: Fund, *, since: date | None = None, until: date | None = None) -> Totals:
    """The fund's totals from its entries (one statement), between two booking dates inclusive."""
    entries = FundEntry.objects.filter(fund=fund)
    if since is not None:
        entries = entries.filter(booked_on__gte=since)
    if until is not None:
        entries = entries.filter(booked_on__lte=until)
    sums = entries.aggregate(
        injected=Sum("amount", filter=Q(kind=Kind.INJECTION)),
        committed=Sum("amount", filter=Q(kind=Kind.COMMITMENT)),
        released=Sum("amount", filter=Q(kind=Kind.RELEASE)),
        paid=Sum("amount", filter=Q(kind=Kind.PAYMENT)),
    )
    zero = Decimal("0.00")
    return Totals(
        injected=sums["injected"] or zero,
        committed=(sums["committed"] or zero) - (sums["released"] or zero),
        paid=sums["paid"] or zero,
    )
