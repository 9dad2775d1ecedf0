from django.urls import path

from . import views

urlpatterns = [path("open311/v2/requests.json", views.requests)]
