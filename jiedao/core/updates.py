"""One audited create and one audited update: what every service that writes a row does.

A service that changes some fields of an existing row snapshots it, sets the new values, saves
only what changed and appends the audit entry with the row before and after — all in the
caller's transaction. :func:`model_update` is those steps (HackSoft's ``model_update`` with the
audit entry of :func:`jiedao.audit.services.audit_record`); :func:`model_create` is its
counterpart for a new row (no ``before``).
"""

from collections.abc import Mapping
from typing import Any, TypeVar

from django.db import models, transaction

from jiedao.audit.services import audit_record, snapshot

M = TypeVar("M", bound=models.Model)


@transaction.atomic(savepoint=False)
def model_create(
    *,
    model: type[M],
    data: Mapping[str, Any],
    actor: Any,
    action: str,
    exclude: tuple[str, ...] = (),
) -> M:
    """Create a row of ``model`` from ``data`` (field name → value) and write one audit entry
    ``action`` with the row as created (``exclude`` keeps secrets out)."""
    instance = model._default_manager.create(**data)
    audit_record(
        actor=actor, action=action, target=instance, after=snapshot(instance, exclude=exclude)
    )
    return instance


# No savepoint of its own, like audit_record: the update belongs to the caller's transaction.
@transaction.atomic(savepoint=False)
def model_update(
    *,
    instance: models.Model,
    data: Mapping[str, Any],
    actor: Any,
    action: str,
    exclude: tuple[str, ...] = (),
) -> bool:
    """Set ``data`` (field name → new value) on ``instance``, save the fields whose value
    differs with ``update_fields`` (and the ``auto_now`` fields that go with them), and write one
    audit entry ``action`` with the row before and after (``exclude`` keeps secrets out).

    Returns whether anything changed: when every value is already the one given, nothing is
    saved and no entry is written.
    """
    before = snapshot(instance, exclude=exclude)
    changed = []
    for name, value in data.items():
        # A relation compares by key (``attname``), so that an unchanged one costs no query.
        attname = getattr(instance._meta.get_field(name), "attname", name)
        new = value.pk if isinstance(value, models.Model) else value
        if getattr(instance, attname) == new:
            continue
        setattr(instance, name, value)
        changed.append(name)
    if not changed:
        return False
    # Like Model.save(): an auto_now field is written whenever the row is.
    touched = [
        field.name
        for field in instance._meta.concrete_fields
        if getattr(field, "auto_now", False) and field.name not in changed
    ]
    instance.save(update_fields=[*changed, *touched])
    audit_record(
        actor=actor,
        action=action,
        target=instance,
        before=before,
        after=snapshot(instance, exclude=exclude),
    )
    return True
