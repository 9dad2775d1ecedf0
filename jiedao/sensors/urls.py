from django.urls import path

from . import views

app_name = "sensors"
urlpatterns = [
    path("", views.alarm_list, name="alarms"),
    path("alarms/<int:alarm_id>/<str:action>/", views.alarm_action, name="alarm_action"),
    path("map/", views.device_map, name="map"),
    path("devices/<int:device_id>/", views.device_detail, name="device"),
    path("import/", views.device_import, name="import"),
    path("dead-letters/", views.dead_letters, name="dead_letters"),
]
