"""Administrative penalty cases (行政处罚) and their timelines; imported by ``models``.

A case keeps the moment of every statutory step, and the officer's clock running now
(``clock_*``: which one, when it is due and when its yellow warning starts) so that lists can
filter and count by warning level in the database; :mod:`jiedao.enforcement.clocks` computes it.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .workflow_cases import (
    STEP_LABELS,
    CaseSource,
    CaseStatus,
    DisclosureState,
    Outcome,
    PenaltyKind,
    Procedure,
)


class Case(models.Model):
    subdistrict = models.ForeignKey(
        "geo.Subdistrict",
        on_delete=models.PROTECT,
        related_name="enforcement_cases",
        verbose_name=_("subdistrict"),
    )
    department = models.ForeignKey(
        "geo.Department",
        on_delete=models.PROTECT,
        related_name="enforcement_cases",
        verbose_name=_("department"),
    )
    procedure = models.CharField(_("procedure"), max_length=10, choices=Procedure.choices)
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices)
    source = models.CharField(_("source"), max_length=20, choices=CaseSource.choices)
    target = models.ForeignKey(
        "enforcement.Target",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("party"),
    )
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enforcement_cases",
        verbose_name=_("event"),
    )
    rectification = models.ForeignKey(
        "enforcement.Rectification",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("inspection finding"),
    )
    title = models.CharField(_("case title"), max_length=200)
    # 违法行为类型: what kind of violation, as the 双公示 lists it (e.g. 店外经营).
    violation_type = models.CharField(_("type of violation"), max_length=100, blank=True)
    facts = models.TextField(_("facts of the violation"), blank=True)
    basis = models.CharField(_("legal basis"), max_length=500, blank=True)
    occurred_on = models.DateField(_("violation occurred on"), null=True, blank=True)
    # Life, health or finance involved: the limitation is five years instead of two (Art. 36).
    grave = models.BooleanField(_("involves life, health or finance"), default=False)
    needs_review = models.BooleanField(_("legal review required"), default=True)
    lead_at = models.DateTimeField(_("lead received at"))
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)
    hearing_requested_at = models.DateTimeField(_("hearing requested at"), null=True, blank=True)
    hearing_on = models.DateField(_("hearing on"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    served_at = models.DateTimeField(_("served at"), null=True, blank=True)
    executed_at = models.DateTimeField(_("executed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("days of extension"), default=0)
    proposed_fine = models.DecimalField(
        _("proposed fine"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # The decision's 文号, mirrored from its document so that lists and disclosure show it.
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    penalty_kind = models.CharField(
        _("penalty"), max_length=10, choices=PenaltyKind.choices, blank=True
    )
    fine = models.DecimalField(
        _("fine amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # 处罚内容: the decision's operative words (e.g. 罚款人民币伍佰元整), as published.
    penalty_content = models.TextField(_("content of the penalty"), blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    surcharge = models.DecimalField(
        _("late surcharge"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    clock = models.CharField(_("running clock"), max_length=20, blank=True)
    clock_due_at = models.DateTimeField(_("clock due at"), null=True, blank=True)
    clock_warn_at = models.DateTimeField(_("clock warns at"), null=True, blank=True)
    # 双公示: whether the decision awaits publication, is published or was withdrawn, the last
    # day it is due (working days after the decision) and when its lateness was announced.
    disclosure = models.CharField(
        _("public disclosure"), max_length=10, choices=DisclosureState.choices, blank=True
    )
    disclosure_due_on = models.DateField(_("disclosure due on"), null=True, blank=True)
    disclosure_late_at = models.DateTimeField(
        _("disclosure lateness announced at"), null=True, blank=True
    )
    # The warning last sent about the running clock (jiedao.enforcement.warnings): which clock
    # and which level, so that each level of each clock is sent once.
    alerted_clock = models.CharField(_("clock warned about"), max_length=20, blank=True)
    alerted_level = models.CharField(_("warning sent"), max_length=10, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    is_synthetic = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("enforcement case")
        verbose_name_plural = _("enforcement cases")
        ordering = ["-lead_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "clock_due_at"], name="enf_case_clock"),
            models.Index(fields=["disclosure", "disclosure_due_on"], name="enf_case_disclosure"),
        ]

    def __str__(self) -> str:
        return self.title


class CaseStep(models.Model):
    """One move of a case: the timeline of its file."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="steps", verbose_name=_("case")
    )
    action = models.CharField(_("step"), max_length=30)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.action}"

    @property
    def label(self) -> Any:
        return STEP_LABELS.get(self.action, self.action)
