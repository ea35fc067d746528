"""The audit log is append-only on PostgreSQL and SQLite alike, and the retention purge can only
remove rows older than six months, whatever a session sets.

PostgreSQL: UPDATE and TRUNCATE are refused; DELETE only when the session announces a purge
cutoff (``laomo.audit_purge_before``, set by ``core.audit.purge_audit_log``) and the row is older
than both that cutoff and 183 days by the database's clock. ``laomo.audit_purge = 'on'`` (0002's
switch) no longer lets anything through.

SQLite: the same rules; the purge's cutoff comes from ``laomo_audit_purge_before()``, a function
``core.audit`` registers on each connection (a connection without it cannot delete at all).
"""

from django.db import migrations

PG_CREATE = """
CREATE OR REPLACE FUNCTION laomo_audit_append_only() RETURNS trigger AS $$
DECLARE
  purge_before timestamptz;
BEGIN
  IF TG_OP = 'DELETE' THEN
    purge_before := nullif(current_setting('laomo.audit_purge_before', true), '')::timestamptz;
    IF purge_before IS NOT NULL AND OLD.created < purge_before
       AND OLD.created < statement_timestamp() - interval '183 days' THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION 'audit log entries cannot be changed or deleted (only purge_audit_log removes entries older than the retention period)';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS laomo_audit_append_only ON core_auditentry;
CREATE TRIGGER laomo_audit_append_only BEFORE UPDATE OR DELETE ON core_auditentry
  FOR EACH ROW EXECUTE FUNCTION laomo_audit_append_only();
CREATE OR REPLACE FUNCTION laomo_audit_no_truncate() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit log entries cannot be truncated';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS laomo_audit_no_truncate ON core_auditentry;
CREATE TRIGGER laomo_audit_no_truncate BEFORE TRUNCATE ON core_auditentry
  FOR EACH STATEMENT EXECUTE FUNCTION laomo_audit_no_truncate();
"""
PG_DROP_TRUNCATE = """
DROP TRIGGER IF EXISTS laomo_audit_no_truncate ON core_auditentry;
DROP FUNCTION IF EXISTS laomo_audit_no_truncate();
"""
# 0002's function, for going back.
PG_PREVIOUS = """
CREATE OR REPLACE FUNCTION laomo_audit_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND coalesce(current_setting('laomo.audit_purge', true), '') = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit log entries cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
"""

SQLITE_CREATE = [
    """CREATE TRIGGER IF NOT EXISTS laomo_audit_no_update BEFORE UPDATE ON core_auditentry
BEGIN SELECT RAISE(ABORT, 'audit log entries cannot be changed'); END""",
    """CREATE TRIGGER IF NOT EXISTS laomo_audit_no_delete BEFORE DELETE ON core_auditentry
WHEN NOT (OLD.created < datetime('now', '-183 days')
          AND OLD.created < coalesce(laomo_audit_purge_before(), ''))
BEGIN SELECT RAISE(ABORT, 'audit log entries cannot be deleted (only purge_audit_log removes entries older than the retention period)'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS laomo_audit_no_update",
    "DROP TRIGGER IF EXISTS laomo_audit_no_delete",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_CREATE)
    elif vendor == "sqlite":
        for sql in SQLITE_CREATE:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP_TRUNCATE)
        schema_editor.execute(PG_PREVIOUS)
    elif vendor == "sqlite":
        for sql in SQLITE_DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_revoke_api_tokens_issued_by_others")]
    operations = [migrations.RunPython(forwards, backwards)]
