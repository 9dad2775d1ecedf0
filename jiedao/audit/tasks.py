"""Background tasks of the audit trail (Django's tasks API, the django-tasks backport).

``anchor_trail`` appends a signed checkpoint of the trail's head to ``AUDIT_ANCHOR_FILE`` (see
:mod:`jiedao.audit.anchors`). Run it every few minutes with ``jiedao audit anchor``, which
enqueues it, e.g. from cron::

    */10 * * * *  cd /srv/jiedao && .venv/bin/jiedao audit anchor

or a systemd timer. With the default immediate backend the command does the work itself; with a
queue backend a worker on the application server does (the file and the key live there).
"""

from typing import Any

from django_tasks import task

from .services import audit_anchor


@task()
def anchor_trail() -> dict[str, Any]:
    """Anchor the trail's head now; returns the anchor's line, entry id, hash and count."""
    anchor = audit_anchor()
    return {
        "line": anchor.line,
        "anchored_at": anchor.anchored_at,
        "entry_id": anchor.entry_id,
        "entry_hash": anchor.entry_hash,
        "entry_count": anchor.entry_count,
    }
