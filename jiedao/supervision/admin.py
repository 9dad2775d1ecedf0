from django.contrib import admin

from .models import Comment, Period, Plan, PlanImport, ProgressReport, Reminder, Section, Task


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


class PeriodInline(admin.TabularInline):
    model = Period
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("name", "year", "period_kind", "issuing_body")
    inlines = [SectionInline, PeriodInline]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("sequence", "category", "plan", "lead_unit", "deadline")
    list_filter = ("plan", "lead_unit")
    search_fields = ("category", "content")


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ("task", "period", "source", "is_synthetic", "reported_at")
    list_filter = ("source", "is_synthetic")
    # Reports are evidence: they are filed through the product (and audited), not edited here.
    readonly_fields = ("task", "period", "text", "percent_complete", "source", "is_synthetic")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


admin.site.register(Comment)
admin.site.register(Reminder)
admin.site.register(PlanImport)
