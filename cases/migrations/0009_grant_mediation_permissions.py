"""Give each role the permissions of the mediation work."""

from django.db import migrations

from accounts.migration_helpers import grant, revoke

GRANTS = {
    "登记员": ["cases.record_withdrawal", "cases.view_dashboard"],
    "调解员": ["cases.conduct_mediation", "cases.view_dashboard"],
    "工作室负责人": [
        "cases.assign_mediator",
        "cases.conduct_mediation",
        "cases.approve_mediation",
        "cases.record_withdrawal",
        "cases.close_case",
        "cases.view_dashboard",
        "cases.view_mediator",
    ],
    "法院联络员": ["cases.transfer_to_filing"],
    "系统管理员": ["cases.add_mediator", "cases.change_mediator", "cases.view_mediator"],
}


def forwards(apps, schema_editor):
    grant(apps, GRANTS)


def backwards(apps, schema_editor):
    revoke(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_mediation")]

    operations = [migrations.RunPython(forwards, backwards)]
