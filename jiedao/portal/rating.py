"""A resident's rating in three words: 满意 / 基本满意 / 不满意.

The event keeps its satisfaction on the workflow's 1–5 scale: the figures take its mean, and the
staff's doors (the event API's ``rate`` and the event page, where a dispatcher records a rating
given on the phone) take any point of it. A resident answers in words, and each word is one point
of that scale — 5, 3 and 1 — so that nothing is migrated, a resident's answer counts in the
figures like any other, and the portal names any stored rating with the nearest word.
"""

from django.db import models
from django.utils.translation import pgettext_lazy


class Rating(models.IntegerChoices):
    SATISFIED = 5, pgettext_lazy("rating", "Satisfied")
    FAIRLY_SATISFIED = 3, pgettext_lazy("rating", "Fairly satisfied")
    NOT_SATISFIED = 1, pgettext_lazy("rating", "Not satisfied")


def rating_word(satisfaction: int | None) -> str:
    """The word for a stored satisfaction (1–5): 4 and 5 are satisfied, 3 fairly, 1 and 2 not;
    "" when the event is not rated."""
    if satisfaction is None:
        return ""
    if satisfaction >= 4:
        return str(Rating.SATISFIED.label)
    if satisfaction == 3:
        return str(Rating.FAIRLY_SATISFIED.label)
    return str(Rating.NOT_SATISFIED.label)
