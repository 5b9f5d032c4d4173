"""The role group of the agency litigation contacts (机关应诉联络员).

Its permissions on the registers are granted by the liaison app's migrations; here it
gets what every role outside the office reads: the agency directory and the calendar.
"""

from django.db import migrations

from accounts.migration_helpers import grant, revoke

GROUP = "机关应诉联络员"
GRANTS = {GROUP: ["cases.view_agency", "cases.view_calendarday"]}


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)
    grant(apps, GRANTS)


def remove_group(apps, schema_editor):
    revoke(apps, GRANTS)
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_agency_contacts"),
        ("cases", "0015_model_help_texts_and_indexes"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
