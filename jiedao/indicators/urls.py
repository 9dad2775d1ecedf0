from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.indicator_table, name="table"),
    path("export/", views.export, name="export"),
    path("upload/", views.upload, name="upload"),
    path("upload/template/", views.upload_template, name="upload_template"),
    path("reports/", views.report_list, name="reports"),
    path("reports/<int:report_id>/", views.report_detail, name="report"),
    path("figures/<int:figure_id>/confirm/", views.figure_confirm, name="confirm"),
    path("figures/<int:figure_id>/reject/", views.figure_reject, name="reject"),
    path("<int:indicator_id>/", views.indicator_detail, name="indicator"),
    path("<int:indicator_id>/values/", views.value_enter, name="enter"),
]
