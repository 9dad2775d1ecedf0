"""Subdistrict → communities and villages → grids, and the departments that act in them.

Boundaries are GeoJSON geometries (Polygon or MultiPolygon) in WGS-84, stored as JSON so that
the same schema runs on SQLite and PostgreSQL without a spatial extension; shapely does the
geometry in :mod:`jiedao.geo.lookup`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Subdistrict(models.Model):
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=9, unique=True)
    district_name = models.CharField(_("district"), max_length=100)
    center_lat = models.FloatField(_("centre latitude"))
    center_lng = models.FloatField(_("centre longitude"))

    class Meta:
        verbose_name = _("subdistrict")
        verbose_name_plural = _("subdistricts")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Community(models.Model):
    class Kind(models.TextChoices):
        COMMUNITY = "community", _("Community")
        VILLAGE = "village", _("Village")

    subdistrict = models.ForeignKey(
        Subdistrict,
        on_delete=models.PROTECT,
        related_name="communities",
        verbose_name=_("subdistrict"),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    code = models.CharField(_("code"), max_length=12, unique=True)
    boundary = models.JSONField(_("boundary (GeoJSON, WGS-84)"))
    is_synthetic = models.BooleanField(
        _("synthetic boundary"),
        default=False,
        help_text=_("The boundary is drawn for demonstration and is not the real one."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("A retired community or village keeps its events but takes no new ones."),
    )

    class Meta:
        verbose_name = _("community or village")
        verbose_name_plural = _("communities and villages")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Grid(models.Model):
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="grids", verbose_name=_("community")
    )
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=15, unique=True)
    boundary = models.JSONField(_("boundary (GeoJSON, WGS-84)"))
    is_synthetic = models.BooleanField(_("synthetic boundary"), default=False)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_(
            "A retired grid keeps its events but takes no new ones and is left out of the "
            "point-in-grid lookup."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Department(models.Model):
    class Kind(models.TextChoices):
        OFFICE = "office", _("Subdistrict office")
        ENFORCEMENT = "enforcement", _("Comprehensive enforcement team")
        POLICE = "police", _("Police station")
        MARKET_REGULATION = "market_regulation", _("Market regulation office")
        UTILITY = "utility", _("Utility")
        COMMUNITY_SERVICE = "community_service", _("Community service")
        OTHER = "other", _("Other")

    subdistrict = models.ForeignKey(
        Subdistrict,
        on_delete=models.PROTECT,
        related_name="departments",
        verbose_name=_("subdistrict"),
    )
    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=50)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    duties = models.TextField(_("duties"), blank=True, help_text=_("One duty per line."))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["subdistrict", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "code"], name="geo_department_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def duty_list(self) -> list[str]:
        return [line.strip() for line in self.duties.splitlines() if line.strip()]
