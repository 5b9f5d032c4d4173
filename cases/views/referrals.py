"""The court liaison's list of their court's referrals."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cases.models import Status
from cases.selectors import court_referral_count, court_referrals
from cases.views.common import CountedPaginator

TABS = [
    ("", "全部"),
    (Status.REFERRAL_UNCONFIRMED, "待本院确认"),
    (Status.REFERRAL_PENDING, "工作室待签收"),
    ("signed", "已签收"),
    (Status.REFERRAL_RETURNED, "被退回"),
    (Status.REFERRAL_REJECTED, "未确认"),
]


@permission_required("cases.create_referral", raise_exception=True)
def referral_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in dict(TABS):
        status = ""
    page = CountedPaginator(
        court_referrals(request.user, status or None),
        25,
        counted=court_referral_count(request.user, status or None),
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/referral_list.html",
        {
            "page": "referrals",
            "tabs": TABS,
            "status": status,
            "page_obj": page,
            "today": timezone.localdate(),
        },
    )
