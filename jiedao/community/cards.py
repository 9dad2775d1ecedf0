"""The community app's cards on the role homes (registered in ``CommunityConfig.ready``)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import can, scope_of
from jiedao.core.localtime import local_today
from jiedao.web.cards import Card

from . import selectors, selectors_projects


def home_cards(user: Any) -> list[Card]:
    if not can(user, "community.view"):
        return []
    counts = selectors.workspace_counts(user=user)
    cards = [
        Card(
            title=_("Needs list"),
            url=reverse("community:needs"),
            description=_("Residents' needs in your community, from collection to met.")
            if scope_of(user).community_id is not None
            else _("Residents' needs in the subdistrict's communities, from collection to met."),
            count=counts.to_assess,
            # Only a community lead assesses; the others see how many wait for it.
            count_label=_("to assess")
            if can(user, "community.need_manage")
            else _("waiting for assessment"),
            order=40,
        ),
        Card(
            title=_("Calls (吹哨报到)"),
            url=reverse("community:workspace"),
            description=_("Needs a community lead has blown the whistle for."),
            count=counts.open_calls,
            count_label=_("open calls"),
            urgent=counts.calls_to_answer,
            urgent_label=(
                _("waiting for your department")
                if can(user, "community.respond_department")
                else _("waiting for your organisation")
            ),
            order=41,
        ),
    ]
    if can(user, "community.fund_view"):
        # Signed projects waiting for a first tranche that is late or due within 3 working days.
        flagged = selectors_projects.first_tranches_flagged(user=user, today=local_today())
        cards.append(
            Card(
                title=_("Community fund"),
                url=reverse("community:fund"),
                description=_("The fund's ledger: injected, committed, paid, available."),
                urgent=len(flagged),
                urgent_label=_("first tranches late or due"),
                order=42,
            )
        )
    return cards
