"""Who may see and record what in the registers. Views and services ask the same functions.

One rule decides every list, page, count and export (``_scope``):

* the justice bureau's liaison (司法局联络员) sees every record city-wide;
* a court liaison sees the lawsuits and suggestions of their own court;
* an agency's litigation contact sees the lawsuits their agency is a party to, the
  suggestions addressed to it and the supervision items opened against it;
* nobody else sees the registers (the office sees a linked lawsuit on its case page).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, QuerySet

from accounts.models import Role, User
from liaison.models import (
    Defendant,
    FollowUpTask,
    JointMeeting,
    JudicialSuggestion,
    Lawsuit,
    Recipient,
    SupervisionItem,
)

ALL, COURT, AGENCY = "all", "court", "agency"


@dataclass(frozen=True)
class Scope:
    kind: str  # ALL, COURT or AGENCY
    value: int = 0  # the court's or the agency's id


def scope_of(user: User | AnonymousUser) -> Scope | None:
    """The part of the registers the user sees, or None for no part at all."""
    if not isinstance(user, User) or not user.is_active:
        return None
    if user.role == Role.GOV_LIAISON:
        return Scope(ALL)
    if user.role == Role.COURT_LIAISON and user.court_id:
        return Scope(COURT, user.court_id)
    if user.role == Role.AGENCY_CONTACT and user.agency_id:
        return Scope(AGENCY, user.agency_id)
    return None


# --- Lawsuits ----------------------------------------------------------------------------


def lawsuits_visible_to(user: User | AnonymousUser) -> QuerySet[Lawsuit]:
    scope = scope_of(user)
    if scope is None or not user.has_perm("liaison.view_lawsuit"):
        return Lawsuit.objects.none()
    if scope.kind == COURT:
        return Lawsuit.objects.filter(court_id=scope.value)
    if scope.kind == AGENCY:
        return Lawsuit.objects.filter(
            Exists(Defendant.objects.filter(lawsuit=OuterRef("pk"), agency_id=scope.value))
        )
    return Lawsuit.objects.all()


def can_see_lawsuit(user: User | AnonymousUser, lawsuit: Lawsuit) -> bool:
    """``lawsuits_visible_to`` for one lawsuit already loaded (reads its defendants)."""
    scope = scope_of(user)
    if scope is None or not user.has_perm("liaison.view_lawsuit"):
        return False
    if scope.kind == COURT:
        return lawsuit.court_id == scope.value
    if scope.kind == AGENCY:
        return any(d.agency_id == scope.value for d in lawsuit.defendants.all())
    return True


def court_facts_refusal(user: User, lawsuit: Lawsuit | None, court_id: int | None = None) -> str:
    """Why the user may not record the court's side of this lawsuit (filing, hearings,
    outcome, effect), or "". For a new lawsuit give the court it is to be filed under."""
    scope = scope_of(user)
    if scope is None or not user.has_perm("liaison.record_court_facts"):
        return "只有审理法院的法院联络员和司法局联络员可以登记法院审理信息。"
    court = lawsuit.court_id if lawsuit is not None else court_id
    # A new lawsuit whose court is not chosen yet: the form offers only the user's court.
    if scope.kind == COURT and court is not None and court != scope.value:
        return "只能登记本院审理的案件。"
    if scope.kind == AGENCY:
        return "机关应诉联络员不能登记法院审理信息。"
    return ""


def agency_facts_refusal(user: User, lawsuit: Lawsuit, agency_id: int) -> str:
    """Why the user may not record what the agency did in this lawsuit (its defence, the
    head's appearance, the loss analysis, the performance), or ""."""
    scope = scope_of(user)
    if scope is None or not user.has_perm("liaison.record_agency_facts"):
        return "只有该机关的应诉联络员和司法局联络员可以登记机关应诉信息。"
    if scope.kind == AGENCY and agency_id != scope.value:
        return "只能登记本机关的应诉信息。"
    if scope.kind == COURT:
        return "法院联络员不能登记机关应诉信息。"
    if not any(d.agency_id == agency_id for d in lawsuit.defendants.all()):
        return "该机关不是本案的当事人。"
    return ""


def own_agency_id(user: User) -> int | None:
    """The agency an agency contact acts for (None for the bureau, who acts for any)."""
    scope = scope_of(user)
    return scope.value if scope is not None and scope.kind == AGENCY else None


# --- Judicial suggestions ----------------------------------------------------------------


def suggestions_visible_to(user: User | AnonymousUser) -> QuerySet[JudicialSuggestion]:
    scope = scope_of(user)
    if scope is None or not user.has_perm("liaison.view_judicialsuggestion"):
        return JudicialSuggestion.objects.none()
    if scope.kind == COURT:
        return JudicialSuggestion.objects.filter(court_id=scope.value)
    if scope.kind == AGENCY:
        return JudicialSuggestion.objects.filter(
            Exists(Recipient.objects.filter(suggestion=OuterRef("pk"), agency_id=scope.value))
        )
    return JudicialSuggestion.objects.all()


def recipients_visible_to(user: User | AnonymousUser) -> QuerySet[Recipient]:
    """The addressee rows the user sees: an agency sees only its own reply."""
    scope = scope_of(user)
    if scope is None or not user.has_perm("liaison.view_judicialsuggestion"):
        return Recipient.objects.none()
    if scope.kind == COURT:
        return Recipient.objects.filter(suggestion__court_id=scope.value)
    if scope.kind == AGENCY:
        return Recipient.objects.filter(agency_id=scope.value)
    return Recipient.objects.all()


def can_see_suggestion(user: User | AnonymousUser, suggestion: JudicialSuggestion) -> bool:
    scope = scope_of(user)
    if scope is None or not user.has_perm("liaison.view_judicialsuggestion"):
        return False
    if scope.kind == COURT:
        return suggestion.court_id == scope.value
    if scope.kind == AGENCY:
        return any(r.agency_id == scope.value for r in suggestion.recipients.all())
    return True


def issue_refusal(user: User, court_id: int | None) -> str:
    """Why the user may not register or change a suggestion of this court, or ""."""
    scope = scope_of(user)
    if scope is None or not user.has_perm("liaison.issue_suggestion"):
        return "只有法院联络员和司法局联络员可以登记司法建议。"
    if scope.kind == COURT and court_id is not None and court_id != scope.value:
        return "只能登记本院发出的司法建议。"
    return ""


def reply_refusal(user: User, recipient: Recipient) -> str:
    scope = scope_of(user)
    if scope is None or not user.has_perm("liaison.reply_suggestion"):
        return "只有建议对象的应诉联络员和司法局联络员可以登记答复。"
    if scope.kind == AGENCY and recipient.agency_id != scope.value:
        return "只能登记本机关的答复。"
    return ""


def check_refusal(user: User) -> str:
    if scope_of(user) is None or not user.has_perm("liaison.check_suggestion"):
        return "只有司法局联络员可以核查司法建议的落实情况。"
    return ""


# --- Supervision -------------------------------------------------------------------------


def supervision_visible_to(user: User | AnonymousUser) -> QuerySet[SupervisionItem]:
    scope = scope_of(user)
    if scope is None or scope.kind == COURT or not user.has_perm("liaison.view_supervisionitem"):
        return SupervisionItem.objects.none()
    if scope.kind == AGENCY:
        return SupervisionItem.objects.filter(agency_id=scope.value)
    return SupervisionItem.objects.all()


def can_see_supervision(user: User | AnonymousUser, item: SupervisionItem) -> bool:
    scope = scope_of(user)
    if scope is None or scope.kind == COURT or not user.has_perm("liaison.view_supervisionitem"):
        return False
    return scope.kind == ALL or item.agency_id == scope.value


def supervise_refusal(user: User) -> str:
    """Why the user may not open, return, escalate or close supervision items, or ""."""
    if scope_of(user) is None or not user.has_perm("liaison.open_supervision"):
        return "只有司法局联络员可以督察督办。"
    return ""


def respond_refusal(user: User, item: SupervisionItem) -> str:
    scope = scope_of(user)
    if scope is None or not user.has_perm("liaison.respond_supervision"):
        return "只有被督办机关的应诉联络员和司法局联络员可以反馈督办事项。"
    if scope.kind == AGENCY and item.agency_id != scope.value:
        return "只能反馈本机关的督办事项。"
    return ""


def import_courts(user: User) -> QuerySet:
    """The courts whose lists the user may import (their own, or every court for the bureau)."""
    from accounts.models import Court

    scope = scope_of(user)
    if scope is None or not user.has_perm("liaison.import_lawsuits"):
        return Court.objects.none()
    if scope.kind == COURT:
        return Court.objects.filter(pk=scope.value)
    if scope.kind == AGENCY:
        return Court.objects.none()
    return Court.objects.all()


# --- Statistics ----------------------------------------------------------------------------


def statistics_scope(user: User | AnonymousUser, kind: str, pk: int) -> tuple[str, int] | None:
    """The scope of figures the user may see when asking for (kind, pk): the bureau any;
    an agency contact only their agency; an office head only their office. None: refused."""
    if not isinstance(user, User) or not user.is_active:
        return None
    if user.has_perm("liaison.view_statistics"):
        scope = scope_of(user)
        if scope is not None and scope.kind == ALL:
            return (kind, pk)
        if scope is not None and scope.kind == AGENCY:
            return ("agency", scope.value)
    if user.has_perm("liaison.view_office_statistics") and user.office_id:
        return ("office", user.office_id)
    return None


def sees_government_figures(user: User | AnonymousUser) -> bool:
    return isinstance(user, User) and user.is_active and user.has_perm("liaison.view_statistics")


def sees_office_figures(user: User | AnonymousUser) -> bool:
    """The office's mediation figures: the bureau for every office, a head for their own."""
    if not isinstance(user, User) or not user.is_active:
        return False
    return user.has_perm("liaison.view_office_statistics")


# --- Joint meetings and reports -------------------------------------------------------------


def meetings_visible_to(user: User | AnonymousUser) -> QuerySet:
    """The bureau sees every meeting; an agency contact those that gave its agency a task."""
    scope = scope_of(user)
    if scope is None or not user.has_perm("liaison.view_jointmeeting"):
        return JointMeeting.objects.none()
    if scope.kind == AGENCY:
        return JointMeeting.objects.filter(
            Exists(FollowUpTask.objects.filter(meeting=OuterRef("pk"), agency_id=scope.value))
        )
    if scope.kind == COURT:
        return JointMeeting.objects.none()
    return JointMeeting.objects.all()


def meetings_refusal(user: User) -> str:
    if scope_of(user) is None or not user.has_perm("liaison.manage_meetings"):
        return "只有司法局联络员可以登记联席会议、布置任务和制发年度通报。"
    return ""


def tasks_visible_to(user: User | AnonymousUser) -> QuerySet:
    """The tasks of the meetings the user sees; an agency contact only their agency's."""
    tasks = FollowUpTask.objects.filter(meeting__in=meetings_visible_to(user))
    scope = scope_of(user)
    if scope is not None and scope.kind == AGENCY:
        tasks = tasks.filter(agency_id=scope.value)
    return tasks


def task_completion_refusal(user: User, task: FollowUpTask) -> str:
    """The bureau records any task done; an agency contact their own agency's."""
    if not meetings_refusal(user):
        return ""
    if (
        task.agency_id is not None
        and task.agency_id == own_agency_id(user)
        and user.has_perm("liaison.view_jointmeeting")
    ):
        return ""
    return "只有司法局联络员和责任机关的应诉联络员可以登记任务办结。"
