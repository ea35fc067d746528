"""On PostgreSQL the audit log is append-only at the database level: UPDATE and DELETE raise,
except for the retention purge, which sets ``laomo.audit_purge`` in its own transaction."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION laomo_audit_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND coalesce(current_setting('laomo.audit_purge', true), '') = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit log entries cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS laomo_audit_append_only ON core_auditentry;
CREATE TRIGGER laomo_audit_append_only BEFORE UPDATE OR DELETE ON core_auditentry
  FOR EACH ROW EXECUTE FUNCTION laomo_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS laomo_audit_append_only ON core_auditentry;
DROP FUNCTION IF EXISTS laomo_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
