"""Compounds, collection points, households, units and their smart accounts."""

import re
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import get_in_scope, require, scoped
from jiedao.core.errors import ErrorList, InvalidInput
from jiedao.core.localtime import local_today
from jiedao.core.text import clean_text
from jiedao.core.updates import model_create, model_update
from jiedao.geo.models import Department, Grid

from .. import codes
from ..models import Account, CollectionPoint, Compound, Household, SmartBin, Unit
from ..workflow import AccountHolder, UnitKind, WasteClass
from .common import clean_phone

COMPOUND_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,11}$")
UNIT_PREFIX = "DW"
MAX_PEOPLE = 30


def grid_in_scope(actor: Any, grid_code: Any) -> Grid:
    """The active grid with this code in the actor's area, or a 422 naming the field."""
    code = str(grid_code or "").strip()
    grid = (
        scoped(actor, Grid.objects.select_related("community"))
        .filter(code=code, is_active=True)
        .first()
        if code
        else None
    )
    if grid is None:
        raise InvalidInput(
            _("Grid: choose an active grid of your area (its 15-digit code)."),
            field="grid",
            code="unknown_grid",
        )
    return grid


def compound_in_scope(actor: Any, compound_id: Any) -> Compound:
    compound = (
        scoped(actor, Compound.objects.all()).filter(pk=_int(compound_id), is_active=True).first()
    )
    if compound is None:
        raise InvalidInput(
            _("Compound: choose a compound of your area."),
            field="compound",
            code="unknown_compound",
        )
    return compound


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _coordinate(value: Any, *, field: str, label: Any, low: float, high: float) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not low <= number <= high:
        raise InvalidInput(
            _("%(field)s must be a number from %(low)s to %(high)s."),
            params={"field": label, "low": low, "high": high},
            field=field,
        )
    return number


@transaction.atomic
def compound_create(
    *,
    actor: Any,
    grid_code: str,
    name: str,
    code: str,
    address: str = "",
    managing_department: str = "",
    lat: Any = None,
    lng: Any = None,
    is_synthetic: bool = False,
) -> Compound:
    """Bring a compound (小区) under management, in the grid with ``grid_code``."""
    require(actor, "sanitation.configure")
    errors = ErrorList()
    grid = errors.check(lambda: grid_in_scope(actor, grid_code), None)
    name = errors.check(
        lambda: clean_text(
            name, field="name", label=_("Compound name"), max_length=100, required=True
        ),
        "",
    )
    code = errors.check(
        lambda: clean_text(
            code, field="code", label=_("Compound code"), max_length=12, required=True
        ).upper(),
        "",
    )
    if code and not COMPOUND_CODE.match(code):
        errors.add(
            InvalidInput(
                _(
                    "Compound code: 2 to 12 capital letters and digits, starting with a letter, e.g. SJMY."
                ),
                field="code",
                code="bad_code",
            )
        )
    address = errors.check(
        lambda: clean_text(address, field="address", label=_("Address"), max_length=200), ""
    )
    lat = errors.check(
        lambda: _coordinate(lat, field="lat", label=_("Latitude"), low=-90, high=90), None
    )
    lng = errors.check(
        lambda: _coordinate(lng, field="lng", label=_("Longitude"), low=-180, high=180), None
    )
    department = None
    if managing_department:
        department = Department.objects.filter(code=str(managing_department).strip()).first()
        if department is None:
            errors.add(
                InvalidInput(
                    _("Managing department “%(code)s” does not exist.")
                    % {"code": managing_department},
                    field="managing_department",
                )
            )
    errors.raise_any()
    assert grid is not None  # noqa: S101 - checked above
    subdistrict_id = grid.community.subdistrict_id
    taken = (
        Compound.objects.filter(subdistrict_id=subdistrict_id)
        .filter(Q(name=name) | Q(code=code))
        .first()
    )
    if taken is not None:
        field = "name" if taken.name == name else "code"
        raise InvalidInput(
            _("%(value)s is taken by the compound %(compound)s.")
            % {"value": name if field == "name" else code, "compound": taken.name},
            field=field,
            code="taken",
        )
    return model_create(
        model=Compound,
        data={
            "subdistrict_id": subdistrict_id,
            "grid": grid,
            "name": name,
            "code": code,
            "address": address,
            "managing_department": department,
            "lat": lat,
            "lng": lng,
            "is_synthetic": is_synthetic,
        },
        actor=actor,
        action="sanitation.compound.create",
    )


