"""The append-only audit trail.

An entry is written with the SHA-256 of its own content (``content_hash``) and nothing shared
with other writers, so appending takes no lock that every write would queue on. Shortly after
its transaction commits the sealer (:func:`jiedao.audit.services.audit_seal`) gives it the next
place in the hash chain: ``seal_number``, the hash of the entry sealed before it and its own
chained hash. Changing or removing an entry then breaks the chain and ``jiedao audit verify``
finds where. On PostgreSQL a trigger refuses DELETE and every UPDATE except that one sealing of
an unsealed entry; the ORM refuses both on every database.
"""

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit entries cannot be changed.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    created_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor"), max_length=150)
    action = models.CharField(_("action"), max_length=100)
    target_type = models.CharField(_("target type"), max_length=100)
    target_id = models.CharField(_("target id"), max_length=64)
    target_repr = models.CharField(_("target"), max_length=200)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    content_hash = models.CharField(max_length=64, default="")
    # Empty until sealed; then its place in the chain and the chained hashes.
    seal_number = models.BigIntegerField(null=True, blank=True, unique=True)
    previous_hash = models.CharField(max_length=64, default="")
    entry_hash = models.CharField(max_length=64, default="")

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-id"]
        default_permissions = ("view",)
        # Every write appends an entry, so every index costs every write: one per way the
        # trail is searched (an object's history, an action, a period).
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_entry_target"),
            models.Index(fields=["action"], name="audit_entry_action"),
            # What the sealer reads: only the few entries not sealed yet, so it stays tiny.
            models.Index(
                fields=["id"],
                condition=models.Q(seal_number__isnull=True),
                name="audit_entry_unsealed",
            ),
        ]
        # Django's internal queries (related objects, deletion) go through the refusing
        # queryset too, not through a plain manager that could update or delete.
        base_manager_name = "objects"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # An integrity guard, not a business rule: an entry is written once, never rewritten.
        if self.pk is not None:
            raise AppendOnlyError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit entries cannot be deleted.")


class AuditChainHead(models.Model):
    """One row: the hash and number of the newest sealed entry. Only the sealer locks it (never
    a writer), so sealers take turns and the chain never forks."""

    last_hash = models.CharField(max_length=64)
    entry_count = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.entry_count} entries, head {self.last_hash[:12]}"
