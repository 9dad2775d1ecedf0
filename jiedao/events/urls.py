from django.urls import path, register_converter

from . import views, views_export, views_import, views_report, views_todo


class EventNumberConverter:
    """An event number (WY20261122-0001): never a word, so that sections such as
    ``events/dashboard/`` stay free."""

    regex = r"[0-9A-Za-z-]*[0-9]{8}-[0-9]{4,}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(EventNumberConverter, "event_number")

app_name = "events"
urlpatterns = [
    path("", views_todo.todo, name="inbox"),
    path("all/", views.event_list, name="list"),
    path("all/export/<slug:file_format>/", views_export.event_list_download, name="export"),
    path("exports/<str:job_id>/", views_export.export_job_status, name="export_job"),
    path("exports/<str:job_id>/file/", views_export.export_job_file, name="export_file"),
    path("import/", views_import.import_page, name="import"),
    path("import/<str:job_id>/", views_import.import_job_status, name="import_job"),
    path("report/", views_report.report, name="report"),
    path("report/duplicates/", views_report.report_duplicates, name="report_duplicates"),
    path("map/", views.event_map, name="map"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("<event_number:number>/", views.detail, name="detail"),
    path("<event_number:number>/actions/<slug:action>/", views.take_action, name="action"),
    path("<event_number:number>/contact/", views.reveal_contact, name="contact"),
    path("<event_number:number>/photos/<int:photo_id>/", views.photo, name="photo"),
]
