from cases.models.attachment import Attachment
from cases.models.case import (
    Art60Basis,
    Case,
    CaseEvent,
    CaseLink,
    Claim,
    DeclineReason,
    NumberSequence,
    Referral,
    Source,
    Status,
)
from cases.models.party import Agent, IdType, Party
from cases.models.reference import Agency, CalendarDay, DisputeCategory

__all__ = [
    "Agency",
    "Agent",
    "Art60Basis",
    "Attachment",
    "CalendarDay",
    "Case",
    "CaseEvent",
    "CaseLink",
    "Claim",
    "DeclineReason",
    "DisputeCategory",
    "IdType",
    "NumberSequence",
    "Party",
    "Referral",
    "Source",
    "Status",
]
