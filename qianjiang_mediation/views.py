"""The home page: who the user is, the work waiting for them, the areas they can open."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.models import OFFICE_ROLES, Role
from cases.selectors import court_queues, office_queues


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    queues = []
    if user.role in OFFICE_ROLES and user.has_perm("cases.view_case"):
        queues = office_queues(user)
    elif user.role == Role.COURT_LIAISON and user.has_perm("cases.view_case"):
        queues = court_queues(user)
    return render(
        request,
        "home.html",
        {"page": "home", "queues": queues, "today": timezone.localdate()},
    )
