from django.contrib import admin
from django.urls import include, path

from jiedao.sanitation import urls_board as sanitation_board_urls

from .api import api

urlpatterns = [
    path("api/", api.urls),
    # Near the top: machine clients post here at high rates, and each pattern before it is
    # tried first on every request.
    path("open311/", include("jiedao.open311.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("jiedao.accounts.urls")),
    path("manage/users/", include("jiedao.accounts.urls_manage")),
    path("manage/places/", include("jiedao.geo.urls_manage")),
    path("manage/duties/", include("jiedao.events.urls_duties")),
    path("audit/", include("jiedao.audit.urls")),
    path("events/dashboard/", include("jiedao.events.urls_dashboard")),
    path("cockpit/", include("jiedao.cockpit.urls")),
    path("geo/", include("jiedao.geo.urls")),
    path("sensors/", include("jiedao.sensors.urls")),
    path("indicators/", include("jiedao.indicators.urls")),
    path("supervision/", include("jiedao.supervision.urls")),
    path("community/", include("jiedao.community.urls")),
    path("public/needs/", include("jiedao.community.urls_public")),
    path("public/sanitation/lists/", include(sanitation_board_urls.public_patterns)),
    path("sanitation/board/", include("jiedao.sanitation.urls_board")),
    path("enforcement/", include("jiedao.enforcement.urls")),
    path("assessment/", include("jiedao.assessment.urls")),
    path("sanitation/", include("jiedao.sanitation.urls")),
    path("public/points/", include("jiedao.sanitation.urls_public")),
    path("public/", include("jiedao.portal.urls")),
    path("events/", include("jiedao.events.urls")),
    path("", include("jiedao.web.urls")),
]

# What Django itself raises, answered in the door's format: the API's JSON, Open311's list, and
# for people a page in their language that says what to do next (jiedao.web.errors). A database
# outage answers 503 even when a middleware, not a view, met it.
handler400 = "jiedao.web.errors.bad_request"
handler403 = "jiedao.web.errors.permission_denied"
handler404 = "jiedao.web.errors.page_not_found"
handler500 = "jiedao.web.errors.server_error"
