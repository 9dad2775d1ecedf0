"""Entries are sealed into the chain after commit instead of chained while written.

Existing entries were chained in id order, which is exactly the sealed order: each gets its
place (seal_number) and the hash of its own content. On PostgreSQL the trigger then refuses
DELETE and every UPDATE except the one sealing of an entry not sealed yet.
"""

import hashlib
import json
from datetime import UTC

from django.conf import settings
from django.db import migrations, models

BATCH = 2000
CONTENT = [
    "created_at", "actor_label", "action", "target_type", "target_id", "target_repr", "before",
    "after", "ip_address",
]  # fmt: skip

# A copy of jiedao.audit.chain.content_digest as it is today: a migration must not change
# meaning when the application's code does.
def content_digest(created_at, actor_label, action, target_type, target_id, target_repr, before,
                   after, ip_address):  # fmt: skip
    content = json.dumps(
        ["", created_at.astimezone(UTC).isoformat(timespec="microseconds"), actor_label, action,
         target_type, target_id, target_repr, before, after, ip_address],
        sort_keys=True, ensure_ascii=False, separators=(",", ":"),
    )  # fmt: skip
    return hashlib.sha256(content.encode()).hexdigest()


SEALABLE = """
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
BEGIN
    -- The sealer's one write: an unsealed entry gets its place and its chain hashes, nothing else.
    IF TG_OP = 'UPDATE' AND OLD.seal_number IS NULL AND NEW.seal_number IS NOT NULL
       AND OLD.previous_hash = '' AND OLD.entry_hash = ''
       AND (NEW.id, NEW.created_at, NEW.actor_id, NEW.actor_label, NEW.action, NEW.target_type,
            NEW.target_id, NEW.target_repr, NEW.before, NEW.after, NEW.ip_address,
            NEW.content_hash)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.created_at, OLD.actor_id, OLD.actor_label, OLD.action, OLD.target_type,
            OLD.target_id, OLD.target_repr, OLD.before, OLD.after, OLD.ip_address,
            OLD.content_hash) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING MESSAGE = 'audit entries are append-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
"""

REFUSE_ALL = """
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'audit entries are append-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
"""


def seal_existing(apps, schema_editor):
    connection = schema_editor.connection
    entry = apps.get_model("audit", "AuditEntry")
    table = entry._meta.db_table
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgresql:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER audit_entry_append_only")
        last_id, number = 0, 0
        while True:
            rows = list(
                entry.objects.filter(id__gt=last_id).order_by("id").values_list("id", *CONTENT)[
                    :BATCH
                ]
            )
            if not rows:
                break
            updates = []
            for pk, *content in rows:
                number += 1
                updates.append((content_digest(*content), number, pk))
            cursor.executemany(
                f"UPDATE {table} SET content_hash = %s, seal_number = %s WHERE id = %s", updates
            )
            last_id = rows[-1][0]
        if postgresql:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER audit_entry_append_only")
            # params=None: the SQL contains a literal % (RAISE's placeholder).
            schema_editor.execute(SEALABLE, params=None)


def refuse_all(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REFUSE_ALL, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0004_one_index_per_search'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='auditentry',
            name='content_hash',
            field=models.CharField(default='', max_length=64),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='seal_number',
            field=models.BigIntegerField(blank=True, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='entry_hash',
            field=models.CharField(default='', max_length=64),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='previous_hash',
            field=models.CharField(default='', max_length=64),
        ),
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(condition=models.Q(('seal_number__isnull', True)), fields=['id'], name='audit_entry_unsealed'),
        ),
        migrations.RunPython(seal_existing, refuse_all),
    ]
