"""Response headers every page and API answer gets: the Content-Security-Policy, and
``Cache-Control: private, no-store`` on whatever carries personal data.

**Content-Security-Policy.** Scripts and style sheets come only from this site (the vendored
Leaflet, ECharts and HTMX under ``web/static/vendor/`` and each app's static files): no inline
``<script>``, no ``on...=`` attributes, no ``eval``. JSON for the scripts travels in
``<script type="application/json">`` (``json_script``), which a browser never runs. Style
*attributes* stay allowed (``style-src-attr``): ECharts writes its tooltips as HTML with inline
styles, and a style attribute cannot run code. Images may also come from the map tile server
(``MAP_TILE_URL``) and ``data:``/``blob:`` URLs (Leaflet's and ECharts' own images).

**Cache-Control.** The simplest rule that cannot miss a page: every answer to a signed-in user
(a session or a bearer token) is ``private, no-store``, and so is every answer that a follow
code opened (:func:`private_answer`). Shared caches and the browser's back/forward cache then
keep nothing of an event, a reporter or a resident's report.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

PRIVATE = "private, no-store"


def content_security_policy(tile_url: str = "") -> str:
    images = ["'self'", "data:", "blob:"]
    parts = urlsplit(tile_url.replace("{s}", "*")) if tile_url else None
    if parts is not None and parts.scheme in ("http", "https") and parts.netloc:
        images.append(f"{parts.scheme}://{parts.netloc}")
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": images,
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


class SecurityHeadersMiddleware:
    """Sets the two headers above. Placed after WhiteNoise, so that static files keep their
    long public caching."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = content_security_policy(settings.MAP_TILE_URL)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        if _is_signed_in(request):
            response["Cache-Control"] = PRIVATE
        return response


def _is_signed_in(request: HttpRequest) -> bool:
    # Only a request with a session cookie or an Authorization header can be signed in; asking
    # the others would load a session for nothing (and add "Vary: Cookie" to public pages).
    if (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    ):
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def private_answer(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For views whose answer carries personal data without a signed-in user (a follow code)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = PRIVATE
        return response

    return wrapper
