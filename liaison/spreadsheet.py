"""The court's list of lawsuits as an Excel sheet: the columns, the template and the reading.

Reading never writes: every row becomes a ``SheetRow`` with its values resolved against
the directories (courts, agencies, categories, result types) and the Chinese errors it
has. The import service decides what each row would do and applies it.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile

from accounts.models import Court
from cases.identifiers import IdentifierError, number_key, parse_citizen_id
from cases.models import Agency, DisputeCategory
from cases.uploads import UploadRejected, inspect_upload
from cases.validators import court_case_number_looks_standard, normalise_court_case_number
from liaison.models import Instance, Part, PlaintiffKind, ResultType

MAX_ROWS = 20_000


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    required: bool
    hint: str


COLUMNS = (
    Column("案号", "number", True, "如（2025）鄂9005行初12号"),
    Column("审级", "instance", True, "一审、二审或再审"),
    Column("审理法院", "court", True, "法院名称或法院代字，如 潜江市人民法院 或 鄂9005"),
    Column("被告", "defendants", True, "行政机关名称或简称，多个用顿号分隔"),
    Column("共同被告", "co_defendants", False, "复议维持案件中的复议机关"),
    Column("第三人", "third_parties", False, "作为第三人的行政机关"),
    Column("原告", "plaintiffs", True, "姓名或名称，多个用顿号分隔"),
    Column("原告类型", "plaintiff_kind", False, "自然人、法人或其他组织，不填为自然人"),
    Column("原告身份证号码", "plaintiff_ids", False, "自然人原告的身份证号码，顺序与原告一致"),
    Column("争议类别", "category", True, "如 工伤认定/社会保障"),
    Column("被诉行政行为", "act", True, "如 不予认定工伤决定"),
    Column("立案日期", "filed_on", True, "如 2025-03-01"),
    Column("裁判结果", "result", False, "如 驳回诉讼请求、撤销；未结案的不填"),
    Column("审结日期", "concluded_on", False, "填写裁判结果的必填"),
    Column("送达日期", "served_on", False, "裁判文书送达行政机关的日期"),
    Column("生效日期", "effective_on", False, "裁判生效的日期"),
)
HEADERS = {column.header: column for column in COLUMNS}
INSTANCES = {label: value for value, label in Instance.choices}
KINDS = {label: value for value, label in PlaintiffKind.choices}
_SPLIT = re.compile(r"[、,，;；/\n]+")


class SheetUnreadable(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class SheetRow:
    """One spreadsheet row, read and resolved; ``errors`` say what is wrong with it."""

    line: int
    raw: dict[str, str]
    errors: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def number(self) -> str:
        return self.values.get("court_case_no") or self.raw.get("number", "")


def template_workbook() -> bytes:
    """An empty sheet with the column names, a row of hints and one example row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook()
    sheet = workbook.create_sheet("行政诉讼案件", 0)
    workbook.remove(workbook.worksheets[1])
    sheet.append([column.header + ("*" if column.required else "") for column in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    sheet.append(
        [
            "（2025）鄂9005行初12号",
            "一审",
            "潜江市人民法院",
            "潜江市人力资源和社会保障局",
            "",
            "",
            "张三",
            "自然人",
            "",
            "工伤认定/社会保障",
            "不予认定工伤决定",
            "2025-03-01",
            "",
            "",
            "",
            "",
        ]
    )
    notes = workbook.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "说明"])
    for column in COLUMNS:
        notes.append([column.header, "必填" if column.required else "选填", column.hint])
    notes.append([])
    notes.append(["同一案号导入两次不会重复登记：已登记的案件按表中信息更新，信息相同的不作改动。"])
    for index, width in enumerate([26, 8, 18, 28, 18, 18, 16, 10, 22, 18, 24, 12, 16, 12, 12, 12]):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "".join(ch for ch in str(value) if ch.isprintable() or ch == "\n").strip()


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(text: str) -> date | None:
    """2025-03-01, 2025/3/1, 2025.3.1 or 2025年3月1日; None for a blank cell."""
    if not text:
        return None
    match = _DATE.match(text)
    if not match:
        raise ValueError(text)
    return date(*(int(part) for part in match.groups()))


def read_workbook(upload: UploadedFile) -> list[dict[str, str]]:
    """The rows of the first sheet as {column key: text}; raises ``SheetUnreadable``."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        inspected = inspect_upload(upload)
    except UploadRejected as exc:
        raise SheetUnreadable(exc.message) from None
    if not inspected.content_type.endswith("spreadsheetml.sheet"):
        raise SheetUnreadable("请上传 Excel 表格（.xlsx），可先下载导入模板。")
    upload.seek(0)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise SheetUnreadable(
            "文件无法作为 Excel 表格读取，可能已损坏或不是 .xlsx 格式。请用 Excel 或 WPS 另存为 .xlsx 后重新上传。"
        ) from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise SheetUnreadable("表格是空的。")
        names = [_text(cell).rstrip("*＊").strip() for cell in header]
        missing = [c.header for c in COLUMNS if c.required and c.header not in names]
        if missing:
            raise SheetUnreadable(
                f"表格缺少必填列：{'、'.join(missing)}。请使用导入模板的列名（第一行为列名）。"
            )
        unknown = [n for n in names if n and n not in HEADERS]
        if unknown:
            raise SheetUnreadable(
                f"表格有无法识别的列：{'、'.join(unknown)}。请使用导入模板的列名。"
            )
        keys = [HEADERS[n].key if n in HEADERS else None for n in names]
        result: list[dict[str, str]] = []
        for values in rows:
            row = {key: _text(value) for key, value in zip(keys, values, strict=False) if key}
            if not any(row.values()):
                continue
            if len(result) >= MAX_ROWS:
                raise SheetUnreadable(f"一次最多导入{MAX_ROWS}行，请拆分后分批导入。")
            result.append(row)
        return result
    finally:
        workbook.close()


class Directory:
    """The reference data a sheet's names resolve against, loaded once per import."""

    def __init__(self) -> None:
        self.courts: dict[str, Court] = {}
        for court in Court.objects.all():
            self.courts[court.name] = court
            self.courts[court.code] = court
        self.agencies: dict[str, Agency] = {}
        for agency in Agency.objects.filter(is_active=True):
            self.agencies[agency.name] = agency
            if agency.short_name:
                self.agencies.setdefault(agency.short_name, agency)
        self.categories: dict[str, DisputeCategory] = {}
        for category in DisputeCategory.objects.filter(is_active=True):
            self.categories[category.label] = category
            self.categories[category.code] = category
        self.results: dict[str, ResultType] = {}
        for result in ResultType.objects.filter(is_active=True):
            self.results[result.label] = result
            self.results[result.code] = result


