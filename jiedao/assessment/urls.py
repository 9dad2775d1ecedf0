from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.home, name="home"),
    path("teams/new/", views.team_new, name="team_new"),
    path("teams/<int:team_id>/", views.team, name="team"),
    path("teams/<int:team_id>/members/add/", views.member_add, name="member_add"),
    path(
        "teams/<int:team_id>/members/<int:user_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path("teams/<int:team_id>/export.xlsx", views.export, name="export"),
    path("teams/<int:team_id>/weights/", views.weights, name="weights"),
    path("teams/<int:team_id>/close/", views.close, name="close"),
    path("teams/<int:team_id>/members/<int:user_id>/", views.member, name="member"),
    path(
        "teams/<int:team_id>/members/<int:user_id>/records/<slug:measure>/",
        views.records,
        name="records",
    ),
]
