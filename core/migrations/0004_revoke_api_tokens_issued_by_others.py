"""Until now the system administrator could issue an API token for any account and act as it.
Tokens whose issue the audit log records as someone else's act are revoked: from now on only
the account's own user issues one (with the second factor)."""

from django.db import migrations


def forwards(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    ApiToken = apps.get_model("core", "ApiToken")
    issued = AuditEntry.objects.filter(action="core.api_token.issued", actor__isnull=False)
    for entry in issued.values("actor_id", "object_id", "changes").iterator():
        if str(entry["actor_id"]) == entry["object_id"] or not entry["object_id"].isdigit():
            continue
        name = (entry["changes"] or {}).get("name", "")
        ApiToken.objects.filter(user_id=int(entry["object_id"]), name=name, revoked=False).update(revoked=True)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_lean_indexes")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
