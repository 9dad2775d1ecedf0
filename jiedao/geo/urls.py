from django.urls import path

from . import views

app_name = "geo"
urlpatterns = [
    path("map/", views.map_page, name="map"),
    path("grids/<str:code>/", views.grid_detail, name="grid"),
    path("communities/<str:code>/", views.community_detail, name="community"),
]