@transaction.atomic
def collection_point_create(
    *,
    actor: Any,
    compound_id: int,
    name: str,
    responsible_party: str,
    responsible_phone: str = "",
    opening_hours: str = "",
    lat: Any = None,
    lng: Any = None,
    is_synthetic: bool = False,
) -> CollectionPoint:
    """Add a collection point (投放点) to a compound, with its 投放管理责任人."""
    require(actor, "sanitation.configure")
    compound = get_in_scope(actor, Compound.objects.all(), pk=compound_id)
    errors = ErrorList()
    name = errors.check(
        lambda: clean_text(
            name, field="name", label=_("Collection point"), max_length=100, required=True
        ),
        "",
    )
    party = errors.check(
        lambda: clean_text(
            responsible_party,
            field="responsible_party",
            label=_("Responsible party"),
            max_length=100,
            required=True,
        ),
        "",
    )
    phone = errors.check(
        lambda: clean_phone(
            responsible_phone, field="responsible_phone", label=_("Responsible party's phone")
        ),
        "",
    )
    hours = errors.check(
        lambda: clean_text(
            opening_hours, field="opening_hours", label=_("Drop-off hours"), max_length=60
        ),
        "",
    )
    lat = errors.check(
        lambda: _coordinate(lat, field="lat", label=_("Latitude"), low=-90, high=90), None
    )
    lng = errors.check(
        lambda: _coordinate(lng, field="lng", label=_("Longitude"), low=-180, high=180), None
    )
    if name and CollectionPoint.objects.filter(compound=compound, name=name).exists():
        errors.add(
            InvalidInput(
                _("Collection point “%(name)s” exists already in %(compound)s.")
                % {"name": name, "compound": compound.name},
                field="name",
                code="taken",
            )
        )
    errors.raise_any()
    return model_create(
        model=CollectionPoint,
        data={
            "compound": compound,
            "name": name,
            "responsible_party": party,
            "responsible_phone": phone,
            "opening_hours": hours,
            "lat": lat,
            "lng": lng,
            "is_synthetic": is_synthetic,
        },
        actor=actor,
        action="sanitation.collectionpoint.create",
    )


def _next_number(prefix: str) -> str:
    """The next free number of the prefix: SJMY-0001, SJMY-0002 … (the unique index settles a
    race between two openings, which then fails rather than sharing a number)."""
    used = Account.objects.filter(number__startswith=f"{prefix}-").values_list("number", flat=True)
    highest = max((int(number.rsplit("-", 1)[1]) for number in used), default=0)
    return f"{prefix}-{highest + 1:04d}"


def _account_open(
    *,
    actor: Any,
    subdistrict_id: int,
    grid: Grid,
    compound: Compound | None,
    prefix: str,
    **holder: Any,
) -> Account:
    number = _next_number(prefix)
    return model_create(
        model=Account,
        data={
            "subdistrict_id": subdistrict_id,
            "number": number,
            "grid": grid,
            "compound": compound,
            "code_salt": codes.new_salt(),
            **holder,
        },
        actor=actor,
        action="sanitation.account.create",
        exclude=("code_salt",),
    )


def _people(value: Any) -> int:
    try:
        people = int(str(value).strip())
    except (TypeError, ValueError):
        people = 0
    if not 1 <= people <= MAX_PEOPLE:
        raise InvalidInput(
            _("%(field)s must be a whole number from 1 to %(max)s."),
            params={"field": _("People in the household"), "max": MAX_PEOPLE},
            field="people",
        )
    return people


@transaction.atomic
def household_register(
    *,
    actor: Any,
    compound_id: int,
    address: str,
    contact_name: str,
    contact_phone: str = "",
    people: Any = 1,
    registered_on: date | None = None,
    is_synthetic: bool = False,
) -> Account:
    """Register a household of a compound and open its smart account; returns the account."""
    require(actor, "sanitation.account_manage")
    compound = get_in_scope(actor, Compound.objects.select_related("grid"), pk=compound_id)
    errors = ErrorList()
    address = errors.check(
        lambda: clean_text(
            address, field="address", label=_("Building and room"), max_length=60, required=True
        ),
        "",
    )
    name = errors.check(
        lambda: clean_text(
            contact_name, field="contact_name", label=_("Householder"), max_length=50, required=True
        ),
        "",
    )
    phone = errors.check(
        lambda: clean_phone(contact_phone, field="contact_phone", label=_("Phone")), ""
    )
    count = errors.check(lambda: _people(people), 1)
    registered_on = registered_on or local_today()
    if registered_on > local_today():
        errors.add(
            InvalidInput(_("Registered on may not be in the future."), field="registered_on")
        )
    if (
        address
        and Household.objects.filter(
            compound=compound, address=address, moved_out_on__isnull=True
        ).exists()
    ):
        errors.add(
            InvalidInput(
                _("%(address)s in %(compound)s is registered already.")
                % {"address": address, "compound": compound.name},
                field="address",
                code="taken",
            )
        )
    errors.raise_any()
    household = model_create(
        model=Household,
        data={
            "compound": compound,
            "address": address,
            "contact_name": name,
            "contact_phone": phone,
            "people": count,
            "registered_on": registered_on,
            "is_synthetic": is_synthetic,
        },
        actor=actor,
        action="sanitation.household.create",
    )
    return _account_open(
        actor=actor,
        subdistrict_id=compound.subdistrict_id,
        grid=compound.grid,
        compound=compound,
        prefix=compound.code,
        holder_kind=AccountHolder.HOUSEHOLD,
        household=household,
    )


