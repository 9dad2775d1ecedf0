"""Waste sorting (垃圾分类): the places, the smart accounts, the records and the points ledger.

Places and accounts
* :class:`Compound` — a residential compound (小区) in one grid (hence one community) of the
  subdistrict; ``managing_department`` is the department that answers for its sorting (usually
  the 城市综合管理队), whose handlers see and inspect it.
* :class:`CollectionPoint` — a collection point (投放点) of a compound with its responsible party
  (投放管理责任人, 浙江省生活垃圾管理条例 art. 23); the phone is masked for roles that need not see it.
* :class:`Household` — a household of a compound, registered on a day and possibly moved out on
  another; the households of a compound in a month are those registered on or before its last
  day and not moved out before its first (:meth:`HouseholdQuerySet.present_in`).
* :class:`Unit` — a shop, restaurant, office or school with its own account, in a grid and
  possibly in a compound.
* :class:`Account` — the smart account (智能账户) of one household or one unit: a public number
  printed on its card and QR code, a secret lookup code derived from a stored salt (see
  :mod:`jiedao.sanitation.codes`; the code itself is never stored), and the points balance.

Records (the facts every score is derived from; none is typed in as a figure)
* :class:`DropOff` — one drop-off by an account at a collection point: waste class, weight in kg,
  sorted correctly or not, who checked it (or the smart bin that weighed it), an optional photo.
  ``compound`` is copied from the collection point so that monthly figures per compound are one
  grouped statement. Participation of a compound in a month = households of the compound with at
  least one drop-off in the month ÷ households present in the month; accuracy = correct drop-offs
  ÷ drop-offs checked.
* :class:`Inspection` — the daily inspection of a collection point (at most one per point per
  local day), and its :class:`Finding` rows. A finding either becomes a :class:`Rectification`
  (the responsible party puts it right within a number of working days; reported done, then
  verified by an inspector) or an event in the events app where a department must act.
* :class:`RecyclingMaterial` and :class:`WeighIn` — recycling (再生资源回收) weighed or counted at
  a configurable price per kg or per item; the value is credited as points or paid as money.
* :class:`SmartBin` — a bin that weighs drop-offs itself and reports them over MQTT.

Points (a ledger like the community fund's)
* :class:`PointsRule` — configurable: what earns how many points (and at most how many a day).
* :class:`Reward` — goods or services a household redeems points for.
* :class:`PointsEntry` — one immutable line of an account's ledger; the account's
  ``points_balance`` is the running total the ledger locks (``SELECT … FOR UPDATE``) and a CHECK
  constraint keeps at zero or above.

The monthly score and the 红黄黑榜 (:mod:`jiedao.sanitation.models.board`)
* :class:`ScoreRule`, :class:`ListRule` — the weight table and how the list is drawn;
  :class:`MonthlyList`, :class:`ListEntry` — a month's list as published, derived from the
  records; :class:`BlackListTask` — a black-listed compound's rectification task.
"""

from .board import BlackListTask, ListEntry, ListRule, MonthlyList, ScoreRule
from .places import (
    Account,
    CollectionPoint,
    Compound,
    Household,
    HouseholdQuerySet,
    SmartBin,
    Unit,
)
from .points import PointsEntry, PointsRule, Reward
from .records import (
    DropOff,
    Finding,
    Inspection,
    Rectification,
    RecyclingMaterial,
    WeighIn,
)

__all__ = [
    "Account",
    "BlackListTask",
    "CollectionPoint",
    "Compound",
    "DropOff",
    "Finding",
    "Household",
    "HouseholdQuerySet",
    "Inspection",
    "ListEntry",
    "ListRule",
    "MonthlyList",
    "PointsEntry",
    "PointsRule",
    "Rectification",
    "RecyclingMaterial",
    "Reward",
    "ScoreRule",
    "SmartBin",
    "Unit",
    "WeighIn",
]
