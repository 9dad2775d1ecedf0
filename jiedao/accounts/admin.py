"""The Django admin for accounts and for django-axes' sign-in lockout, in the reader's language.

Users are read-only here: they are created and changed on the administration pages
(``/manage/users/``), and the admin's actions call the same services (deactivate, reactivate,
end a lockout), so that every door is validated and audited alike. The lockout section lists
django-axes' failed sign-ins with an action that ends a lockout through
:func:`jiedao.accounts.services.user_unlock` (the same rule and audit as ``jiedao unlock``).
"""

from collections.abc import Callable
from typing import Any

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext

from jiedao.core.errors import ApplicationError

from .models import User
from .services import user_set_active, user_unlock

# django-axes' own labels (its models' fields and verbose names, its admin's fieldsets and
# filters) ship without a Chinese catalogue: they are translated in this app's catalogue.
AXES_LABELS = [
    gettext_noop("Access Attempt"),
    gettext_noop("Access lock out"),
    gettext_noop("Attempt Time"),
    gettext_noop("Expires At"),
    gettext_noop("Failed Logins"),
    gettext_noop("Form Data"),
    gettext_noop("GET Data"),
    gettext_noop("HTTP Accept"),
    gettext_noop("IP Address"),
    gettext_noop("Locked Out"),
    gettext_noop("Logout Time"),
    gettext_noop("Meta Data"),
    gettext_noop("Not set"),
    gettext_noop("POST Data"),
    gettext_noop("Path"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("User Agent"),
    gettext_noop("Username"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
]


def _each_user(
    request: HttpRequest,
    model_admin: admin.ModelAdmin,
    users: QuerySet[User],
    service: Callable[[User], Any],
    done: Callable[[int], str],
) -> None:
    """Apply ``service`` to each user; report each refusal and how many were done."""
    count = 0
    for user in users.order_by("username"):
        try:
            service(user)
        except ApplicationError as error:
            model_admin.message_user(
                request, f"{user.get_username()}: {error.message}", messages.ERROR
            )
            continue
        count += 1
    if count:
        model_admin.message_user(request, done(count), messages.SUCCESS)


def _unlocked(count: int) -> str:
    return ngettext("Unlocked %(count)d account.", "Unlocked %(count)d accounts.", count) % {
        "count": count
    }


class UnlockingAccessAttemptAdmin(AccessAttemptAdmin):
    list_display = [
        "attempt_time",
        "username",
        "ip_address",
        "failures_since_start",
        "lockout_status",
        "path_info",
        "user_agent",
    ]
    actions = ["unlock_accounts", "clean_up_expired_attempts"]

    @admin.display(description=_("Status"))
    def lockout_status(self, attempt: AccessAttempt) -> str:
        limit = settings.AXES_FAILURE_LIMIT
        if attempt.failures_since_start >= limit:
            return str(_("Locked out"))
        return str(_("%(count)d attempts left") % {"count": limit - attempt.failures_since_start})

    @admin.action(description=_("Unlock the accounts of the selected attempts"))
    def unlock_accounts(self, request: HttpRequest, queryset: QuerySet[AccessAttempt]) -> None:
        usernames = {name for name in queryset.values_list("username", flat=True) if name}
        _each_user(
            request,
            self,
            User.objects.filter(username__in=usernames),
            lambda user: user_unlock(actor=request.user, user=user),
            _unlocked,
        )

    @admin.action(description=_("Clean up expired attempts"))
    def clean_up_expired_attempts(
        self, request: HttpRequest, queryset: QuerySet[AccessAttempt]
    ) -> None:
        count = AxesDatabaseHandler().clean_expired_user_attempts(request=request)
        self.message_user(
            request,
            ngettext(
                "Cleaned up %(count)d expired attempt.",
                "Cleaned up %(count)d expired attempts.",
                count,
            )
            % {"count": count},
        )


class ReadOnlyAdmin(admin.ModelAdmin):
    """A list to read: the rows change through the product's services only."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ReadOnlyAccessLogAdmin(ReadOnlyAdmin, AccessLogAdmin):
    """The sign-in log, read only."""


class ReadOnlyAccessFailureLogAdmin(ReadOnlyAdmin, AccessFailureLogAdmin):
    """The failed sign-in log, read only."""


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    """Accounts, to look up; created and changed on /manage/users/ through the services."""

    list_display = (
        "username",
        "full_name",
        "role",
        "subdistrict",
        "community",
        "grid",
        "department",
        "is_active",
        "last_login",
    )
    list_filter = ("role", "is_active")
    search_fields = ("username", "full_name")
    list_select_related = ("subdistrict", "community", "grid", "department")
    fields = (
        "username",
        "full_name",
        "phone",
        "role",
        "subdistrict",
        "community",
        "grid",
        "department",
        "is_active",
        "last_login",
        "date_joined",
    )
    actions = ["deactivate", "reactivate", "unlock"]

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    @admin.action(description=_("Deactivate the selected accounts"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        _each_user(
            request,
            self,
            queryset,
            lambda user: user_set_active(actor=request.user, user=user, active=False),
            lambda count: (
                ngettext("Deactivated %(count)d account.", "Deactivated %(count)d accounts.", count)
                % {"count": count}
            ),
        )

    @admin.action(description=_("Reactivate the selected accounts"))
    def reactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        _each_user(
            request,
            self,
            queryset,
            lambda user: user_set_active(actor=request.user, user=user, active=True),
            lambda count: (
                ngettext("Reactivated %(count)d account.", "Reactivated %(count)d accounts.", count)
                % {"count": count}
            ),
        )

    @admin.action(description=_("Unlock the selected accounts after failed sign-ins"))
    def unlock(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        _each_user(
            request,
            self,
            queryset,
            lambda user: user_unlock(actor=request.user, user=user),
            _unlocked,
        )


for model, model_admin in (
    (AccessAttempt, UnlockingAccessAttemptAdmin),
    (AccessLog, ReadOnlyAccessLogAdmin),
    (AccessFailureLog, ReadOnlyAccessFailureLogAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
