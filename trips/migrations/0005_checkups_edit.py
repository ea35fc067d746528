"""Check-up report files are sealed at rest: seal those stored before (trips.checkups.reports)."""

from typing import Any

from django.db import migrations


def seal(apps: Any, schema_editor: Any) -> None:
    from trips.checkups.reports import seal_stored_reports  # noqa: PLC0415 - the one sealing routine

    seal_stored_reports(apps.get_model("trips", "CheckupBooking"))


class Migration(migrations.Migration):
    dependencies = [
        ("trips", "0004_journeys_rules"),
    ]

    operations = [
        migrations.RunPython(seal, migrations.RunPython.noop),
    ]
