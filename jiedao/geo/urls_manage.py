from django.urls import path

from . import views_manage

app_name = "geo_manage"
urlpatterns = [
    path("", views_manage.places, name="places"),
    path("communities/<str:code>/", views_manage.community, name="community"),
    path(
        "communities/<str:code>/active/",
        views_manage.community_set_active,
        name="community_set_active",
    ),
    path("grids/import/", views_manage.grids_import, name="grids_import"),
    path("grids/import/confirm/", views_manage.grids_import_confirm, name="grids_import_confirm"),
    path("grids.geojson", views_manage.grids_geojson, name="grids_geojson"),
    path("grids/<str:code>/", views_manage.grid, name="grid"),
    path("grids/<str:code>/active/", views_manage.grid_set_active, name="grid_set_active"),
    path("departments/", views_manage.departments, name="departments"),
    path("departments/<int:pk>/", views_manage.department, name="department"),
    path(
        "departments/<int:pk>/active/",
        views_manage.department_set_active,
        name="department_set_active",
    ),
]
