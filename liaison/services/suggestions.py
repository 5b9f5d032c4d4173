"""The register of judicial suggestions: the court's suggestion, each agency's reply and
the bureau's check of its implementation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from accounts.models import User
from cases.deadlines import load_work_calendar
from cases.identifiers import number_key
from cases.models import Agency
from cases.validators import normalise_suggestion_number, suggestion_number_looks_standard
from liaison.deadlines import reply_due
from liaison.models import Hearing, JudicialSuggestion, Lawsuit, LiaisonEvent, Recipient
from liaison.permissions import check_refusal, issue_refusal, reply_refusal
from liaison.services.common import (
    ServiceError,
    add_files,
    changes_of,
    check_version,
    ensure,
    lock,
    past_date,
    record_event,
    save_unique,
)
from liaison.workflow import RECIPIENT_STEPS, apply_step

SUGGESTION_FIELDS = ("court", "kind", "subject", "content", "issued_on", "reply_months", "hearing")


@dataclass(frozen=True)
class Addressee:
    agency: Agency
    received_on: date


def suggestion_number(value: str, *, confirmed: bool) -> tuple[str, bool]:
    number = normalise_suggestion_number(value)
    if not number:
        raise ServiceError("请填写司法建议书的文号。", "number")
    if suggestion_number_looks_standard(number):
        return number, False
    if not confirmed:
        raise ServiceError(
            f"文号“{number}”与司法建议书的统一编号格式不符（地名简称＋“法建”＋〔年度〕＋编号＋“号”，"
            "如潜法建〔2025〕3号）。核对无误的，请勾选“文号格式已核对”后再保存。",
            "number",
        )
    return number, True


def _check(data: dict[str, Any], addressees: list[Addressee], lawsuits: list[Lawsuit]) -> None:
    past_date(data["issued_on"], "发出日期", "issued_on")
    if not addressees:
        raise ServiceError("请至少选择一个建议对象。", "recipients")
    agencies = [a.agency.pk for a in addressees]
    if len(agencies) != len(set(agencies)):
        raise ServiceError("同一机关只能列为一次建议对象。", "recipients")
    for addressee in addressees:
        past_date(addressee.received_on, "收到日期", "recipients", earliest=data["issued_on"])
    hearing: Hearing | None = data.get("hearing")
    if hearing is not None and hearing.lawsuit_id not in {lawsuit.pk for lawsuit in lawsuits}:
        raise ServiceError("所关联的开庭应属于所涉诉讼案件。", "hearing")


def _due(received_on: date, months: int) -> tuple[date, str]:
    deadline = reply_due(received_on, months, load_work_calendar())
    return deadline.due, deadline.explanation


def _ensure_unique(key: str, number: str, exclude: int | None = None) -> None:
    others = JudicialSuggestion.objects.filter(number_key=key)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise ServiceError(f"文号为{number}的司法建议已经登记，不能重复登记。", "number")


@transaction.atomic
def suggestion_create(
    *,
    actor: User,
    data: dict[str, Any],
    addressees: list[Addressee],
    lawsuits: list[Lawsuit],
    number_confirmed: bool = False,
) -> JudicialSuggestion:
    ensure(issue_refusal(actor, data["court"].pk))
    number, confirmed = suggestion_number(data["number"], confirmed=number_confirmed)
    key = number_key(number)
    _ensure_unique(key, number)
    _check(data, addressees, lawsuits)
    suggestion = JudicialSuggestion(
        number=number,
        number_key=key,
        number_confirmed=confirmed,
        created_by=actor,
        **{name: data.get(name) for name in SUGGESTION_FIELDS},
    )
    save_unique(suggestion, lambda: _ensure_unique(key, number))
    suggestion.lawsuits.set(lawsuits)
    for addressee in addressees:
        due, explanation = _due(addressee.received_on, suggestion.reply_months)
        Recipient.objects.create(
            suggestion=suggestion,
            agency=addressee.agency,
            received_on=addressee.received_on,
            reply_due=due,
            reply_due_explanation=explanation,
        )
    record_event(kind=LiaisonEvent.Kind.SUGGESTION_CREATED, actor=actor, suggestion=suggestion)
    return suggestion


@transaction.atomic
def suggestion_update(
    *,
    suggestion: JudicialSuggestion,
    actor: User,
    data: dict[str, Any],
    addressees: list[Addressee],
    lawsuits: list[Lawsuit],
    number_confirmed: bool = False,
) -> JudicialSuggestion:
    suggestion = lock(suggestion)
    ensure(issue_refusal(actor, suggestion.court_id))
    ensure(issue_refusal(actor, data["court"].pk))
    number, confirmed = suggestion_number(data["number"], confirmed=number_confirmed)
    key = number_key(number)
    _ensure_unique(key, number, exclude=suggestion.pk)
    _check(data, addressees, lawsuits)
    changes = changes_of(
        suggestion, {"number": number, **{name: data.get(name) for name in SUGGESTION_FIELDS}}
    )
    suggestion.number_key = key
    suggestion.number_confirmed = confirmed
    save_unique(suggestion, lambda: _ensure_unique(key, number, exclude=suggestion.pk))
    before = {lawsuit.pk for lawsuit in suggestion.lawsuits.all()}
    if before != {lawsuit.pk for lawsuit in lawsuits}:
        suggestion.lawsuits.set(lawsuits)
        old = Lawsuit.objects.filter(pk__in=before).values_list("court_case_no", flat=True)
        changes["所涉诉讼案件"] = [
            "、".join(old) or "（空）",
            "、".join(lawsuit.court_case_no for lawsuit in lawsuits) or "（空）",
        ]
    changes.update(_set_recipients(suggestion, addressees))
    if changes:
        record_event(
            kind=LiaisonEvent.Kind.SUGGESTION_UPDATED,
            actor=actor,
            suggestion=suggestion,
            changes=changes,
        )
    return suggestion


def _set_recipients(
    suggestion: JudicialSuggestion, addressees: list[Addressee]
) -> dict[str, list[str]]:
    current = {r.agency_id: r for r in suggestion.recipients.select_related("agency")}
    wanted = {a.agency.pk: a for a in addressees}
    changes: dict[str, list[str]] = {}
    for agency_id, recipient in current.items():
        if agency_id not in wanted:
            if recipient.status != Recipient.Status.AWAITING:
                raise ServiceError(
                    f"{recipient.agency.name}已经答复，不能从建议对象中移除。", "recipients"
                )
            recipient.delete()
            changes[f"建议对象：{recipient.agency.name}"] = ["列入", "移除"]
    for agency_id, addressee in wanted.items():
        due, explanation = _due(addressee.received_on, suggestion.reply_months)
        existing = current.get(agency_id)
        if existing is None:
            Recipient.objects.create(
                suggestion=suggestion,
                agency=addressee.agency,
                received_on=addressee.received_on,
                reply_due=due,
                reply_due_explanation=explanation,
            )
            changes[f"建议对象：{addressee.agency.name}"] = ["（空）", "列入"]
        elif (existing.received_on, existing.reply_due) != (addressee.received_on, due):
            changes[f"{addressee.agency.name}收到日期"] = [
                f"{existing.received_on:%Y-%m-%d}",
                f"{addressee.received_on:%Y-%m-%d}",
            ]
            existing.received_on = addressee.received_on
            existing.reply_due = due
            existing.reply_due_explanation = explanation
            existing.save(update_fields=["received_on", "reply_due", "reply_due_explanation"])
    return changes


@transaction.atomic
def record_reply(
    *,
    recipient: Recipient,
    actor: User,
    replied_on: date,
    reply: str,
    adoption: str,
    measures: str,
    expected_version: int | None,
    uploads: Sequence[UploadedFile] = (),
) -> Recipient:
    """The agency's written reply: whether it adopts the suggestion and what it does."""
    suggestion = lock(recipient.suggestion)
    recipient = lock(recipient)
    ensure(reply_refusal(actor, recipient))
    check_version(recipient, expected_version)
    past_date(replied_on, "答复日期", "replied_on", earliest=recipient.received_on)
    if not reply.strip():
        raise ServiceError("请填写答复内容。", "reply")
    if not adoption:
        raise ServiceError("请选择采纳情况。", "adoption")
    if not measures.strip():
        raise ServiceError("请填写整改措施；未采纳的，请说明理由。", "measures")
    changes = changes_of(
        recipient,
        {
            "replied_on": replied_on,
            "reply": reply.strip(),
            "adoption": adoption,
            "measures": measures.strip(),
        },
    )
    recipient.replied_by = actor
    recipient.version += 1
    apply_step(
        RECIPIENT_STEPS,
        recipient,
        "reply",
        actor=actor,
        fields=["replied_on", "reply", "adoption", "measures", "replied_by", "version"],
    )
    add_files(actor=actor, uploads=uploads, title="答复函及证明材料", recipient=recipient)
    record_event(
        kind=LiaisonEvent.Kind.REPLIED,
        actor=actor,
        suggestion=suggestion,
        agency=recipient.agency,
        note=recipient.agency.name,
        changes=changes,
    )
    return recipient


@transaction.atomic
def record_check(
    *,
    recipient: Recipient,
    actor: User,
    checked_on: date,
    implementation: str,
    check_note: str,
) -> Recipient:
    """The bureau's check of how the agency implemented what it replied (落实情况)."""
    suggestion = lock(recipient.suggestion)
    recipient = lock(recipient)
    ensure(check_refusal(actor))
    past_date(checked_on, "核查日期", "checked_on", earliest=recipient.replied_on)
    if not implementation:
        raise ServiceError("请选择落实情况。", "implementation")
    if not check_note.strip():
        raise ServiceError("请填写核查意见。", "check_note")
    changes = changes_of(
        recipient,
        {
            "checked_on": checked_on,
            "implementation": implementation,
            "check_note": check_note.strip(),
        },
    )
    recipient.checked_by = actor
    recipient.version += 1
    apply_step(
        RECIPIENT_STEPS,
        recipient,
        "check",
        actor=actor,
        fields=["checked_on", "implementation", "check_note", "checked_by", "version"],
    )
    record_event(
        kind=LiaisonEvent.Kind.CHECKED,
        actor=actor,
        suggestion=suggestion,
        agency=recipient.agency,
        note=recipient.agency.name,
        changes=changes,
    )
    return recipient
