"""Comprehensive administrative enforcement (大综合一体化行政执法): the targets inspected, the
catalogue of inspection matters, actions and their joint inspections (综合查一次), the checklist
each department fills, the rectification items that findings become, the repeat-inspection guard's
rules and the ratings businesses give through the 行政检查码.

States live in :mod:`jiedao.enforcement.workflow`; writes in :mod:`jiedao.enforcement.services`.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .workflow import ActionKind, InspectionStatus, ItemResult, RectificationStatus


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low risk")
    MEDIUM = "medium", _("Medium risk")
    HIGH = "high", _("High risk")


class Target(models.Model):
    """执法对象: a business or premises (identified by its 统一社会信用代码) or a natural person."""

    class Kind(models.TextChoices):
        BUSINESS = "business", _("Business or premises")
        PERSON = "person", _("Natural person")

    subdistrict = models.ForeignKey(
        "geo.Subdistrict",
        on_delete=models.PROTECT,
        related_name="enforcement_targets",
        verbose_name=_("subdistrict"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    grid = models.ForeignKey(
        "geo.Grid",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enforcement_targets",
        verbose_name=_("grid"),
    )
    trade = models.CharField(_("trade"), max_length=100, blank=True)
    risk_level = models.CharField(
        _("risk level"), max_length=10, choices=RiskLevel.choices, default=RiskLevel.LOW
    )
    is_synthetic = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("enforcement target")
        verbose_name_plural = _("enforcement targets")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "credit_code"],
                condition=~models.Q(credit_code=""),
                name="enforcement_target_unique_credit_code",
            ),
            models.UniqueConstraint(
                fields=["subdistrict", "id_number"],
                condition=~models.Q(id_number=""),
                name="enforcement_target_unique_id_number",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class InspectionMatter(models.Model):
    """One line of a department's 检查事项清单: what an inspection of that department checks."""

    subdistrict = models.ForeignKey(
        "geo.Subdistrict",
        on_delete=models.PROTECT,
        related_name="inspection_matters",
        verbose_name=_("subdistrict"),
    )
    department = models.ForeignKey(
        "geo.Department",
        on_delete=models.PROTECT,
        related_name="inspection_matters",
        verbose_name=_("department"),
    )
    code = models.CharField(_("matter code"), max_length=40)
    title = models.CharField(_("inspection matter"), max_length=300)
    basis = models.CharField(_("legal basis"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("inspection matter")
        verbose_name_plural = _("inspection matters")
        ordering = ["department_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "code"], name="enforcement_matter_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class GuardRule(models.Model):
    """The repeat-inspection guard for the targets of one risk level: at most ``max_per_year``
    non-exempt inspections of a target in a calendar year, and ``min_interval_days`` days at
    least between two of them."""

    subdistrict = models.ForeignKey(
        "geo.Subdistrict",
        on_delete=models.PROTECT,
        related_name="enforcement_guard_rules",
        verbose_name=_("subdistrict"),
    )
    risk_level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices)
    max_per_year = models.PositiveSmallIntegerField(_("inspections per year at most"))
    min_interval_days = models.PositiveSmallIntegerField(_("days between inspections at least"))

    class Meta:
        verbose_name = _("repeat-inspection rule")
        verbose_name_plural = _("repeat-inspection rules")
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "risk_level"], name="enforcement_guard_unique_level"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_risk_level_display()}: {self.max_per_year}/{self.min_interval_days}"


