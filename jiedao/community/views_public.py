"""The residents' side of the needs list, in the portal: the list each community publishes
(no names, no phones, no descriptions) and the form to raise a need without an account,
rate-limited per address like the portal's other forms."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from jiedao.core.errors import ApplicationError
from jiedao.portal.actors import PublicDoor
from jiedao.portal.throttle import client_address, throttle
from jiedao.portal.views import public_errors

from . import selectors, services
from .forms import PublicNeedForm

PORTAL_DOOR = PublicDoor("portal:needs")


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@public_errors
def needs(request: HttpRequest) -> HttpResponse:
    communities = selectors.public_communities()
    chosen = next((c for c in communities if c.pk == _int(request.GET.get("community"))), None)
    return render(
        request,
        "community/public_needs.html",
        {
            "communities": communities,
            "community": chosen,
            "needs": selectors.public_need_list(community=chosen) if chosen else [],
            "sent": request.GET.get("sent") == "1",
        },
    )


@public_errors
def need_new(request: HttpRequest) -> HttpResponse:
    communities = selectors.public_communities()
    groups = selectors.group_list()
    form = PublicNeedForm(request.POST or None, communities=communities, groups=groups)
    if request.method != "POST":
        return render(request, "community/public_need_new.html", {"form": form})
    throttle("portal-need", client_address(request), limit=settings.PORTAL_REPORTS_PER_MINUTE)
    if request.POST.get("website"):
        return render(request, "portal/refused.html", status=400)
    if form.is_valid():
        data = form.cleaned_data
        try:
            need = services.need_submit_public(
                door=PORTAL_DOOR,
                community=selectors.public_community(data["community"]),
                group=selectors.group_by_code(data["group"]),
                title=data["title"],
                description=data["description"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
            )
        except ApplicationError as error:
            if error.status != 422:
                raise
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            return redirect(
                reverse("community_public:needs") + f"?community={need.community_id}&sent=1"
            )
    return render(request, "community/public_need_new.html", {"form": form}, status=422)
