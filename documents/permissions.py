"""Who may see and make which documents. Views and the service call these predicates."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from accounts.models import Role, User
from cases import extensions
from cases.models import Case, Status, TransferItem
from cases.permissions import can_see_case, cases_visible_to, cases_with_transcripts_open
from documents.models import Document, Kind

# The documents a court asked to confirm an agreement may read besides its own cases'.
CONFIRMATION_KINDS = (Kind.AGREEMENT, Kind.CONFIRMATION_APPLICATION)
# What each document is to the referring court (cases.permissions decides what it reads).
COURT_CLASSES = {
    # The referral and its state: the office's answer to it.
    Kind.ACCEPTANCE_NOTICE: extensions.COURT_READS,
    Kind.REFERRAL_RETURN: extensions.COURT_READS,
    Kind.TERMINATION_REPORT: extensions.COURT_REPORT,
    Kind.AGREEMENT: extensions.COURT_READS,
    Kind.CONFIRMATION_APPLICATION: extensions.COURT_READS,
    Kind.TRANSCRIPT: extensions.TRANSCRIPT,
}


def attachment_classes(case: Case) -> dict[int, str]:
    """The PDF and DOCX of the case's documents that are more than the office's own papers."""
    classes: dict[int, str] = {}
    for kind, pdf_id, docx_id in Document.objects.filter(
        case_id=case.pk, kind__in=list(COURT_CLASSES)
    ).values_list("kind", "pdf_id", "docx_id"):
        classes[pdf_id] = classes[docx_id] = COURT_CLASSES[Kind(kind)]
    return classes


def documents_visible_to(user: User | AnonymousUser) -> QuerySet[Document]:
    """Documents of the cases the user may open; a court of its cases only the termination
    report, the agreement and the application, what the office transferred, and the
    transcripts where they are open to it (cases.permissions); and also the agreement and
    the confirmation application of an agreement it was asked to confirm."""
    if isinstance(user, User) and user.role == Role.COURT_LIAISON and user.court_id:
        transferred = TransferItem.objects.filter(case__in=cases_visible_to(user)).values(
            "attachment_id"
        )
        readable = (
            Q(kind__in=[k for k, c in COURT_CLASSES.items() if c != extensions.TRANSCRIPT])
            | Q(pdf_id__in=transferred)
            | Q(docx_id__in=transferred)
            | Q(kind=Kind.TRANSCRIPT, case__in=cases_with_transcripts_open())
        )
        visible = Q(case__in=cases_visible_to(user)) & readable
        visible |= Q(
            kind__in=CONFIRMATION_KINDS,
            case__agreements__confirmations__court_id=user.court_id,
        )
    else:
        visible = Q(case__in=cases_visible_to(user))
    return Document.objects.filter(pk__in=Document.objects.filter(visible).values("pk"))


def case_documents_visible_to(user: User | AnonymousUser, case: Case) -> QuerySet[Document]:
    """``documents_visible_to(user)`` of one case already loaded: for anyone but a court
    liaison that is every document of a case in their scope (``can_see_case``, no query),
    so the case page's panel does not ask the scope of the database again."""
    if isinstance(user, User) and user.role == Role.COURT_LIAISON and user.court_id:
        return documents_visible_to(user).filter(case=case)
    if not can_see_case(user, case):
        return Document.objects.none()
    return Document.objects.filter(case=case)


def can_generate(user: User, case: Case) -> bool:
    """May make this case's documents (the service refuses an archived case with its reason)."""
    return user.has_perm("documents.generate_document") and can_see_case(user, case)


def offers_generate(user: User, case: Case) -> bool:
    """Whether the page shows the buttons: may make them and the case is not archived."""
    return can_generate(user, case) and case.status != Status.ARCHIVED


def prints_full_ids(document: Document) -> bool:
    """Whether the document prints parties' full ID numbers (its spec says so): taking it
    out of the system then asks for the reason, like revealing the number on screen."""
    from documents.content import SPECS  # the specs build content from the case

    spec = SPECS.get(document.kind)
    return bool(spec and spec.full_ids)