class Action(models.Model):
    """行动: what groups inspections — a 综合查一次 round, a campaign, a 双随机 draw, a complaint,
    an assignment from above or a re-check round."""

    subdistrict = models.ForeignKey(
        "geo.Subdistrict",
        on_delete=models.PROTECT,
        related_name="enforcement_actions",
        verbose_name=_("subdistrict"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActionKind.choices)
    title = models.CharField(_("title"), max_length=200)
    lead_department = models.ForeignKey(
        "geo.Department",
        on_delete=models.PROTECT,
        related_name="enforcement_actions",
        verbose_name=_("lead department"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    # A 双随机 draw: the seed and the candidate pool (target ids, in order) reproduce it.
    draw_seed = models.CharField(_("draw seed"), max_length=64, blank=True)
    draw_pool = models.JSONField(_("draw pool"), default=list, blank=True)
    draw_size = models.PositiveSmallIntegerField(_("targets drawn"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    is_synthetic = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("enforcement action")
        verbose_name_plural = _("enforcement actions")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class Inspection(models.Model):
    """One visit to one target by a lead department and the departments joining it."""

    action = models.ForeignKey(
        Action,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("enforcement action"),
    )
    target = models.ForeignKey(
        Target,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("enforcement target"),
    )
    lead_department = models.ForeignKey(
        "geo.Department",
        on_delete=models.PROTECT,
        related_name="led_inspections",
        verbose_name=_("lead department"),
    )
    joining_departments = models.ManyToManyField(
        "geo.Department",
        related_name="joined_inspections",
        blank=True,
        verbose_name=_("joining departments"),
    )
    planned_on = models.DateField(_("planned on"))
    status = models.CharField(_("status"), max_length=20, choices=InspectionStatus.choices)
    # The 行政检查码: the random part of the public address the QR code opens.
    code = models.CharField(_("inspection code"), max_length=32, unique=True)
    override_reason = models.CharField(_("override reason"), max_length=500, blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("override approved by"),
    )
    conclusion = models.TextField(_("conclusion"), blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("completed by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-planned_on", "-pk"]
        indexes = [models.Index(fields=["target", "planned_on"], name="enf_insp_target_day")]

    def __str__(self) -> str:
        return f"{self.target} {self.planned_on}"


class ChecklistItem(models.Model):
    """One inspection matter checked in one inspection: 合格 / 不合格 / 不涉及, with notes."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="items", verbose_name=_("inspection")
    )
    matter = models.ForeignKey(
        InspectionMatter, on_delete=models.PROTECT, related_name="+", verbose_name=_("matter")
    )
    department = models.ForeignKey(
        "geo.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    result = models.CharField(_("check result"), max_length=20, choices=ItemResult.choices)
    notes = models.TextField(_("notes"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["department_id", "matter__position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "matter"], name="enforcement_item_unique_matter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.matter_id}: {self.result}"


class Rectification(models.Model):
    """整改项: a problem found, to be put right by a deadline in working days and re-checked."""

    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.PROTECT,
        related_name="rectifications",
        verbose_name=_("inspection"),
    )
    item = models.ForeignKey(
        ChecklistItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectifications",
        verbose_name=_("checklist item"),
    )
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectifications",
        verbose_name=_("event"),
    )
    description = models.TextField(_("problem"))
    working_days = models.PositiveSmallIntegerField(_("working days to rectify"))
    found_at = models.DateTimeField(_("found at"))
    deadline = models.DateTimeField(_("rectification deadline"))
    status = models.CharField(_("status"), max_length=20, choices=RectificationStatus.choices)
    recheck_notes = models.TextField(_("re-check notes"), blank=True)
    rechecked_at = models.DateTimeField(_("re-checked at"), null=True, blank=True)
    rechecked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("re-checked by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return self.description[:50]


def inspection_photo_path(instance: "InspectionPhoto", filename: str) -> str:
    # The name comes from the content type, never from the uploader's file name.
    return f"enforcement/photos/{timezone.now():%Y/%m}/{filename}"


class InspectionPhoto(models.Model):
    """A photo taken on site of a checklist item's answer or of a finding: only its re-encoded
    pixels (see :mod:`jiedao.events.photos`), served to those who may see the inspection."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="photos", verbose_name=_("inspection")
    )
    item = models.ForeignKey(
        ChecklistItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name=_("checklist item"),
    )
    rectification = models.ForeignKey(
        Rectification,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name=_("rectification item"),
    )
    file = models.FileField(_("file"), upload_to=inspection_photo_path, max_length=200)
    content_type = models.CharField(_("content type"), max_length=30)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64, verbose_name=_("SHA-256 checksum"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("inspection photo")
        verbose_name_plural = _("inspection photos")
        ordering = ["created_at", "pk"]
        constraints = [
            # A photo documents exactly one thing: an item's answer or a finding.
            models.CheckConstraint(
                condition=models.Q(item__isnull=False, rectification__isnull=True)
                | models.Q(item__isnull=True, rectification__isnull=False),
                name="enforcement_photo_item_or_finding",
            ),
        ]

    def __str__(self) -> str:
        return self.file.name


class Rating(models.Model):
    """The business's rating of one inspection, given once through its 行政检查码."""

    inspection = models.OneToOneField(
        Inspection, on_delete=models.CASCADE, related_name="rating", verbose_name=_("inspection")
    )
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.CharField(_("rating comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("rated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("inspection rating")
        verbose_name_plural = _("inspection ratings")

    def __str__(self) -> str:
        return f"{self.inspection_id}: {self.score}"


from .models_cases import Case, CaseStep
from .models_disclosure import Disclosure
from .models_documents import CaseDocument, DocumentCounter, DocumentKind
from .models_reviewers import LegalReviewer

__all__ = [
    "Action",
    "Case",
    "CaseDocument",
    "CaseStep",
    "ChecklistItem",
    "Disclosure",
    "DocumentCounter",
    "DocumentKind",
    "GuardRule",
    "Inspection",
    "InspectionMatter",
    "InspectionPhoto",
    "LegalReviewer",
    "Rating",
    "Rectification",
    "RiskLevel",
    "Target",
]
