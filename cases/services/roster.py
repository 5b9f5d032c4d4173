"""The mediators' roster: suspending, reinstating and removing a mediator."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from cases.models import Mediator, MediatorStatusChange
from cases.services.common import ServiceError
from cases.states import MEDIATOR_STEPS, apply_step


@transaction.atomic
def change_mediator_status(
    *, mediator: Mediator, actor: User, action: str, reason: str
) -> MediatorStatusChange:
    """Take one step of the roster table (暂停, 恢复在册, 除名), with its reason on record."""
    reason = reason.strip()
    if not reason:
        raise ServiceError("请写明暂停、恢复或除名的原因。", field="status_reason")
    mediator = Mediator.objects.select_for_update().get(pk=mediator.pk)
    from_status = mediator.status
    mediator.status_reason = reason
    step = apply_step(
        MEDIATOR_STEPS, mediator, action, actor=actor, fields=["status_reason", "updated_at"]
    )
    return MediatorStatusChange.objects.create(
        mediator=mediator,
        action=action,
        from_status=from_status,
        to_status=step.target,
        reason=reason,
        actor=actor,
    )
