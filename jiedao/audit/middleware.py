from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .context import client_ip


def request_client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy rewrites
    # REMOTE_ADDR (e.g. nginx's real_ip module) in front of us.
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = client_ip.set(request_client_ip(request))
        try:
            return self.get_response(request)
        finally:
            client_ip.reset(token)
