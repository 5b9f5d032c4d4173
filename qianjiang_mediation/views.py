"""The home page: who the user is, the work waiting for them, the areas they can open."""

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from accounts.models import OFFICE_ROLES, Role
from cases.models import Notification
from cases.selectors import (
    badge_text,
    bounded_counts,
    court_queues,
    deadline_dashboard,
    deadline_rows,
    mediator_workload,
    office_queues,
    pending_approvals,
)
from cases.views.common import CountedPaginator, counted_limit
from liaison.selectors import home_queues


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    context = {"page": "home", "today": today, "queues": []}
    if user.role in OFFICE_ROLES and user.has_perm("cases.view_case"):
        if user.has_perm("cases.register_case"):
            context["queues"] = office_queues(user)
        if user.has_perm("cases.approve_mediation"):
            context["approvals"] = pending_approvals(user)
        if user.has_perm("cases.conduct_mediation"):
            context["my_cases"], context["my_sessions"] = mediator_workload(user, today=today)
    elif user.role == Role.COURT_LIAISON and user.has_perm("cases.view_case"):
        context["queues"] = court_queues(user)
    context["register_queues"] = home_queues(user, today=today)
    return render(request, "home.html", context)


DASHBOARD_PAGE_SIZE = 50
# The badges count this far; beyond, they say 1000+.
DASHBOARD_COUNTED = 1000


@permission_required("cases.view_dashboard", raise_exception=True)
def deadlines(request: HttpRequest) -> HttpResponse:
    """The office's deadlines that need attention: overdue first, then the next seven days,
    fifty to a page."""
    today = timezone.localdate()
    mine = request.GET.get("mine") == "1"
    cases = deadline_dashboard(request.user, today=today, horizon_days=7, mine=mine)
    # The pages' count and the two sections' totals, in one query.
    counted, overdue, upcoming = bounded_counts(
        [
            (cases, counted_limit(DASHBOARD_PAGE_SIZE)),
            (cases.filter(next_deadline__lt=today), DASHBOARD_COUNTED),
            (cases.filter(next_deadline__gte=today), DASHBOARD_COUNTED),
        ]
    )
    page = CountedPaginator(
        cases.values_list("pk", flat=True), DASHBOARD_PAGE_SIZE, counted=counted
    ).get_page(request.GET.get("page"))
    rows = deadline_rows(list(page.object_list))
    return render(
        request,
        "dashboard.html",
        {
            "page": "deadlines",
            "page_obj": page,
            "today": today,
            "mine": mine,
            "overdue": [c for c in rows if c.next_deadline < today],
            "upcoming": [c for c in rows if c.next_deadline >= today],
            "overdue_total": badge_text(overdue, DASHBOARD_COUNTED),
            "upcoming_total": badge_text(upcoming, DASHBOARD_COUNTED),
        },
    )


NOTIFICATIONS_PER_PAGE = 30


def notifications(request: HttpRequest) -> HttpResponse:
    """The user's reminders and notices, newest first. Reading them is a POST of its own."""
    items = Notification.objects.filter(recipient=request.user).select_related("case")
    page = Paginator(items, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications.html",
        {
            "page": "notifications",
            "page_obj": page,
            "unread_on_page": [n.pk for n in page if n.read_at is None],
        },
    )


def _back_to_notifications(request: HttpRequest) -> HttpResponse:
    """The list again, on the page the form was sent from."""
    url = reverse("notifications")
    page = request.POST.get("page", "")
    if page.isascii() and page.isdigit():
        url += "?" + urlencode({"page": page})
    return redirect(url)


@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark read the notices the page showed as new (their ids are posted, not recomputed,
    so a notice that arrived in the meantime stays new)."""
    # Ids are bigints: anything longer than 18 digits is no notice of ours.
    ids = [v for v in request.POST.getlist("ids") if v.isascii() and v.isdigit() and len(v) <= 18]
    Notification.objects.filter(
        recipient=request.user, pk__in=ids[:NOTIFICATIONS_PER_PAGE], read_at__isnull=True
    ).update(read_at=timezone.now())
    return _back_to_notifications(request)


@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the user's own notices read; anyone else's is a 404."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return _back_to_notifications(request)
