"""django-axes' list of failed sign-ins, with an action that ends a lockout through
:func:`jiedao.accounts.services.user_unlock` (the same rule and audit as ``jiedao unlock``)."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from jiedao.core.errors import ApplicationError

from .models import User
from .services import user_unlock


class UnlockingAccessAttemptAdmin(AccessAttemptAdmin):
    actions = [*AccessAttemptAdmin.actions, "unlock_accounts"]

    @admin.action(description=_("Unlock the accounts of the selected attempts"))
    def unlock_accounts(self, request: HttpRequest, queryset: QuerySet[AccessAttempt]) -> None:
        usernames = sorted({name for name in queryset.values_list("username", flat=True) if name})
        unlocked = 0
        for user in User.objects.filter(username__in=usernames).order_by("username"):
            try:
                user_unlock(actor=request.user, user=user)
            except ApplicationError as error:
                self.message_user(
                    request, f"{user.get_username()}: {error.message}", messages.ERROR
                )
                continue
            unlocked += 1
        if unlocked:
            self.message_user(
                request,
                ngettext("Unlocked %(count)d account.", "Unlocked %(count)d accounts.", unlocked)
                % {"count": unlocked},
                messages.SUCCESS,
            )


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, UnlockingAccessAttemptAdmin)
