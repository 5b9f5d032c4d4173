"""The system administrators see failed sign-ins and lockouts, and may lift a lockout
(delete its row); nobody may edit them."""

from django.db import migrations

from accounts.migration_helpers import grant, revoke

GRANTS = {
    "系统管理员": [
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accessfailurelog",
        "axes.view_accesslog",
    ]
}


def forwards(apps, schema_editor):
    grant(apps, GRANTS)


def backwards(apps, schema_editor):
    revoke(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_agency_contact_group"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
