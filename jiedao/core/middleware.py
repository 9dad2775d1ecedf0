"""Refusing, for every app and every door at once, input that no part of Jiedao can handle."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import doors
from .errors import ApplicationError
from .textinput import check_fields, check_json, check_json_size, refusal

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class RejectControlCharactersMiddleware:
    """Refuse a request whose path, query, form fields or JSON body carry a control character
    (see :mod:`jiedao.core.textinput`), and a JSON body too large or nested too deep, before any
    view parses it: 422 naming the field (400 too deep, 413 too large), in the door's own error
    format — the API's JSON body, Open311's error list, a page for the rest.

    Every door (the API, Open311, the portal and staff forms) therefore refuses the same input
    the same way, and none lets a NUL reach PostgreSQL, which answers it with a server error.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            check_request(request)
        except ApplicationError as error:
            return refuse(request, error)
        return self.get_response(request)


def check_request(request: HttpRequest) -> None:
    check_fields([("path", [request.path])])
    check_fields(request.GET.lists())
    content_type = request.content_type or ""
    if content_type.endswith("json"):
        # Before reading: a declared length over the limit is never read at all.
        check_json_size(int(request.META.get("CONTENT_LENGTH") or 0))
        check_json(request.body)
    elif request.method == "POST" and content_type in FORM_TYPES:
        check_fields(request.POST.lists())


def refuse(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    door = doors.door_of(request)
    if door is doors.Door.API:
        return doors.api_error(error)
    if door is doors.Door.OPEN311:
        if error.code == "control_character" and error.field:
            error = refusal(error.field, error.params["raw"], by_label=False)
        return doors.open311_error(request, 400 if error.status == 422 else error.status, error)
    return render(request, "web/error.html", {"error": error}, status=error.status)
