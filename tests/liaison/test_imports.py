"""Importing the court's spreadsheet: the preview writes nothing, every error is named in
Chinese by its row, the import applies once and importing again changes nothing."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from cases.services.common import ServiceError
from cases.workflow import InvalidTransition
from liaison.models import ImportBatch, Lawsuit, LiaisonEvent
from liaison.services import imports
from liaison.spreadsheet import COLUMNS, template_workbook
from tests.helpers import PDF

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

HEADER = [c.header for c in COLUMNS]


def row(**values) -> list:
    data = {
        "案号": "（2026）鄂9005行初21号",
        "审级": "一审",
        "审理法院": "潜江市人民法院",
        "被告": "市人社局",
        "共同被告": "",
        "第三人": "",
        "原告": "张三",
        "原告类型": "自然人",
        "原告身份证号码": "",
        "争议类别": "工伤认定/社会保障",
        "被诉行政行为": "不予认定工伤决定",
        "立案日期": date(2026, 9, 1),
        "裁判结果": "",
        "审结日期": "",
        "送达日期": "",
        "生效日期": "",
    }
    data.update(values)
    return [data[h] for h in HEADER]


def sheet(*rows, header=HEADER, name="清单.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    ws = workbook.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(
        name,
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@pytest.fixture(autouse=True)
def _directory(agency, court, other_court):
    """The agency, 潜江市人民法院 and 仙桃市人民法院 are in the directories."""


def preview(actor, upload):
    return imports.import_preview(actor=actor, upload=upload)


def errors(batch):
    return {r["line"]: r["errors"] for r in batch.rows if r["errors"]}


def test_the_template_has_every_column_and_an_example(court_liaison):
    workbook = load_workbook(io.BytesIO(template_workbook()))
    first = workbook.worksheets[0]
    assert [c.value.rstrip("*") for c in first[1]] == HEADER
    assert first["A2"].value == "（2025）鄂9005行初12号"
    assert workbook.sheetnames == ["行政诉讼案件", "填写说明"]


def test_a_preview_writes_nothing_but_the_batch(court_liaison):
    batch = preview(
        court_liaison, sheet(row(), row(**{"案号": "（2026）鄂9005行初22号", "原告": "李四、王五"}))
    )
    assert batch.summary == {"create": 2, "update": 0, "unchanged": 0, "error": 0}
    assert not Lawsuit.objects.exists()
    assert batch.status == ImportBatch.Status.PREVIEWED


def test_confirming_applies_every_valid_row_through_the_services(court_liaison, agency):
    batch = preview(
        court_liaison,
        sheet(
            row(),
            row(
                **{
                    "案号": "（2026）鄂9005行初22号",
                    "裁判结果": "撤销",
                    "审结日期": "2026-11-02",
                    "送达日期": "2026/11/5",
                    "生效日期": "2026年11月21日",
                }
            ),
            row(**{"案号": "bad"}),
        ),
    )
    applied = imports.import_apply(batch=batch, actor=court_liaison)
    assert applied.summary == {"create": 2, "update": 0, "unchanged": 0, "error": 1}
    assert applied.status == ImportBatch.Status.APPLIED
    decided = Lawsuit.objects.get(court_case_no="（2026）鄂9005行初22号")
    assert (decided.status, decided.result_type.code, decided.effective_on) == (
        Lawsuit.Status.EFFECTIVE,
        "revoked",
        date(2026, 11, 21),
    )
    assert decided.defendants.get().agency == agency
    assert list(decided.events.values_list("kind", flat=True)) == [
        LiaisonEvent.Kind.LAWSUIT_IMPORTED,
        "outcome_recorded",
        "took_effect",
    ]
    assert "从法院清单导入（清单.xlsx）" in decided.events.first().note
    with pytest.raises(InvalidTransition):
        imports.import_apply(batch=applied, actor=court_liaison)


def test_importing_the_same_sheet_twice_changes_nothing(court_liaison):
    rows = [
        row(),
        row(
            **{
                "案号": "（2026）鄂9005行初22号",
                "裁判结果": "驳回诉讼请求",
                "审结日期": "2026-11-02",
            }
        ),
    ]
    imports.import_apply(batch=preview(court_liaison, sheet(*rows)), actor=court_liaison)
    events = LiaisonEvent.objects.count()
    again = preview(court_liaison, sheet(*rows))
    assert again.summary == {"create": 0, "update": 0, "unchanged": 2, "error": 0}
    imports.import_apply(batch=again, actor=court_liaison)
    assert Lawsuit.objects.count() == 2
    assert LiaisonEvent.objects.count() == events


def test_a_changed_row_updates_the_lawsuit(court_liaison):
    imports.import_apply(batch=preview(court_liaison, sheet(row())), actor=court_liaison)
    changed = preview(
        court_liaison,
        sheet(
            row(
                **{"案号": "(2026)鄂9005行初21号", "裁判结果": "确认违法", "审结日期": "2026-11-10"}
            )
        ),
    )
    assert changed.summary["update"] == 1
    imports.import_apply(batch=changed, actor=court_liaison)
    lawsuit = Lawsuit.objects.get()
    assert lawsuit.is_lost and lawsuit.status == Lawsuit.Status.DECIDED


def test_a_row_deciding_a_registered_lawsuit_is_effective_only_after_its_appeal_period(
    court_liaison,
):
    imports.import_apply(batch=preview(court_liaison, sheet(row())), actor=court_liaison)
    decided = {"裁判结果": "撤销", "审结日期": "2026-11-02", "送达日期": "2026-11-05"}
    early = preview(court_liaison, sheet(row(**decided, **{"生效日期": "2026-11-20"})))
    assert errors(early) == {2: ["生效日期应晚于上诉期限届满之日（2026-11-20）"]}
    on_time = preview(court_liaison, sheet(row(**decided, **{"生效日期": "2026-11-21"})))
    assert on_time.summary["update"] == 1
    imports.import_apply(batch=on_time, actor=court_liaison)
    assert Lawsuit.objects.get().status == Lawsuit.Status.EFFECTIVE


def test_each_kind_of_error_is_named_by_its_row(court_liaison):
    batch = preview(
        court_liaison,
        sheet(
            row(**{"被告": "市不存在局"}),
            row(**{"案号": "2026鄂9005行初3", "审级": "三审"}),
            row(**{"案号": "（2026）鄂9005行初4号", "立案日期": "2026-02-30"}),
            row(**{"案号": "（2026）鄂9005行初5号", "裁判结果": "胜诉", "审结日期": "2026-11-01"}),
            row(
                **{"案号": "（2026）鄂9005行初6号", "争议类别": "不存在的类别", "原告类型": "个人"}
            ),
            row(**{"案号": "（2026）鄂9005行初7号", "审理法院": "仙桃市人民法院"}),
            row(**{"案号": "（2026）鄂9005行初8号", "原告身份证号码": "429005198001011230"}),
            row(**{"案号": "（2026）鄂9005行初8号"}),
            row(**{"案号": "（2026）鄂9005行初9号", "立案日期": "2026-12-25"}),
            row(**{"案号": "（2026）鄂9005行初10号", "被告": "", "原告": ""}),
            row(**{"案号": "（2025）鄂9005行初11号"}),
            row(
                **{
                    "案号": "（2026）鄂9005行初12号",
                    "裁判结果": "撤销",
                    "审结日期": "2026-11-02",
                    "送达日期": "2026-11-05",
                    "生效日期": "2026-11-20",
                }
            ),
        ),
    )
    assert errors(batch) == {
        2: ["机关“市不存在局”不在行政机关名录中", "没有可识别的被告机关"],
        3: [
            "案号“2026鄂9005行初3”格式不正确（应如（2025）鄂9005行初12号）",
            "审级“三审”应为一审、二审或再审",
        ],
        4: ["立案日期“2026-02-30”不是有效日期（应如2025-03-01）"],
        5: ["裁判结果“胜诉”不在裁判结果类型表中"],
        6: ["原告类型“个人”应为自然人、法人或其他组织", "争议类别“不存在的类别”不在争议类别表中"],
        7: ["只能导入本院审理的案件（本行为仙桃市人民法院）"],
        8: [
            "原告“张三”的身份证号码有误：身份证号码校验位不正确，可能有数字录入错误，请对照证件逐位核对。"
        ],
        9: ["与第8行的案号重复"],
        10: ["立案日期晚于今天"],
        11: ["“被告”未填写", "“原告”未填写"],
        12: [
            "案号年度2025年与立案日期的年份不一致；核对无误的，"
            "请在台账中逐件登记并勾选“案号格式已核对”"
        ],
        13: ["生效日期应晚于上诉期限届满之日（2026-11-20）"],
    }
    assert batch.summary["error"] == 12


def test_the_bureau_imports_the_lists_of_every_court(gov_liaison):
    batch = preview(gov_liaison, sheet(row(**{"审理法院": "仙桃市人民法院"})))
    assert batch.summary["create"] == 1


def test_wrong_columns_are_refused_before_any_row(court_liaison):
    with pytest.raises(ServiceError) as exc:
        preview(court_liaison, sheet(row(), header=["编号", *HEADER[1:]]))
    assert exc.value.message == "表格缺少必填列：案号。请使用导入模板的列名（第一行为列名）。"
    with pytest.raises(ServiceError) as exc:
        preview(court_liaison, sheet([*row(), "x"], header=[*HEADER, "备注"]))
    assert exc.value.message == "表格有无法识别的列：备注。请使用导入模板的列名。"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("清单.xlsx", b"not a spreadsheet at all", "文件内容与扩展名不符"),
        ("清单.xlsx", PDF, "文件内容与扩展名不符"),
        ("清单.pdf", PDF, "请上传 Excel 表格（.xlsx）"),
        ("清单.xlsx", b"", "文件是空的"),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused(court_liaison, name, content, message):
    with pytest.raises(ServiceError) as exc:
        preview(court_liaison, SimpleUploadedFile(name, content))
    assert message in exc.value.message
    assert not ImportBatch.objects.exists()


def test_a_word_document_renamed_xlsx_is_refused(court_liaison):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ServiceError) as exc:
        preview(court_liaison, SimpleUploadedFile("清单.xlsx", buffer.getvalue()))
    assert "文件内容与扩展名不符" in exc.value.message


def test_a_sheet_without_rows(court_liaison):
    with pytest.raises(ServiceError) as exc:
        preview(court_liaison, sheet())
    assert exc.value.message == "表格中没有数据行。"


def test_the_upload_page_previews_and_the_confirm_button_imports(client_as, court_liaison):
    client = client_as(court_liaison)
    response = client.post(reverse("liaison:import"), {"file": sheet(row())})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("liaison:import_batch", args=[batch.pk])
    page = client.get(response["Location"]).content.decode()
    assert "确认导入" in page and "新建" in page
    response = client.post(
        reverse("liaison:import_confirm", args=[batch.pk]), {"action": "apply"}, follow=True
    )
    assert "已导入：新建1件，更新0件，无变化0件，有错误未导入0行。" in response.content.decode()
    assert Lawsuit.objects.count() == 1


def test_the_upload_page_with_progress_redirects_through_a_header(client_as, court_liaison):
    client = client_as(court_liaison)
    response = client.post(
        reverse("liaison:import"), {"file": sheet(row())}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/liaison/lawsuits/import/")


def test_a_refused_file_shows_the_reason_on_the_page(client_as, court_liaison):
    response = client_as(court_liaison).post(
        reverse("liaison:import"), {"file": SimpleUploadedFile("a.xlsx", b"junk")}
    )
    assert response.status_code == 400
    assert "文件内容与扩展名不符" in response.content.decode()


def test_discarding_changes_nothing(client_as, court_liaison):
    batch = preview(court_liaison, sheet(row()))
    response = client_as(court_liaison).post(
        reverse("liaison:import_confirm", args=[batch.pk]), {"action": "discard"}, follow=True
    )
    assert "已放弃本次导入，台账未作任何改动。" in response.content.decode()
    assert not Lawsuit.objects.exists()
