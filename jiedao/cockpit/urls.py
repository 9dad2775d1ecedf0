from django.urls import path

from . import views

app_name = "cockpit"
urlpatterns = [
    path("", views.page, name="page"),
    path("live/", views.live, name="live"),
]
