"""The audit trail in words, in the reader's language.

An entry stores codes — the action (``geo.grid.update``), the target's type (``geo.grid``), the
names of the fields that changed — and those codes are hashed into the chain exactly as written,
so they never change. The page shows their labels instead: an action an app registers (from its
``AppConfig.ready()``, like its policy) has its own label; any other ``<app>.<model>.<verb>``
reads as the model's verbose name and the verb's label; a field as its verbose name and a choice
as its label. None of this reads the database.
"""

from collections.abc import Callable, Mapping
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

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
    "reset_password": pgettext_lazy("audit", "password reset"),
    "rate": pgettext_lazy("audit", "rated"),
    "reopen": pgettext_lazy("audit", "reopened"),
    "hide": pgettext_lazy("audit", "hidden"),
    "show": pgettext_lazy("audit", "shown"),
    "assign_lead_unit": pgettext_lazy("audit", "lead unit assigned"),
}


class LabelRegistered(Exception):
    """Two apps label the same audit action or target."""


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


def field_label(target_type: str, key: str) -> str:
    """A changed field's verbose name; the key itself when the model has no such field."""
    field = _field(target_type, key)
    if field is None:
        return key
    return str(field.verbose_name)


def value_label(target_type: str, key: str, value: Any) -> Any:
    """A stored value of a field with choices as its label (``reported`` → 待受理); other
    values as they are."""
    field = _field(target_type, key)
    if field is None or not field.choices or isinstance(value, (list, dict)):
        return value
    labels = {str(choice): label for choice, label in field.flatchoices}
    return str(labels[str(value)]) if str(value) in labels else value


def actor_name(*, actor: Any, actor_label: str) -> str:
    """The person's name (their username if they have none); 系统 for the installation."""
    if actor is not None:
        return str(actor.full_name or actor.username)
    if actor_label == "system":
        return str(_("System"))
    if actor_label == "anonymous":
        return str(_("Anonymous"))
    return actor_label
