"""Who may see and make which documents. Views and the service call these predicates."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from accounts.models import Role, User
from cases.models import Case, Status
from cases.permissions import can_see_case, cases_visible_to
from documents.models import Document, Kind

# The documents a court asked to confirm an agreement may read besides its own cases'.
CONFIRMATION_KINDS = (Kind.AGREEMENT, Kind.CONFIRMATION_APPLICATION)


def documents_visible_to(user: User | AnonymousUser) -> QuerySet[Document]:
    """Documents of the cases the user may open; a court also gets the agreement and the
    confirmation application of an agreement it was asked to confirm."""
    visible = Q(case__in=cases_visible_to(user))
    if isinstance(user, User) and user.role == Role.COURT_LIAISON and user.court_id:
        visible |= Q(
            kind__in=CONFIRMATION_KINDS,
            case__agreements__confirmations__court_id=user.court_id,
        )
    return Document.objects.filter(pk__in=Document.objects.filter(visible).values("pk"))


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
