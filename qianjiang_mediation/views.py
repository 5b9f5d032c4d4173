"""The home page: who the user is, the work waiting for them, the areas they can open."""

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.models import OFFICE_ROLES, Role
from cases.models import Notification
from cases.selectors import (
    court_queues,
    deadline_dashboard,
    mediator_workload,
    office_queues,
    pending_approvals,
)


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
    return render(request, "home.html", context)


@permission_required("cases.view_dashboard", raise_exception=True)
def deadlines(request: HttpRequest) -> HttpResponse:
    """The office's deadlines that need attention: overdue first, then the next seven days."""
    today = timezone.localdate()
    mine = request.GET.get("mine") == "1"
    rows = deadline_dashboard(request.user, today=today, horizon_days=7, mine=mine)
    return render(
        request,
        "dashboard.html",
        {
            "page": "deadlines",
            "today": today,
            "mine": mine,
            "overdue": [c for c in rows if c.next_deadline < today],
            "upcoming": [c for c in rows if c.next_deadline >= today],
        },
    )


def notifications(request: HttpRequest) -> HttpResponse:
    """The user's reminders and notices, newest first; opening the page marks them read."""
    items = Notification.objects.filter(recipient=request.user).select_related("case")
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    unread_ids = [n.pk for n in page if n.read_at is None]
    response = render(request, "notifications.html", {"page": "notifications", "page_obj": page})
    if unread_ids:
        Notification.objects.filter(pk__in=unread_ids).update(read_at=timezone.now())
    return response
