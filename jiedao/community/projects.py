"""A funded project's milestones and progress reports, written by its own organisation.

Only a member of the project's organisation plans milestones, marks them done and reports
progress, and only while the project runs (agreement signed, not stopped or completed): another
organisation is refused before anything is read out of scope, and a refusal writes nothing.
Every write is audited (``model_create`` / ``model_update``).
"""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import SYSTEM, get_in_scope, require
from jiedao.core.dates import parse_date
from jiedao.core.errors import Conflict, Forbidden, InvalidInput
from jiedao.core.localtime import local_today
from jiedao.core.text import clean_text
from jiedao.core.updates import model_create, model_update

from .models import GrantApplication, Milestone, ProgressReport


def _running_project(actor: Any, application: GrantApplication) -> GrantApplication:
    require(actor, "community.project_report")
    application = get_in_scope(
        actor,
        GrantApplication.objects.select_for_update(of=("self",)).select_related("organisation"),
        pk=application.pk,
    )
    if actor is not SYSTEM and not application.organisation.members.filter(pk=actor.pk).exists():
        raise Forbidden(_("You do not act for this social organisation."))
    if application.status != GrantApplication.Status.SIGNED:
        raise Conflict(
            _("Milestones and progress are kept while the project runs (it is “%(status)s”).")
            % {"status": GrantApplication.Status(application.status).label},
            code="not_running",
        )
    return application


def _not_future(value: Any, *, field: str, label: Any) -> date:
    day = parse_date(value, field=field, label=label)
    if day > local_today():
        raise InvalidInput(_("%(label)s may not be in the future.") % {"label": label}, field=field)
    return day


@transaction.atomic
def milestone_plan(
    *, actor: Any, application: GrantApplication, title: Any, due_on: Any, note: Any = ""
) -> Milestone:
    """Plan a milestone of the project, due on or after the day its agreement was signed."""
    application = _running_project(actor, application)
    title = clean_text(title, field="title", max_length=100, label=_("Milestone"), required=True)
    due = parse_date(due_on, field="due_on", label=_("Due on"))
    note = clean_text(note, field="note", max_length=500, label=_("Note"))
    if application.signed_on is not None and due < application.signed_on:
        raise InvalidInput(
            _("Due on may not be before the agreement was signed (%(date)s).")
            % {"date": f"{application.signed_on:%Y-%m-%d}"},
            field="due_on",
        )
    if application.milestones.filter(title=title).exists():
        raise InvalidInput(
            _("Milestone “%(title)s” is planned already.") % {"title": title}, field="title"
        )
    return model_create(
        model=Milestone,
        data={"application": application, "title": title, "due_on": due, "note": note},
        actor=actor,
        action="community.milestone.plan",
    )


@transaction.atomic
def milestone_done(*, actor: Any, milestone: Milestone, done_on: Any, note: Any = "") -> Milestone:
    """Record the day a milestone was done (and a note on how)."""
    require(actor, "community.project_report")
    milestone = get_in_scope(
        actor, Milestone.objects.select_related("application"), pk=milestone.pk
    )
    application = _running_project(actor, milestone.application)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.done_on is not None:
        raise Conflict(
            _("This milestone was done on %(date)s.") % {"date": f"{milestone.done_on:%Y-%m-%d}"},
            code="done",
        )
    done = _not_future(done_on, field="done_on", label=_("Done on"))
    if application.signed_on is not None and done < application.signed_on:
        raise InvalidInput(
            _("Done on may not be before the agreement was signed (%(date)s).")
            % {"date": f"{application.signed_on:%Y-%m-%d}"},
            field="done_on",
        )
    data: dict[str, Any] = {"done_on": done}
    note = clean_text(note, field="note", max_length=500, label=_("Note"))
    if note:
        data["note"] = note
    model_update(instance=milestone, data=data, actor=actor, action="community.milestone.done")
    return milestone


@transaction.atomic
def progress_report(
    *, actor: Any, application: GrantApplication, text: Any, reported_on: Any = None
) -> ProgressReport:
    """A dated report of the project's progress."""
    application = _running_project(actor, application)
    text = clean_text(text, field="text", max_length=2000, label=_("Progress"), required=True)
    day = (
        local_today()
        if reported_on in (None, "")
        else _not_future(reported_on, field="reported_on", label=_("Reported on"))
    )
    return model_create(
        model=ProgressReport,
        data={
            "application": application,
            "text": text,
            "reported_on": day,
            "created_by": actor if getattr(actor, "pk", None) else None,
        },
        actor=actor,
        action="community.progressreport.create",
    )
