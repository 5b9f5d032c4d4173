"""What the referring court may read: grounds to read transcripts, their views, the package.

The rules are the predicates of ``cases.permissions``; these services check them under
the case's row lock and write the timeline.
"""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from cases import extensions
from cases.deadline_engine import cn_date
from cases.models import Attachment, Case, CaseEvent, Session, TranscriptAccess, TransferItem
from cases.permissions import (
    can_read_transcripts,
    is_court_user,
    is_transcript,
    transcript_access_refusal,
    transfer_package_refusal,
)
from cases.services.common import ServiceError, lock_case, record_event
from cases.services.notify import notify
from cases.services.records import attachment_add
from cases.workflow import NotPermitted


@transaction.atomic
def grant_transcript_access(
    *,
    case: Case,
    actor: User,
    basis: str,
    dated_on: date,
    reference: str,
    upload: UploadedFile | None = None,
) -> TranscriptAccess:
    """Record the parties' consent or the court's written request: the referring court
    may then read this case's session transcripts, each view logged."""
    case = lock_case(case)
    if refusal := transcript_access_refusal(actor, case):
        raise NotPermitted(refusal)
    if basis not in TranscriptAccess.Basis.values:
        raise ServiceError("请选择法院查阅笔录的依据。", field="basis")
    if dated_on > timezone.localdate():
        raise ServiceError("日期不能晚于今天。", field="dated_on")
    if not reference.strip():
        raise ServiceError(
            "请写明法院调取函的文号，或当事人同意的方式（如书面同意书）。", field="reference"
        )
    document = None
    if upload is not None:
        document = attachment_add(
            case=case,
            actor=actor,
            kind=Attachment.Kind.OTHER,
            title=TranscriptAccess.Basis(basis).label + "（查阅调解笔录）",
            upload=upload,
        )
    access = TranscriptAccess.objects.create(
        case=case,
        basis=basis,
        dated_on=dated_on,
        reference=reference.strip(),
        document=document,
        recorded_by=actor,
    )
    record_event(
        case=case,
        kind=CaseEvent.Kind.TRANSCRIPT_ACCESS_GRANTED,
        actor=actor,
        note=f"{access.get_basis_display()}（{cn_date(dated_on)}，{access.reference}）："
        f"{case.court}可以查阅本案调解笔录。",
        data={"transcript_access": access.pk},
    )
    _tell_the_court(case, f"transcripts:{access.pk}", "委派法院可以查阅调解笔录", access)
    return access


def _tell_the_court(case: Case, key: str, title: str, access: TranscriptAccess) -> None:
    """The referring court's liaisons learn that the transcripts opened or closed to them."""
    assert case.court is not None  # only a referral records a ground
    notify(
        list(case.court.users.filter(role=Role.COURT_LIAISON, is_active=True)),
        case=case,
        key=key,
        title=f"{case.display_number}：{title}",
        body=f"{access.get_basis_display()}（{access.reference}）",
        link=case.get_absolute_url(),
    )


@transaction.atomic
def withdraw_transcript_access(
    *, access: TranscriptAccess, actor: User, note: str
) -> TranscriptAccess:
    """Withdraw a recorded ground; without another, the court no longer reads the transcripts."""
    case = lock_case(access.case)
    if refusal := transcript_access_refusal(actor, case):
        raise NotPermitted(refusal)
    access = TranscriptAccess.objects.select_for_update().get(pk=access.pk)
    if not access.is_active:
        raise ServiceError("该查阅依据已经撤销。")
    if not note.strip():
        raise ServiceError("请说明撤销的原因。", field="note")
    access.withdrawn_by, access.withdrawn_at = actor, timezone.now()
    access.withdrawal_note = note.strip()
    access.save(update_fields=["withdrawn_by", "withdrawn_at", "withdrawal_note"])
    record_event(
        case=case,
        kind=CaseEvent.Kind.TRANSCRIPT_ACCESS_WITHDRAWN,
        actor=actor,
        note=f"撤销{access.get_basis_display()}（{access.reference}）：{access.withdrawal_note}",
        data={"transcript_access": access.pk},
    )
    _tell_the_court(case, f"transcripts_withdrawn:{access.pk}", "查阅调解笔录的依据已撤销", access)
    return access


def record_transcript_view(
    *,
    case: Case,
    actor: User,
    session: Session | None = None,
    attachment: Attachment | None = None,
) -> CaseEvent | None:
    """Log the court's reading of a transcript (a session page or a file); refuse it
    when the court may not. The office's own reading is not logged here."""
    if not can_read_transcripts(actor, case):
        raise NotPermitted("本案调解笔录不公开。")
    if not is_court_user(actor):
        return None
    if session is None and attachment is not None:
        # A signed scan names its session; a document is given its session by the caller.
        session = Session.objects.filter(case=case, transcript_scan=attachment).first()
    if attachment is not None:
        what = f"“{attachment.label}”"
        if session is not None:
            what = f"第{session.number}次调解会的{what}"
    elif session is not None:
        what = f"第{session.number}次调解会的笔录页面"
    else:
        what = "调解笔录"
    return record_event(
        case=case,
        kind=CaseEvent.Kind.TRANSCRIPT_VIEWED,
        actor=actor,
        note=f"{actor.get_full_name()}（{actor.court}）查阅{what}",
        data={
            "session": session.pk if session is not None else None,
            "attachment": attachment.pk if attachment is not None else None,
        },
    )


def transfer_choices(case: Case) -> list[tuple[Attachment, bool]]:
    """The attachments the office may transfer (never a transcript: those open only on a
    recorded ground), each with whether the form ticks it first (the termination report)."""
    classes = extensions.attachment_classes(case)
    return [
        (a, classes.get(a.pk) == extensions.COURT_REPORT)
        for a in case.attachments.order_by("uploaded_at", "id")
        if not is_transcript(a, classes)
    ]


@transaction.atomic
def choose_transfer_package(
    *, case: Case, actor: User, attachments: list[Attachment]
) -> list[TransferItem]:
    """Set the materials transferred to the referring court (移送材料清单): the court
    downloads exactly these besides what it always reads."""
    case = lock_case(case)
    if refusal := transfer_package_refusal(actor, case):
        raise NotPermitted(refusal)
    allowed = {a.pk: a for a, _ in transfer_choices(case)}
    chosen = [a for a in attachments if a.pk in allowed]
    if len(chosen) != len(attachments) or any(a.case_id != case.pk for a in attachments):
        raise ServiceError(
            "只能选择本案的材料和文书（调解笔录不随材料移送）。", field="attachments"
        )
    if not chosen:
        raise ServiceError("请至少选择一项移送法院的材料。", field="attachments")
    ids = {a.pk for a in chosen}
    TransferItem.objects.filter(case=case).exclude(attachment_id__in=ids).delete()
    existing = set(TransferItem.objects.filter(case=case).values_list("attachment_id", flat=True))
    TransferItem.objects.bulk_create(
        [
            TransferItem(case=case, attachment=a, chosen_by=actor)
            for a in chosen
            if a.pk not in existing
        ]
    )
    record_event(
        case=case,
        kind=CaseEvent.Kind.TRANSFER_PACKAGE_CHOSEN,
        actor=actor,
        note=f"移送{case.court}的材料：" + "、".join(a.label for a in chosen),
        data={"attachments": sorted(ids)},
    )
    return list(case.transfer_items.select_related("attachment", "chosen_by"))