@transaction.atomic
def household_move_out(
    *, actor: Any, household_id: int, moved_out_on: date | None = None
) -> Household:
    """A household moved out: it leaves the compound's count from the next day and its account
    closes (its history and points stay on the ledger)."""
    require(actor, "sanitation.account_manage")
    household = get_in_scope(actor, Household.objects.all(), pk=household_id)
    moved_out_on = moved_out_on or local_today()
    if household.moved_out_on is not None:
        raise InvalidInput(_("The household has moved out already."), field="moved_out_on")
    if moved_out_on < household.registered_on or moved_out_on > local_today():
        raise InvalidInput(
            _("Moved out on must lie between the registration (%(day)s) and today.")
            % {"day": f"{household.registered_on:%Y-%m-%d}"},
            field="moved_out_on",
        )
    model_update(
        instance=household,
        data={"moved_out_on": moved_out_on},
        actor=actor,
        action="sanitation.household.update",
    )
    account = Account.objects.select_for_update().get(household=household)
    model_update(
        instance=account,
        data={"is_active": False},
        actor=actor,
        action="sanitation.account.deactivate",
        exclude=("code_salt",),
    )
    return household


@transaction.atomic
def unit_register(
    *,
    actor: Any,
    grid_code: str,
    kind: str,
    name: str,
    compound_id: int | None = None,
    address: str = "",
    credit_code: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    is_synthetic: bool = False,
) -> Account:
    """Register a unit (a shop, an office …) and open its smart account; returns the account."""
    require(actor, "sanitation.account_manage")
    errors = ErrorList()
    grid = errors.check(lambda: grid_in_scope(actor, grid_code), None)
    compound = None
    if compound_id:
        compound = errors.check(lambda: compound_in_scope(actor, compound_id), None)
    if kind not in UnitKind.values:
        errors.add(
            InvalidInput(
                _("Kind of unit must be one of: %(kinds)s.")
                % {"kinds": "、".join(str(label) for label in UnitKind.labels)},
                field="kind",
            )
        )
    name = errors.check(
        lambda: clean_text(name, field="name", label=_("Unit name"), max_length=200, required=True),
        "",
    )
    address = errors.check(
        lambda: clean_text(address, field="address", label=_("Address"), max_length=200), ""
    )
    credit_code = errors.check(
        lambda: clean_text(
            credit_code, field="credit_code", label=_("Unified social credit code"), max_length=18
        ).upper(),
        "",
    )
    contact = errors.check(
        lambda: clean_text(
            contact_name, field="contact_name", label=_("Contact person"), max_length=50
        ),
        "",
    )
    phone = errors.check(
        lambda: clean_phone(contact_phone, field="contact_phone", label=_("Phone")), ""
    )
    errors.raise_any()
    assert grid is not None  # noqa: S101 - checked above
    subdistrict_id = grid.community.subdistrict_id
    if (
        credit_code
        and Unit.objects.filter(subdistrict_id=subdistrict_id, credit_code=credit_code).exists()
    ):
        raise InvalidInput(
            _("Unified social credit code %(code)s is registered already.") % {"code": credit_code},
            field="credit_code",
            code="taken",
        )
    unit = model_create(
        model=Unit,
        data={
            "subdistrict_id": subdistrict_id,
            "grid": grid,
            "compound": compound,
            "kind": kind,
            "name": name,
            "address": address,
            "credit_code": credit_code,
            "contact_name": contact,
            "contact_phone": phone,
            "is_synthetic": is_synthetic,
        },
        actor=actor,
        action="sanitation.unit.create",
    )
    return _account_open(
        actor=actor,
        subdistrict_id=subdistrict_id,
        grid=grid,
        compound=compound,
        prefix=UNIT_PREFIX,
        holder_kind=AccountHolder.UNIT,
        unit=unit,
    )


BIN_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


@transaction.atomic
def smart_bin_register(
    *, actor: Any, collection_point_id: int, code: str, waste_class: str
) -> SmartBin:
    """Put a smart bin at a collection point: it reports the drop-offs of one waste class."""
    require(actor, "sanitation.configure")
    point = get_in_scope(actor, CollectionPoint.objects.all(), pk=collection_point_id)
    errors = ErrorList()
    code = errors.check(
        lambda: clean_text(code, field="code", label=_("Bin code"), max_length=64, required=True),
        "",
    )
    if code and not BIN_CODE.match(code):
        errors.add(
            InvalidInput(
                _("Bin code: letters, digits, - and _ only, as the bin reports it."),
                field="code",
                code="bad_code",
            )
        )
    if waste_class not in WasteClass.values:
        errors.add(
            InvalidInput(
                _("Waste class must be one of: %(classes)s.")
                % {"classes": "、".join(str(label) for label in WasteClass.labels)},
                field="waste_class",
            )
        )
    if code and SmartBin.objects.filter(code=code).exists():
        errors.add(
            InvalidInput(
                _("Bin code %(code)s is registered already.") % {"code": code},
                field="code",
                code="taken",
            )
        )
    errors.raise_any()
    return model_create(
        model=SmartBin,
        data={"collection_point": point, "code": code, "waste_class": waste_class},
        actor=actor,
        action="sanitation.smartbin.create",
    )
