"""Refuse UPDATE and DELETE of the fund's ledger entries in the database itself.

The ledger's balances are derived from its entries, and corrections are new entries (a release),
never edits: a trigger on PostgreSQL and on SQLite makes sure that no code path — a queryset
update, the admin, raw SQL — can rewrite or remove an injection, a commitment or a payment.
TRUNCATE is left to the table owner (as for the audit table): the test database's flush needs it.
"""

from django.db import migrations

POSTGRESQL_CREATE = """
CREATE OR REPLACE FUNCTION community_fund_entry_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'fund entries are immutable: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER community_fund_entry_immutable
    BEFORE UPDATE OR DELETE ON community_fundentry
    FOR EACH ROW EXECUTE FUNCTION community_fund_entry_immutable();
"""

POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS community_fund_entry_immutable ON community_fundentry;
DROP FUNCTION IF EXISTS community_fund_entry_immutable();
"""

# SQLite runs one statement per execute(); its triggers cannot share a function.
SQLITE_CREATE = [
    """
    CREATE TRIGGER IF NOT EXISTS community_fund_entry_no_update BEFORE UPDATE ON community_fundentry
    BEGIN SELECT RAISE(ABORT, 'fund entries are immutable: UPDATE refused'); END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS community_fund_entry_no_delete BEFORE DELETE ON community_fundentry
    BEGIN SELECT RAISE(ABORT, 'fund entries are immutable: DELETE refused'); END
    """,
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS community_fund_entry_no_update",
    "DROP TRIGGER IF EXISTS community_fund_entry_no_delete",
]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # params=None: the SQL is run as written, without query parameters.
        schema_editor.execute(POSTGRESQL_CREATE, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE_CREATE:
            schema_editor.execute(sql, params=None)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE_DROP:
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("community", "0005_department_report_in")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
