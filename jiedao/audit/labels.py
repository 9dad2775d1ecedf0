"""The audit trail in words, in the reader's language.

An entry stores codes — the action (``geo.grid.update``), the target's type (``geo.grid``), the
names of the fields that changed, ids of related rows, times in UTC — and those codes are hashed
into the chain exactly as written, so they never change. The page shows their labels instead: an
action an app registers (from its ``AppConfig.ready()``, like its policy) has its own label; any
other ``<app>.<model>.<verb>`` reads as the model's verbose name and the verb's label; a field as
its verbose name, a key an app stores beside the fields as the label the app registers for it; a
choice as its label, an id of a related row as that row's name, a time as local time.

None of this reads the database: the names of related rows come from the caller
(:func:`jiedao.audit.selectors.audit_names` reads them for a whole page, one statement per model),
which asks :func:`references` which rows a value names.
"""

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from jiedao.core.localtime import local_zone

_actions: dict[str, str | Promise] = {}
# action → the target's label from the entry's ``after``, for entries whose stored target_repr
# is a phrase rather than a name (e.g. how many notifications were marked read).
_targets: dict[str, Callable[[Any], str]] = {}

# The verbs of the generic ``<app>.<model>.<verb>`` codes.
VERBS: dict[str, str | Promise] = {
    "create": pgettext_lazy("audit", "created"),
    "update": pgettext_lazy("audit", "changed"),
    "delete": pgettext_lazy("audit", "deleted"),
    "import": pgettext_lazy("audit", "imported"),
    "export": pgettext_lazy("audit", "exported"),
    "publish": pgettext_lazy("audit", "published"),
    "read": pgettext_lazy("audit", "marked read"),
    "unlock": pgettext_lazy("audit", "unlocked"),
    "lock": pgettext_lazy("audit", "locked"),
    "deactivate": pgettext_lazy("audit", "deactivated"),
    "activate": pgettext_lazy("audit", "activated"),
    "retire": pgettext_lazy("audit", "retired"),
    "reinstate": pgettext_lazy("audit", "reinstated"),
    "reset_password": pgettext_lazy("audit", "password reset"),
    "rate": pgettext_lazy("audit", "rated"),
    "reopen": pgettext_lazy("audit", "reopened"),
    "hide": pgettext_lazy("audit", "hidden"),
    "show": pgettext_lazy("audit", "shown"),
    "assign_lead_unit": pgettext_lazy("audit", "lead unit assigned"),
}

# What a value of nothing reads as.
NOTHING = "—"
# Times are shown as the page shows the time of the entry itself.
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
# A moment as DjangoJSONEncoder and isoformat() store it: 2026-11-29T15:53:27.703Z.
_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?")


class LabelRegistered(Exception):
    """Two apps label the same audit action, target or key."""


@dataclass(frozen=True)
class Key:
    """A key an app stores in its entries beside (or instead of) its target's fields: its label;
    the model whose rows its value names (``refers_to``, a model label such as
    ``enforcement.inspection``; by their ids, or by the field ``by`` such as a username), shown
    by their names; or how its value reads (``describe``, for a value that is more than a name,
    such as counts by colour)."""

    label: str | Promise
    refers_to: str = ""
    by: str = ""
    describe: Callable[[Any], str] | None = None


# target type → key → what it means.
_keys: dict[str, dict[str, Key]] = {}
# What an app registers: target type → key → its label, or a Key.
KeyLabels = Mapping[str, Mapping[str, str | Promise | Key]]


def register_action_labels(labels: Mapping[str, str | Promise]) -> None:
    """Give actions their labels; an action labelled twice is an error at start-up."""
    twice = sorted(set(labels) & set(_actions))
    if twice:
        raise LabelRegistered(f"Audit actions labelled twice: {', '.join(twice)}")
    _actions.update(labels)


def register_target_labels(labels: Mapping[str, Callable[[Any], str]]) -> None:
    """Give the entries of these actions a target label made from their ``after``."""
    twice = sorted(set(labels) & set(_targets))
    if twice:
        raise LabelRegistered(f"Audit targets labelled twice: {', '.join(twice)}")
    _targets.update(labels)


