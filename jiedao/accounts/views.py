from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["failure_limit"] = settings.AXES_FAILURE_LIMIT
        context["idle_minutes"] = settings.SESSION_COOKIE_AGE // 60
        return context


class LogoutView(auth_views.LogoutView):
    pass


def lockout_response(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """What a locked-out user sees (django-axes calls this after too many failures)."""
    return render(
        request,
        "accounts/locked_out.html",
        {
            "message": _(
                "Too many failed sign-ins: this account is locked for a while. "
                "Try again later or ask an administrator."
            )
        },
        status=429,
    )
