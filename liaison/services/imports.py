"""Importing the court's spreadsheet: a preview that writes nothing but the batch, then,
once the user confirms, every valid row applied through the lawsuit services in one
transaction. Rows are matched by the court case number, so importing twice changes
nothing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases.deadline_engine import WorkCalendar
from cases.deadlines import load_work_calendar
from liaison.models import ImportBatch, Lawsuit, Part
from liaison.permissions import import_courts
from liaison.services import lawsuits as lawsuit_services
from liaison.services.common import ServiceError, ensure, lock
from liaison.spreadsheet import Directory, SheetRow, SheetUnreadable, read_workbook, resolve
from liaison.workflow import IMPORT_STEPS, apply_step

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"
ACTION_LABELS = {CREATE: "新建", UPDATE: "更新", UNCHANGED: "无变化", ERROR: "有错误，不导入"}


@dataclass(frozen=True)
class Planned:
    row: SheetRow
    action: str
    lawsuit: Lawsuit | None


def _court_side(lawsuit: Lawsuit) -> dict[str, Any]:
    return {
        "instance": lawsuit.instance,
        "court": lawsuit.court_id,
        "category": lawsuit.category_id,
        "act_in_dispute": lawsuit.act_in_dispute,
        "filed_on": lawsuit.filed_on,
        "defendants": sorted((d.agency_id, d.part) for d in lawsuit.defendants.all()),
        "plaintiffs": [(p.name, p.kind, p.id_number) for p in lawsuit.plaintiffs.all()],
    }


def _row_side(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "instance": values["instance"],
        "court": values["court"].pk,
        "category": values["category"].pk,
        "act_in_dispute": values["act_in_dispute"],
        "filed_on": values["filed_on"],
        "defendants": sorted((agency.pk, part) for agency, part in values["defendants"]),
        "plaintiffs": [(p["name"], p["kind"], p["id_number"]) for p in values["plaintiffs"]],
    }


def _outcome_changes(lawsuit: Lawsuit | None, values: dict[str, Any]) -> bool:
    if values.get("result_type") is None:
        return False
    if lawsuit is None:
        return True
    return (
        lawsuit.result_type_id != values["result_type"].pk
        or lawsuit.concluded_on != values["concluded_on"]
        or (values.get("served_on") is not None and lawsuit.served_on != values["served_on"])
        or (
            values.get("effective_on") is not None
            and lawsuit.effective_on != values["effective_on"]
        )
    )


def _check_dates(row: SheetRow, today: date) -> None:
    values = row.values
    filed, concluded = values.get("filed_on"), values.get("concluded_on")
    for key, label in (
        ("filed_on", "立案日期"),
        ("concluded_on", "审结日期"),
        ("served_on", "送达日期"),
        ("effective_on", "生效日期"),
    ):
        if values.get(key) and values[key] > today:
            row.errors.append(f"{label}晚于今天")
    if filed and concluded and concluded < filed:
        row.errors.append("审结日期早于立案日期")
    for key, label in (("served_on", "送达日期"), ("effective_on", "生效日期")):
        if concluded and values.get(key) and values[key] < concluded:
            row.errors.append(f"{label}早于审结日期")

    no_defendant = not any(part == Part.DEFENDANT for _, part in values.get("defendants", []))
    if no_defendant and "“被告”未填写" not in row.errors:
        row.errors.append("没有可识别的被告机关")


def _check_appeal_period(row: SheetRow, lawsuit: Lawsuit | None, calendar: WorkCalendar) -> None:
    """A first-instance decision the row makes effective: not before its appeal period
    ends (what record_effective would refuse on applying), with the lawsuit's facts where
    the row leaves them out, as applying it does."""
    values = row.values

    def value(name: str) -> Any:
        return values.get(name) or (getattr(lawsuit, name) if lawsuit else None)

    last_day = lawsuit_services.appeal_last_day(
        value("result_type"), value("instance"), value("served_on"), calendar
    )
    if last_day and values.get("effective_on") and values["effective_on"] <= last_day:
        row.errors.append(f"生效日期应晚于上诉期限届满之日（{last_day:%Y-%m-%d}）")


def plan(actor: User, raw_rows: list[dict[str, str]], today: date) -> list[Planned]:
    """What each row would do, with its errors; reads only."""
    directory = Directory()
    calendar = load_work_calendar()
    allowed = set(import_courts(actor).values_list("pk", flat=True))
    rows = [resolve(line, raw, directory) for line, raw in enumerate(raw_rows, start=2)]
    keys = [row.values["number_key"] for row in rows if "number_key" in row.values]
    existing = {
        lawsuit.number_key: lawsuit
        for lawsuit in Lawsuit.objects.filter(number_key__in=keys).prefetch_related(
            "defendants", "plaintiffs"
        )
    }
    first_line: dict[str, int] = {}
    planned = []
    for row in rows:
        key = row.values.get("number_key")
        if key in first_line:
            row.errors.append(f"与第{first_line[key]}行的案号重复")
        elif key:
            first_line[key] = row.line
        court = row.values.get("court")
        if court is not None and court.pk not in allowed:
            row.errors.append(f"只能导入本院审理的案件（本行为{court.name}）")
        lawsuit = existing.get(key) if key else None
        if lawsuit is not None and lawsuit.court_id not in allowed:
            row.errors.append("该案号已由其他法院登记")
        _check_dates(row, today)
        if lawsuit is None and (
            year := lawsuit_services.year_differs(
                row.values.get("court_case_no", ""), row.values.get("filed_on")
            )
        ):
            row.errors.append(
                f"案号年度{year}年与立案日期的年份不一致；核对无误的，"
                "请在台账中逐件登记并勾选“案号格式已核对”"
            )
        if lawsuit is None or lawsuit.status in (Lawsuit.Status.PENDING, Lawsuit.Status.DECIDED):
            _check_appeal_period(row, lawsuit, calendar)
        if row.errors:
            planned.append(Planned(row, ERROR, lawsuit))
        elif lawsuit is None:
            planned.append(Planned(row, CREATE, None))
        elif _court_side(lawsuit) != _row_side(row.values) or _outcome_changes(lawsuit, row.values):
            planned.append(Planned(row, UPDATE, lawsuit))
        else:
            planned.append(Planned(row, UNCHANGED, lawsuit))
    return planned


def _stored(item: Planned) -> dict[str, Any]:
    return {
        "line": item.row.line,
        "number": item.row.number,
        "action": item.action,
        "errors": item.row.errors,
        "raw": item.row.raw,
    }


def summary_of(rows: list[dict[str, Any]]) -> dict[str, int]:
    counts = dict.fromkeys((CREATE, UPDATE, UNCHANGED, ERROR), 0)
    for row in rows:
        counts[row["action"]] += 1
    return counts


@transaction.atomic
def import_preview(*, actor: User, upload: UploadedFile) -> ImportBatch:
    """Read the sheet and keep what each row would do; nothing else is written."""
    if not import_courts(actor).exists():
        ensure("只有法院联络员和司法局联络员可以导入法院案件清单。")
    try:
        raw_rows = read_workbook(upload)
    except SheetUnreadable as exc:
        raise ServiceError(exc.message, "file") from None
    if not raw_rows:
        raise ServiceError("表格中没有数据行。", "file")
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    rows = [_stored(item) for item in plan(actor, raw_rows, timezone.localdate())]
    return ImportBatch.objects.create(
        file_name=(upload.name or "")[:200],
        sha256=digest.hexdigest(),
        rows=rows,
        summary=summary_of(rows),
        created_by=actor,
    )


def _parties(values: dict[str, Any]) -> list[lawsuit_services.PartyRow]:
    return [lawsuit_services.PartyRow(agency, part) for agency, part in values["defendants"]]


def _lawsuit_data(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "court_case_no": values["court_case_no"],
        "instance": values["instance"],
        "court": values["court"],
        "category": values["category"],
        "act_in_dispute": values["act_in_dispute"],
        "filed_on": values["filed_on"],
    }


def _apply_row(actor: User, item: Planned, note: str) -> None:
    values = item.row.values
    lawsuit = item.lawsuit
    if lawsuit is None:
        lawsuit = lawsuit_services.lawsuit_create(
            actor=actor,
            data=_lawsuit_data(values),
            defendants=_parties(values),
            plaintiffs=values["plaintiffs"],
            note=note,
        )
    elif _court_side(lawsuit) != _row_side(values):
        lawsuit = lawsuit_services.lawsuit_update(
            lawsuit=lawsuit,
            actor=actor,
            data={
                **_lawsuit_data(values),
                "lower_instance": lawsuit.lower_instance,
                "act_document_no": lawsuit.act_document_no,
                "mediation_case": lawsuit.mediation_case,
            },
            defendants=_parties(values),
            plaintiffs=values["plaintiffs"],
            expected_version=None,
            number_confirmed=True,
        )
    if _outcome_changes(lawsuit, values) or (
        values.get("result_type") and lawsuit.status == Lawsuit.Status.PENDING
    ):
        lawsuit = lawsuit_services.record_outcome(
            lawsuit=lawsuit,
            actor=actor,
            result_type=values["result_type"],
            concluded_on=values["concluded_on"],
            served_on=values.get("served_on") or lawsuit.served_on,
            outcome_note=lawsuit.outcome_note,
            expected_version=None,
        )
    if values.get("effective_on") and lawsuit.status in (
        Lawsuit.Status.DECIDED,
        Lawsuit.Status.APPEALED,
    ):
        lawsuit_services.record_effective(
            lawsuit=lawsuit, actor=actor, effective_on=values["effective_on"]
        )


@transaction.atomic
def import_apply(*, batch: ImportBatch, actor: User) -> ImportBatch:
    """Apply every row that was valid, in one transaction, through the lawsuit services.

    The sheet is read again against the registers as they are now; a row that became
    invalid in the meantime is skipped and reported, like the rows that had errors.
    """
    batch = lock(batch)
    if batch.created_by_id != actor.pk:
        ensure("只能确认自己上传的导入。")
    apply_step(IMPORT_STEPS, batch, "apply", actor=actor, fields=[])
    today = timezone.localdate()
    planned = plan(actor, [row["raw"] for row in batch.rows], today)
    note = f"从法院清单导入（{batch.file_name}）"
    rows = []
    for item in planned:
        if item.action in (CREATE, UPDATE):
            try:
                with transaction.atomic():
                    _apply_row(actor, item, note)
            except ServiceError as exc:
                item.row.errors.append(exc.message)
                item = Planned(item.row, ERROR, item.lawsuit)
        rows.append(_stored(item))
    batch.rows = rows
    batch.summary = summary_of(rows)
    batch.applied_at = timezone.now()
    batch.save(update_fields=["rows", "summary", "applied_at"])
    return batch


@transaction.atomic
def import_discard(*, batch: ImportBatch, actor: User) -> ImportBatch:
    batch = lock(batch)
    if batch.created_by_id != actor.pk:
        ensure("只能放弃自己上传的导入。")
    apply_step(IMPORT_STEPS, batch, "discard", actor=actor, fields=[])
    return batch
