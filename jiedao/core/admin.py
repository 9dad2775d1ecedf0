"""The working calendar in the admin: read-only rows, and a page that publishes a year's
schedule from CSV through :func:`jiedao.core.services.calendar_year_publish` — the same
validation and audit as ``jiedao calendar publish`` and ``POST /api/calendar/{year}``."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from .calendar_csv import parse_calendar_csv
from .errors import ApplicationError
from .models import WorkCalendarDay, WorkCalendarYear
from .services import calendar_year_publish


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows change only through the publishing service, never by editing them one by one."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PublishForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2099)
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns date,is_workday,name; one line per holiday on a weekday or worked weekend day."
        ),
    )
    note = forms.CharField(
        label=_("note"),
        required=False,
        help_text=_("Where the schedule comes from, e.g. the State Council notice."),
    )


@admin.register(WorkCalendarYear)
class WorkCalendarYearAdmin(ReadOnlyAdmin):
    list_display = ["year", "source", "published_at", "note"]
    list_filter = ["source"]
    readonly_fields = ["year", "source", "published_at", "note", "exceptions"]
    change_list_template = "core/admin/calendar_year_change_list.html"

    @admin.display(description=_("exceptions to Monday–Friday"))
    def exceptions(self, obj: WorkCalendarYear) -> SafeString:
        days = WorkCalendarDay.objects.filter(date__year=obj.year).order_by("date")
        return format_html_join(
            "",
            "<div>{} {} — {}</div>",
            ((day.date.isoformat(), day.date.strftime("%a"), day.name) for day in days),
        )

    def get_urls(self) -> list[URLPattern]:
        publish = path(
            "publish/",
            self.admin_site.admin_view(self.publish_view),
            name="core_workcalendaryear_publish",
        )
        return [publish, *super().get_urls()]

    def publish_view(self, request: HttpRequest) -> HttpResponse:
        form = PublishForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                text = form.cleaned_data["file"].read().decode("utf-8-sig")
            except UnicodeDecodeError:
                form.add_error("file", _("The file is not UTF-8 text."))
            else:
                try:
                    calendar_year = calendar_year_publish(
                        actor=request.user,
                        year=form.cleaned_data["year"],
                        days=parse_calendar_csv(text),
                        note=form.cleaned_data["note"],
                    )
                except ApplicationError as error:
                    form.add_error(None, str(error.message))
                else:
                    messages.success(
                        request,
                        _("The schedule of %(year)s is published.") % {"year": calendar_year.year},
                    )
                    return HttpResponseRedirect(reverse("admin:core_workcalendaryear_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Publish a year's holidays"),
            "form": form,
        }
        return TemplateResponse(request, "core/admin/publish_calendar.html", context)


@admin.register(WorkCalendarDay)
class WorkCalendarDayAdmin(ReadOnlyAdmin):
    list_display = ["date", "weekday", "is_workday", "name"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    search_fields = ["name"]

    @admin.display(description=_("weekday"))
    def weekday(self, obj: WorkCalendarDay) -> str:
        return obj.date.strftime("%a")
