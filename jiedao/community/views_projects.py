"""A funded project's page: its due first tranche, its milestones and progress reports; the
organisation plans milestones, marks them done and reports progress from here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiedao.core.errors import ApplicationError
from jiedao.core.http import JiedaoRequest
from jiedao.core.localtime import local_today
from jiedao.web.errors import render_application_errors

from . import grants, projects
from . import selectors_projects as reads


def _project_page(
    request: JiedaoRequest, application_id: int, *, error: ApplicationError | None = None
) -> HttpResponse:
    user = request.user
    application = reads.project_get(user=user, application_id=application_id)
    today = local_today()
    return render(
        request,
        "community/project_detail.html",
        {
            "application": application,
            "due": grants.first_tranche_due(application.signed_on)
            if application.signed_on
            else None,
            "flag": grants.first_tranche_flag(
                signed_on=application.signed_on,
                tranches_paid=application.tranches_paid,  # type: ignore[attr-defined]
                today=today,
            ),
            "may_report": reads.may_report(user, application),
            "today": today,
            "error": error,
            "form": request.POST if error else {},
        },
        status=error.status if error else 200,
    )


@login_required
@render_application_errors
def project_detail(request: JiedaoRequest, application_id: int) -> HttpResponse:
    return _project_page(request, application_id)


@login_required
@require_POST
@render_application_errors
def project_action(request: JiedaoRequest, application_id: int) -> HttpResponse:
    """One form per step (``step``): plan a milestone, mark one done, report progress."""
    user = request.user
    post = request.POST
    application = reads.project_get(user=user, application_id=application_id)
    step = post.get("step", "")
    try:
        if step == "milestone":
            projects.milestone_plan(
                actor=user,
                application=application,
                title=post.get("title", ""),
                due_on=post.get("due_on", ""),
                note=post.get("note", ""),
            )
            messages.success(request, _("The milestone is planned."))
        elif step == "done":
            milestone_id = post.get("milestone", "")
            milestone = reads.milestone_get(
                user=user, milestone_id=int(milestone_id) if milestone_id.isdigit() else 0
            )
            if milestone.application_id != application.pk:
                milestone = reads.milestone_get(user=user, milestone_id=0)
            projects.milestone_done(
                actor=user,
                milestone=milestone,
                done_on=post.get("done_on", ""),
                note=post.get("note", ""),
            )
            messages.success(request, _("The milestone is done."))
        elif step == "progress":
            projects.progress_report(
                actor=user,
                application=application,
                text=post.get("text", ""),
                reported_on=post.get("reported_on", ""),
            )
            messages.success(request, _("Your progress report is recorded."))
    except ApplicationError as error:
        if error.status not in (409, 422):
            raise
        return _project_page(request, application_id, error=error)
    return redirect("community:project", application_id=application_id)
