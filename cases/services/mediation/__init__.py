"""Mediation services, one module per subject:

* ``assignment`` — assigning mediators, their declarations and the parties' waiver;
* ``sessions`` — scheduling, recording and cancelling sessions, undisputed facts;
* ``period`` — extensions, suspensions and resumption of the mediation period;
* ``endings`` — agreement, termination, withdrawal, reports to the court, closing.

Each service locks the case, checks the action against its table (``cases.workflow``,
``cases.states``), writes, records a timeline event and refreshes the case's deadlines.
Callers use ``from cases.services import mediation`` and ``mediation.<service>``.
"""

from cases.services.mediation.assignment import (
    assign_mediators,
    declare_conflict_check,
    record_waiver,
)
from cases.services.mediation.endings import (
    archive_case,
    begin_mediation,
    close_case,
    decide_termination,
    propose_termination,
    reach_agreement,
    receive_court_report,
    remediate,
    transfer_to_filing,
    withdraw,
)
from cases.services.mediation.period import (
    MAX_EXTENSION_DAYS,
    decide_extension,
    propose_extension,
    record_court_told_of_extension,
    resume,
    suspend,
)
from cases.services.mediation.sessions import (
    SESSION_RECORD_FIELDS,
    attach_transcript_scan,
    cancel_session,
    record_session,
    record_undisputed_facts,
    schedule_session,
)

__all__ = [
    "MAX_EXTENSION_DAYS",
    "SESSION_RECORD_FIELDS",
    "archive_case",
    "assign_mediators",
    "attach_transcript_scan",
    "begin_mediation",
    "cancel_session",
    "close_case",
    "decide_extension",
    "decide_termination",
    "declare_conflict_check",
    "propose_extension",
    "propose_termination",
    "reach_agreement",
    "receive_court_report",
    "record_court_told_of_extension",
    "record_session",
    "record_undisputed_facts",
    "record_waiver",
    "remediate",
    "resume",
    "schedule_session",
    "suspend",
    "transfer_to_filing",
    "withdraw",
]
