"""PhoneCode and PhoneCodeSendLock now belong to core (core 0006 takes them over, same tables)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("assistance", "0004_phone_code_send_lock"),
        ("core", "0006_phone_codes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="PhoneCode"),
                migrations.DeleteModel(name="PhoneCodeSendLock"),
            ],
            database_operations=[],
        ),
    ]
