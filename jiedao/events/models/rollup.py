"""The figures' rollup: per-day sums of the events, kept beside them (see
:mod:`jiedao.events.rollups` for why, how it is kept exact and how it is read)."""

from django.db import models


class FigureRollup(models.Model):
    """The events of one subdistrict reported on one local day that share a group (one
    ``dimension``: a grid, a community, a responsible department, a category or a source) and
    the local days of their dispatch, closure and handling deadline: how many there are and
    how many of them count towards each figure. Derived data: rebuilt from the events by
    :func:`jiedao.events.rollups.rollup_refresh`, never written by a service."""

    # Plain ids, no foreign keys: a group may outlive its grid or category by the few seconds
    # until the next refresh, and derived rows must never block a deletion.
    subdistrict_id = models.BigIntegerField()
    dimension = models.CharField(max_length=12)
    key_id = models.BigIntegerField(null=True)
    key_text = models.CharField(max_length=30, blank=True)
    created_day = models.DateField()
    dispatched_day = models.DateField(null=True)
    closed_day = models.DateField(null=True)
    due_day = models.DateField(null=True)
    self_resolved = models.BooleanField()
    events = models.IntegerField()
    counted_self_resolved = models.IntegerField()
    rejected = models.IntegerField()
    merged = models.IntegerField()
    reworked = models.IntegerField()
    dispatched = models.IntegerField()
    extended = models.IntegerField()
    closed = models.IntegerField()
    on_time_closed = models.IntegerField()
    registered_closed = models.IntegerField()
    registered_open = models.IntegerField()
    handling_microseconds = models.BigIntegerField()
    satisfaction_total = models.IntegerField()
    satisfaction_count = models.IntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["dimension", "subdistrict_id", "created_day"], name="events_rollup_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension} {self.key_id or self.key_text} {self.created_day}"


class FigureChange(models.Model):
    """One statement changed events of a subdistrict reported in this UTC hour: appended by
    database triggers (whoever writes — a service, COPY, a bulk INSERT … SELECT), consumed by
    the refresh. Until then the hour's local days are computed from the events themselves."""

    subdistrict_id = models.BigIntegerField()
    hour = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.subdistrict_id} {self.hour:%Y-%m-%d %H}:00"
