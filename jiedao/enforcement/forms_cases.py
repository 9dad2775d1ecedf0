"""Forms of the case pages: they only type the values; every rule is the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .workflow_cases import Outcome, PenaltyKind


class CaseOpenForm(forms.Form):
    title = forms.CharField(label=_("Case title"), required=False)
    target_id = forms.IntegerField(label=_("Party"), required=False)
    event_number = forms.CharField(label=_("Event"), required=False)
    rectification_id = forms.IntegerField(label=_("Inspection finding"), required=False)
    facts = forms.CharField(label=_("Facts of the violation"), required=False)
    grave = forms.BooleanField(label=_("Involves life, health or finance"), required=False)
    needs_review = forms.BooleanField(label=_("Legal review required"), required=False)


class CaseSimpleForm(forms.Form):
    target_id = forms.IntegerField(label=_("Party"), required=False)
    title = forms.CharField(label=_("Case title"), required=False)
    facts = forms.CharField(label=_("Facts of the violation"), required=False)
    basis = forms.CharField(label=_("Legal basis"), required=False)
    penalty_kind = forms.ChoiceField(label=_("Penalty"), choices=PenaltyKind.choices)
    fine = forms.DecimalField(label=_("Fine amount"), required=False)
    violation_type = forms.CharField(label=_("Type of violation"), required=False)


class CaseStepForm(forms.Form):
    action = forms.CharField(label=_("Step"))
    note = forms.CharField(label=_("Note"), required=False)
    occurred_on = forms.DateField(label=_("Violation occurred on"), required=False)
    facts = forms.CharField(label=_("Facts of the violation"), required=False)
    basis = forms.CharField(label=_("Legal basis"), required=False)
    proposed_fine = forms.DecimalField(label=_("Proposed fine"), required=False)
    days = forms.IntegerField(label=_("Days of extension"), required=False)
    hearing_on = forms.DateField(label=_("Hearing on"), required=False)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "—"), *Outcome.choices], required=False
    )
    penalty_kind = forms.ChoiceField(
        label=_("Penalty"), choices=[("", "—"), *PenaltyKind.choices], required=False
    )
    fine = forms.DecimalField(label=_("Fine amount"), required=False)
    paid_on = forms.DateField(label=_("Paid on"), required=False)
    violation_type = forms.CharField(label=_("Type of violation"), required=False)
    penalty_content = forms.CharField(label=_("Content of the penalty"), required=False)


class ReviewerForm(forms.Form):
    user_id = forms.IntegerField(label=_("Legal reviewer"), required=False)
    certificate = forms.CharField(label=_("Certificate number"), required=False)
