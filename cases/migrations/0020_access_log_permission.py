"""The system administrators read the access log (who saw a full ID number or took a
file out of the system); nobody edits it."""

from django.db import migrations

from accounts.migration_helpers import grant, revoke

GRANTS = {"系统管理员": ["cases.view_accessrecord"]}


def forwards(apps, schema_editor):
    grant(apps, GRANTS)


def backwards(apps, schema_editor):
    revoke(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("cases", "0019_access_log"), ("accounts", "0010_audit_log_permission")]

    operations = [migrations.RunPython(forwards, backwards)]
