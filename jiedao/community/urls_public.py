from django.urls import path

from . import views_public

app_name = "community_public"
urlpatterns = [
    path("", views_public.needs, name="needs"),
    path("new/", views_public.need_new, name="need_new"),
]
