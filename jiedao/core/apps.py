from typing import Any

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def restore_empty_work_calendar(
    *, using: str = "default", apps: Any = global_apps, **kwargs: Any
) -> None:
    """Put the chinese-calendar years back into a calendar that is completely empty.

    The data migration seeds them once; ``flush`` (run by transactional tests, or by hand)
    empties every table and then sends ``post_migrate``, as it does for content types. A
    calendar with any year in it is left alone.
    """
    from jiedao.core.calendar_library import seed_library_years

    try:
        year_model = apps.get_model("core", "WorkCalendarYear")
        day_model = apps.get_model("core", "WorkCalendarDay")
    except LookupError:  # migrated back before the calendar existed
        return
    if year_model.objects.using(using).exists():
        return
    seed_library_years(year_model, day_model)
    # This process's copy of the calendar described the emptied tables.
    from jiedao.core.workcalendar import calendar_changed

    calendar_changed()


class CoreConfig(AppConfig):
    name = "jiedao.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Imported here: the policy reads the models, which are ready only now.
        from jiedao.accounts import permissions
        from jiedao.audit.labels import register_action_labels, register_keys

        from . import audit_labels, policy

        permissions.register(owner=self.name, actions=policy.ACTIONS)
        register_action_labels(audit_labels.ACTIONS)
        register_keys(audit_labels.KEYS)
        from jiedao.core import checks  # noqa: F401 - registers the deployment checks

        post_migrate.connect(
            restore_empty_work_calendar, sender=self, dispatch_uid="jiedao.core.work_calendar"
        )
