import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    GRID_WORKER = "grid_worker", _("Grid worker")
    GRID_LEAD = "grid_lead", _("Grid / community lead")
    DISPATCHER = "dispatcher", _("Dispatcher")
    DEPARTMENT_HANDLER = "department_handler", _("Department handler")
    ENFORCEMENT_OFFICER = "enforcement_officer", _("Enforcement officer")
    SUPERVISOR = "supervisor", _("Supervisor / leader")
    SOCIAL_ORGANISATION = "social_organisation", _("Social organisation")
    ADMINISTRATOR = "administrator", _("Administrator")


class User(AbstractUser):
    """A person who signs in. Their role says what they do, their scope where they may do it.

    The scope fields are filled according to the role (see ``accounts.permissions``): a grid
    worker has a grid, a community lead a community, department staff a department, and the
    subdistrict-wide roles only the subdistrict. Database constraints keep them consistent.
    """

    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.RESIDENT)
    subdistrict = models.ForeignKey(
        "geo.Subdistrict",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subdistrict"),
    )
    community = models.ForeignKey(
        "geo.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
    )
    grid = models.ForeignKey(
        "geo.Grid",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("grid"),
    )
    department = models.ForeignKey(
        "geo.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=Role.GRID_WORKER) | Q(grid__isnull=False),
                name="accounts_user_grid_worker_has_grid",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.GRID_LEAD) | Q(community__isnull=False),
                name="accounts_user_grid_lead_has_community",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=[Role.DEPARTMENT_HANDLER, Role.ENFORCEMENT_OFFICER])
                | Q(department__isnull=False),
                name="accounts_user_department_staff_has_department",
            ),
            models.CheckConstraint(
                condition=Q(role=Role.RESIDENT) | Q(subdistrict__isnull=False),
                name="accounts_user_staff_has_subdistrict",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class ApiToken(models.Model):
    """A bearer token for API clients. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, verbose_name=_("token hash"))
    prefix = models.CharField(
        max_length=8, help_text=_("First characters, to recognise it."), verbose_name=_("prefix")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    is_revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
