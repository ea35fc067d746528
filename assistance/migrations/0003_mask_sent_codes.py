"""Text messages with one-time codes were stored with the code in clear; mask the codes already
in the delivery log (from now on ``core.notify`` stores them masked)."""

import re

from django.db import migrations

CODE = re.compile(r"(?<!\d)\d{6}(?!\d)")


def forwards(apps, schema_editor):
    Notification = apps.get_model("core", "Notification")
    sent = Notification.objects.filter(template_code="assistance.otp")
    for note in sent.only("pk", "body").iterator():
        masked = CODE.sub("******", note.body)
        if masked != note.body:
            Notification.objects.filter(pk=note.pk).update(body=masked)


class Migration(migrations.Migration):
    dependencies = [("assistance", "0002_covering_term_index"), ("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
