"""双公示: the published record of a penalty decision; imported by ``models``.

A :class:`Disclosure` is a snapshot of the fields governments publish, taken when the decision
is published: later edits to the case do not change what the public saw. A withdrawal (撤销公示)
keeps the row, with who withdrew it, when and why; the public list no longer shows it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models_cases import Case
from .workflow_cases import PenaltyKind


class Disclosure(models.Model):
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="disclosures", verbose_name=_("case")
    )
    # The case's subdistrict and department, copied so that scope rules need no join.
    subdistrict = models.ForeignKey(
        "geo.Subdistrict",
        on_delete=models.PROTECT,
        related_name="enforcement_disclosures",
        verbose_name=_("subdistrict"),
    )
    department = models.ForeignKey(
        "geo.Department",
        on_delete=models.PROTECT,
        related_name="enforcement_disclosures",
        verbose_name=_("department"),
    )
    party_name = models.CharField(_("name of the party"), max_length=200)
    party_kind = models.CharField(_("kind of party"), max_length=10)
    # A business's 统一社会信用代码; a natural person's ID number is never published.
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=100)
    violation_type = models.CharField(_("type of violation"), max_length=100)
    facts = models.TextField(_("facts of the violation"))
    basis = models.CharField(_("legal basis of the penalty"), max_length=500)
    penalty_kind = models.CharField(
        _("category of penalty"), max_length=10, choices=PenaltyKind.choices
    )
    penalty_content = models.TextField(_("content of the penalty"))
    fine = models.DecimalField(
        _("fine amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    decided_on = models.DateField(_("date of the decision"))
    authority = models.CharField(_("penalty authority"), max_length=200)
    due_on = models.DateField(_("disclosure due on"))
    published_on = models.DateField(_("date of disclosure"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("disclosure", "published by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawal_reason = models.TextField(_("reason for the withdrawal"), blank=True)
    is_synthetic = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("penalty disclosure")
        verbose_name_plural = _("penalty disclosures")
        ordering = ["-published_on", "-pk"]
        constraints = [
            # One live publication per case: a withdrawn one may be followed by a corrected one.
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="enforcement_disclosure_one_live",
            ),
        ]
        indexes = [
            models.Index(
                fields=["published_on", "id"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="enf_disclosure_public",
            ),
        ]

    def __str__(self) -> str:
        return self.decision_number

    @property
    def is_late(self) -> bool:
        return self.published_on > self.due_on

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None
