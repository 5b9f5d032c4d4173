"""The bureau keeps the joint meetings, their tasks and the annual reports."""

from django.db import migrations

from accounts.migration_helpers import grant, revoke

GRANTS = {
    "司法局联络员": [
        "liaison.manage_meetings",
        "liaison.view_jointmeeting",
        "liaison.view_annualreport",
    ],
    "机关应诉联络员": ["liaison.view_jointmeeting"],
}


def forwards(apps, schema_editor):
    grant(apps, GRANTS)


def backwards(apps, schema_editor):
    revoke(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("liaison", "0005_joint_meetings_and_annual_reports")]

    operations = [migrations.RunPython(forwards, backwards)]