def _names(text: str) -> list[str]:
    return [part.strip() for part in _SPLIT.split(text) if part.strip()]


def resolve(line: int, raw: dict[str, str], directory: Directory) -> SheetRow:
    """Turn a row's texts into values, collecting every error of the row at once."""
    row = SheetRow(line=line, raw=raw)
    errors, values = row.errors, row.values
    for column in COLUMNS:
        if column.required and not raw.get(column.key):
            errors.append(f"“{column.header}”未填写")
    number = normalise_court_case_number(raw.get("number", ""))
    if number:
        if court_case_number_looks_standard(number):
            values["court_case_no"] = number
            values["number_key"] = number_key(number)
        else:
            errors.append(f"案号“{number}”格式不正确（应如（2025）鄂9005行初12号）")
    if text := raw.get("instance"):
        if text in INSTANCES:
            values["instance"] = INSTANCES[text]
        else:
            errors.append(f"审级“{text}”应为一审、二审或再审")
    if text := raw.get("court"):
        if text in directory.courts:
            values["court"] = directory.courts[text]
        else:
            errors.append(f"法院“{text}”不在法院名录中")
    defendants: list[tuple[Agency, str]] = []
    for key, part in (
        ("defendants", Part.DEFENDANT),
        ("co_defendants", Part.CO_DEFENDANT),
        ("third_parties", Part.THIRD_PARTY),
    ):
        for name in _names(raw.get(key, "")):
            agency = directory.agencies.get(name)
            if agency is None:
                errors.append(f"机关“{name}”不在行政机关名录中")
            elif any(a.pk == agency.pk for a, _ in defendants):
                errors.append(f"机关“{name}”重复列入")
            else:
                defendants.append((agency, part))
    values["defendants"] = defendants
    kind_text = raw.get("plaintiff_kind") or PlaintiffKind.NATURAL_PERSON.label
    kind = KINDS.get(kind_text)
    if kind is None:
        errors.append(f"原告类型“{kind_text}”应为自然人、法人或其他组织")
    names = _names(raw.get("plaintiffs", ""))
    ids = _names(raw.get("plaintiff_ids", ""))
    if ids and len(ids) != len(names):
        errors.append("原告身份证号码的个数与原告人数不一致")
        ids = []
    plaintiffs = []
    for index, name in enumerate(names):
        id_number = ""
        if index < len(ids):
            try:
                id_number = parse_citizen_id(ids[index], today=date.max).number
            except IdentifierError as exc:
                errors.append(f"原告“{name}”的身份证号码有误：{exc.message}")
        if len(name) > 100:
            errors.append(f"原告名称超过100个字：“{name[:20]}…”")
        plaintiffs.append(
            {
                "name": name[:100],
                "kind": kind or PlaintiffKind.NATURAL_PERSON,
                "id_number": id_number,
            }
        )
    values["plaintiffs"] = plaintiffs
    if text := raw.get("category"):
        if text in directory.categories:
            values["category"] = directory.categories[text]
        else:
            errors.append(f"争议类别“{text}”不在争议类别表中")
    act = raw.get("act", "")
    if len(act) > 300:
        errors.append("被诉行政行为超过300个字")
    values["act_in_dispute"] = act[:300]
    for key, label in (
        ("filed_on", "立案日期"),
        ("concluded_on", "审结日期"),
        ("served_on", "送达日期"),
        ("effective_on", "生效日期"),
    ):
        try:
            values[key] = parse_date(raw.get(key, ""))
        except ValueError:
            errors.append(f"{label}“{raw.get(key)}”不是有效日期（应如2025-03-01）")
    if text := raw.get("result"):
        if text in directory.results:
            values["result_type"] = directory.results[text]
        else:
            errors.append(f"裁判结果“{text}”不在裁判结果类型表中")
    if (
        values.get("result_type")
        and not values.get("concluded_on")
        and "审结日期" not in str(errors)
    ):
        errors.append("填写裁判结果的，请填写审结日期")
    if values.get("concluded_on") and not values.get("result_type") and not raw.get("result"):
        errors.append("填写审结日期的，请填写裁判结果")
    if values.get("effective_on") and not values.get("result_type"):
        errors.append("填写生效日期的，请填写裁判结果")
    return row
