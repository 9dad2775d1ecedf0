from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("report/", views.report, name="report"),
    path("report/photo-location/", views.photo_location, name="photo_location"),
    path("follow/", views.follow_lookup, name="follow_lookup"),
    path("follow/<str:number>/", views.follow, name="follow"),
    # Before follow_link, whose <code> would take "rate" and "reopen".
    path("follow/<str:number>/rate/", views.rate, name="rate"),
    path("follow/<str:number>/photos/<int:photo_id>/", views.follow_photo, name="follow_photo"),
    path("follow/<str:number>/reopen/", views.reopen, name="reopen"),
    path("follow/<str:number>/<str:code>/", views.follow_link, name="follow_link"),
    path("events/", views.events, name="events"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/<str:number>/", views.moderation_set, name="moderation_set"),
]
