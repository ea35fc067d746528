"""PostgreSQL: a trigram index so "employer contains …" searches use an index (pg_trgm is a
trusted extension from PostgreSQL 13). SQLite has no such index and scans."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS people_person_employer_trgm ON people_person USING gin (employer gin_trgm_ops);
"""
DROP = "DROP INDEX IF EXISTS people_person_employer_trgm;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("people", "0002_list_order_index")]
    operations = [migrations.RunPython(forwards, backwards)]
