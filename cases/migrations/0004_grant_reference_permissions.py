"""Give each role the reference-data permissions it needs."""

from django.db import migrations

from accounts.migration_helpers import grant, revoke

READ_REFERENCE = ["cases.view_agency", "cases.view_disputecategory", "cases.view_calendarday"]

GRANTS = {
    "登记员": READ_REFERENCE,
    "调解员": READ_REFERENCE,
    "工作室负责人": READ_REFERENCE,
    "法院联络员": ["cases.view_calendarday"],
    "司法局联络员": ["cases.view_agency", "cases.view_calendarday"],
    "系统管理员": [
        "cases.add_agency",
        "cases.change_agency",
        "cases.view_agency",
        "cases.add_disputecategory",
        "cases.change_disputecategory",
        "cases.view_disputecategory",
        "cases.add_calendarday",
        "cases.change_calendarday",
        "cases.delete_calendarday",
        "cases.view_calendarday",
    ],
}


def forwards(apps, schema_editor):
    grant(apps, GRANTS)


def backwards(apps, schema_editor):
    revoke(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_seed_holiday_calendar"),
        ("accounts", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
