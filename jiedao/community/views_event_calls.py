"""Pages for the calls (吹哨) for an event: blow the whistle from the event's page, close a call
once its answers are complete. The API calls the same services (:mod:`jiedao.community.api`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiedao.core.errors import ApplicationError
from jiedao.core.http import JiedaoRequest
from jiedao.events import selectors as event_selectors
from jiedao.web.errors import render_application_errors

from . import event_calls, selectors


@login_required
@require_POST
@render_application_errors
def event_call_blow(request: JiedaoRequest, number: str) -> HttpResponse:
    user = request.user
    event = event_selectors.event_get(user=user, number=number)
    try:
        call = event_calls.call_blow_for_event(
            actor=user, event=event, message=request.POST.get("message", "")
        )
    except ApplicationError as error:
        if error.status not in (409, 422):
            raise
        # Nothing was written: the event's page says why.
        messages.error(request, str(error))
        return redirect("events:detail", number=number)
    messages.success(
        request, _("The whistle is blown: organisations serving the community can report in.")
    )
    return redirect("community:call", call_id=call.pk)


@login_required
@require_POST
@render_application_errors
def call_close(request: JiedaoRequest, call_id: int) -> HttpResponse:
    user = request.user
    call = selectors.call_get(user=user, call_id=call_id)
    try:
        event_calls.call_close(actor=user, call=call)
    except ApplicationError as error:
        if error.status != 409:
            raise
        messages.error(request, str(error))
    return redirect("community:call", call_id=call_id)
