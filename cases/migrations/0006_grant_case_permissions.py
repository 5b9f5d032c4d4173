"""Give each role the case permissions of the intake and referral work."""

from django.db import migrations

from accounts.migration_helpers import grant, revoke

OFFICE_COMMON = [
    "cases.view_case",
    "cases.view_full_id",
    "cases.add_attachment",
    "cases.view_attachment",
]
CLERK = [
    *OFFICE_COMMON,
    "cases.register_case",
    "cases.request_supplement",
    "cases.record_referral",
    "cases.sign_for_referral",
    "cases.change_case",
    "cases.delete_attachment",
]

GRANTS = {
    "登记员": CLERK,
    "调解员": OFFICE_COMMON,
    "工作室负责人": [*CLERK, "cases.accept_case", "cases.return_referral"],
    "法院联络员": [
        "cases.view_case",
        "cases.create_referral",
        "cases.approve_referral",
        "cases.add_attachment",
        "cases.view_attachment",
    ],
}


def forwards(apps, schema_editor):
    grant(apps, GRANTS)


def backwards(apps, schema_editor):
    revoke(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_case_record")]

    operations = [migrations.RunPython(forwards, backwards)]
