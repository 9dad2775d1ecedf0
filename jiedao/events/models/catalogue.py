"""The catalogue of categories and the duty matrix."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    class Kind(models.TextChoices):
        COMPONENT = "component", _("Component (部件)")
        EVENT = "event", _("Event (事件)")

    class TimeUnit(models.TextChoices):
        WORKING_HOURS = "working_hours", _("working hours")
        WORKING_DAYS = "working_days", _("working days")

    class Priority(models.IntegerChoices):
        HIGH = 1, _("High")
        NORMAL = 2, _("Normal")
        LOW = 3, _("Low")

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("main category"),
        help_text=_("Empty for a main category (大类); set for a subcategory (小类)."),
    )
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    default_department = models.ForeignKey(
        "geo.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default department"),
        help_text=_(
            "Proposed when the duty matrix has no entry. In another subdistrict the department "
            "with the same code is proposed."
        ),
    )
    acceptance_limit = models.PositiveIntegerField(
        _("acceptance limit"), default=2, validators=[MinValueValidator(1)]
    )
    acceptance_unit = models.CharField(
        _("acceptance limit unit"),
        max_length=20,
        choices=TimeUnit.choices,
        default=TimeUnit.WORKING_HOURS,
    )
    handling_limit = models.PositiveIntegerField(
        _("handling limit"), default=3, validators=[MinValueValidator(1)]
    )
    handling_unit = models.CharField(
        _("handling limit unit"),
        max_length=20,
        choices=TimeUnit.choices,
        default=TimeUnit.WORKING_DAYS,
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("event category")
        verbose_name_plural = _("event categories")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_subcategory(self) -> bool:
        return self.parent_id is not None

    @property
    def label(self) -> str:
        """The name in the reader's language: ``name`` is the catalogue's own (Chinese) name and
        the API's contract, ``name_en`` its English name where the catalogue gives one."""
        return localised_name(self.name, self.name_en)


def reads_english() -> bool:
    return (translation.get_language() or "").startswith("en")


def localised_name(name: str, name_en: str) -> str:
    """``name_en`` for a reader of English when there is one, ``name`` otherwise."""
    return name_en if name_en and reads_english() else name


class DutyAssignment(models.Model):
    """One line of the duty matrix: in this grid (or community), this category goes to this
    department. A grid line beats a community line, which beats the category's default."""

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="duties", verbose_name=_("category")
    )
    community = models.ForeignKey(
        "geo.Community",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
    )
    grid = models.ForeignKey(
        "geo.Grid",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("grid"),
    )
    department = models.ForeignKey(
        "geo.Department",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("department"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("duty assignment")
        verbose_name_plural = _("duty matrix")
        ordering = ["category__code", "grid__code", "community__code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(community__isnull=True, grid__isnull=False)
                | Q(community__isnull=False, grid__isnull=True),
                name="events_duty_grid_or_community",
            ),
            models.UniqueConstraint(
                fields=["category", "grid"],
                condition=Q(grid__isnull=False),
                name="events_duty_unique_grid",
            ),
            models.UniqueConstraint(
                fields=["category", "community"],
                condition=Q(community__isnull=False),
                name="events_duty_unique_community",
            ),
        ]

    def __str__(self) -> str:
        where = self.grid or self.community
        return f"{self.category.label} @ {where} → {self.department}"
