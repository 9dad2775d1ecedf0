from django.urls import path

from . import views_manage

app_name = "accounts_manage"
urlpatterns = [
    path("", views_manage.user_list, name="users"),
    path("new/", views_manage.user_create, name="user_create"),
    path("<int:pk>/", views_manage.user_detail, name="user"),
    path("<int:pk>/active/", views_manage.user_set_active, name="user_set_active"),
    path("<int:pk>/password/", views_manage.user_password_reset, name="user_password_reset"),
    path("<int:pk>/unlock/", views_manage.user_unlock, name="user_unlock"),
]
