"""The errors of a form field, each naming the field exactly once.

A service's message already names the field by its label ("显示名称 为必填项。"); Django's own
field messages do not ("这个字段是必填项。"). A template that put the label before every message
said the label twice for the first kind ("显示名称：显示名称 为必填项。"), and one that put it
before none left the second kind nameless when it is read out on its own (``role="alert"``).
"""

from django import forms, template
from django.utils.translation import gettext

register = template.Library()


def field_message(label: str, message: str) -> str:
    """``message`` as it is when it already opens with ``label`` (the way a message naming its
    field reads), otherwise after it ("显示名称：…")."""
    if not label or message.startswith(label):
        return message
    return gettext("%(field)s: %(problem)s") % {"field": label, "problem": message}


@register.filter
def field_messages(field: forms.BoundField) -> list[str]:
    """``{% for message in field|field_messages %}``: the field's errors, each naming it once."""
    label = str(field.label or "")
    return [field_message(label, str(error)) for error in field.errors]
