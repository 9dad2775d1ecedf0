from django import template

register = template.Library()


@register.filter
def percent(rate: float | None, digits: int = 1) -> str:
    """0.0412 → "4.1%"; None (a rate with nothing to divide by) → "—"."""
    if rate is None:
        return "—"
    return f"{rate * 100:.{digits}f}%"