def register_keys(keys: KeyLabels) -> None:
    """Label the keys that the entries of a target type (``sanitation.monthlylist``) store
    beside its model's fields, or instead of them; a plain label or a :class:`Key`. A key
    labelled twice for the same target type is an error at start-up."""
    twice = sorted(
        f"{target_type}:{key}"
        for target_type, labels in keys.items()
        for key in labels
        if key in _keys.get(target_type, {})
    )
    if twice:
        raise LabelRegistered(f"Audit keys labelled twice: {', '.join(twice)}")
    for target_type, labels in keys.items():
        _keys.setdefault(target_type, {}).update(
            {
                key: label if isinstance(label, Key) else Key(label=label)
                for key, label in labels.items()
            }
        )


def choice(choices: type[models.Choices]) -> Callable[[Any], str]:
    """How a key whose values are ``choices`` reads: as their labels."""

    def describe(value: Any) -> str:
        return str(choices(value).label)

    return describe


def counted(phrase: Any) -> Callable[[Any], str]:
    """How a key whose value is a list reads: as how many, in ``phrase`` — an
    ``ngettext_lazy(singular, plural, "count")`` with ``%(count)s`` in it."""

    def describe(value: Any) -> str:
        if not isinstance(value, list):
            raise TypeError("a list is counted")
        return str(phrase % {"count": len(value)})

    return describe


def target_label(*, action: str, target_repr: str, after: Any) -> str:
    """The target as the reader reads it: the stored name, or the registered phrase."""
    describe = _targets.get(action)
    if describe is not None:
        try:
            return describe(after)
        except (KeyError, TypeError, ValueError):
            return target_repr
    return target_repr


