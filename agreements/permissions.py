"""Who may draft agreements and record their signatures. Views and services both ask here."""

from __future__ import annotations

from accounts.models import Role, User
from cases.models import Case
from cases.workflow import conducting


def drafting_refusal(user: User, case: Case) -> str:
    """Why the user may not draft or change the case's agreement, or ""."""
    if not user.has_perm("agreements.draft_agreement") or not conducting(user, case):
        return "只有本案的调解员或工作室负责人可以起草、修改调解协议。"
    return ""


def signature_recording_refusal(user: User, case: Case) -> str:
    """Why the user may not record signatures of the case's agreement, or "".

    Clerks and the head record them for any case of their office; a mediator only for
    the cases they conduct.
    """
    if not user.has_perm("agreements.record_signature") or user.office_id != case.office_id:
        return "您没有权限记录本案调解协议的签署情况。"
    if user.role == Role.MEDIATOR and not conducting(user, case):
        return "只有本案的调解员、登记员或工作室负责人可以记录签署情况。"
    return ""
