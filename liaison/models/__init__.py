from liaison.models.lawsuit import (
    COUNTING_RANKS,
    PROPER_REASONS,
    SUED_PARTS,
    AbsenceReason,
    Appearance,
    Defendant,
    HeadRank,
    Hearing,
    Instance,
    Lawsuit,
    LossAnalysis,
    Part,
    Performance,
    Plaintiff,
    PlaintiffKind,
)
from liaison.models.meeting import AnnualReport, FollowUpTask, JointMeeting, TaskStatus
from liaison.models.records import (
    EvidenceFile,
    ImportBatch,
    LiaisonEvent,
    ReconsiderationVolume,
)
from liaison.models.reference import LossCause, ResultType
from liaison.models.suggestion import JudicialSuggestion, Recipient
from liaison.models.supervision import Circular, SupervisionItem

__all__ = [
    "COUNTING_RANKS",
    "PROPER_REASONS",
    "SUED_PARTS",
    "AbsenceReason",
    "AnnualReport",
    "Appearance",
    "Circular",
    "Defendant",
    "EvidenceFile",
    "FollowUpTask",
    "HeadRank",
    "Hearing",
    "ImportBatch",
    "Instance",
    "JointMeeting",
    "JudicialSuggestion",
    "Lawsuit",
    "LiaisonEvent",
    "LossAnalysis",
    "LossCause",
    "Part",
    "Performance",
    "Plaintiff",
    "PlaintiffKind",
    "Recipient",
    "ReconsiderationVolume",
    "ResultType",
    "SupervisionItem",
    "TaskStatus",
]
