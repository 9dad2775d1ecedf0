from django.urls import path

from . import views, views_activities, views_event_calls, views_grants, views_projects

app_name = "community"
urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("needs/", views.need_list, name="needs"),
    path("needs/new/", views.need_new, name="need_new"),
    path("needs/<int:need_id>/", views.need_detail, name="need"),
    path("needs/<int:need_id>/action/", views.need_action, name="need_action"),
    path("needs/<int:need_id>/call/", views.call_blow, name="call_blow"),
    path("events/<str:number>/call/", views_event_calls.event_call_blow, name="event_call_blow"),
    path("calls/<int:call_id>/", views.call_detail, name="call"),
    path("calls/<int:call_id>/close/", views_event_calls.call_close, name="call_close"),
    path("calls/<int:call_id>/report-in/", views.call_report_in, name="report_in"),
    path(
        "calls/<int:call_id>/report-in-department/",
        views.call_report_in_department,
        name="report_in_department",
    ),
    path("responses/<int:response_id>/action/", views.response_action, name="response_action"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("fund/", views.fund, name="fund"),
    path("fund/<int:fund_id>/", views.fund_detail, name="fund_detail"),
    path("fund/<int:fund_id>/statement.xlsx", views.fund_export, name="fund_export"),
    path("activities/", views_activities.activity_list, name="activities"),
    path(
        "activities/<int:activity_id>/action/",
        views_activities.activity_action,
        name="activity_action",
    ),
    path("facilities/", views_activities.facility_list, name="facilities"),
    path("facilities/<int:facility_id>/use/", views_activities.facility_use, name="facility_use"),
    path("figures/", views_activities.figures, name="figures"),
    path("grants/", views_grants.round_list, name="rounds"),
    path("grants/<int:round_id>/", views_grants.round_detail, name="round"),
    path("grants/<int:round_id>/action/", views_grants.round_action, name="round_action"),
    path("projects/<int:application_id>/", views_projects.project_detail, name="project"),
    path(
        "projects/<int:application_id>/action/",
        views_projects.project_action,
        name="project_action",
    ),
]
