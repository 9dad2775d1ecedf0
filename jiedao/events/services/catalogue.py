"""The catalogue that routing reads: categories (two levels, after GB/T 30428.2) with their
time limits and default departments, and the duty matrix (职责清单). Loaded from JSON once, then
kept by administrators through the admin, which saves through these services."""

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import SYSTEM, Actor, require
from jiedao.audit.services import audit_record, snapshot
from jiedao.core.errors import Conflict, InvalidInput
from jiedao.geo.models import Department, Subdistrict

from ..catalogue import catalogue_changed
from ..models import Category, DutyAssignment, Event

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@transaction.atomic
def category_catalogue_load(
    *,
    actor: Actor = SYSTEM,
    subdistrict: Subdistrict | None = None,
    path: Path | str | None = None,
) -> dict[str, int]:
    """Load the category catalogue from JSON (default: ``events/data/categories.json``, after
    GB/T 30428.2). Categories whose code exists are left as administrators edited them; new
    codes are created. Default departments are given by code and looked up in ``subdistrict``
    (or the first subdistrict that has the code). Returns how many were created and kept."""
    require(actor, "events.manage_catalogue")
    transaction.on_commit(catalogue_changed)
    source = Path(path) if path else DATA_DIR / "categories.json"
    try:
        entries = json.loads(source.read_text(encoding="utf-8"))["categories"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise InvalidInput(
            _("The catalogue file %(path)s cannot be read: %(error)s")
            % {"path": source.name, "error": error},
            field="path",
        ) from None
    existing = {category.code: category for category in Category.objects.all()}
    created = kept = 0

    def department_for(code: str | None) -> Department | None:
        if not code:
            return None
        departments = Department.objects.filter(code=code)
        if subdistrict is not None:
            departments = departments.filter(subdistrict=subdistrict)
        return departments.order_by("subdistrict__code").first()

    for main in entries:
        parent = existing.get(main["code"])
        if parent is None:
            parent = _catalogue_create(actor, main, parent=None, department=None)
            existing[parent.code] = parent
            created += 1
        else:
            kept += 1
        for sub in main.get("children", []):
            if sub["code"] in existing:
                kept += 1
                continue
            child = _catalogue_create(
                actor, sub, parent=parent, department=department_for(sub.get("department"))
            )
            existing[child.code] = child
            created += 1
    return {"created": created, "kept": kept}


def _catalogue_create(
    actor: Actor, entry: dict[str, Any], *, parent: Category | None, department: Department | None
) -> Category:
    category = Category(
        parent=parent,
        code=entry["code"],
        name=entry["name"],
        name_en=entry.get("name_en", ""),
        kind=entry.get("kind") or (parent.kind if parent else Category.Kind.EVENT),
        default_department=department,
        description=entry.get("description", ""),
    )
    if parent is not None:
        limits = entry.get("limits", {})
        category.acceptance_limit, category.acceptance_unit = _limit(limits.get("accept", "2h"))
        category.handling_limit, category.handling_unit = _limit(limits.get("handle", "3d"))
        category.priority = int(entry.get("priority", Category.Priority.NORMAL))
    category.full_clean()
    category.save()
    audit_record(
        actor=actor, action="events.category.create", target=category, after=snapshot(category)
    )
    return category


def _limit(text: str) -> tuple[int, str]:
    """ "4h" → 4 working hours, "3d" → 3 working days."""
    amount, unit = int(text[:-1]), text[-1]
    if unit == "h":
        return amount, Category.TimeUnit.WORKING_HOURS
    if unit == "d":
        return amount, Category.TimeUnit.WORKING_DAYS
    raise ValueError(f"limit {text!r}: use a number followed by h or d")


def catalogue_entry_check(instance: Category | DutyAssignment) -> None:
    """The catalogue's own rules beyond the model's (two levels; departments of the same
    subdistrict as the grid or community)."""
    if isinstance(instance, Category) and instance.parent_id is not None:
        parent = Category.objects.get(pk=instance.parent_id)
        if parent.parent_id is not None or parent.pk == instance.pk:
            raise InvalidInput(
                _("The catalogue has two levels: a subcategory's parent must be a main category."),
                field="parent",
            )
        if instance.pk is not None and instance.children.exists():
            raise InvalidInput(
                _("This main category has subcategories, so it cannot become one itself."),
                field="parent",
            )
    if isinstance(instance, DutyAssignment) and instance.department_id:
        grid, community = instance.grid, instance.community
        where = None
        if grid is not None:
            where = grid.community.subdistrict_id
        elif community is not None:
            where = community.subdistrict_id
        if where is not None and instance.department.subdistrict_id != where:
            raise InvalidInput(
                _("The department belongs to another subdistrict than the grid or community."),
                field="department",
            )


@transaction.atomic
def catalogue_entry_save(
    *, actor: Actor, instance: Category | DutyAssignment, changed_fields: Sequence[str] = ()
) -> Category | DutyAssignment:
    """Create or change a category or a duty-matrix line (the admin's forms call this)."""
    require(actor, "events.manage_catalogue")
    transaction.on_commit(catalogue_changed)
    is_new = instance.pk is None
    before = None if is_new else snapshot(type(instance)._default_manager.get(pk=instance.pk))
    catalogue_entry_check(instance)
    instance.full_clean()
    if is_new or not changed_fields:
        instance.save()
    else:
        instance.save(update_fields=list(changed_fields))
    label = instance._meta.model_name
    audit_record(
        actor=actor,
        action=f"events.{label}.{'create' if is_new else 'update'}",
        target=instance,
        before=before,
        after=snapshot(instance),
    )
    return instance


@transaction.atomic
def catalogue_entry_delete(*, actor: Actor, instance: Category | DutyAssignment) -> None:
    """Delete a category (only while no event uses it) or a duty-matrix line."""
    require(actor, "events.manage_catalogue")
    transaction.on_commit(catalogue_changed)
    if isinstance(instance, Category) and (
        Event.objects.filter(
            models.Q(category=instance) | models.Q(category__parent=instance)
        ).exists()
    ):
        raise Conflict(
            _("Events are filed under “%(name)s”; deactivate it instead of deleting it.")
            % {"name": instance.name},
            code="in_use",
        )
    before = snapshot(instance)
    label = instance._meta.model_name
    target_id = str(instance.pk)
    target_repr = str(instance)[:200]
    instance.delete()
    audit_record(
        actor=actor,
        action=f"events.{label}.delete",
        target_type=f"events.{label}",
        target_id=target_id,
        target_repr=target_repr,
        before=before,
    )
