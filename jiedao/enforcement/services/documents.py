"""A case's documents (文书) as files: the number issued the first time a document is asked for
(audited; never again after), the content built and rendered as Word or PDF. The page, the API
and the command all call :func:`case_document_file`."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.models import Role
from jiedao.accounts.permissions import SYSTEM, get_in_scope, require
from jiedao.core.errors import Conflict, InvalidInput, NotFound

from .. import documents, numbering
from ..models import Case, CaseDocument, DocumentKind
from ..workflow_cases import CaseStatus

FORMATS = tuple(documents.RENDERERS)


@dataclass(frozen=True)
class DocumentFile:
    filename: str
    content_type: str
    content: bytes
    number: str
    text: tuple[str, ...]


def _case(actor: Any, case_id: int) -> Case:
    return get_in_scope(
        actor,
        Case.objects.select_related(
            "target", "department", "subdistrict", "event", "rectification"
        ),
        pk=case_id,
    )


def document_kind(kind: str) -> DocumentKind:
    """The kind named by a door; an unknown one is a document that does not exist (404)."""
    if kind not in DocumentKind.values:
        raise NotFound(_("There is no such document."))
    return DocumentKind(kind)


def shows_full_id(actor: Any, kind: str) -> bool:
    """Whether a person's whole ID number is printed: only on the documents served on the party
    (theirs, which must name them beyond doubt), and only for the officers who serve them and for
    the installation itself (the command, run by the server's operator). Supervisors and
    administrators reading a case get those masked, and the office's internal forms (立案审批表,
    结案报告) are masked for everyone: nobody's work needs the number there."""
    served = kind in documents.content.SERVED
    return served and (actor is SYSTEM or getattr(actor, "role", "") == Role.ENFORCEMENT_OFFICER)


@transaction.atomic
def case_document_issue(*, actor: Any, case_id: int, kind: str) -> tuple[Case, CaseDocument]:
    """The case's document of ``kind`` with its number, issued now if this is the first time it
    is asked for. A document the case's steps do not allow yet is refused (409), nothing
    written."""
    require(actor, "enforcement.case_document")
    document_type = document_kind(kind)
    case = _case(actor, case_id)
    if not documents.available(case)[document_type]:
        raise Conflict(
            _("A case that is “%(status)s” has no %(document)s.")
            % {
                "status": CaseStatus(case.status).label,
                "document": documents.content.TITLES[document_type],
            },
            code="document_not_available",
        )
    document = numbering.issue_number(case=case, kind=document_type, actor=actor)
    return case, document


def case_document_file(*, actor: Any, case_id: int, kind: str, file_format: str) -> DocumentFile:
    """The document as a file in ``file_format`` (docx or pdf), its number issued once."""
    if file_format not in FORMATS:
        raise InvalidInput(
            _("%(field)s: choose Word (docx) or PDF (pdf).") % {"field": _("File format")},
            code="invalid",
            field="format",
        )
    case, document = case_document_issue(actor=actor, case_id=case_id, kind=kind)
    # Rendered after the number's transaction has committed: cutting the font takes a moment
    # that no lock should be held for.
    content = documents.build(case, document, full_id=shows_full_id(actor, kind))
    return DocumentFile(
        filename=f"{content.title}-{content.number}.{file_format}",
        content_type=documents.CONTENT_TYPES[file_format],
        content=documents.RENDERERS[file_format](content),
        number=document.number,
        text=tuple(content.text_lines()),
    )
