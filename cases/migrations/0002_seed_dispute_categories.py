"""Seed the office's dispute categories (DOMAIN.md §3.4). Administrators may edit them later."""

from django.db import migrations

ART60_COMPENSATION = "涉及行政补偿，属第六十条可调解范围。"
ART60_DISCRETION = "处罚种类和幅度属行政机关自由裁量，可就裁量部分调解。"
ART60_NO = "一般不属第六十条可调解范围，通常以行政机关自行纠正、申请人撤回的方式协调化解，须记录所依据的基础。"

CATEGORIES = [
    # code, label, cause of action, field, art60, art60 note, recon-first, recon note
    ("EXPROPRIATION", "征收拆迁/征地补偿", "行政征收或者征用；行政补偿；行政协议", "资源；城建",
     True, ART60_COMPENSATION, False, ""),
    ("LAND_RESOURCE", "土地及自然资源确权、登记", "行政确认；行政登记；行政裁决", "资源",
     False, ART60_NO, True,
     "对侵犯已依法取得的自然资源所有权或者使用权的决定不服的，应当先申请行政复议（《行政复议法》第二十三条第一款第二项）。"),
    ("PENALTY", "行政处罚", "行政处罚", "按作出机关",
     True, ART60_DISCRETION, False,
     "对当场作出的行政处罚决定不服的，应当先申请行政复议（《行政复议法》第二十三条第一款第一项）。"),
    ("COERCION", "行政强制（措施/执行，含违建拆除）", "行政强制措施；行政强制执行", "城建；公安",
     False, ART60_NO, False, ""),
    ("WORK_INJURY_SOCIAL", "工伤认定/社会保障", "行政确认；行政给付", "劳动和社会保障",
     False, ART60_NO, False, ""),
    ("INFO_DISCLOSURE", "政府信息公开", "政府信息公开", "各领域",
     False, ART60_NO, True,
     "申请政府信息公开，行政机关不予公开的，应当先申请行政复议（《行政复议法》第二十三条第一款第四项）。"),
    ("LICENSING", "行政许可", "行政许可", "各领域",
     False, ART60_NO, False, ""),
    ("INACTION", "行政不作为/不履行法定职责", "不履行职责", "各领域",
     False, ART60_NO, True,
     "认为行政机关存在未履行法定职责情形的，应当先申请行政复议（《行政复议法》第二十三条第一款第三项）。"),
    ("ADMIN_AGREEMENT", "行政协议", "行政协议", "各领域",
     True, "行政协议的履行、补偿争议通常涉及补偿或自由裁量，可以调解。", False, ""),
    ("COMPENSATION", "行政赔偿", "行政赔偿", "各领域",
     True, "行政赔偿属第六十条明确可调解的范围。", False, ""),
    ("COMPLAINT_HANDLING", "举报投诉处理", "行政处理", "各领域",
     False, ART60_NO, False, ""),
    ("REGISTRATION", "行政登记（不动产、婚姻等）", "行政登记", "城建；民政",
     False, ART60_NO, False, ""),
    ("OTHER", "其他", "", "",
     False, "请根据具体行政行为判断是否属于第六十条可调解范围。", False, ""),
]


def seed(apps, schema_editor):
    DisputeCategory = apps.get_model("cases", "DisputeCategory")
    for order, row in enumerate(CATEGORIES, start=1):
        code, label, cause, field, art60, art60_note, recon, recon_note = row
        DisputeCategory.objects.update_or_create(
            code=code,
            defaults={
                "label": label,
                "cause_of_action": cause,
                "field": field,
                "art60_mediable": art60,
                "art60_note": art60_note,
                "reconsideration_first": recon,
                "reconsideration_note": recon_note,
                "sort_order": order * 10,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("cases", "DisputeCategory").objects.filter(
        code__in=[row[0] for row in CATEGORIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_reference_data")]

    operations = [migrations.RunPython(seed, unseed)]
