"""The system administrators read the audit trail (accounts/audit.py) and each
reference record's history in the admin."""

from django.db import migrations

from accounts.migration_helpers import grant, revoke

GRANTS = {"系统管理员": ["accounts.view_audit_log"]}


def forwards(apps, schema_editor):
    grant(apps, GRANTS)


def backwards(apps, schema_editor):
    revoke(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0009_audit_history")]

    operations = [migrations.RunPython(forwards, backwards)]
