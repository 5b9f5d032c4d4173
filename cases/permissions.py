"""Who may see which cases. Every page, list, count and download loads cases through here."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from accounts.models import OFFICE_ROLES, Role, User
from cases import extensions
from cases.models import (
    Attachment,
    Case,
    CaseEvent,
    Status,
    TranscriptAccess,
    TransferItem,
)
from cases.models.case import EDITABLE_STATUSES
from cases.workflow import conducting


def _scope(user: User | AnonymousUser) -> tuple[str, int] | None:
    """The one rule of who sees which cases, as (field of Case, value): an office role sees
    its office's cases, a court liaison its court's; anybody else sees no case content."""
    if not isinstance(user, User) or not user.is_active:
        return None
    if user.role in OFFICE_ROLES and user.office_id:
        return ("office_id", user.office_id)
    if user.role == Role.COURT_LIAISON and user.court_id:
        return ("court_id", user.court_id)
    return None


def cases_visible_to(user: User | AnonymousUser) -> QuerySet[Case]:
    """The cases a user may open (``_scope`` as a query)."""
    scope = _scope(user)
    if scope is None:
        return Case.objects.none()
    field, value = scope
    return Case.objects.filter(**{field: value})


def can_see_case(user: User | AnonymousUser, case: Case) -> bool:
    """``_scope`` for one case already loaded (no query); the same rule as the query."""
    scope = _scope(user)
    if scope is None:
        return False
    field, value = scope
    return getattr(case, field) == value


def can_view_full_id(user: User) -> bool:
    return user.has_perm("cases.view_full_id")


def can_edit_case(user: User) -> bool:
    return user.has_perm("cases.change_case")


def can_work_on_sessions(user: User, case: Case) -> bool:
    """A mediator whose assignment is in effect, or the head, works on the case's sessions."""
    return user.has_perm("cases.conduct_mediation") and conducting(user, case)


def session_work_refusal(user: User, case: Case) -> str:
    """Why the user may not record the case's sessions now, or "" (the page and the service)."""
    if not can_work_on_sessions(user, case):
        return "只有本案的调解员或工作室负责人可以记录调解会。"
    if case.status not in EDITABLE_STATUSES:
        return f"案件已{case.get_status_display()}，调解会记录不能再修改。"
    return ""


# --- What the referring court reads (the minimum necessary) ----------------------------
# The mediation process is not public (特邀调解规定第二条) and what a party concedes to
# reach agreement cannot be used against them (第二十二条). The court liaison reads the
# referral, the parties' names, the state and deadlines, the termination report, the
# agreement and the confirmation application, and the materials the office transferred;
# the session transcripts only when DJANGO_COURT_SEES_TRANSCRIPTS is on or the case
# records the parties' consent or the court's written request; never the office's notes.

# Materials of the referral itself: the court sent them.
COURT_REFERRAL_KINDS = frozenset({Attachment.Kind.REFERRAL_LETTER, Attachment.Kind.COMPLAINT})

# Timeline events whose note the court reads (the rest show as what happened, when, by whom).
COURT_READABLE_EVENT_NOTES = frozenset(
    {
        CaseEvent.Kind.REFERRAL_CREATED,
        CaseEvent.Kind.REFERRAL_RECORDED,
        CaseEvent.Kind.REFERRAL_APPROVED,
        CaseEvent.Kind.REFERRAL_REJECTED,
        CaseEvent.Kind.REFERRAL_SIGNED_FOR,
        CaseEvent.Kind.REFERRAL_RETURNED,
        CaseEvent.Kind.TERMINATION_APPROVED,
        CaseEvent.Kind.WITHDRAWN,
        CaseEvent.Kind.COURT_REPORTED,
        CaseEvent.Kind.COURT_REPORT_RECEIVED,
        CaseEvent.Kind.TRANSFERRED_TO_FILING,
        CaseEvent.Kind.TRANSFER_PACKAGE_CHOSEN,
        CaseEvent.Kind.TRANSCRIPT_ACCESS_GRANTED,
        CaseEvent.Kind.TRANSCRIPT_ACCESS_WITHDRAWN,
        CaseEvent.Kind.AGREEMENT_EFFECTIVE,
        CaseEvent.Kind.AGREEMENT_FILED,
        CaseEvent.Kind.CONFIRMATION_APPLIED,
        CaseEvent.Kind.CONFIRMATION_DECIDED,
        CaseEvent.Kind.CLOSED,
    }
)
# Events the office reads and the court does not see at all.
COURT_HIDDEN_EVENTS = frozenset({CaseEvent.Kind.TRANSCRIPT_VIEWED, CaseEvent.Kind.ID_REVEALED})


def is_court_user(user: User | AnonymousUser) -> bool:
    return isinstance(user, User) and user.role == Role.COURT_LIAISON


def is_case_office(user: User | AnonymousUser, case: Case) -> bool:
    """A clerk, mediator or head of the case's office: reads everything of the case."""
    return (
        isinstance(user, User)
        and user.is_active
        and user.role in OFFICE_ROLES
        and user.office_id is not None
        and user.office_id == case.office_id
    )


