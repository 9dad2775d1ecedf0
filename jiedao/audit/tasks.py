"""Background tasks of the audit trail (Django's tasks API, the django-tasks backport).

``seal_trail`` chains the entries committed since the last seal (see :mod:`jiedao.audit.sealing`).
Each committing transaction asks for it, at most once per ``AUDIT_SEAL_DELAY`` seconds per
process; with the default immediate backend it runs in that process right after the commit, with
a queue backend on a worker. ``jiedao audit seal`` enqueues it by hand or from cron.

``anchor_trail`` seals, then appends a signed checkpoint of the chain's head to
``AUDIT_ANCHOR_FILE`` (see :mod:`jiedao.audit.anchors`). Run it every few minutes with
``jiedao audit anchor``, which enqueues it, e.g. from cron::

    */10 * * * *  cd /srv/jiedao && .venv/bin/jiedao audit anchor

or a systemd timer. With the default immediate backend the command does the work itself; with a
queue backend a worker on the application server does (the file and the key live there).
"""

from typing import Any

from django_tasks import task

from .services import audit_anchor, audit_seal


@task()
def seal_trail(announced: list[int] | None = None) -> dict[str, Any]:
    """Seal every committed entry not sealed yet; ``announced`` are ids whose transactions
    committed (an announced entry found missing is recorded in the trail)."""
    report = audit_seal(announced=announced or ())
    return {
        "sealed": report.sealed,
        "entry_count": report.entry_count,
        "head_hash": report.head_hash,
        "missing": list(report.missing),
    }


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
