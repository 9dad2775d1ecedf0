"""Enforcement's block on an event's page: the penalty cases opened from the event, for those
who may see cases (the events app knows nothing of enforcement). One statement at most."""

from typing import Any

from django import template

from jiedao.enforcement.selectors_cases import event_cases

register = template.Library()


@register.inclusion_tag("enforcement/_event_cases.html", takes_context=True)
def event_cases_block(context: dict[str, Any], event: Any) -> dict[str, Any]:
    return {"cases": event_cases(user=context["request"].user, event=event)}
