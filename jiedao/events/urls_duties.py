from django.urls import path

from . import views_duties

app_name = "events_duties"
urlpatterns = [path("", views_duties.matrix, name="matrix")]