def court_transcript_grounds(case: Case) -> list[TranscriptAccess]:
    """The case's recorded consents and written requests not withdrawn (prefetched or a query)."""
    cache = getattr(case, "_prefetched_objects_cache", {})
    if "transcript_accesses" in cache:
        return [a for a in case.transcript_accesses.all() if a.is_active]
    return list(case.transcript_accesses.filter(withdrawn_at__isnull=True))


def transcripts_open_to_court(case: Case) -> bool:
    """Whether the referring court may read this case's transcripts: the setting, or a ground."""
    return settings.COURT_SEES_TRANSCRIPTS or bool(court_transcript_grounds(case))


def cases_with_transcripts_open() -> QuerySet[Case]:
    """``transcripts_open_to_court`` as a query."""
    if settings.COURT_SEES_TRANSCRIPTS:
        return Case.objects.all()
    return Case.objects.filter(
        pk__in=TranscriptAccess.objects.filter(withdrawn_at__isnull=True).values("case_id")
    )


def can_read_transcripts(user: User | AnonymousUser, case: Case) -> bool:
    """Session pages, signed transcript scans and 调解笔录 documents of the case."""
    if is_case_office(user, case):
        return True
    return is_court_user(user) and can_see_case(user, case) and transcripts_open_to_court(case)


def sees_internal_notes(user: User | AnonymousUser, case: Case) -> bool:
    """The office's own notes (recusal declarations, approval opinions, proposals, session
    outcomes, suspensions, undisputed facts): the case's office only."""
    return is_case_office(user, case)


def event_visible(user: User | AnonymousUser, event: CaseEvent) -> bool:
    return not is_court_user(user) or event.kind not in COURT_HIDDEN_EVENTS


def event_note_visible(user: User | AnonymousUser, event: CaseEvent) -> bool:
    return not is_court_user(user) or event.kind in COURT_READABLE_EVENT_NOTES


def is_transcript(attachment: Attachment, classes: dict[int, str] | None = None) -> bool:
    """A signed transcript scan, or a document another app printed from a transcript."""
    if attachment.kind == Attachment.Kind.TRANSCRIPT:
        return True
    if classes is None:
        classes = extensions.attachment_classes(attachment.case)
    return classes.get(attachment.pk) == extensions.TRANSCRIPT


def _court_reads(
    attachment: Attachment, classes: dict[int, str], transferred: set[int], transcripts: bool
) -> bool:
    if is_transcript(attachment, classes):
        return transcripts
    return (
        attachment.pk in transferred
        or classes.get(attachment.pk) in (extensions.COURT_READS, extensions.COURT_REPORT)
        or attachment.kind in COURT_REFERRAL_KINDS
        # What the court itself sent with the referral.
        or attachment.uploaded_by.role == Role.COURT_LIAISON
    )


def court_readable_attachments(case: Case) -> set[int]:
    """The ids of the case's attachments the referring court may download."""
    classes = extensions.attachment_classes(case)
    transferred = {item.attachment_id for item in transfer_items(case)}
    transcripts = transcripts_open_to_court(case)
    cache = getattr(case, "_prefetched_objects_cache", {})
    attachments = (
        case.attachments.all()
        if "attachments" in cache
        else case.attachments.select_related("uploaded_by")
    )
    return {a.pk for a in attachments if _court_reads(a, classes, transferred, transcripts)}


def can_download_attachment(user: User | AnonymousUser, attachment: Attachment) -> bool:
    """The one rule for every download of a case's file (attachments and documents)."""
    case = attachment.case
    if is_case_office(user, case):
        return True
    if not (is_court_user(user) and can_see_case(user, case)):
        return False
    transferred = set(
        TransferItem.objects.filter(case=case, attachment=attachment).values_list(
            "attachment_id", flat=True
        )
    )
    classes = extensions.attachment_classes(case)
    return _court_reads(attachment, classes, transferred, transcripts_open_to_court(case))


def transfer_items(case: Case) -> list[TransferItem]:
    """The transfer package (移送材料清单), prefetched or a query."""
    cache = getattr(case, "_prefetched_objects_cache", {})
    if "transfer_items" in cache:
        return list(case.transfer_items.all())
    return list(case.transfer_items.select_related("attachment", "chosen_by"))


def transfer_package_refusal(user: User, case: Case) -> str:
    """Why the user may not choose the materials transferred to the court now, or ""."""
    if not case.is_referral:
        return "只有法院委派的案件才向法院移送材料。"
    if not (user.has_perm("cases.conduct_mediation") and conducting(user, case)):
        return "只有本案的调解员或工作室负责人可以确定移送法院的材料。"
    if not case.court_reports.exists():
        return "调解终止或申请人撤回、向法院报送报告后，才能确定移送的材料。"
    if case.status == Status.ARCHIVED:
        return "案件已归档，移送材料不能再修改。"
    return ""


def transcript_access_refusal(user: User, case: Case) -> str:
    """Why the user may not record or withdraw the court's ground to read transcripts, or ""."""
    if not case.is_referral:
        return "只有法院委派的案件才涉及法院查阅调解笔录。"
    if not (user.has_perm("cases.conduct_mediation") and conducting(user, case)):
        return "只有本案的调解员或工作室负责人可以登记法院查阅笔录的依据。"
    return ""
