from django.urls import path

from . import views_boundaries, views_manage

app_name = "geo_manage"
urlpatterns = [
    path("", views_manage.places, name="places"),
    # Before communities/<code>/, which would take "new" and "import" for codes.
    path("communities/new/", views_manage.community_new, name="community_new"),
    path("communities/import/", views_boundaries.communities_import, name="communities_import"),
    path(
        "communities/import/confirm/",
        views_boundaries.communities_import_confirm,
        name="communities_import_confirm",
    ),
    path("communities.geojson", views_boundaries.communities_geojson, name="communities_geojson"),
    path("communities/<str:code>/", views_manage.community, name="community"),
    path(
        "communities/<str:code>/active/",
        views_manage.community_set_active,
        name="community_set_active",
    ),
    path("grids/import/", views_boundaries.grids_import, name="grids_import"),
    path(
        "grids/import/confirm/",
        views_boundaries.grids_import_confirm,
        name="grids_import_confirm",
    ),
    path("grids.geojson", views_boundaries.grids_geojson, name="grids_geojson"),
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
