from django.urls import path

from . import views_dashboard

app_name = "events_dashboard"
urlpatterns = [
    path("", views_dashboard.dashboard, name="dashboard"),
    path("export.xlsx", views_dashboard.export_xlsx, name="export_xlsx"),
    path("export.csv", views_dashboard.export_csv, name="export_csv"),
]
