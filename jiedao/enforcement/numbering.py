"""Document numbers (文号): one pattern per document kind, consecutive without gaps.

``ENFORCEMENT_DOCUMENT_NUMBERS`` maps a series (a document kind, or ``decision_no_penalty`` for
the decisions not to punish, which official practice numbers apart) to a pattern with
``{year}`` and ``{number}``; a series the setting leaves out keeps its default. Numbers run per
subdistrict, series and year: the counter's row is locked while the next one is taken, because an
official number must never be skipped nor given twice, and a few documents a day make the wait
for that lock nothing.
"""

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction

from jiedao.core.localtime import local_zone
from jiedao.core.updates import model_create, model_update

from .models import Case, CaseDocument, DocumentCounter, DocumentKind
from .services.common import actor_user, step_moment
from .workflow_cases import Outcome

NO_PENALTY_SERIES = "decision_no_penalty"
DEFAULT_PATTERNS = {
    DocumentKind.FILING.value: "萧闻综执立〔{year}〕{number}号",
    DocumentKind.CORRECTION.value: "萧闻综执改〔{year}〕{number}号",
    DocumentKind.NOTICE.value: "萧闻综执告〔{year}〕{number}号",
    DocumentKind.DECISION.value: "萧闻综执罚〔{year}〕{number}号",
    NO_PENALTY_SERIES: "萧闻综执不罚〔{year}〕{number}号",
    DocumentKind.CLOSING.value: "萧闻综执结〔{year}〕{number}号",
}


def pattern(series: str) -> str:
    """The number pattern of ``series``: the setting's, or the default."""
    configured = getattr(settings, "ENFORCEMENT_DOCUMENT_NUMBERS", {}) or {}
    return str(configured.get(series, DEFAULT_PATTERNS[series]))


def series(case: Case, kind: str) -> str:
    """The series a case's document is numbered in."""
    if kind == DocumentKind.DECISION and case.outcome == Outcome.NO_PENALTY:
        return NO_PENALTY_SERIES
    return str(kind)


def document_moment(case: Case, kind: str) -> datetime | None:
    """When the document is dated: the step it records; None where it is dated when issued (the
    order to correct, which may be given at any time once the facts are known)."""
    return {
        DocumentKind.FILING: case.filed_at,
        DocumentKind.NOTICE: case.notified_at,
        DocumentKind.DECISION: case.decided_at,
        DocumentKind.CLOSING: case.closed_at,
    }.get(DocumentKind(kind))


def format_number(series_name: str, year: int, number: int) -> str:
    return pattern(series_name).format(year=year, number=number)


def _counter(subdistrict_id: int, series_name: str, year: int) -> DocumentCounter:
    # The row is made once (a concurrent maker is simply ignored), then locked: the second of
    # two issues at once waits here until the first has committed.
    DocumentCounter.objects.bulk_create(
        [DocumentCounter(subdistrict_id=subdistrict_id, series=series_name, year=year)],
        ignore_conflicts=True,
    )
    return DocumentCounter.objects.select_for_update().get(
        subdistrict_id=subdistrict_id, series=series_name, year=year
    )


@transaction.atomic
def issue_number(*, case: Case, kind: str, actor: Any, now: datetime | None = None) -> CaseDocument:
    """The case's document of ``kind`` with its number: the one issued before, or the next of its
    series, issued now and audited (``enforcement.document_issue``). A decision's number is also
    written on the case (``decision_number``). Whether the case's state allows the document is
    the caller's to check; ``now`` is for the installation's back-dated history only."""
    existing = CaseDocument.objects.filter(case_id=case.pk, kind=kind).first()
    if existing is not None:
        return existing
    moment = step_moment(actor, now)
    series_name = series(case, kind)
    year = (document_moment(case, kind) or moment).astimezone(local_zone()).year
    counter = _counter(case.subdistrict_id, series_name, year)
    # Read again under the lock: an issue of the same document that waited for it finds the
    # one just made instead of taking a second number.
    existing = CaseDocument.objects.filter(case_id=case.pk, kind=kind).first()
    if existing is not None:
        return existing
    counter.last += 1
    counter.save(update_fields=["last"])
    sequence = counter.last
    document = model_create(
        model=CaseDocument,
        data={
            "case_id": case.pk,
            "subdistrict_id": case.subdistrict_id,
            "kind": kind,
            "series": series_name,
            "year": year,
            "sequence": sequence,
            "number": format_number(series_name, year, sequence),
            "issued_at": moment,
            "issued_by": actor_user(actor),
        },
        actor=actor,
        action="enforcement.document_issue",
    )
    if kind == DocumentKind.DECISION and case.decision_number != document.number:
        model_update(
            instance=case,
            data={"decision_number": document.number},
            actor=actor,
            action="enforcement.case_decision_number",
        )
    return document


def document_date(case: Case, document: CaseDocument) -> date:
    """The date a document bears, in local time."""
    moment = document_moment(case, document.kind) or document.issued_at
    return moment.astimezone(local_zone()).date()
