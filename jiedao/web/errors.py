"""Showing an ApplicationError on a page: the same message the API would give."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jiedao.core.errors import ApplicationError


def render_application_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except ApplicationError as error:
            return render(request, "web/error.html", {"error": error}, status=error.status)

    return wrapper
