"""Create the six role groups and give administrators the user and organisation permissions."""

from django.db import migrations

from accounts.migration_helpers import grant, revoke

ROLE_GROUPS = ["登记员", "调解员", "工作室负责人", "法院联络员", "司法局联络员", "系统管理员"]

GRANTS = {
    "系统管理员": [
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_user",
        "accounts.add_office",
        "accounts.change_office",
        "accounts.view_office",
        "accounts.add_court",
        "accounts.change_court",
        "accounts.view_court",
    ],
}


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)
    grant(apps, GRANTS)


def remove_groups(apps, schema_editor):
    revoke(apps, GRANTS)
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
