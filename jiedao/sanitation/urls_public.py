from django.urls import path

from . import views

app_name = "sanitation_public"
urlpatterns = [
    path("", views.public_points, name="points"),
]
