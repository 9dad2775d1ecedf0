"""The numbered documents of a penalty case (文书) and the counters their numbers come from;
imported by ``models``.

A document's number (文号) is issued once, the first time the document is asked for (the
decision's in the decide step), and kept forever: re-downloading never takes another number.
Numbers run per subdistrict, series and year without gaps (:mod:`jiedao.enforcement.numbering`).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DocumentKind(models.TextChoices):
    FILING = "filing", _("Case filing approval form (立案审批表)")
    CORRECTION = "correction", _("Order to correct (责令（限期）改正通知书)")
    NOTICE = "notice", _("Advance notice of penalty (行政处罚事先告知书)")
    DECISION = "decision", _("Penalty decision (行政处罚决定书)")
    CLOSING = "closing", _("Case closing report (结案报告)")


class DocumentCounter(models.Model):
    """The last number issued in one series of one subdistrict and year; its row is locked while
    the next number is taken, so that two issues at once cannot take the same or skip one."""

    subdistrict = models.ForeignKey(
        "geo.Subdistrict", on_delete=models.PROTECT, related_name="+", verbose_name=_("subdistrict")
    )
    # A document kind, or a series of its own within one (a decision not to punish is numbered
    # apart from the penalty decisions: ``numbering.series``).
    series = models.CharField(_("series"), max_length=30)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("document counter")
        verbose_name_plural = _("document counters")
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "series", "year"], name="enf_document_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.year}: {self.last}"


class CaseDocument(models.Model):
    """A case's document and the number it bears."""

    case = models.ForeignKey(
        "enforcement.Case",
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("case"),
    )
    # The case's subdistrict, kept here so that the database holds its numbers unique.
    subdistrict = models.ForeignKey(
        "geo.Subdistrict", on_delete=models.PROTECT, related_name="+", verbose_name=_("subdistrict")
    )
    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    series = models.CharField(_("series"), max_length=30)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("document number"), max_length=100)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("document", "issued by"),
    )

    class Meta:
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        ordering = ["case", "issued_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="enf_case_document_once"),
            models.UniqueConstraint(
                fields=["subdistrict", "number"], name="enf_case_document_number_unique"
            ),
            models.UniqueConstraint(
                fields=["subdistrict", "series", "year", "sequence"],
                name="enf_case_document_sequence_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.number


# How the audit trail names the documents' writes (registered by ``EnforcementConfig``).
AUDIT_ACTION_LABELS = {
    "enforcement.document_issue": _("Document number issued (文号)"),
    "enforcement.case_decision_number": _("Decision number recorded (决定书文号)"),
}
