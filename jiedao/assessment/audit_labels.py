"""The keys the assessment services store in their audit entries beside a row's fields (see
jiedao.audit.labels; the actions' labels are in home.py)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from jiedao.audit.labels import Key, KeyLabels, counted

KEYS: KeyLabels = {
    "assessment.monthresult": {
        "scores": Key(
            _("Scores stored"),
            describe=counted(
                ngettext_lazy("%(count)s member scored", "%(count)s members scored", "count")
            ),
        ),
    },
}
