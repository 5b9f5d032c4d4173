"""Give each role the permissions of the agreement stage."""

from django.db import migrations

from accounts.migration_helpers import grant, revoke

OFFICE_READ = [
    "agreements.view_agreement",
    "agreements.view_obligation",
    "agreements.view_confirmation",
]
GRANTS = {
    "登记员": [
        *OFFICE_READ,
        "agreements.record_signature",
        "agreements.apply_confirmation",
        "agreements.record_performance",
        "cases.archive_case",
    ],
    "调解员": [
        *OFFICE_READ,
        "agreements.draft_agreement",
        "agreements.record_signature",
        "agreements.apply_confirmation",
    ],
    "工作室负责人": [
        *OFFICE_READ,
        "agreements.draft_agreement",
        "agreements.record_signature",
        "agreements.apply_confirmation",
        "agreements.record_performance",
        "agreements.handle_nonperformance",
        "cases.archive_case",
    ],
    "法院联络员": ["agreements.view_confirmation", "agreements.record_confirmation_outcome"],
}


def forwards(apps, schema_editor):
    grant(apps, GRANTS)


def backwards(apps, schema_editor):
    revoke(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0001_initial"),
        ("cases", "0010_case_archive_and_period_length"),
        ("accounts", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
