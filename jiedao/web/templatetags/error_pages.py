"""The words of an error page for a kind of error (:func:`jiedao.web.errors.page_texts`)."""

from typing import Any

from django import template

from jiedao.web.errors import page_texts

register = template.Library()


@register.simple_tag
def error_texts(status: int) -> dict[str, Any]:
    """``{% error_texts error.status as texts %}``: ``texts.title`` and ``texts.advice``."""
    return page_texts(status)
