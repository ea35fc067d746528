"""PostgreSQL only: a covering index for ranking (index-only scans). SQLite has no INCLUDE and
keeps the plain (term, person) index of 0001."""

from typing import Any

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS assist_term_cover ON assistance_matchterm "
    "(term, person_id) INCLUDE (weight, district_id_copy, region_id_copy, static_score)"
)
DROP = "DROP INDEX IF EXISTS assist_term_cover"


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("assistance", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
