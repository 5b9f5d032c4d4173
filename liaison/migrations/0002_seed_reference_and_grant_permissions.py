"""Seed the result types and loss causes (DOMAIN.md §6.2) and give each role its permissions.

Which results count as a loss and as concluded is not fixed by a published rule: the
defaults below follow the brief (a loss is a judgment revoking, changing, confirming
illegality or invalidity, ordering performance or compensation), and administrators
change them under 系统管理 › 裁判结果类型.
"""

from django.db import migrations

from accounts.migration_helpers import grant, revoke

# code, label, form, counts as loss, counts as concluded
RESULT_TYPES = [
    ("dismissed_claims", "驳回诉讼请求", "judgment", False, True),
    ("revoked", "撤销", "judgment", True, True),
    ("confirmed_illegal", "确认违法", "judgment", True, True),
    ("confirmed_invalid", "确认无效", "judgment", True, True),
    ("ordered_performance", "责令履行", "judgment", True, True),
    ("varied", "变更", "judgment", True, True),
    ("compensation", "赔偿/补偿", "judgment", True, True),
    ("suit_dismissed", "裁定驳回起诉", "ruling", False, True),
    ("withdrawn_after_correction", "原告撤诉（机关纠正后）", "ruling", False, True),
    ("withdrawn_other", "原告撤诉（其他）", "ruling", False, True),
    ("mediated", "调解结案", "mediation", False, True),
    ("other", "其他", "other", False, True),
]

LOSS_CAUSES = [
    ("facts_unclear", "事实不清、证据不足"),
    ("procedure", "程序违法"),
    ("wrong_law", "适用法律法规错误"),
    ("beyond_authority", "超越职权"),
    ("abuse_of_authority", "滥用职权"),
    ("clearly_improper", "明显不当"),
    ("duty_not_performed", "不履行法定职责"),
    ("other", "其他"),
]

VIEW_REGISTERS = [
    "liaison.view_lawsuit",
    "liaison.view_judicialsuggestion",
]
GRANTS = {
    "司法局联络员": [
        *VIEW_REGISTERS,
        "liaison.add_lawsuit",
        "liaison.change_lawsuit",
        "liaison.record_court_facts",
        "liaison.record_agency_facts",
        "liaison.import_lawsuits",
        "liaison.issue_suggestion",
        "liaison.reply_suggestion",
        "liaison.check_suggestion",
        "liaison.view_supervisionitem",
        "liaison.open_supervision",
        "liaison.respond_supervision",
        "liaison.view_circular",
        "liaison.add_circular",
        "liaison.view_reconsiderationvolume",
        "liaison.change_reconsiderationvolume",
        "liaison.view_resulttype",
        "liaison.view_losscause",
    ],
    "法院联络员": [
        *VIEW_REGISTERS,
        "liaison.add_lawsuit",
        "liaison.change_lawsuit",
        "liaison.record_court_facts",
        "liaison.import_lawsuits",
        "liaison.issue_suggestion",
    ],
    "机关应诉联络员": [
        *VIEW_REGISTERS,
        "liaison.record_agency_facts",
        "liaison.reply_suggestion",
        "liaison.view_supervisionitem",
        "liaison.respond_supervision",
    ],
    "系统管理员": [
        "liaison.view_resulttype",
        "liaison.add_resulttype",
        "liaison.change_resulttype",
        "liaison.view_losscause",
        "liaison.add_losscause",
        "liaison.change_losscause",
    ],
}


def forwards(apps, schema_editor):
    ResultType = apps.get_model("liaison", "ResultType")
    for order, (code, label, form, loss, concluded) in enumerate(RESULT_TYPES, start=1):
        ResultType.objects.get_or_create(
            code=code,
            defaults={
                "label": label,
                "form": form,
                "counts_as_loss": loss,
                "counts_as_concluded": concluded,
                "sort_order": order * 10,
            },
        )
    LossCause = apps.get_model("liaison", "LossCause")
    for order, (code, label) in enumerate(LOSS_CAUSES, start=1):
        LossCause.objects.get_or_create(
            code=code, defaults={"label": label, "sort_order": order * 10}
        )
    grant(apps, GRANTS)


def backwards(apps, schema_editor):
    revoke(apps, GRANTS)
    apps.get_model("liaison", "ResultType").objects.all().delete()
    apps.get_model("liaison", "LossCause").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("liaison", "0001_registers"),
        ("accounts", "0006_agency_contact_group"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
