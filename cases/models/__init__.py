from cases.models.access import AccessKind, AccessPurpose, AccessRecord
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
from cases.models.court_access import TranscriptAccess, TransferItem
from cases.models.mediation import (
    Assignment,
    CourtReport,
    Decision,
    Extension,
    Mediator,
    MediatorStatusChange,
    Session,
    Suspension,
    Termination,
    TerminationReason,
    UndisputedFacts,
)
from cases.models.notification import Notification
from cases.models.party import Agent, IdType, Party
from cases.models.reference import Agency, CalendarDay, DisputeCategory
from cases.models.search import SearchTerm, TermKind

__all__ = [
    "AccessKind",
    "AccessPurpose",
    "AccessRecord",
    "Agency",
    "Agent",
    "Art60Basis",
    "Assignment",
    "Attachment",
    "CalendarDay",
    "Case",
    "CaseEvent",
    "CaseLink",
    "Claim",
    "CourtReport",
    "Decision",
    "DeclineReason",
    "DisputeCategory",
    "Extension",
    "IdType",
    "Mediator",
    "MediatorStatusChange",
    "Notification",
    "NumberSequence",
    "Party",
    "Referral",
    "SearchTerm",
    "Session",
    "Source",
    "Status",
    "Suspension",
    "TermKind",
    "Termination",
    "TerminationReason",
    "TranscriptAccess",
    "TransferItem",
    "UndisputedFacts",
]
