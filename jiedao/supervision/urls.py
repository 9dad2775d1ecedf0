from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.plan_list, name="plans"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan"),
    path("plans/<int:plan_id>/export/<str:file_format>/", views.export, name="export"),
    path("tasks/<int:task_id>/", views.task_detail, name="task"),
    path("tasks/<int:task_id>/report/", views.task_report, name="report"),
    path("tasks/<int:task_id>/comment/", views.task_comment, name="comment"),
    path("tasks/<int:task_id>/lead-unit/", views.task_lead_unit, name="lead_unit"),
    path("behind/", views.behind_schedule, name="behind"),
    path("import/", views.import_upload, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
]