def _model(target_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(target_type)
    except (LookupError, ValueError):
        return None


def target_type_label(target_type: str) -> str:
    """``geo.grid`` → 网格: the model's verbose name, or the app's, or the code itself."""
    model = _model(target_type)
    if model is not None:
        return str(model._meta.verbose_name)
    app_label = target_type.partition(".")[0]
    try:
        return str(apps.get_app_config(app_label).verbose_name)
    except LookupError:
        return target_type


def is_labelled(action: str) -> bool:
    """Whether ``action`` reads in words of its own: an app registered its label, or it is
    ``<app>.<model>.<verb>`` of a model and a known verb. (Any other code reads as itself, or
    as its app's name and a verb, which does not say what was done to what.)"""
    if action in _actions:
        return True
    target_type, _dot, verb = action.rpartition(".")
    return verb in VERBS and _model(target_type) is not None


def action_label(action: str) -> str:
    """What the entry records, in words."""
    if action in _actions:
        return str(_actions[action])
    target_type, _dot, verb = action.rpartition(".")
    if target_type and verb in VERBS:
        return gettext("%(object)s %(verb)s") % {
            "object": target_type_label(target_type),
            "verb": VERBS[verb],
        }
    return action


def _field(target_type: str, key: str) -> models.Field[Any, Any] | None:
    model = _model(target_type)
    if model is None or not key:
        return None
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _key(target_type: str, key: str) -> Key | None:
    return _keys.get(target_type, {}).get(key)


def field_label(target_type: str, key: str) -> str:
    """A changed field's verbose name, or the label registered for the key; the key itself
    when neither is known."""
    registered = _key(target_type, key)
    if registered is not None:
        return str(registered.label)
    field = _field(target_type, key)
    if field is None:
        return key
    return str(field.verbose_name)


@dataclass(frozen=True)
class _Reference:
    model: str  # the label of the model whose rows the value names
    by: str  # the field of that model the value holds (its primary key, or a to_field)
    numeric: bool  # whether that field is a number (a string there is not a reference)


def _reference(target_type: str, key: str) -> _Reference | None:
    registered = _key(target_type, key)
    target_field: Any = None
    if registered is not None and registered.refers_to:
        model = _model(registered.refers_to)
        if model is not None:
            target_field = model._meta.get_field(registered.by) if registered.by else model._meta.pk
    else:
        field = _field(target_type, key)
        if field is not None and field.is_relation and field.related_model is not None:
            target_field = getattr(field, "target_field", None)
    if target_field is None:
        return None
    return _Reference(
        model=target_field.model._meta.label_lower,
        by=target_field.attname,
        numeric=isinstance(target_field, (models.AutoField, models.IntegerField)),
    )


def _ids(reference: _Reference, value: Any) -> list[Any]:
    values = value if isinstance(value, list) else [value]
    kind: Any = int if reference.numeric else str
    return [item for item in values if isinstance(item, kind) and not isinstance(item, bool)]


def references(target_type: str, key: str, value: Any) -> Iterator[tuple[str, str, Any]]:
    """The rows a stored value names, as (model label, field, value) — a foreign key's id, the
    ids of a many-to-many field or of a key registered with ``refers_to``."""
    reference = _reference(target_type, key)
    if reference is None:
        return
    for item in _ids(reference, value):
        yield reference.model, reference.by, item


# (model label, field, value) → the row's name, as audit_names reads them.
Names = Mapping[tuple[str, str, Any], str]


def local_moment(text: str) -> str:
    """A moment stored as ISO 8601 (in UTC, or with its offset) as the local clock shows it;
    any other text as it is."""
    if not _MOMENT.fullmatch(text):
        return text
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is not None:
        moment = moment.astimezone(local_zone())
    return moment.strftime(TIME_FORMAT)


def _readable(target_type: str, key: str, value: Any, names: Names) -> Any:
    """``value`` with every code in it as the reader reads it (see :func:`value_label`)."""
    if isinstance(value, list):
        return [_readable(target_type, key, item, names) for item in value]
    if isinstance(value, dict):
        return {
            field_label(target_type, inner): _readable(target_type, inner, item, names)
            for inner, item in value.items()
        }
    if isinstance(value, bool):
        return yes_no(value)
    reference = _reference(target_type, key)
    if reference is not None and _ids(reference, value):
        return names.get((reference.model, reference.by, value), value)
    field = _field(target_type, key)
    if field is not None and field.choices:
        labels = {str(choice): label for choice, label in field.flatchoices}
        if str(value) in labels:
            return str(labels[str(value)])
    if isinstance(value, str):
        return local_moment(value)
    return value


def _described(target_type: str, key: str, value: Any) -> str | None:
    """The app's description of a value of ``key``; None when it has none for this value (a
    value of another shape than the description expects reads as stored)."""
    registered = _key(target_type, key)
    if registered is None or registered.describe is None or value is None:
        return None
    try:
        return str(registered.describe(value))
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def value_label(target_type: str, key: str, value: Any, names: Names | None = None) -> Any:
    """A stored value as the reader reads it: a choice as its label (``reported`` → 已上报), an
    id of a related row as its name (from ``names``), a time as local time, a yes-or-no as
    是/否, the keys of a nested object as their labels; a value its app describes as the app
    describes it. Anything else as it is."""
    described = _described(target_type, key, value)
    if described is not None:
        return described
    return _readable(target_type, key, value, names or {})


def yes_no(value: bool) -> str:
    return pgettext("audit value", "yes") if value else pgettext("audit value", "no")


def value_text(target_type: str, key: str, value: Any, names: Names | None = None) -> str:
    """What the page shows for a stored value: nothing as —, a yes-or-no as 是/否, a value its
    app describes as the description, anything else as the JSON of :func:`value_label` (so
    that text shows in quotes and an empty text as "")."""
    if value is None:
        return NOTHING
    if isinstance(value, bool):
        return yes_no(value)
    described = _described(target_type, key, value)
    if described is not None:
        return described
    readable = _readable(target_type, key, value, names or {})
    return json.dumps(readable, ensure_ascii=False, sort_keys=True)


def actor_name(*, actor: Any, actor_label: str) -> str:
    """The person's name (their username if they have none); 系统 for the installation."""
    if actor is not None:
        return str(actor.full_name or actor.username)
    if actor_label == "system":
        return str(_("System"))
    if actor_label == "anonymous":
        return str(_("Anonymous"))
    return actor_label
