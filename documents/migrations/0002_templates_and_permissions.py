"""Seed one template row per document type and give each role its document permissions."""

from django.db import migrations

from accounts.migration_helpers import grant, revoke

KINDS = [
    "acceptance_notice",
    "decline_notice",
    "referral_return",
    "rights_notice",
    "transcript",
    "extension_consent",
    "agreement",
    "confirmation_application",
    "termination_notice",
    "termination_report",
]
MAKE = ["documents.view_document", "documents.generate_document"]
GRANTS = {
    "登记员": MAKE,
    "调解员": MAKE,
    "工作室负责人": MAKE,
    # The court sees the documents of the cases it referred (the report, the agreement…).
    "法院联络员": ["documents.view_document"],
    "系统管理员": ["documents.view_documenttemplate", "documents.change_documenttemplate"],
}


def forwards(apps, schema_editor):
    DocumentTemplate = apps.get_model("documents", "DocumentTemplate")
    for kind in KINDS:
        DocumentTemplate.objects.get_or_create(
            kind=kind, defaults={"template_name": f"documents/{kind}.html"}
        )
    grant(apps, GRANTS)


def backwards(apps, schema_editor):
    revoke(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        ("accounts", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
