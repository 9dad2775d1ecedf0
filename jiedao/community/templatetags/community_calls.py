"""The community's block on an event's page: the calls (吹哨) for the event and, for a community
lead of the event's community, the form that blows the whistle. One statement at most."""

from typing import Any

from django import template

from jiedao.community.policy import may_call_for
from jiedao.community.selectors import event_calls

register = template.Library()


@register.inclusion_tag("community/_event_calls.html", takes_context=True)
def event_calls_block(context: dict[str, Any], event: Any) -> dict[str, Any]:
    user = context["request"].user
    calls = event_calls(user=user, event=event)
    return {
        "event": event,
        "calls": calls,
        "can_call": event.is_open
        and may_call_for(user, event)
        and not any(call.is_open for call in calls),
        "csrf_token": context.get("csrf_token"),
    }
