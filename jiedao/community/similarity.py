"""Similar needs, offered to the community lead for merging.

Two needs are similar when they are in the same community, concern the same group and share
enough of their wording: the Jaccard overlap of the character bigrams of title and description
(bigrams rather than words, because Chinese text has no spaces). The score and the shared
bigrams are shown, so the lead sees why a need was offered.
"""

import re
from dataclasses import dataclass

from .models import Need

THRESHOLD = 0.3
_NOT_TEXT = re.compile(r"[\s\W_]+", re.UNICODE)


def bigrams(text: str) -> set[str]:
    compact = _NOT_TEXT.sub("", text.lower())
    return {compact[index : index + 2] for index in range(len(compact) - 1)}


@dataclass(frozen=True)
class Similar:
    need: Need
    score: float
    shared: tuple[str, ...]


def overlap(first: set[str], second: set[str]) -> float:
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def similar_needs(
    need: Need, candidates: list[Need], *, threshold: float = THRESHOLD
) -> list[Similar]:
    """Of ``candidates``, those like ``need`` (same community and group, overlap ≥ threshold),
    most similar first."""
    own = bigrams(f"{need.title}{need.description}")
    found = []
    for other in candidates:
        if (
            other.pk == need.pk
            or other.community_id != need.community_id
            or other.group_id != need.group_id
        ):
            continue
        theirs = bigrams(f"{other.title}{other.description}")
        score = overlap(own, theirs)
        if score >= threshold:
            found.append(Similar(other, round(score, 2), tuple(sorted(own & theirs))))
    return sorted(found, key=lambda item: (-item.score, item.need.pk))
