"""PhoneCode and PhoneCodeSendLock move from assistance to core, keeping their tables (state only)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_audit_log_guarded_purge"),
        ("assistance", "0004_phone_code_send_lock"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PhoneCode",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("mobile", models.CharField(db_index=True, max_length=11)),
                        ("purpose", models.CharField(max_length=20)),
                        ("code_hash", models.CharField(max_length=64)),
                        ("ip", models.GenericIPAddressField(blank=True, null=True)),
                        ("created", models.DateTimeField(auto_now_add=True, db_index=True)),
                        ("expires_at", models.DateTimeField()),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("used_at", models.DateTimeField(blank=True, null=True)),
                    ],
                    options={"ordering": ["-created", "-id"], "db_table": "assistance_phonecode"},
                ),
                migrations.CreateModel(
                    name="PhoneCodeSendLock",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("key", models.CharField(max_length=60, unique=True)),
                    ],
                    options={"db_table": "assistance_phonecodesendlock"},
                ),
            ],
            database_operations=[],
        ),
    ]
