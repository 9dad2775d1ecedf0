from django.urls import path, re_path

from . import views

app_name = "open311"
FORMAT = r"\.(?P<fmt>json|xml)$"
urlpatterns = [
    re_path(r"^v2/discovery" + FORMAT, views.discovery, name="discovery"),
    re_path(r"^v2/services" + FORMAT, views.service_list, name="services"),
    re_path(
        r"^v2/services/(?P<service_code>[\w-]+)" + FORMAT,
        views.service_definition,
        name="service",
    ),
    re_path(r"^v2/requests" + FORMAT, views.requests, name="requests"),
    re_path(
        r"^v2/requests/(?P<service_request_id>[\w-]+)" + FORMAT,
        views.request_detail,
        name="request",
    ),
    re_path(r"^v2/tokens/(?P<token>[\w-]+)" + FORMAT, views.token_detail, name="token"),
    path("keys/", views.key_list, name="keys"),
    path("keys/<int:key_id>/revoke/", views.key_revoke, name="key_revoke"),
]
