"""The duty matrix page: one main category's subcategories × the default and each community,
each cell a department; saving sends the changed cells to :func:`duty_matrix_save`."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from jiedao.accounts.permissions import require
from jiedao.core.errors import Forbidden, InvalidInput
from jiedao.core.http import JiedaoRequest
from jiedao.geo.models import Department
from jiedao.web.errors import render_application_errors

from .selectors_duties import DutyMatrix, duty_matrix
from .services import DutyCell, duty_matrix_save
from .services.duty_matrix import cell_field


def _table(matrix: DutyMatrix, posted: Any, errors: dict[str, str]) -> list[dict[str, Any]]:
    """The rows as the template draws them: per cell its field name, value and error."""
    rows = []
    for row in matrix.rows:
        cells = []
        for community, current in [
            (None, row.default),
            *((c, row.by_community[c.pk]) for c in matrix.communities),
        ]:
            name = cell_field(row.category, community)
            value = posted.get(name) if posted else (str(current.pk) if current else "")
            cells.append({"name": name, "value": value, "error": errors.get(name, "")})
        rows.append({"category": row.category, "cells": cells})
    return rows


def _changed_cells(matrix: DutyMatrix, posted: Any) -> tuple[dict[DutyCell, Any], dict[str, str]]:
    departments = {str(department.pk): department for department in matrix.departments}
    changes: dict[DutyCell, Department | None] = {}
    errors: dict[str, str] = {}
    for row in matrix.rows:
        for community, current in [
            (None, row.default),
            *((c, row.by_community[c.pk]) for c in matrix.communities),
        ]:
            name = cell_field(row.category, community)
            value = posted.get(name, "")
            if value == (str(current.pk) if current else ""):
                continue
            if value and value not in departments:
                errors[name] = _("Choose a department from the list.")
                continue
            changes[DutyCell(row.category, community)] = departments.get(value)
    return changes, errors


@login_required
@render_application_errors
def matrix(request: JiedaoRequest) -> HttpResponse:
    user = request.user
    require(user, "events.manage_catalogue")
    subdistrict = user.subdistrict
    if subdistrict is None:  # residents: the service's permission check answers them
        raise Forbidden(_("Your account belongs to no subdistrict."))
    parent_code = request.GET.get("category", "")
    table = duty_matrix(user=user, subdistrict=subdistrict, parent_code=parent_code)
    errors: dict[str, str] = {}
    if request.method == "POST":
        changes, errors = _changed_cells(table, request.POST)
        if not errors:
            try:
                count = duty_matrix_save(actor=user, subdistrict=subdistrict, cells=changes)
            except InvalidInput as error:
                errors = dict(error.extra.get("errors") or {error.field or "": str(error.message)})
            else:
                messages.success(
                    request, _("Duty matrix saved: %(count)s cells changed.") % {"count": count}
                )
                return redirect(f"{reverse('events_duties:matrix')}?category={table.parent.code}")
    return render(
        request,
        "events/duty_matrix.html",
        {
            "matrix": table,
            "rows": _table(table, request.POST if request.method == "POST" else None, errors),
            "has_errors": bool(errors),
        },
    )
