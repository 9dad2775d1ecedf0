"""Key-task supervision (重点任务督办): plans, their sections and tasks, the periods in which lead
units report progress, and what supervisors say about it.

A task's status is never stored: :mod:`jiedao.supervision.status` derives it from the targets,
the reports and the calendar.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Plan(models.Model):
    """A plan of key tasks for one year, e.g. 2023年《政府工作报告》重点任务."""

    class PeriodKind(models.TextChoices):
        QUARTER = "quarter", _("Quarter")
        MONTH = "month", _("Month")

    subdistrict = models.ForeignKey(
        "geo.Subdistrict",
        on_delete=models.PROTECT,
        related_name="supervision_plans",
        verbose_name=_("subdistrict"),
    )
    name = models.CharField(
        _("name"), max_length=300, help_text=_("The title without the reporting period.")
    )
    title_pattern = models.CharField(
        _("title pattern"),
        max_length=300,
        help_text=_("The disclosure title, with {period} where the period's name goes."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    period_kind = models.CharField(_("reporting period"), max_length=10, choices=PeriodKind.choices)
    issuing_body = models.CharField(_("issuing body"), max_length=100, blank=True)
    topic = models.CharField(_("topic"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "name"], name="supervision_plan_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Period(models.Model):
    """A quarter or a month of the plan's year, with the disclosure published for it."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="periods", verbose_name=_("plan")
    )
    number = models.PositiveSmallIntegerField(_("number"), help_text=_("1–4 or 1–12."))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    index_number = models.CharField(_("index number"), max_length=100, blank=True)
    written_on = models.DateField(_("written on"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="supervision_period_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.plan.year} {self.label}"

    @property
    def label(self) -> str:
        from .periods import period_label

        return period_label(self.plan.period_kind, self.number)

    @property
    def chinese_label(self) -> str:
        from .periods import chinese_period_label

        return chinese_period_label(self.plan.period_kind, self.number)


class Section(models.Model):
    """A big category (大类) such as 创新生态构建, written once for several tasks."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="sections", verbose_name=_("plan")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "position"], name="supervision_section_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Task(models.Model):
    """One key task. Its lead unit is a department when the unit's name matches one; otherwise
    the name is kept as text and nobody can file progress for it until it is assigned."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("plan")
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("section"),
    )
    sequence = models.PositiveIntegerField(_("number"))
    category = models.CharField(_("category"), max_length=200, blank=True)
    content = models.TextField(_("content"))
    lead_leader = models.CharField(_("lead leader"), max_length=100, blank=True)
    lead_unit = models.ForeignKey(
        "geo.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_tasks",
        verbose_name=_("lead unit"),
    )
    lead_unit_name = models.CharField(_("lead unit (as written)"), max_length=200, blank=True)
    cooperating_units = models.CharField(_("cooperating units"), max_length=300, blank=True)
    deadline = models.DateField(_("deadline"))

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "sequence"], name="supervision_task_unique_sequence"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sequence}. {self.category or self.content[:30]}"

    @property
    def lead_unit_label(self) -> str:
        return self.lead_unit.name if self.lead_unit is not None else self.lead_unit_name


class Target(models.Model):
    """A quantity the task's content promises, e.g. 新增40个托位 → 40 个 托位."""

    class Comparator(models.TextChoices):
        EQUAL = "=", _("exactly")
        AT_LEAST = ">=", _("at least")
        AT_MOST = "<=", _("at most")

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="targets", verbose_name=_("task")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20)
    subject = models.CharField(_("subject"), max_length=200)
    comparator = models.CharField(
        _("comparator"), max_length=2, choices=Comparator.choices, default=Comparator.EQUAL
    )
    phrase = models.CharField(_("phrase"), max_length=300)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["task", "position"]

    def __str__(self) -> str:
        return self.phrase


class ProgressReport(models.Model):
    """What the lead unit reports for one period. The latest report of a period counts."""

    class Source(models.TextChoices):
        FORM = "form", _("Filed by the lead unit")
        IMPORT = "import", _("Imported from a table")
        DEMO = "demo", _("Demo data")

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="reports", verbose_name=_("task")
    )
    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="reports", verbose_name=_("period")
    )
    text = models.TextField(_("progress"))
    percent_complete = models.PositiveSmallIntegerField(
        _("percent complete"),
        null=True,
        blank=True,
        help_text=_("The lead unit's estimate, 0–100, for tasks without numeric targets."),
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    is_synthetic = models.BooleanField(
        _("synthesised"),
        default=False,
        help_text=_("Made up for the demo, not a real report."),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("progress report", "reported by"),
    )
    reported_at = models.DateTimeField(_("reported at"))

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["task", "period__number", "reported_at", "pk"]

    def __str__(self) -> str:
        return f"{self.task} · {self.period}"


class TargetValue(models.Model):
    """The value of a target reached so far (cumulative), as one report states it."""

    report = models.ForeignKey(
        ProgressReport,
        on_delete=models.CASCADE,
        related_name="values",
        verbose_name=_("progress report"),
    )
    target = models.ForeignKey(
        Target, on_delete=models.CASCADE, related_name="values", verbose_name=_("target")
    )
    value = models.DecimalField(_("value reached"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("target value")
        verbose_name_plural = _("target values")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "target"], name="supervision_target_value_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target.subject}: {self.value}"


class Attachment(models.Model):
    """Evidence attached to a report: a photo, a PDF, a Word or Excel document."""

    report = models.ForeignKey(
        ProgressReport,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("progress report"),
    )
    file = models.FileField(_("file"), upload_to="supervision/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["report", "pk"]

    def __str__(self) -> str:
        return self.original_name


class Comment(models.Model):
    """A supervisor's remark on a task (督办意见)."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="comments", verbose_name=_("task")
    )
    period = models.ForeignKey(
        Period,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("period"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["task", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:50]


class Reminder(models.Model):
    """A notice to a lead unit that a period closes soon and its report is missing."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("task")
    )
    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("period")
    )
    department = models.ForeignKey(
        "geo.Department",
        on_delete=models.CASCADE,
        related_name="supervision_reminders",
        verbose_name=_("department"),
    )
    due_on = models.DateField(_("due on"))
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["due_on", "task__sequence"]
        constraints = [
            models.UniqueConstraint(fields=["task", "period"], name="supervision_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.period}"


class PlanImport(models.Model):
    """One imported table. Its content hash makes importing the same table again a no-op."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="imports", verbose_name=_("plan")
    )
    period = models.ForeignKey(
        Period,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("period"),
    )
    content_hash = models.CharField(_("content hash"), max_length=64)
    file_name = models.CharField(_("file name"), max_length=200)
    file_format = models.CharField(_("format"), max_length=10)
    task_count = models.PositiveIntegerField(_("tasks"))
    report_count = models.PositiveIntegerField(_("reports"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(_("imported at"))

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-imported_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "content_hash"], name="supervision_import_unique_hash"
            ),
        ]

    def __str__(self) -> str:
        return self.file_name
