from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("report/", views.report, name="report"),
    path("follow/", views.follow_lookup, name="follow_lookup"),
    path("follow/<str:number>/<str:code>/", views.follow, name="follow"),
    path("follow/<str:number>/<str:code>/rate/", views.rate, name="rate"),
    path("follow/<str:number>/<str:code>/reopen/", views.reopen, name="reopen"),
    path("events/", views.events, name="events"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/<str:number>/", views.moderation_set, name="moderation_set"),
]
