from django.urls import path

from . import views

app_name = "sanitation"
urlpatterns = [
    path("", views.home, name="home"),
    path("compounds/<int:compound_id>/", views.compound, name="compound"),
    path("compounds/<int:compound_id>/households/new/", views.household_new, name="household_new"),
    path("compounds/<int:compound_id>/units/new/", views.unit_new, name="unit_new"),
    path("points/<int:point_id>/", views.point, name="point"),
    path("points/<int:point_id>/drop-offs/", views.drop_off_new, name="drop_off_new"),
    path("points/<int:point_id>/inspection/", views.inspection_new, name="inspection_new"),
    path("rectifications/", views.rectifications, name="rectifications"),
    path(
        "rectifications/<int:rectification_id>/action/",
        views.rectification_action,
        name="rectification_action",
    ),
    path("accounts/<str:number>/", views.account, name="account"),
    path("accounts/<str:number>/redeem/", views.redeem, name="redeem"),
    path("accounts/<str:number>/card/", views.account_card, name="account_card"),
    path("weigh-ins/new/", views.weigh_in_new, name="weigh_in_new"),
]
