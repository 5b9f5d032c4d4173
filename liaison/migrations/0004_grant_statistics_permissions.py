"""Who sees the statistics: the bureau all of them, an agency contact its agency's, the
office head the office's mediation figures."""

from django.db import migrations

from accounts.migration_helpers import grant, revoke

GRANTS = {
    "司法局联络员": ["liaison.view_statistics", "liaison.view_office_statistics"],
    "机关应诉联络员": ["liaison.view_statistics"],
    "工作室负责人": ["liaison.view_office_statistics"],
}


def forwards(apps, schema_editor):
    grant(apps, GRANTS)


def backwards(apps, schema_editor):
    revoke(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("liaison", "0003_lawsuit_statistics_permissions")]

    operations = [migrations.RunPython(forwards, backwards)]
